"""CUDA paths: mixed precision and activation checkpointing (skipped where no GPU is present)."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from annotator.taxonomy import load_taxonomy
from inference.checkpoint import load_detector
from inference.configs import TrainConfig, preset
from inference.model import Detector
from inference.predict import autocast_for, predict_frames
from inference.train import BEST, pick_device, train
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
