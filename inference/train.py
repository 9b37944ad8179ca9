"""Training: AdamW, warm-up + cosine, EMA, a resume point at every finished epoch, early stop on val mAP."""

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
from torch.utils.data import DataLoader

from annotator.errors import InputError
from annotator.formats.records import PredictionRecord
from annotator.progress import NEVER, CancelToken, Progress, no_progress
from annotator.taxonomy import Taxonomy
from inference.backbone import VideoMAE, load_pretrained
from inference.checkpoint import LastCheckpoint, checkpoint_data, read_checkpoint, save_checkpoint
from inference.configs import ModelConfig, TrainConfig
from inference.data import ClipSample
from inference.distributed import (
    Dist,
    current,
    device_for,
    gather_to_main,
    mean_over_ranks,
    share_from_main,
    wrap,
)
from inference.evaluate import RESULT_CAP, EvaluationReport, evaluate
from inference.history import VAL_ACTION_MAP, VAL_ACTION_MAP_05, VAL_BODY_MAP
from inference.loader import TrainWindows, Window, make_loader
from inference.losses import LossNormaliser
from inference.model import Detector
from inference.pose.backbone import PoseEncoder
from inference.precision import autocast_for, make_scaler
from inference.predict import predict_frames

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
    model: Detector | None = None  # the trained weights as they ended (not the EMA)


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
        pairs = [(self.shadow[name], p.detach()) for name, p in model.named_parameters() if name in self.shadow]
        shadows, params = [s for s, _ in pairs], [p for _, p in pairs]
        # two multi-tensor ops instead of two per parameter (the same arithmetic): on a small
        # model on a CPU the per-op cost was 6% of a training step
        torch._foreach_mul_(shadows, d)
        torch._foreach_add_(shadows, params, alpha=1 - d)

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


def _no_decay(name: str, param: torch.nn.Parameter) -> bool:
    """Biases, norm weights and scalar or per-channel scales (OpenTAD's paramwise rule)."""
    return param.ndim <= 1 or name.endswith(".scale")


def param_groups(model: Detector, config: TrainConfig) -> list[dict[str, Any]]:
    """Trainable weights grouped by learning rate (adapters, head, tuned backbone) and by decay."""
    lrs = {"adapter": config.adapter_lr or config.lr, "head": config.lr, "backbone": config.backbone_lr}
    groups: dict[tuple[str, bool], list[torch.nn.Parameter]] = {}
    for name, param in model.named_parameters():
        if not param.requires_grad:
            continue
        part = "adapter" if ".adapter." in name else "backbone" if model.pretrained_weight(name) else "head"
        decay = config.decay_all or not _no_decay(name, param)
        groups.setdefault((part, decay), []).append(param)
    return [{"params": params, "lr": lrs[part], "weight_decay": config.weight_decay if decay else 0.0,
             "name": f"{part}{'' if decay else ' (no decay)'}"}
            for (part, decay), params in sorted(groups.items())]


def make_optimizer(model: Detector, config: TrainConfig) -> torch.optim.AdamW:
    """AdamW over the trainable weights, with the recipe's learning rates and decay groups."""
    # on a CPU one fused kernel for all tensors takes a quarter of the for-each update's time
    # (a tenth of a pose step); the GPU keeps the path its runs were checked with
    on_cpu = all(p.device.type == "cpu" for p in model.parameters())
    return torch.optim.AdamW(param_groups(model, config), lr=config.lr, weight_decay=config.weight_decay,
                             fused=True if on_cpu else None)


def percent_figures(report: EvaluationReport) -> dict[str, float]:
    """The validation figures a history record keeps, in per cent (inference.history's keys say so)."""
    return {VAL_ACTION_MAP: 100 * report.action.average, VAL_BODY_MAP: 100 * report.body.average,
            VAL_ACTION_MAP_05: 100 * report.action.at(0.5)}


