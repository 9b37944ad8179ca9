"""The two jobs a worker process runs: propose for clips, and train a new model version.

Pure functions with `emit` (a message to the window) and `cancel`; they import torch through
`inference`, so only the worker process imports this module. Neither writes the store: the
window stores proposals itself once a job has succeeded, so a failed or killed worker leaves
the store as it was. A training run writes only its version folder and, at its very end, the
registry entry.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from annotator.errors import InputError
from annotator.model import Clip, Subset
from annotator.models_registry import (
    DEFAULT_THRESHOLD,
    ModelVersion,
    Scores,
    add_version,
    load_registry,
    version_dir,
)
from annotator.progress import CancelToken
from annotator.project import Project
from annotator.rules import min_length_frames
from annotator.training_data import TrainingData, training_data

Emit = Callable[..., None]  # emit(kind, **data)
BACKBONES = {"videomae-tiny": "tiny", "videomae-vit-s": "vit-s", "videomae-vit-b": "vit-b"}
DEFAULT_BACKBONE = "videomae-tiny"
PROPOSAL_FLOOR = 0.001  # proposals below this score are not kept (the lane's threshold starts far above)
PROPOSALS_PER_CLIP = 100


@dataclass(frozen=True)
class ClipJob:
    """A clip to propose for, as the worker needs it (no store access in the worker)."""

    id: int
    name: str
    fps: float
    frame_count: int
    media: str


def clip_job(clip: Clip, media: Path) -> dict[str, Any]:
    """The job entry of one clip."""
    return {"id": clip.id, "name": clip.name, "fps": clip.fps, "frame_count": clip.frame_count, "media": str(media)}


def propose(job: dict[str, Any], emit: Emit, cancel: CancelToken) -> dict[str, Any]:
    """Detections of a version's checkpoint on each clip, as proposals in the clip's frames."""
    from inference.checkpoint import load_detector
    from inference.predict import PROPOSAL_CAP, predict_videos, to_proposals
    from inference.train import pick_device

    clips = [ClipJob(**c) for c in job["clips"]]
    emit("progress", fraction=0.0, message=f"loading model {job['version']}")
    model, _labels, _ = load_detector(job["checkpoint"], pick_device(job.get("device", "cpu")))
    out: dict[str, list[list[float]]] = {}
    started = time.perf_counter()
    for i, c in enumerate(clips):
        cancel.check()
        if not Path(c.media).is_file():
            raise InputError(c.media, f"clip {c.name}", "video file not found")

        def step(fraction: float, message: str, i: int = i, name: str = c.name) -> None:
            emit("progress", fraction=(i + fraction) / len(clips), message=f"{name}: {message}")

        preds = predict_videos(model, {c.name: Path(c.media)}, progress=step, cancel=cancel,
                               max_keep=PROPOSAL_CAP)  # proposals shown in the app: the small cap
        clip = Clip(c.id, c.name, "", c.fps, c.frame_count)
        shortest = min_length_frames(c.fps)  # a shorter proposal could not be accepted as a segment
        found = sorted((p for p in to_proposals(preds, clip, job["version"], PROPOSAL_FLOOR)
                        if p.end_frame - p.start_frame >= shortest), key=lambda p: -p.score)
        out[str(c.id)] = [[p.start_frame, p.end_frame, p.action_id, round(p.score, 4)]
                          for p in found[:PROPOSALS_PER_CLIP]]
    emit("progress", fraction=1.0, message="proposals ready")
    return {"version": job["version"], "proposals": out, "seconds": time.perf_counter() - started}


def train_version(job: dict[str, Any], emit: Emit, cancel: CancelToken) -> dict[str, Any]:
    """Train on the project's stored split, evaluate on val and test, calibrate, register."""
    from inference.train import train

    project = Project.open(job["project"])
    store = project.open_store()
    try:
        data = training_data(project, store, job.get("source"))
    finally:
        store.close()
    backbone = job.get("backbone", DEFAULT_BACKBONE)
    number = int(job.get("number") or load_registry(project.path).next_number())
    out = version_dir(project.path, number)
    config, train_config = _configs(job, backbone, len(project.taxonomy.actions))
    emit("progress", fraction=0.0, message=f"decoding {data.clips.get('train', 0)} training clips")
    train_samples, val_samples = (_samples(data, config, s, emit, cancel) for s in (Subset.TRAIN, Subset.VAL))
    result = train(config, train_config, train_samples, val_samples, project.taxonomy, out,
                   device=job.get("device", "cpu"), pretrained=job.get("weights") or None,
                   progress=lambda f, m: emit("progress", fraction=f, message=m), cancel=cancel,
                   on_epoch=lambda record: emit("epoch", record=record))
    emit("progress", fraction=1.0, message="evaluating on validation and test")
    version = _register(project, data, job, backbone, config, number, out, result.epochs_run, val_samples, cancel, emit)
    return {"version": version.to_json()}


