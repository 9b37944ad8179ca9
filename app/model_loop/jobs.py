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
POSE = "pose"  # MediaPipe landmarks, cached in the project: the CPU path (docs/ARCHITECTURE.md)
BACKBONES = {POSE: POSE, "videomae-tiny": "tiny", "videomae-vit-s": "vit-s", "videomae-vit-b": "vit-b"}
DEFAULT_BACKBONE = POSE
POSE_LR = 1e-3  # as `mmad train --backbone pose`: the RGB recipes tune a ViT, not this small net
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
    pose_cache = Path(job["project"]) if job.get("project") else None  # landmarks kept in PROJECT/pose
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
                               max_keep=PROPOSAL_CAP,  # proposals shown in the app: the small cap
                               pose_cache=pose_cache)
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
    backbone = job.get("backbone") or DEFAULT_BACKBONE
    config, train_config = _configs(job, backbone, len(project.taxonomy.actions))  # bad settings: before any work
    store = project.open_store()
    try:
        data = training_data(project, store, job.get("source"))
    finally:
        store.close()
    number = int(job.get("number") or load_registry(project.path).next_number())
    out = version_dir(project.path, number)
    emit("progress", fraction=0.0, message=f"decoding {data.clips.get('train', 0)} training clips")
    train_samples, val_samples = (_samples(project, data, config, s, emit, cancel) for s in (Subset.TRAIN, Subset.VAL))
    result = train(config, train_config, train_samples, val_samples, project.taxonomy, out,
                   device=job.get("device", "cpu"), pretrained=job.get("weights") or None,
                   progress=lambda f, m: emit("progress", fraction=f, message=m), cancel=cancel,
                   on_epoch=lambda record: emit("epoch", record=record))
    emit("progress", fraction=1.0, message="evaluating on validation and test")
    version = _register(project, data, job, backbone, config, number, out, result.epochs_run,
                        (train_samples, val_samples), cancel, emit)
    return {"version": version.to_json()}


def _configs(job: dict[str, Any], backbone: str, classes: int) -> tuple[Any, Any]:
    from inference.configs import TrainConfig, pose_preset, preset

    if backbone not in BACKBONES:
        raise InputError("backbone", None, f"unknown backbone {backbone!r} (known: {', '.join(BACKBONES)})")
    epochs = int(job.get("epochs", 10))
    train_config = replace(TrainConfig(), epochs=epochs, seed=int(job.get("seed", 0)),
                           warmup_epochs=min(2.0, max(epochs / 4, 0.25)))
    if backbone == POSE:
        if job.get("weights"):
            raise InputError(str(job["weights"]), None, "pretrained weights are for a VideoMAE backbone, not pose")
        return pose_preset(num_classes=classes), replace(train_config, lr=POSE_LR)
    return preset(BACKBONES[backbone], job.get("adapter") or "dsta", num_classes=classes), train_config


def _samples(project: Project, data: TrainingData, config: Any, subset: Subset, emit: Emit,
             cancel: CancelToken) -> list[Any]:
    from inference.data import load_samples
    from inference.pose.data import load_pose_samples

    ids = data.ids(subset)

    def progress(fraction: float, message: str) -> None:
        emit("progress", fraction=0.0, message=f"{subset}: {message}")

    if config.backbone.kind == POSE:  # landmarks shared with the app and `mmad pose` in PROJECT/pose
        return load_pose_samples(data.annotations, data.media, config, ids, project.path, progress, cancel)
    return load_samples(data.annotations, data.media, config, ids, cancel=cancel, progress=progress)


def _scores(report: Any) -> Scores:
    return Scores(report.action.average, report.body.average, report.avg)


def _register(project: Project, data: TrainingData, job: dict[str, Any], backbone: str, config: Any, number: int,
              out: Path, epochs: int, samples: tuple[list[Any], list[Any]], cancel: CancelToken,
              emit: Emit) -> ModelVersion:
    from inference.calibration import calibrate
    from inference.checkpoint import load_detector
    from inference.evaluate import evaluate
    from inference.predict import model_version, predict_frames

    best = out / "best.pt"
    model, _, _ = load_detector(best, "cpu")

    def detections(samples: list[Any]) -> tuple[list[Any], list[Any]]:
        gts, preds = [], []
        for s in samples:
            cancel.check()
            preds.extend(predict_frames(model, s.video_id, s.frames, s.fps, s.total_frames))
            gts.extend(s.ground_truth())
        return gts, preds

    train_samples, val_samples = samples
    val_run = detections(val_samples)
    val = _scores(evaluate(*val_run, project.taxonomy)) if val_samples else None
    # best F1 on val; with no hit there, on train; else a bounded count per clip (inference/calibration.py)
    calibration = calibrate([*([("val", lambda: val_run)] if val_samples else []),
                             ("train", lambda: detections(train_samples))])
    test_samples = _samples(project, data, config, Subset.TEST, emit, cancel)
    test = _scores(evaluate(*detections(test_samples), project.taxonomy)) if test_samples else None
    version = ModelVersion(
        number=number, name=model_version(best, config.name, config.adapter.kind),
        created=datetime.now(UTC).isoformat(timespec="seconds"), checkpoint=str(best.relative_to(project.path)),
        backbone=backbone, adapter="-" if backbone == POSE else config.adapter.kind, source=data.source,
        clips=dict(data.clips),
        fingerprint=data.fingerprint, epochs=epochs, val=val, test=test, threshold=calibration.threshold,
        threshold_f1=calibration.f1, threshold_basis=calibration.basis)
    add_version(project.path, version, activate=bool(job.get("activate", True)))
    return version
