"""The adatad recipe: sampling, head, parameter groups, loss normaliser, adapter init, drop-path."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
import torch

from annotator.errors import InputError
from inference.configs import ModelConfig, TrainConfig, preset
from inference.losses import LossNormaliser
from inference.model import Detector, frame_to_step, step_to_frame
from inference.recipe import apply_recipe, default_recipe
from inference.train import make_optimizer, param_groups


def adatad(name: str = "tiny", adapter: str = "dsta") -> tuple[ModelConfig, TrainConfig]:
    return apply_recipe("adatad", preset(name, adapter, num_classes=4), TrainConfig())


def test_vit_configs_default_to_adatad_and_tiny_to_plain() -> None:
    assert [default_recipe(n) for n in ("tiny", "vit-s", "vit-b", "vit-l")] == ["plain", "adatad", "adatad", "adatad"]
    model, train = adatad("vit-s")
    assert (model.head.dim, model.head.attn_window, model.head.proj_layers, model.head.stem_blocks) == (512, 0, 3, 0)
    assert model.head.levels == 6 and model.head.drop_path == 0.1
    assert model.backbone.drop_path == 0.1 and not model.backbone.final_norm
    assert (train.lr, train.adapter_lr, train.loss_normaliser, train.augment) == (1e-4, 4e-4, "ema", True)
    plain_model, plain_train = apply_recipe("plain", preset("vit-s"), TrainConfig())
    assert plain_model == preset("vit-s") and plain_train.recipe == "plain"
    with pytest.raises(ValueError, match="unknown recipe"):
        apply_recipe("fast", preset("tiny"), TrainConfig())


def test_sampling_takes_every_fourth_frame_and_one_step_per_sampled_frame() -> None:
    model, _ = adatad()
    assert model.frame_stride == 4 and model.frames_per_step == 4
    assert model.steps_for(128) == 128 and model.steps_for(37) == 37
    steps = torch.tensor([0.0, 1.0, 10.0])
    # step i lies on sampled frame start + i, i.e. decoded frame 4 * (start + i)
    assert step_to_frame(steps, 3, model).tolist() == [12.0, 16.0, 52.0]
    assert torch.allclose(frame_to_step(step_to_frame(steps, 3, model), 3, model), steps)
    plain = preset("tiny")
    assert plain.frames_per_step == 4 and plain.steps_for(37) == 19  # stride 2 x tubelet 2, partial counts


def test_features_are_interpolated_to_one_step_per_frame() -> None:
    model, _ = adatad()
    detector = Detector(model).eval()
    frames = torch.randint(0, 255, (1, 128, 64, 64, 3), dtype=torch.uint8)
    logits, _, masks = detector(frames, torch.tensor([100]))
    assert logits[0].shape == (1, 128, 4) and int(masks[0].sum()) == 100
    assert [x.shape[1] for x in logits] == [128, 64, 32, 16, 8, 4]


def test_no_decay_on_biases_norms_and_scales_and_separate_learning_rates() -> None:
    model, train = adatad()
    detector = Detector(model)
    groups = {g["name"]: g for g in param_groups(detector, train)}
    assert set(groups) == {"adapter", "adapter (no decay)", "head", "head (no decay)"}
    names = {id(p): n for n, p in detector.named_parameters()}
    for name, group in groups.items():
        assert group["lr"] == (4e-4 if name.startswith("adapter") else 1e-4)
        assert group["weight_decay"] == (0.0 if "no decay" in name else 0.05)
        for p in group["params"]:
            undecayed = p.ndim <= 1 or names[id(p)].endswith(".scale")
            assert undecayed == ("no decay" in name), names[id(p)]
    undecayed_names = {names[id(p)] for p in groups["head (no decay)"]["params"]}
    assert any("norm" in n for n in undecayed_names) and any(n.endswith(".bias") for n in undecayed_names)
    assert any(n.endswith(".alpha") for n in (names[id(p)] for p in groups["adapter (no decay)"]["params"]))
    trainable = sum(p.numel() for p in detector.parameters() if p.requires_grad)
    assert sum(p.numel() for g in groups.values() for p in g["params"]) == trainable
    optimizer = make_optimizer(detector, train)
    assert len(optimizer.param_groups) == 4
    plain = make_optimizer(Detector(preset("tiny", num_classes=4)), TrainConfig())
    assert {g["weight_decay"] for g in plain.param_groups} == {0.05}  # plain: decay everywhere


def test_ema_normaliser_starts_at_100_with_momentum_0_9() -> None:
    ema = LossNormaliser("ema")
    assert ema(torch.tensor(20)) == pytest.approx(0.9 * 100 + 0.1 * 20)
    assert ema(torch.tensor(0)) == pytest.approx(0.9 * 92 + 0.1 * 1)  # no positives count as one
    restored = LossNormaliser("ema")
    restored.load_state_dict(ema.state_dict())
    assert restored(torch.tensor(50)) == ema(torch.tensor(50))
    assert LossNormaliser("batch")(torch.tensor(7)) == 7.0
    with pytest.raises(ValueError, match="normaliser"):
        LossNormaliser("mean")


def test_adatad_adapter_init_and_backbone_settings() -> None:
    model, _ = adatad("tiny", "tia")
    detector = Detector(model)
    adapter = detector.backbone.blocks[0].adapter
    assert torch.count_nonzero(adapter.up.weight) == 0 and torch.count_nonzero(adapter.down.bias) == 0
    assert abs(float(adapter.down.weight.detach().std()) - 0.02) < 0.004
    std = float(adapter.tdw.dwconv.weight.detach().std())
    assert abs(std - math.sqrt(2 / 3)) < 0.2
    rates = [block.drop_path.rate for block in detector.backbone.blocks]
    assert rates[0] == 0.0 and rates[-1] == pytest.approx(0.1)
    assert not any(p.requires_grad for p in detector.backbone.norm.parameters())  # unused final norm


def test_final_norm_and_drop_path_only_where_the_recipe_says() -> None:
    model, _ = adatad()
    detector = Detector(model)
    video = torch.randn(2, 3, 8, 64, 64)
    detector.eval()
    with torch.no_grad():
        a, b = detector.backbone(video), detector.backbone(video)
    assert torch.equal(a, b)
    detector.backbone.norm.weight.data.fill_(3.0)  # unused by the adatad recipe
    with torch.no_grad():
        assert torch.equal(detector.backbone(video), a)
    detector.train()
    with torch.no_grad():
        assert not torch.equal(detector.backbone(video), a)  # stochastic depth in training


def test_the_vit_window_is_fitted_to_the_longest_clip_and_can_be_set() -> None:
    from inference.configs import TrainConfig as Train
    from inference.recipe import ModelChoice, training_configs

    choice = ModelChoice(backbone="videomae", config="vit-s", pretrained="w.pth")
    fitted, _ = training_configs(choice, 52, Train(), longest_frames=450)  # 15 s at 30 fps, stride 4: 113
    assert fitted.window_frames == 128 and fitted.frame_stride == 4
    assert training_configs(choice, 52, Train())[0].window_frames == 512  # no data known: the preset's
    assert training_configs(choice, 52, Train(), longest_frames=4000)[0].window_frames == 1024
    chosen, _ = training_configs(replace(choice, window=256), 52, Train(), longest_frames=450)
    assert chosen.window_frames == 256
    with pytest.raises(InputError, match="multiple of 32"):
        training_configs(replace(choice, window=100), 52, Train())
    tiny, _ = training_configs(ModelChoice(backbone="videomae", config="tiny"), 52, Train(), longest_frames=450)
    assert tiny.window_frames == 128  # the CPU test config keeps its own


def test_a_vit_adapter_run_needs_weights_unless_a_random_backbone_is_asked_for() -> None:
    from inference.configs import TrainConfig as Train
    from inference.recipe import ModelChoice, training_configs

    with pytest.raises(InputError, match="--pretrained FILE.*--random-backbone"):
        training_configs(ModelChoice(backbone="videomae", config="vit-s"), 52, Train())
    assert training_configs(ModelChoice(backbone="videomae", config="vit-s", random_backbone=True), 52, Train())
    assert training_configs(ModelChoice(backbone="videomae", config="vit-s", adapter="full"), 52, Train())
    assert training_configs(ModelChoice(backbone="videomae", config="tiny"), 52, Train())  # the CPU test config
    pose, train = training_configs(ModelChoice(backbone="pose"), 52, Train())
    assert pose.backbone.kind == "pose" and train.lr == 1e-3 and train.augment  # the pose bench: it helps