def validate(model: Detector, samples: Sequence[ClipSample], taxonomy: Taxonomy,
             dist: Dist = Dist(), max_keep: int = RESULT_CAP) -> EvaluationReport | None:
    """Predict the validation clips (each process its share, at most max_keep detections per clip) and
    evaluate on rank 0 (None elsewhere)."""
    model.eval()
    preds: list[PredictionRecord] = []
    for sample in samples[dist.rank :: dist.world]:
        preds.extend(predict_frames(model, sample.video_id, sample.frames, sample.fps, sample.total_frames,
                                    max_keep=max_keep))
    preds = gather_to_main(preds, dist)
    if not dist.is_main:
        return None
    return evaluate([gt for s in samples for gt in s.ground_truth()], preds, taxonomy)


@dataclass
class _Run:
    """What one training run carries from step to step."""

    model: Detector
    net: torch.nn.Module  # the model, or its DDP wrapper
    optimizer: torch.optim.Optimizer
    scheduler: Any
    ema: EMA
    scaler: torch.amp.GradScaler
    normaliser: LossNormaliser
    dist: Dist
    device: torch.device


def train(model_config: ModelConfig, train_config: TrainConfig, train_samples: Sequence[ClipSample],
          val_samples: Sequence[ClipSample], taxonomy: Taxonomy, out_dir: str | Path, *,
          device: str = "auto", pretrained: str | Path | None = None, resume: bool = True,
          progress: Progress = no_progress, cancel: CancelToken = NEVER,
          on_epoch: Callable[[dict[str, float]], None] | None = None) -> TrainResult:
    """Train the detector; keeps last.pt at the latest finished epoch (LastCheckpoint: written at most
    every `checkpoint_every_s` and whenever the run ends) and best.pt (EMA weights) on a better val mAP.

    on_epoch receives each epoch's record (loss, validation mAP) once the epoch is done; a resumed run
    first replays the records of the epochs already done. Under torchrun every process trains on
    its share of each batch; rank 0 evaluates and writes the files.
    """
    if not train_samples:
        raise InputError(str(out_dir), "training set", "no training clips")
    out = Path(out_dir)
    dist = current(device)
    dev = device_for(dist, pick_device(device))
    if dist.is_main:
        out.mkdir(parents=True, exist_ok=True)
    run = _start(model_config, train_config, train_samples, dist, dev, out, pretrained)
    state: dict[str, Any] = {"epoch": 0, "best_map": -1.0, "best_epoch": 0, "history": []}
    if resume and (out / LAST).is_file():
        state = _resume(out / LAST, run, model_config)
    windows = TrainWindows(train_samples, model_config, train_config.augment, train_config.seed)
    loader = make_loader(windows, train_config, dist.rank, dist.world, pin=dev.type == "cuda")
    last = LastCheckpoint(out / LAST, train_config.checkpoint_every_s)
    if on_epoch is not None:
        for done in state["history"]:
            on_epoch(dict(done))
    try:
        stopped_early = _epochs(run, loader, train_config, val_samples, taxonomy, state, out, last, progress,
                                cancel, on_epoch)
    finally:
        last.flush()  # finished, stopped early or cancelled: resume continues from the last finished epoch
    return TrainResult(out, state["best_epoch"], state["best_map"], state["epoch"], stopped_early,
                       state["history"], run.model)


def _epochs(run: _Run, loader: DataLoader[Window], train_config: TrainConfig, val_samples: Sequence[ClipSample],
            taxonomy: Taxonomy, state: dict[str, Any], out: Path, last: LastCheckpoint, progress: Progress,
            cancel: CancelToken, on_epoch: Callable[[dict[str, float]], None] | None) -> bool:
    """The remaining epochs (state is updated in place); True when validation stopped the run early."""
    dist = run.dist
    for epoch in range(state["epoch"], train_config.epochs):
        loss = _train_epoch(run, loader, train_config, epoch, progress, cancel)
        record: dict[str, float] = {"epoch": epoch + 1, "loss": mean_over_ranks(loss, dist)}
        last_epoch = epoch + 1 == train_config.epochs
        improved = False
        if val_samples and ((epoch + 1) % train_config.eval_every == 0 or last_epoch):
            improved = _validate_epoch(run, val_samples, taxonomy, state, record, epoch, out, train_config)
        elif not val_samples and last_epoch and dist.is_main:  # nothing to select on: the final EMA is "best"
            state["best_epoch"] = epoch + 1
            _save_best(run, out, taxonomy, train_config, epoch, None)
        state["history"].append(record)
        state["epoch"] = epoch + 1
        ranks_rng = gather_to_main([rng_states(run.device)], dist)  # every process draws its own
        if dist.is_main:
            last.keep(_last_data(run, state, train_config, taxonomy, ranks_rng), now=last_epoch)
            (out / "history.json").write_text(json.dumps(state["history"], indent=1), "utf-8")
        state.update(share_from_main(state, dist))
        if on_epoch is not None:
            on_epoch(dict(record))
        progress((epoch + 1) / train_config.epochs, f"epoch {epoch + 1}: loss {record['loss']:.3f}"
                 + (f", val action mAP {record[VAL_ACTION_MAP]:.2f} %" if VAL_ACTION_MAP in record else ""))
        if not improved and epoch + 1 - state["best_epoch"] >= train_config.patience and val_samples:
            return True
    return False


