"""The network: parameter counts (MMAD Table 4), adapters, backbone, head, losses and soft-NMS."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
import torch

from inference.adapters import DSTAAdapter, TIAAdapter
from inference.configs import AdapterConfig, HeadConfig, ModelConfig, preset
from inference.head import ActionFormerHead, ConvFormerBlock, LocalSelfAttention, assign_targets, make_points
from inference.losses import diou_loss_1d, sigmoid_focal_loss
from inference.model import MIB, Detector, count_parameters, frame_to_step, step_to_frame
from inference.nms import batched_soft_nms, soft_nms_1d


@pytest.fixture(scope="module")
def vit_s_counts() -> dict[str, dict[str, int]]:
    out = {}
    for adapter in ("full", "standard", "tia", "dsta", "none"):
        out[adapter] = count_parameters(Detector(preset("vit-s", adapter)))
    printed = preset("vit-s", "dsta")
    printed = replace(printed, adapter=replace(printed.adapter, dsta_variant="printed"))
    out["printed"] = count_parameters(Detector(printed))
    return out


def test_vit_s_parameter_counts_match_the_paper(vit_s_counts: dict[str, dict[str, int]]) -> None:
    mib = {k: v["trainable_backbone"] / MIB for k, v in vit_s_counts.items()}
    assert vit_s_counts["full"]["backbone"] == 21_879_936  # VideoMAE-S without a classifier: 20.87M
    assert round(mib["full"], 2) == 20.87  # paper 20.89
    assert round(mib["standard"], 2) == 0.85
    assert round(mib["tia"], 2) == 0.96
    assert abs(mib["dsta"] - 1.80) / 1.80 < 0.005  # 1.807, within 0.5% of the paper
    assert round(mib["printed"], 2) == 1.38  # eq. (3) as printed: one shared down-projection
    assert vit_s_counts["none"]["trainable"] == vit_s_counts["none"]["head"]


def test_only_adapters_and_head_are_trained() -> None:
    model = Detector(preset("tiny", "dsta", num_classes=4))
    trainable = {n for n, p in model.named_parameters() if p.requires_grad}
    assert trainable and all(n.startswith("head.") or ".adapter." in n for n in trainable)
    assert any(".adapter." in n for n in trainable)


def grid_input(b: int = 1, chunks: int = 2, t: int = 4, h: int = 3, w: int = 3, c: int = 8) -> torch.Tensor:
    torch.manual_seed(0)
    return torch.randn(b * chunks, t * h * w, c)


def test_adapters_start_as_identity_and_keep_shapes() -> None:
    x = grid_input()
    grid = (1, 2, 4, 3, 3)
    for adapter in (TIAAdapter(8, AdapterConfig(ratio=0.5)), DSTAAdapter(8, AdapterConfig(ratio=0.5))):
        assert torch.equal(adapter(x, grid), x)  # zero-initialised up-projection


def test_temporal_path_crosses_chunk_boundaries_and_spatial_path_does_not_mix_frames() -> None:
    config = AdapterConfig(ratio=0.5, spatial_kernel=3)
    adapter = DSTAAdapter(8, config)
    torch.nn.init.normal_(adapter.up.weight)
    grid = (1, 2, 4, 3, 3)
    x = grid_input()
    base = adapter(x, grid)
    moved = x.clone()
    moved[1, :9] += 1.0  # first time step of the second chunk
    diff = (adapter(moved, grid) - base).abs().sum(-1)  # [N, L]
    assert diff[0, 27:36].sum() > 0  # last step of chunk 0 sees it through the k=3 temporal conv
    assert diff[0, :18].sum() == 0  # two steps away: untouched
    # the spatial path alone: a 3x3 conv never mixes frames
    adapter.gamma.data.zero_()
    adapter.down_t.weight.data.zero_()
    base = adapter(x, grid)
    diff = (adapter(moved, grid) - base).abs().sum(-1)
    assert diff[0].sum() == 0 and diff[1, 9:].sum() == 0


def test_printed_variant_shares_the_down_projection() -> None:
    adapter = DSTAAdapter(8, AdapterConfig(ratio=0.5, dsta_variant="printed"))
    assert adapter.down_t is None


def test_backbone_features_one_step_per_tubelet() -> None:
    model = Detector(preset("tiny", "dsta", num_classes=3))
    video = torch.randn(2, 3, 32, 64, 64)
    feats = model.backbone(video)
    assert feats.shape == (2, 64, 16)
    with pytest.raises(ValueError, match="chunks"):
        model.backbone(torch.randn(1, 3, 12, 64, 64))


def test_points_cover_every_level() -> None:
    config = preset("tiny", num_classes=3).head
    points = make_points(64, config, torch.device("cpu"))
    assert points.shape == (64 + 32 + 16 + 8 + 4 + 2, 4)
    assert points[64, 0] == 0 and points[65, 0] == 2 and points[65, 3] == 2
    assert points[-1, 1:3].tolist() == [64, 10_000]


def test_assignment_multi_label_centre_sampling_and_ranges() -> None:
    config = preset("tiny", num_classes=3).head
    points = make_points(64, config, torch.device("cpu"))
    segments = torch.tensor([[10.0, 16.0], [10.0, 16.0], [30.0, 60.0]])
    labels = torch.tensor([0, 2, 1])
    cls, reg = assign_targets(points, segments, labels, 3, radius=1.5)
    level0 = cls[:64]
    # [10, 16] (length 6, largest offset <= 4 near the centre) lands on level 0 around 13 +- 1.5
    assert level0[12].tolist() == [1, 0, 1] and level0[13].tolist() == [1, 0, 1]
    assert level0[11].sum() == 0  # largest offset 5 > 4: a level-1 point
    assert reg[13].tolist() == [3.0, 3.0]
    # [30, 60], centre 45: level 3 (stride 8, range 16..32, centre region 33..57) takes positions
    # 40, 48, 56 (largest offsets 20, 18, 26); level 2 (stride 4, range 8..16, region 39..51) only
    # position 44 (offsets 14 and 16, the range is inclusive)
    level3 = cls[64 + 32 + 16 : 64 + 32 + 16 + 8]
    assert level3[:, 1].nonzero().flatten().tolist() == [5, 6, 7]
    level2 = cls[64 + 32 : 64 + 32 + 16]
    assert level2[:, 1].nonzero().flatten().tolist() == [11]
    assert cls[:, 1].sum() == 4


def test_focal_loss_values() -> None:
    logits = torch.tensor([0.0, 0.0])
    targets = torch.tensor([1.0, 0.0])
    # p = 0.5: ce = ln 2, (1 - p_t)^2 = 0.25, alpha 0.25 / 0.75
    expected = math.log(2) * 0.25 * (0.25 + 0.75)
    assert float(sigmoid_focal_loss(logits, targets)) == pytest.approx(expected)


def test_diou_loss_values() -> None:
    same = diou_loss_1d(torch.tensor([[2.0, 3.0]]), torch.tensor([[2.0, 3.0]]))
    assert float(same) == pytest.approx(0.0)
    # pred [-1, 1], target [-3, 1] around point 0: IoU 2/4, centres 0 and -1, enclosing 4
    loss = diou_loss_1d(torch.tensor([[1.0, 1.0]]), torch.tensor([[3.0, 1.0]]))
    assert float(loss) == pytest.approx(1 - 0.5 + (1 / 4) ** 2)


def test_soft_nms_decays_overlaps_and_keeps_low_scores() -> None:
    segs = torch.tensor([[0.0, 10.0], [0.0, 10.0], [1.0, 10.0], [20.0, 30.0]])
    scores = torch.tensor([0.9, 0.8, 0.7, 0.6])
    kept_segs, kept = soft_nms_1d(segs, scores, sigma=0.5)
    assert kept[0] == pytest.approx(0.9)
    assert kept[1] == pytest.approx(0.6)  # disjoint: untouched
    assert kept[2] == pytest.approx(0.7 * math.exp(-0.81 / 0.5))  # [1, 10]: iou 0.9 with the best
    # the identical segment decays twice: iou 1 with [0, 10], then 0.9 with [1, 10]
    assert kept[3] == pytest.approx(0.8 * math.exp(-1 / 0.5) * math.exp(-0.81 / 0.5))
    assert len(kept) == 4  # nothing is pruned above min_score


def test_batched_soft_nms_is_per_class() -> None:
    segs = torch.tensor([[0.0, 10.0], [0.0, 10.0]])
    out_segs, scores, labels = batched_soft_nms(segs, torch.tensor([0.9, 0.8]), torch.tensor([0, 1]))
    assert scores.tolist() == pytest.approx([0.9, 0.8])  # different classes never suppress each other
    assert labels.tolist() == [0, 1]


def test_step_frame_conversion_round_trips() -> None:
    config = preset("tiny", num_classes=3)  # stride 2, tubelet 2: one step = 4 frames
    frames = step_to_frame(torch.tensor([0.0, 1.0]), 10, config)
    assert frames.tolist() == [21.0, 25.0]  # window starts at decoded frame 20; centre of 4 frames
    assert frame_to_step(frames, 10, config).tolist() == [0.0, 1.0]


def test_config_round_trips_through_plain_data() -> None:
    config = preset("vit-b", "tia", num_classes=82)
    assert ModelConfig.from_dict(config.to_dict()) == config
    with pytest.raises(ValueError, match="unknown adapter"):
        preset("vit-s", "lora")


def test_local_attention_sees_only_its_window() -> None:
    torch.manual_seed(0)
    attn = LocalSelfAttention(dim=16, heads=4, window=5, stride=1).eval()
    x = torch.randn(1, 16, 30)
    mask = torch.ones(1, 30, dtype=torch.bool)
    y, _ = attn(x, mask)
    far = x.clone()
    far[:, :, 20:] += 5.0  # position 10 attends to 8..12; its q/k/v convolutions read one step more
    y_far, _ = attn(far, mask)
    assert torch.allclose(y[:, :, :17], y_far[:, :, :17], atol=1e-6)
    assert not torch.allclose(y[:, :, 18:], y_far[:, :, 18:])
    down, down_mask = LocalSelfAttention(16, 4, 5, stride=2)(x, mask)
    assert down.shape == (1, 16, 15) and down_mask.shape == (1, 15)


@pytest.mark.parametrize("pyramid", ["transformer", "convformer"])
def test_pyramid_ignores_padding_and_halves_each_level(pyramid: str) -> None:
    torch.manual_seed(0)
    config = HeadConfig(dim=32, levels=4, head_layers=2, attn_heads=4, attn_window=7, stem_blocks=2, pyramid=pyramid)
    head = ActionFormerHead(24, 5, config).eval()
    feats = torch.randn(1, 24, 32)
    mask = torch.zeros(1, 32, dtype=torch.bool)
    mask[:, :20] = True
    logits, offsets, masks = head(feats, mask)
    assert [t.shape[1] for t in logits] == [32, 16, 8, 4] and [int(m.sum()) for m in masks] == [20, 10, 5, 3]
    noisy = feats.clone()
    noisy[:, :, 20:] = torch.randn(1, 24, 12) * 10  # whatever lies in the padding
    logits2, offsets2, _ = head(noisy, mask)
    for a, b, m in zip(logits + offsets, logits2 + offsets2, masks + masks, strict=True):
        assert torch.allclose(a[0, m[0]], b[0, m[0]], atol=1e-5)  # [T_valid, C or 2] at every level


def test_checkpoint_configs_from_before_the_transformer_rebuild_the_conv_pyramid() -> None:
    old = preset("tiny", "dsta").to_dict()
    for key in ("pyramid", "attn_heads", "attn_window", "stem_blocks"):
        del old["head"][key]
    config = ModelConfig.from_dict(old)
    assert config.head.pyramid == "conv"
    assert not any(".neck." in k for k in Detector(config).state_dict())
    with pytest.raises(ValueError, match="unknown pyramid"):
        ActionFormerHead(8, 3, HeadConfig(dim=8, pyramid="lstm"))


@pytest.mark.parametrize("stride", [1, 2])
def test_a_convformer_block_keeps_padded_steps_at_zero(stride: int) -> None:
    torch.manual_seed(3)
    block = ConvFormerBlock(8, 3, stride)
    for p in block.parameters():
        torch.nn.init.normal_(p, std=0.5)  # biases too: nothing may leak into the padding
    mask = torch.zeros(1, 21, dtype=torch.bool)
    mask[:, :13] = True
    y, m = block(torch.randn(1, 8, 21) - 1.0, mask)
    assert y.shape == (1, 8, 21 // stride + 21 % stride) and torch.equal(m, mask[:, ::stride])
    assert torch.count_nonzero(y[:, :, ~m[0]]) == 0 and torch.count_nonzero(y[:, :, m[0]]) > 0


@pytest.mark.parametrize("pyramid", ["transformer", "convformer"])
@pytest.mark.parametrize("length", [7, 37])
def test_a_padded_window_gives_the_same_outputs_as_the_unpadded_one(length: int, pyramid: str) -> None:
    torch.manual_seed(1)
    head = ActionFormerHead(16, 4, HeadConfig(dim=32, levels=6, head_layers=2, attn_window=7, pyramid=pyramid)).eval()
    feats = torch.randn(1, 16, length) - 1.0  # mostly negative features: the max-pool case
    alone = head(feats, torch.ones(1, length, dtype=torch.bool))
    padded_feats = torch.cat([feats, torch.zeros(1, 16, 64 - length)], dim=2)
    mask = torch.zeros(1, 64, dtype=torch.bool)
    mask[:, :length] = True
    padded = head(padded_feats, mask)
    for level, (a, b) in enumerate(zip(alone[0] + alone[1], padded[0] + padded[1], strict=True)):
        n = a.shape[1]
        assert torch.allclose(a, b[:, :n], atol=1e-4), f"level {level % 6}"


@pytest.mark.parametrize(("pyramid", "kernel", "head_layers"), [("conv", 3, 2), ("transformer", 5, 3), ("conv", 3, 1),
                                                                  ("convformer", 3, 2)])
def test_towers_over_all_levels_at_once_equal_each_level_alone(pyramid: str, kernel: int, head_layers: int) -> None:
    torch.manual_seed(2)
    config = HeadConfig(dim=16, levels=5, head_layers=head_layers, kernel=kernel, pyramid=pyramid, attn_window=7)
    head = ActionFormerHead(8, 3, config).eval()
    for i, scale in enumerate(head.scales):
        torch.nn.init.constant_(scale.scale, 1.0 + 0.3 * i)  # a level's own scale must reach only its own offsets
    mask = torch.zeros(2, 32, dtype=torch.bool)
    mask[0, :32], mask[1, :13] = True, True
    x, m = torch.randn(2, 8, 32), mask
    logits, offsets, masks = head(x, m)
    y = x * m.unsqueeze(1)
    for block in head.projection:
        y, m = block(y, m)
    for level, block in enumerate(head.pyramid):  # the towers level by level, as ActionFormer runs them
        y, m = block(y, m)
        c = r = head.neck[level](y, m) if len(head.neck) else y
        for cls_block, reg_block in zip(head.cls_tower, head.reg_tower, strict=True):
            c, _ = cls_block(c, m)
            r, _ = reg_block(r, m)
        assert torch.allclose(logits[level], head.cls_out(c).transpose(1, 2), atol=1e-5), f"logits, level {level}"
        expected = torch.relu(head.scales[level](head.reg_out(r))).transpose(1, 2)
        assert torch.allclose(offsets[level], expected, atol=1e-5), f"offsets, level {level}"
        assert torch.equal(masks[level], m)
