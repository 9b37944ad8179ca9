"""CUDA paths: mixed precision, activation checkpointing, CUDA random state, DataLoader workers
(skipped where no GPU is present)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch

from annotator.taxonomy import load_taxonomy
from inference.checkpoint import load_detector, read_checkpoint
from inference.configs import TrainConfig, preset
from inference.model import Detector
from inference.precision import amp_dtype, autocast_for, make_scaler
from inference.predict import predict_frames
from inference.recipe import apply_recipe
from inference.train import BEST, LAST, pick_device, restore_rng, rng_states, train
from tests.inference.synthetic_clips import as_samples, make_clips

pytestmark = [
    pytest.mark.gpu,
    pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA GPU on this machine"),
]


def test_activation_checkpointing_gives_the_same_gradients() -> None:
    torch.manual_seed(0)
    model = Detector(preset("tiny", "dsta", num_classes=4)).cuda().train()
    for block in model.backbone.blocks:
        torch.nn.init.normal_(block.adapter.up.weight, std=0.02)
    video = torch.randn(1, 3, 32, 64, 64, device="cuda")
    grads = []
    for checkpointing in (False, True):
        model.zero_grad()
        model.backbone.checkpointing = checkpointing
        model.backbone(video).square().mean().backward()
        grads.append(model.backbone.blocks[0].adapter.down_s.weight.grad.clone())
    assert torch.allclose(grads[0], grads[1], atol=1e-5)


def test_mixed_precision_forward_runs_in_bfloat16() -> None:
    model = Detector(preset("tiny", "tia", num_classes=4)).cuda().eval()
    frames = torch.randint(0, 255, (1, 128, 64, 64, 3), dtype=torch.uint8, device="cuda")
    with autocast_for(torch.device("cuda")):
        feats = model.backbone(torch.randn(1, 3, 128, 64, 64, device="cuda"))
        logits, _, _ = model(frames, torch.tensor([64], device="cuda"))
    assert feats.dtype == torch.bfloat16
    assert all(torch.isfinite(x.float()).all() for x in logits)


def test_training_on_cuda_and_predicting_on_cpu(tmp_path: Path) -> None:
    assert pick_device("auto").type == "cuda"
    clips, aset = make_clips(2, n_frames=150)
    samples = as_samples(clips, aset, stride=2)
    taxonomy = load_taxonomy("mma52")
    train(preset("tiny", "dsta", num_classes=52), TrainConfig(epochs=2, batch_size=2), samples, [], taxonomy,
          tmp_path, device="cuda")
    on_gpu, _, _ = load_detector(tmp_path / BEST, "cuda")
    on_cpu, _, _ = load_detector(tmp_path / BEST, "cpu")
    s = samples[0]
    gpu = predict_frames(on_gpu, s.video_id, s.frames, s.fps, s.total_frames)
    cpu = predict_frames(on_cpu, s.video_id, s.frames, s.fps, s.total_frames)
    assert gpu and cpu
    assert abs(gpu[0].score - cpu[0].score) < 0.05  # bfloat16 on the GPU, float32 on the CPU


def test_amp_uses_bfloat16_where_supported_and_scales_float16() -> None:
    dev = torch.device("cuda")
    dtype = amp_dtype(dev)
    assert dtype == (torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16)
    assert make_scaler(dev).is_enabled() == (dtype == torch.float16)
    assert not make_scaler(torch.device("cpu")).is_enabled()


def test_resume_restores_the_cuda_random_state() -> None:
    states = rng_states(torch.device("cuda"))
    first = torch.rand(4, device="cuda")
    restore_rng(states)
    assert torch.equal(torch.rand(4, device="cuda"), first)


def test_adatad_training_with_workers_pinned_memory_and_checkpoints(tmp_path: Path) -> None:
    clips, aset = make_clips(4, n_frames=150)
    samples = as_samples(clips, aset, stride=4)
    model, config = apply_recipe("adatad", preset("tiny", "dsta", num_classes=52),
                                 TrainConfig(epochs=2, batch_size=2, workers=2))
    samples = [replace(s, frames=np.pad(s.frames, ((0, 0), (4, 4), (4, 20), (0, 0)))) for s in samples]
    result = train(model, config, samples, [], load_taxonomy("mma52"), tmp_path, device="cuda")
    assert result.epochs_run == 2 and (tmp_path / BEST).is_file()
    last = read_checkpoint(tmp_path / LAST)
    assert "cuda_rng" in last and "scaler" in last and last["normaliser"]["mode"] == "ema"
    resumed = train(model, replace(config, epochs=3), samples, [], load_taxonomy("mma52"), tmp_path,
                    device="cuda")
    assert resumed.epochs_run == 3 and len(resumed.history) == 3