def _start(model_config: ModelConfig, config: TrainConfig, samples: Sequence[ClipSample], dist: Dist,
           dev: torch.device, out: Path, pretrained: str | Path | None) -> _Run:
    """The model (same initial weights in every process), its wrapper, optimiser and schedule."""
    seed_everything(config.seed)
    model = Detector(model_config)
    if pretrained is not None:
        if not isinstance(model.backbone, VideoMAE):
            raise InputError(str(pretrained), None, "pretrained weights are for the VideoMAE backbone, not pose")
        loaded = load_pretrained(model.backbone, pretrained)
        if dist.is_main:
            (out / "pretrained_report.txt").write_text(loaded.summary() + "\n", "utf-8")
    if isinstance(model.backbone, PoseEncoder):  # resume overwrites these with the saved ones
        model.backbone.fit_normalisation([np.asarray(s.frames) for s in samples])
    if dist.world > 1:  # stochastic layers draw differently in each process
        torch.manual_seed(config.seed + 7919 * dist.rank)
    model.to(dev)
    model.backbone.checkpointing = dev.type == "cuda" and config.checkpointing
    optimizer = make_optimizer(model, config)
    per_process = math.ceil(len(samples) / dist.world)
    steps_per_epoch = math.ceil(per_process / config.batch_size)
    total_steps = steps_per_epoch * config.epochs
    warmup = max(1, int(config.warmup_epochs * steps_per_epoch))
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: lr_factor(s, total_steps, warmup))
    return _Run(model, wrap(model, dist, dev), optimizer, scheduler, EMA(model, config.ema_decay),
                make_scaler(dev, config.amp, config.amp_dtype), LossNormaliser(config.loss_normaliser), dist, dev)


def _validate_epoch(run: _Run, samples: Sequence[ClipSample], taxonomy: Taxonomy, state: dict[str, Any],
                    record: dict[str, float], epoch: int, out: Path, config: TrainConfig) -> bool:
    """Evaluate the EMA weights; rank 0 records the figures and keeps best.pt. True when it improved."""
    run.ema.swap(run.model)
    report = validate(run.model, samples, taxonomy, run.dist, config.val_max_keep)
    improved = False
    if report is not None:
        record.update(percent_figures(report))
        if report.action.average > state["best_map"]:
            state["best_map"], state["best_epoch"], improved = report.action.average, epoch + 1, True
            _save_best(run, out, taxonomy, config, epoch, report.to_json())
    run.ema.swap(run.model)
    return bool(share_from_main(improved, run.dist))


def _save_best(run: _Run, out: Path, taxonomy: Taxonomy, config: TrainConfig, epoch: int,
               metrics: dict[str, Any] | None) -> None:
    """best.pt with the EMA weights (the caller has them swapped in, or swaps here)."""
    swap = metrics is None
    if swap:
        run.ema.swap(run.model)
    extra: dict[str, Any] = {"metrics": metrics} if metrics is not None else {}
    save_checkpoint(out / BEST, run.model, taxonomy.action_names, epoch=epoch + 1,
                    train_config=asdict(config), taxonomy=taxonomy.to_json(), **extra)
    if swap:
        run.ema.swap(run.model)


