"""Training: AdamW, warm-up + cosine, EMA, a checkpoint every epoch, resume, early stop on val mAP."""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch

from annotator.errors import InputError
from annotator.progress import NEVER, CancelToken, Progress, no_progress
from annotator.taxonomy import Taxonomy
from inference.backbone import load_pretrained
from inference.checkpoint import read_checkpoint, save_checkpoint
from inference.configs import ModelConfig, TrainConfig
from inference.data import ClipSample, make_batch
from inference.evaluate import EvaluationReport, evaluate
from inference.model import Detector
from inference.predict import autocast_for, predict_frames
from inference.video import random_window

LAST, BEST = "last.pt", "best.pt"


@dataclass
class TrainResult:
    """What a run produced: the best epoch and its validation figures, and the history."""

    out_dir: Path
    best_epoch: int
    best_map: float
    epochs_run: int
    stopped_early: bool
    history: list[dict[str, float]] = field(default_factory=list)


class EMA:
    """Exponential moving average of the trainable weights, with the usual warm-up of the decay."""

    def __init__(self, model: Detector, decay: float) -> None:
        self.decay = decay
        self.updates = 0
        self.shadow = {n: p.detach().clone() for n, p in model.named_parameters() if p.requires_grad}

    @torch.no_grad()
    def update(self, model: Detector) -> None:
        """Blend the current weights in."""
        self.updates += 1
        d = min(self.decay, (1 + self.updates) / (10 + self.updates))
        for name, param in model.named_parameters():
            if name in self.shadow:
                self.shadow[name].mul_(d).add_(param.detach(), alpha=1 - d)

    @torch.no_grad()
    def swap(self, model: Detector) -> None:
        """Exchange the model's trainable weights with the averaged ones (call twice to undo)."""
        for name, param in model.named_parameters():
            if name in self.shadow:
                tmp = param.detach().clone()
                param.copy_(self.shadow[name])
                self.shadow[name].copy_(tmp)


def pick_device(device: str) -> torch.device:
    """"auto" takes CUDA when present; "cuda" without a GPU is an error."""
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if device == "cuda" and not torch.cuda.is_available():
        raise InputError("--device", None, "cuda requested but no CUDA GPU is available")
    return torch.device(device)


