"""CUDA paths: mixed precision, activation checkpointing, CUDA random state, DataLoader workers
(skipped where no GPU is present)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch

from annotator.errors import InputError
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


def test_mixed_precision_step_gives_low_precision_logits_a_float32_loss_and_finite_gradients() -> None:
    # (the backbone's own output dtype is not checked: autocast runs LayerNorm in float32 on CUDA)
    torch.manual_seed(0)
    model = Detector(preset("tiny", "tia", num_classes=4)).cuda().train()
    frames = torch.randint(0, 255, (2, 128, 64, 64, 3), dtype=torch.uint8, device="cuda")
    targets = [(torch.tensor([[4.0, 20.0]], device="cuda"), torch.tensor([1], device="cuda"))] * 2
    with autocast_for(torch.device("cuda")):
        logits, offsets, masks = model(frames, torch.tensor([64, 40], device="cuda"))
    loss = model.loss(logits, offsets, masks, targets)["total"]
    assert logits[0].dtype == amp_dtype(torch.device("cuda")) and loss.dtype == torch.float32
    loss.backward()
    grads = [p.grad for p in model.parameters() if p.requires_grad and p.grad is not None]
    assert grads and all(torch.isfinite(g).all() for g in grads)


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


# ----------------------------------------------------------------------- real-size and GPU-only paths

def _vit_s(window: int | None = None, longest: int = 450) -> tuple[Detector, TrainConfig]:
    from inference.recipe import ModelChoice, training_configs

    choice = ModelChoice(backbone="videomae", config="vit-s", random_backbone=True, window=window)
    config, train_config = training_configs(choice, 52, TrainConfig(batch_size=2), longest_frames=longest)
    return Detector(config), train_config


@pytest.mark.parametrize("window", [None, 512])  # fitted to 15 s clips (128 sampled frames), and the old 512
def test_vit_s_adatad_step_at_batch_2_prints_memory_and_speed(window: int | None) -> None:
    import time

    from inference.train import make_optimizer

    torch.manual_seed(0)
    model, train_config = _vit_s(window)
    model.cuda().train()
    model.backbone.checkpointing = True
    optimizer = make_optimizer(model, train_config)
    scaler = make_scaler(torch.device("cuda"))
    n = model.config.window_frames
    frames = torch.randint(0, 255, (2, n, 160, 160, 3), dtype=torch.uint8, device="cuda")
    valid = torch.tensor([model.steps, model.steps // 2], device="cuda")
    targets = [(torch.tensor([[2.0, 30.0]], device="cuda"), torch.tensor([3], device="cuda"))] * 2
    torch.cuda.reset_peak_memory_stats()
    times = []
    for _ in range(4):  # the first step warms the kernels up
        torch.cuda.synchronize()
        started = time.perf_counter()
        with autocast_for(torch.device("cuda")):
            outputs = model(frames, valid)
        loss = model.loss(outputs[0], outputs[1], outputs[2], targets)["total"]
        optimizer.zero_grad(set_to_none=True)
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
        torch.cuda.synchronize()
        times.append(time.perf_counter() - started)
        assert torch.isfinite(loss)
    step = sum(times[1:]) / len(times[1:])
    peak = torch.cuda.max_memory_allocated() / 2**30
    print(f"\nGPU-FIGURE vit-s adatad window {n}: {step * 1000:.0f} ms/step at batch 2, {2 / step:.1f} clips/s, "
          f"peak memory {peak:.2f} GiB")
    assert peak < torch.cuda.get_device_properties(0).total_memory / 2**30


def videomae_layout(state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Our backbone's own tensors under the names of an official VideoMAE pretraining checkpoint."""
    out = {"encoder." + k.replace("patch_embed.", "patch_embed.proj."): v.clone() for k, v in state.items()
           if ".adapter." not in k and k != "pos_embed"}
    out["decoder.blocks.0.norm1.weight"] = torch.ones(192)  # the pretraining decoder: ignored
    out["mask_token"] = torch.zeros(1, 1, 192)
    return {"model": out}


def test_pretrained_vit_s_weights_in_videomae_layout_load_on_the_gpu(tmp_path: Path) -> None:
    from inference.backbone import load_pretrained

    torch.manual_seed(1)
    source, _ = _vit_s()
    path = tmp_path / "vit-s-videomae.pth"
    torch.save(videomae_layout(source.backbone.state_dict()), path)
    model, _ = _vit_s()
    model.cuda()
    report = load_pretrained(model.backbone, path)
    assert all(".adapter." in k for k in report.missing), report.summary()
    for name, value in source.backbone.state_dict().items():
        if ".adapter." not in name and name != "pos_embed":
            assert torch.equal(model.backbone.state_dict()[name].cpu(), value), name
    truncated = {"model": dict(list(videomae_layout(source.backbone.state_dict())["model"].items())[:20])}
    torch.save(truncated, path)
    with pytest.raises(InputError, match="tensors are missing"):
        load_pretrained(_vit_s()[0].backbone, path)


def test_prediction_on_the_gpu_with_a_real_size_model() -> None:
    import time

    torch.manual_seed(0)
    model, _ = _vit_s()
    model.cuda().eval()
    frames = np.random.default_rng(0).integers(0, 255, (113, 160, 160, 3), dtype=np.uint8)  # 15 s at stride 4
    predict_frames(model, "warm", frames, 30.0, 450)
    torch.cuda.synchronize()
    started = time.perf_counter()
    preds = predict_frames(model, "clip", frames, 30.0, 450)
    torch.cuda.synchronize()
    seconds = time.perf_counter() - started
    print(f"\nGPU-FIGURE vit-s prediction: {seconds * 1000:.0f} ms per 15 s clip ({1 / seconds:.1f} clips/s)")
    assert preds and all(0 <= p.t_start <= p.t_end <= 15.0 for p in preds)


def test_float16_training_goes_through_the_gradient_scaler(tmp_path: Path) -> None:
    clips, aset = make_clips(2, n_frames=150)
    samples = as_samples(clips, aset, stride=2)
    config = TrainConfig(epochs=1, batch_size=2, amp_dtype="float16")
    assert make_scaler(torch.device("cuda"), True, "float16").is_enabled()
    result = train(preset("tiny", "dsta", num_classes=52), config, samples, [], load_taxonomy("mma52"), tmp_path,
                   device="cuda")
    assert result.epochs_run == 1 and np.isfinite(result.history[0]["loss"])
    scaler = read_checkpoint(tmp_path / LAST)["scaler"]
    assert scaler and scaler["scale"] > 0  # an enabled scaler saves its scale


@pytest.mark.skipif(torch.cuda.device_count() < 2, reason="NCCL needs two GPUs")
def test_two_nccl_processes_keep_identical_weights(tmp_path: Path) -> None:
    import os
    import subprocess

    from inference.distributed import torchrun_command

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run(torchrun_command(2, "tests.inference.ddp_worker", [str(tmp_path), "2", "cuda"]), cwd=root,
                          env=env, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    ranks = [torch.load(tmp_path / f"rank{r}.pt", weights_only=True) for r in (0, 1)]
    for name, value in ranks[0]["weights"].items():
        assert torch.equal(value, ranks[1]["weights"][name]), name
    assert len(read_checkpoint(tmp_path / LAST)["ranks_rng"]) == 2