def _train_epoch(run: _Run, loader: DataLoader[Window], config: TrainConfig, epoch: int,
                 progress: Progress, cancel: CancelToken) -> float:
    loader.sampler.set_epoch(epoch)  # type: ignore[attr-defined]
    run.net.train()
    losses = []
    steps = len(loader)
    trainable = [p for p in run.model.parameters() if p.requires_grad]
    for step, (frames, valid, targets) in enumerate(loader):
        cancel.check()
        on_device = [(s.to(run.device), lab.to(run.device)) for s, lab in targets]
        with autocast_for(run.device, config.amp, config.amp_dtype):
            outputs = run.net(frames.to(run.device, non_blocking=True), valid.to(run.device))
        loss = run.model.loss(outputs[0], outputs[1], outputs[2], on_device, run.normaliser)["total"]
        run.optimizer.zero_grad(set_to_none=True)
        scaled: torch.Tensor = run.scaler.scale(loss)
        torch.autograd.backward(scaled)
        run.scaler.unscale_(run.optimizer)
        torch.nn.utils.clip_grad_norm_(trainable, config.clip_grad)
        run.scaler.step(run.optimizer)
        run.scaler.update()
        run.scheduler.step()
        run.ema.update(run.model)
        losses.append(float(loss.detach()))  # its mean over the processes is the global batch's loss
        progress((epoch + (step + 1) / steps) / config.epochs, f"epoch {epoch + 1} step {step + 1}/{steps}")
    return float(np.mean(losses))


def rng_states(device: torch.device) -> dict[str, Any]:
    """The random states resume restores: torch's CPU generator, Python's, and every CUDA device's."""
    states: dict[str, Any] = {"rng": torch.get_rng_state(), "python_rng": random.getstate()}
    if device.type == "cuda":
        states["cuda_rng"] = torch.cuda.get_rng_state_all()
    return states


def restore_rng(data: dict[str, Any]) -> None:
    """Inverse of rng_states (a checkpoint from a GPU run resumed on the CPU skips the CUDA state)."""
    torch.set_rng_state(data["rng"])
    if "python_rng" in data:
        version, internal, gauss = data["python_rng"]
        random.setstate((version, tuple(internal), gauss))
    if "cuda_rng" in data and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(data["cuda_rng"][: torch.cuda.device_count()])


def _last_data(run: _Run, state: dict[str, Any], config: TrainConfig, taxonomy: Taxonomy,
               ranks_rng: list[dict[str, Any]]) -> dict[str, Any]:
    """last.pt's content: weights, optimiser, schedule, EMA, scaler, loss normaliser, progress, and the
    random states: rank 0's at the top level (as older files), every rank's under "ranks_rng"."""
    return checkpoint_data(run.model, taxonomy.action_names, optimizer=run.optimizer.state_dict(),
                           scheduler=run.scheduler.state_dict(),
                           ema={"updates": run.ema.updates, "shadow": run.ema.shadow},
                           train_state=state, train_config=asdict(config), taxonomy=taxonomy.to_json(),
                           scaler=run.scaler.state_dict(), normaliser=run.normaliser.state_dict(),
                           ranks_rng=ranks_rng, **rng_states(run.device))


def _resume(path: Path, run: _Run, config: ModelConfig) -> dict[str, Any]:
    data = read_checkpoint(path)
    if ModelConfig.from_dict(data["model_config"]) != config:
        raise InputError(str(path), "model_config", "the run folder holds a different model; use a new --out")
    run.model.load_state_dict(data["state_dict"])
    run.optimizer.load_state_dict(data["optimizer"])
    run.scheduler.load_state_dict(data["scheduler"])
    run.ema.updates = int(data["ema"]["updates"])
    for name, value in data["ema"]["shadow"].items():
        run.ema.shadow[name].copy_(value)
    if data.get("scaler"):
        run.scaler.load_state_dict(data["scaler"])
    if "normaliser" in data:
        run.normaliser.load_state_dict(data["normaliser"])
    ranks = data.get("ranks_rng") or []
    restore_rng(ranks[run.dist.rank] if run.dist.rank < len(ranks) else data)  # older files: rank 0's for all
    state: dict[str, Any] = dict(data["train_state"])
    return state