def seed_everything(seed: int) -> None:
    """Same seed, same run (CPU; cuDNN is put in deterministic mode on CUDA)."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.backends.cudnn.deterministic = True
    torch.backends.cudnn.benchmark = False


def lr_factor(step: int, total: int, warmup: int) -> float:
    """Linear warm-up then cosine decay to zero."""
    if step < warmup:
        return (step + 1) / warmup
    progress = (step - warmup) / max(1, total - warmup)
    return 0.5 * (1 + math.cos(math.pi * min(progress, 1.0)))


def make_optimizer(model: Detector, config: TrainConfig) -> torch.optim.AdamW:
    """AdamW over the trainable weights; the backbone (full fine-tuning) gets its own lower lr."""
    backbone = [p for n, p in model.named_parameters() if p.requires_grad and n.startswith("backbone.")
                and ".adapter." not in n]
    rest = [p for n, p in model.named_parameters() if p.requires_grad and not (
        n.startswith("backbone.") and ".adapter." not in n)]
    groups = [{"params": rest, "lr": config.lr}]
    if backbone:
        groups.append({"params": backbone, "lr": config.backbone_lr})
    return torch.optim.AdamW(groups, lr=config.lr, weight_decay=config.weight_decay)


def validate(model: Detector, samples: Sequence[ClipSample], taxonomy: Taxonomy) -> EvaluationReport:
    """Predict every validation clip and evaluate (action and body level)."""
    model.eval()
    preds = []
    gts = []
    for sample in samples:
        preds.extend(predict_frames(model, sample.video_id, sample.frames, sample.fps, sample.total_frames))
        gts.extend(sample.ground_truth())
    return evaluate(gts, preds, taxonomy)


def train(model_config: ModelConfig, train_config: TrainConfig, train_samples: Sequence[ClipSample],
          val_samples: Sequence[ClipSample], taxonomy: Taxonomy, out_dir: str | Path, *,
          device: str = "auto", pretrained: str | Path | None = None, resume: bool = True,
          progress: Progress = no_progress, cancel: CancelToken = NEVER,
          on_epoch: Callable[[dict[str, float]], None] | None = None) -> TrainResult:
    """Train the detector; writes last.pt every epoch and best.pt (EMA weights) on a better val mAP.

    on_epoch receives each epoch's record (loss, validation mAP) once it is saved; a resumed run
    first replays the records of the epochs already done.
    """
    if not train_samples:
        raise InputError(str(out_dir), "training set", "no training clips")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    dev = pick_device(device)
    seed_everything(train_config.seed)
    model = Detector(model_config)
    if pretrained is not None:
        loaded = load_pretrained(model.backbone, pretrained)
        (out / "pretrained_report.txt").write_text(loaded.summary() + "\n", "utf-8")
    model.to(dev)
    model.backbone.checkpointing = dev.type == "cuda" and train_config.checkpointing
    optimizer = make_optimizer(model, train_config)
    ema = EMA(model, train_config.ema_decay)
    steps_per_epoch = math.ceil(len(train_samples) / train_config.batch_size)
    total_steps = steps_per_epoch * train_config.epochs
    warmup = max(1, int(train_config.warmup_epochs * steps_per_epoch))
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: lr_factor(s, total_steps, warmup))
    state: dict[str, Any] = {"epoch": 0, "best_map": -1.0, "best_epoch": 0, "history": []}
    if resume and (out / LAST).is_file():
        state = _resume(out / LAST, model, optimizer, scheduler, ema, model_config)
    labels = taxonomy.action_names
    stopped_early = False
    if on_epoch is not None:
        for done in state["history"]:
            on_epoch(dict(done))
    for epoch in range(state["epoch"], train_config.epochs):
        loss = _train_epoch(model, optimizer, scheduler, ema, train_samples, train_config, epoch, dev,
                            progress, cancel)
        record: dict[str, float] = {"epoch": epoch + 1, "loss": loss}
        improved = False
        last_epoch = epoch + 1 == train_config.epochs
        if val_samples and ((epoch + 1) % train_config.eval_every == 0 or last_epoch):
            ema.swap(model)
            report = validate(model, val_samples, taxonomy)
            record.update({"val_action_map": report.action.average, "val_body_map": report.body.average,
                           "val_action_map@0.5": report.action.at(0.5)})
            if report.action.average > state["best_map"]:
                state["best_map"], state["best_epoch"], improved = report.action.average, epoch + 1, True
                save_checkpoint(out / BEST, model, labels, epoch=epoch + 1, metrics=report.to_json(),
                                train_config=asdict(train_config), taxonomy=taxonomy.to_json())
            ema.swap(model)
        elif not val_samples and last_epoch:  # nothing to select on: the final EMA weights are "best"
            ema.swap(model)
            state["best_epoch"] = epoch + 1
            save_checkpoint(out / BEST, model, labels, epoch=epoch + 1, train_config=asdict(train_config),
                            taxonomy=taxonomy.to_json())
            ema.swap(model)
        state["history"].append(record)
        state["epoch"] = epoch + 1
        _save_last(out / LAST, model, labels, optimizer, scheduler, ema, state, train_config, taxonomy)
        (out / "history.json").write_text(json.dumps(state["history"], indent=1), "utf-8")
        if on_epoch is not None:
            on_epoch(dict(record))
        progress((epoch + 1) / train_config.epochs, f"epoch {epoch + 1}: loss {loss:.3f}"
                 + (f", val mAP {100 * record['val_action_map']:.2f}" if "val_action_map" in record else ""))
        if not improved and epoch + 1 - state["best_epoch"] >= train_config.patience and val_samples:
            stopped_early = True
            break
    return TrainResult(out, state["best_epoch"], state["best_map"], state["epoch"], stopped_early,
                       state["history"])


def _train_epoch(model: Detector, optimizer: torch.optim.Optimizer, scheduler: Any, ema: EMA,
                 samples: Sequence[ClipSample], config: TrainConfig, epoch: int, dev: torch.device,
                 progress: Progress, cancel: CancelToken) -> float:
    generator = torch.Generator().manual_seed(config.seed * 100_003 + epoch)  # same epoch, same batches
    order = torch.randperm(len(samples), generator=generator).tolist()
    model.train()
    losses = []
    window = model.config.window_frames
    steps = math.ceil(len(order) / config.batch_size)
    for step in range(steps):
        cancel.check()
        batch = [samples[i] for i in order[step * config.batch_size : (step + 1) * config.batch_size]]
        starts = [random_window(len(s.frames), window, generator) for s in batch]
        frames, valid, targets = make_batch(batch, starts, model.config)
        targets = [(s.to(dev), lab.to(dev)) for s, lab in targets]
        with autocast_for(dev, config.amp):
            outputs = model(frames.to(dev), valid.to(dev))
        loss = model.loss(outputs[0], outputs[1], outputs[2], targets)["total"]
        optimizer.zero_grad(set_to_none=True)
        torch.autograd.backward(loss)
        torch.nn.utils.clip_grad_norm_([p for p in model.parameters() if p.requires_grad], config.clip_grad)
        optimizer.step()
        scheduler.step()
        ema.update(model)
        losses.append(float(loss.detach()))
        progress((epoch + (step + 1) / steps) / config.epochs, f"epoch {epoch + 1} step {step + 1}/{steps}")
    return float(np.mean(losses))


def _save_last(path: Path, model: Detector, labels: list[str], optimizer: torch.optim.Optimizer,
               scheduler: Any, ema: EMA, state: dict[str, Any], config: TrainConfig, taxonomy: Taxonomy) -> None:
    save_checkpoint(path, model, labels, optimizer=optimizer.state_dict(), scheduler=scheduler.state_dict(),
                    ema={"updates": ema.updates, "shadow": ema.shadow}, train_state=state,
                    train_config=asdict(config), taxonomy=taxonomy.to_json(),
                    rng=torch.get_rng_state())


def _resume(path: Path, model: Detector, optimizer: torch.optim.Optimizer, scheduler: Any, ema: EMA,
            config: ModelConfig) -> dict[str, Any]:
    data = read_checkpoint(path)
    if ModelConfig.from_dict(data["model_config"]) != config:
        raise InputError(str(path), "model_config", "the run folder holds a different model; use a new --out")
    model.load_state_dict(data["state_dict"])
    optimizer.load_state_dict(data["optimizer"])
    scheduler.load_state_dict(data["scheduler"])
    ema.updates = int(data["ema"]["updates"])
    for name, value in data["ema"]["shadow"].items():
        ema.shadow[name].copy_(value)
    torch.set_rng_state(data["rng"])
    state: dict[str, Any] = dict(data["train_state"])
    return state