def _configs(job: dict[str, Any], backbone: str, classes: int) -> tuple[Any, Any]:
    from inference.configs import TrainConfig, preset

    if backbone not in BACKBONES:
        raise InputError("backbone", None, f"unknown backbone {backbone!r} (known: {', '.join(BACKBONES)})")
    config = preset(BACKBONES[backbone], job.get("adapter", "dsta"), num_classes=classes)
    epochs = int(job.get("epochs", 10))
    return config, replace(TrainConfig(), epochs=epochs, seed=int(job.get("seed", 0)),
                           warmup_epochs=min(2.0, max(epochs / 4, 0.25)))


def _samples(data: TrainingData, config: Any, subset: Subset, emit: Emit, cancel: CancelToken) -> list[Any]:
    from inference.data import load_samples

    ids = data.ids(subset)
    return load_samples(data.annotations, data.media, config, ids, cancel=cancel,
                        progress=lambda f, m: emit("progress", fraction=0.0, message=f"{subset}: {m}"))


def _scores(report: Any) -> Scores:
    return Scores(report.action.average, report.body.average, report.avg)


def _register(project: Project, data: TrainingData, job: dict[str, Any], backbone: str, config: Any, number: int,
              out: Path, epochs: int, val_samples: list[Any], cancel: CancelToken, emit: Emit) -> ModelVersion:
    from inference.calibration import calibrate_threshold
    from inference.checkpoint import load_detector
    from inference.evaluate import evaluate
    from inference.predict import model_version, predict_frames

    best = out / "best.pt"
    model, _, _ = load_detector(best, "cpu")

    def run(samples: list[Any]) -> tuple[Any, list[Any], list[Any]]:
        preds, gts = [], []
        for s in samples:
            cancel.check()
            preds.extend(predict_frames(model, s.video_id, s.frames, s.fps, s.total_frames))
            gts.extend(s.ground_truth())
        return evaluate(gts, preds, project.taxonomy), preds, gts

    val = test = None
    threshold, f1 = DEFAULT_THRESHOLD, None
    if val_samples:
        report, preds, gts = run(val_samples)
        val = _scores(report)
        threshold, f1 = calibrate_threshold(gts, preds)
    test_samples = _samples(data, config, Subset.TEST, emit, cancel)
    if test_samples:
        test = _scores(run(test_samples)[0])
    version = ModelVersion(
        number=number, name=model_version(best, config.name, config.adapter.kind),
        created=datetime.now(UTC).isoformat(timespec="seconds"), checkpoint=str(best.relative_to(project.path)),
        backbone=backbone, adapter=config.adapter.kind, source=data.source, clips=dict(data.clips),
        fingerprint=data.fingerprint, epochs=epochs, val=val, test=test, threshold=threshold, threshold_f1=f1)
    add_version(project.path, version, activate=bool(job.get("activate", True)))
    return version
