"""Loading pretrained weights from local files: key mapping, reports, position-embedding resizing."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from annotator.errors import InputError
from inference.backbone import load_pretrained, map_key, resize_pos_embed, sinusoid_table
from inference.configs import preset
from inference.model import Detector
from inference.posembed import adatad_table


def tiny_backbone(adapter: str = "tia") -> torch.nn.Module:
    torch.manual_seed(1)
    return Detector(preset("tiny", adapter, num_classes=3)).backbone


def test_key_names_of_videomae_and_opentad_map_to_ours() -> None:
    assert map_key("encoder.patch_embed.proj.weight") == "patch_embed.weight"
    assert map_key("module.blocks.3.attn.q_bias") == "blocks.3.attn.q_bias"
    assert map_key("backbone.model.backbone.blocks.0.mlp.layers.0.0.weight") == "blocks.0.mlp.fc1.weight"
    assert map_key("backbone.model.backbone.blocks.0.mlp.layers.1.bias") == "blocks.0.mlp.fc2.bias"
    assert map_key("backbone.model.backbone.patch_embed.projection.weight") == "patch_embed.weight"
    assert map_key("backbone.model.backbone.blocks.5.adapter.down_proj.weight") == "blocks.5.adapter.down.weight"
    assert map_key("backbone.model.backbone.blocks.5.adapter.dwconv.weight") == "blocks.5.adapter.tdw.dwconv.weight"
    assert map_key("backbone.model.backbone.blocks.5.adapter.gamma") == "blocks.5.adapter.alpha"
    assert map_key("fc_norm.weight") == "norm.weight"


def official_style(model: torch.nn.Module) -> dict[str, torch.Tensor]:
    """Our weights under the names of a VideoMAE pre-training checkpoint, plus its decoder."""
    state = {}
    for key, value in model.state_dict().items():
        if ".adapter." in key or key == "pos_embed":
            continue
        key = key.replace("patch_embed.", "patch_embed.proj.")
        state[f"encoder.{key}"] = value.clone() + 0.5
    state["decoder.blocks.0.norm1.weight"] = torch.ones(4)
    state["mask_token"] = torch.zeros(1, 1, 4)
    state["encoder.extra_thing"] = torch.ones(2)
    return state


def test_load_official_checkpoint_reports_missing_and_unexpected(tmp_path: Path) -> None:
    source = tiny_backbone()
    path = tmp_path / "videomae.pth"
    torch.save({"model": official_style(source)}, path)
    target = tiny_backbone()
    report = load_pretrained(target, path)
    assert torch.equal(target.blocks[1].attn.qkv.weight, source.blocks[1].attn.qkv.weight + 0.5)
    assert torch.equal(target.patch_embed.weight, source.patch_embed.weight + 0.5)
    assert report.unexpected == ["encoder.extra_thing"]  # decoder and mask token are known and skipped
    assert report.missing and all(".adapter." in k for k in report.missing)
    assert "missing" in report.summary()


def test_learned_position_table_is_interpolated_to_the_input_grid(tmp_path: Path) -> None:
    target = tiny_backbone()
    t, h, w = target.grid_thw  # (4, 4, 4) for the tiny config
    learned = torch.randn(1, 8 * 7 * 7, 64)
    path = tmp_path / "learned.pth"
    torch.save({**own_tensors(), "pos_embed": learned}, path)
    report = load_pretrained(target, path)
    assert target.pos_embed.shape == (1, t * h * w, 64)
    assert torch.allclose(target.pos_embed, resize_pos_embed(learned, (8, 7, 7), (t, h, w)))
    assert report.resized
    assert "pos_embed" in target.state_dict()  # saved with the model from now on


def test_fixed_sincos_table_is_regenerated_not_interpolated(tmp_path: Path) -> None:
    target = tiny_backbone()
    path = tmp_path / "fixed.pth"
    torch.save({**own_tensors(), "pos_embed": sinusoid_table(8 * 14 * 14, 64)}, path)
    load_pretrained(target, path)
    assert torch.equal(target.pos_embed, adatad_table(target.grid_thw, 64, 16))


def own_tensors() -> dict[str, torch.Tensor]:
    """A tiny ViT's own tensors (no adapters, no position table), as a pretrained file holds them."""
    return {k: v for k, v in tiny_backbone().state_dict().items() if ".adapter." not in k and k != "pos_embed"}


def test_a_file_lacking_most_backbone_tensors_is_refused(tmp_path: Path) -> None:
    own = own_tensors()
    few = dict(list(own.items())[: len(own) // 3])  # a third: another model's file, or a truncated one
    path = tmp_path / "few.pth"
    torch.save(few, path)
    with pytest.raises(InputError, match="tensors are missing"):
        load_pretrained(tiny_backbone(), path)
    torch.save(dict(list(own.items())[: 2 * len(own) // 3]), path)  # most there: loads, the report names the rest
    assert load_pretrained(tiny_backbone(), path).missing


def test_missing_and_unreadable_files_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        load_pretrained(tiny_backbone(), tmp_path / "none.pth")
    bad = tmp_path / "bad.pth"
    bad.write_bytes(b"not a checkpoint")
    with pytest.raises(InputError, match="cannot read"):
        load_pretrained(tiny_backbone(), bad)
    empty = tmp_path / "empty.pth"
    torch.save({"epoch": 3}, empty)
    with pytest.raises(InputError, match="no tensor"):
        load_pretrained(tiny_backbone(), empty)


def hugging_face_style(model: torch.nn.Module, shift: float) -> dict[str, torch.Tensor]:
    """Our weights (+ shift) under transformers' VideoMAEForVideoClassification names."""
    state: dict[str, torch.Tensor] = {}
    for key, value in model.state_dict().items():
        if ".adapter." in key or key == "pos_embed":
            continue
        value = value.clone() + shift
        if key.startswith("blocks."):
            i, rest = key.split(".", 2)[1:]
            layer = f"videomae.encoder.layer.{i}."
            if rest == "attn.qkv.weight":
                q, k, v = value.chunk(3)
                state.update({layer + "attention.attention.query.weight": q,
                              layer + "attention.attention.key.weight": k,
                              layer + "attention.attention.value.weight": v})
                continue
            for ours, theirs in (("attn.q_bias", "attention.attention.q_bias"),
                                 ("attn.v_bias", "attention.attention.v_bias"),
                                 ("attn.proj.", "attention.output.dense."), ("mlp.fc1.", "intermediate.dense."),
                                 ("mlp.fc2.", "output.dense."), ("norm1.", "layernorm_before."),
                                 ("norm2.", "layernorm_after.")):
                if rest.startswith(ours):
                    state[layer + theirs + rest[len(ours):]] = value
        elif key.startswith("patch_embed."):
            state["videomae.embeddings.patch_embeddings.projection." + key.split(".", 1)[1]] = value
        else:  # the final norm: transformers calls it fc_norm when it mean-pools
            state["fc_norm." + key.split(".", 1)[1]] = value
    state["classifier.weight"] = torch.ones(400, 64)
    return state


@pytest.mark.parametrize("suffix", [".bin", ".safetensors"])
def test_hugging_face_checkpoint_loads_with_fused_qkv(tmp_path: Path, suffix: str) -> None:
    from safetensors.torch import save_file

    source = tiny_backbone()
    path = tmp_path / f"pytorch_model{suffix}"
    state = hugging_face_style(source, 0.25)
    if suffix == ".safetensors":
        save_file(state, str(path))
    else:
        torch.save(state, path)
    target = tiny_backbone()
    report = load_pretrained(target, path)
    assert not report.unexpected
    assert report.missing and all(".adapter." in k for k in report.missing)
    shifted = {k: v + 0.25 for k, v in source.state_dict().items() if ".adapter." not in k and k != "pos_embed"}
    for key, value in shifted.items():
        assert torch.equal(target.state_dict()[key], value), key  # q, k, v fused in that order
    with torch.no_grad():
        source.load_state_dict(shifted, strict=False)
        video = torch.randn(1, 3, 8, 64, 64)
        assert torch.allclose(target.eval()(video), source.eval()(video))


def test_unreadable_safetensors_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "broken.safetensors"
    bad.write_bytes(b"\x00" * 16)
    with pytest.raises(InputError, match="broken.safetensors.*cannot read checkpoint"):
        load_pretrained(tiny_backbone(), bad)
