"""The model pipeline: train a version of a project, or register a run trained elsewhere.

Pure functions with `progress` and `cancel`, shared by the window's worker process and the CLI
(`mmad train PROJECT`, `mmad models PROJECT --add RUN_DIR`); they import torch through
`inference`, inside the functions. A run reads the data `mmad export` would write (the finalised
merge once any clip is final, else the imported ground truth) unless told another source, is
refused when that data is too small to train a model worth proposing with (unless told to train
anyway), and is registered as a new version that becomes the active one only when its
validation AVG mAP is at least the active version's. Neither writes the store.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from annotator.errors import InputError
from annotator.formats.records import AnnotationSet
from annotator.model import Subset
from annotator.models_registry import ModelVersion, Scores, load_registry, register_version, version_dir
from annotator.progress import NEVER, CancelToken, Progress, no_progress
from annotator.project import Project
from annotator.training_data import (
    TrainingData,
    fingerprint,
    longest_clip,
    refusal,
    subset_counts,
    training_data,
)
from app.model_loop.records import TrainOutcome, TrainSpec

OnEpoch = Callable[[dict[str, float]], None]
Say = Callable[[str], None]
POSE = "pose"  # MediaPipe landmarks, cached in the project: the CPU path (docs/ARCHITECTURE.md)
BACKBONES = {POSE: POSE, "videomae-tiny": "tiny", "videomae-vit-s": "vit-s", "videomae-vit-b": "vit-b",
             "videomae-vit-l": "vit-l"}
DEFAULT_BACKBONE = POSE
RUN_DATA = "data.json"  # in a run folder: what the run trained on (source, fingerprint, counts)


def _quiet(_line: str) -> None:
    """The default `say`: nothing to print."""


def backbone_name(kind: str, config_name: str) -> str:
    """The registry's name of a backbone: pose, or videomae-<config>."""
    return POSE if kind == POSE else f"videomae-{config_name}"


def data_line(data: TrainingData) -> str:
    """Which source a run reads and its clips per subset, as printed at the start of a run."""
    counts = ", ".join(f"{sub} {data.clips.get(str(sub), 0)} clips / {data.instances.get(str(sub), 0)} instances"
                       for sub in Subset)
    return f"training data: source {data.source} (as mmad export writes it), {counts} · #{data.fingerprint}"


def prepare(spec: TrainSpec) -> tuple[Project, TrainingData, Any, Any]:
    """The project, its training data and the run's (model, train) configs; InputError when refused."""
    from inference.recipe import ModelChoice, schedule, training_configs

    if spec.backbone not in BACKBONES:
        raise InputError("backbone", None, f"unknown backbone {spec.backbone!r} (known: {', '.join(BACKBONES)})")
    project = Project.open(spec.project)
    choice = ModelChoice(backbone=POSE if spec.backbone == POSE else "videomae", config=BACKBONES[spec.backbone],
                         adapter=spec.adapter, recipe=spec.recipe, dsta_variant=spec.dsta_variant,
                         pyramid=spec.pyramid, window=spec.window, pretrained=spec.pretrained,
                         random_backbone=spec.random_backbone)
    train = schedule(spec.epochs, spec.batch_size, spec.seed, spec.workers)
    training_configs(choice, len(project.taxonomy.actions), train)  # a choice that cannot train: before the data
    store = project.open_store()
    try:
        data = training_data(project, store, spec.source)
    finally:
        store.close()
    guards = spec.guards
    reason = refusal(data, guards.min_train_clips, guards.min_train_instances, guards.need_val)
    if reason is not None and not guards.train_anyway:
        raise InputError(str(project.path), f"source {data.source}", f"training refused: {reason} (train anyway: "
                         "--train-anyway, or the dialog's Train anyway)")
    model_config, train_config = training_configs(choice, len(project.taxonomy.actions), train, longest_clip(data),
                                                  spec.lr)
    return project, data, model_config, train_config


def train_version(spec: TrainSpec, progress: Progress = no_progress, cancel: CancelToken = NEVER, *,
                  on_epoch: OnEpoch | None = None, say: Say = _quiet) -> TrainOutcome:
    """Train on the project's stored split, evaluate on val and test on the training device, calibrate,
    register (active only when not worse than the active version)."""
    from inference.distributed import current, main_first
    from inference.train import train

    project, data, config, train_config = prepare(spec)  # bad settings and refusals: before any work
    say(data_line(data))
    number = spec.number or load_registry(project.path).next_number()
    out = Path(spec.out) if spec.out else version_dir(project.path, number)
    dist = current(spec.device)
    if dist.is_main:
        out.mkdir(parents=True, exist_ok=True)
        write_run_data(out, data.source, data.annotations)
    progress(0.0, f"decoding {data.clips.get('train', 0)} training clips")
    with main_first(dist):  # rank 0 fills the frame cache, the others then read it
        train_samples = _samples(project, data, config, Subset.TRAIN, spec, cancel, training=train_config.augment)
        val_samples = _samples(project, data, config, Subset.VAL, spec, cancel)
    result = train(config, train_config, train_samples, val_samples, project.taxonomy, out, device=spec.device,
                   pretrained=spec.pretrained, resume=spec.resume, progress=progress, cancel=cancel,
                   on_epoch=on_epoch)
    if not dist.is_main:
        return TrainOutcome({}, False, "not the main process", result.epochs_run, result.stopped_early)
    progress(1.0, "evaluating on validation and test")
    best = _into_registry(project.path, out, number)
    version = _version(project, data, config, best, number, result.epochs_run, spec.device, cancel,
                       (train_samples, val_samples), spec)
    entry, activated, why = register_version(project.path, version)
    return TrainOutcome(entry.to_json(), activated, why, result.epochs_run, result.stopped_early)


def add_run(project_path: str | Path, run_dir: str | Path, device: str = "cpu",
            cancel: CancelToken = NEVER) -> TrainOutcome:
    """Register a run trained elsewhere (`mmad train --data … --out RUN_DIR`): its best.pt, checked against
    the project's taxonomy, evaluated on the project's val and test clips, with the data fingerprint
    the run recorded (RUN_DIR/data.json)."""
    from inference.checkpoint import read_checkpoint
    from inference.configs import ModelConfig

    project = Project.open(project_path)
    run = Path(run_dir)
    best = run / "best.pt"
    if not best.is_file():
        raise InputError(str(best), None, "no best.pt in this run folder (train it to its end first)")
    saved = read_checkpoint(best)
    if list(saved["labels"]) != project.taxonomy.action_names:
        raise InputError(str(best), "labels", f"trained on other labels than the project's taxonomy "
                                              f"{project.taxonomy.name}")
    config = ModelConfig.from_dict(saved["model_config"])
    store = project.open_store()
    try:
        data = training_data(project, store, None)
    finally:
        store.close()
    trained_on = read_run_data(run)
    number = load_registry(project.path).next_number()
    copied = _into_registry(project.path, run, number)
    spec = TrainSpec(project=str(project.path), device=device)
    version = _version(project, data, config, copied, number, int(saved.get("epoch", 0)), device, cancel, None, spec)
    version = replace(version, source=str(trained_on.get("source", "external")),
                      fingerprint=str(trained_on.get("fingerprint", "")),
                      clips=dict(trained_on.get("clips", {})), instances=dict(trained_on.get("instances", {})))
    entry, activated, why = register_version(project.path, version)
    return TrainOutcome(entry.to_json(), activated, why, version.epochs)


def write_run_data(out: Path, source: str, aset: AnnotationSet) -> None:
    """RUN_DIR/data.json: the source, fingerprint and counts a run trains on (read by add_run)."""
    clips, instances = subset_counts(aset)
    record = {"source": source, "fingerprint": fingerprint(aset), "clips": clips, "instances": instances}
    (out / RUN_DATA).write_text(json.dumps(record, indent=1), "utf-8")


def read_run_data(run: Path) -> dict[str, Any]:
    """What write_run_data wrote (empty for a run that did not record it)."""
    path = run / RUN_DATA
    if not path.is_file():
        return {}
    try:
        loaded = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(str(path), None, f"not a run's data record: {exc}") from None
    return loaded if isinstance(loaded, dict) else {}


def _into_registry(project: Path, out: Path, number: int) -> Path:
    """The run's best.pt inside the project's version folder (copied there from a run folder elsewhere)."""
    home = version_dir(project, number)
    best = out / "best.pt"
    if out.resolve() != home.resolve():
        home.mkdir(parents=True, exist_ok=True)
        for name in ("best.pt", "history.json", RUN_DATA):
            if (out / name).is_file():
                shutil.copy2(out / name, home / name)
    return home / "best.pt" if best.is_file() else best


def _samples(project: Project, data: TrainingData, config: Any, subset: Subset, spec: TrainSpec,
             cancel: CancelToken, training: bool = False) -> list[Any]:
    from inference.data import load_samples
    from inference.pose.data import load_pose_samples

    ids = data.ids(subset)
    if config.backbone.kind == POSE:  # landmarks shared with the app and `mmad pose` in PROJECT/pose
        return load_pose_samples(data.annotations, data.media, config, ids, project.path, cancel=cancel)
    return load_samples(data.annotations, data.media, config, ids, cancel=cancel, cache_dir=spec.cache_dir,
                        training=training)


def _scores(report: Any) -> Scores:
    return Scores(report.action.average, report.body.average, report.avg)


def _version(project: Project, data: TrainingData, config: Any, best: Path, number: int, epochs: int,
             device: str, cancel: CancelToken, samples: tuple[list[Any], list[Any]] | None,
             spec: TrainSpec) -> ModelVersion:
    """The registry entry of a checkpoint: val and test figures on the training device, calibrated threshold."""
    from inference.calibration import calibrate
    from inference.checkpoint import load_detector
    from inference.evaluate import evaluate
    from inference.predict import model_version, predict_frames
    from inference.train import pick_device

    model, _, _ = load_detector(best, pick_device(device))

    def detections(group: list[Any]) -> tuple[list[Any], list[Any]]:
        gts, preds = [], []
        for s in group:
            cancel.check()
            preds.extend(predict_frames(model, s.video_id, s.frames, s.fps, s.total_frames))
            gts.extend(s.ground_truth())
        return gts, preds

    train_samples, val_samples = samples if samples is not None else (
        [], _samples(project, data, config, Subset.VAL, spec, cancel))
    val_run = detections(val_samples)
    val = _scores(evaluate(*val_run, project.taxonomy)) if val_samples else None
    # best F1 on val; with no hit there, on train; else a bounded count per clip (inference/calibration.py)
    calibration = calibrate([*([("val", lambda: val_run)] if val_samples else []),
                             *([("train", lambda: detections(train_samples))] if train_samples else [])])
    test_samples = _samples(project, data, config, Subset.TEST, spec, cancel)
    test = _scores(evaluate(*detections(test_samples), project.taxonomy)) if test_samples else None
    return ModelVersion(
        number=number, name=model_version(best, config.name, config.adapter.kind),
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        checkpoint=str(best.relative_to(project.path)), backbone=backbone_name(config.backbone.kind, config.name),
        adapter="-" if config.backbone.kind == POSE else config.adapter.kind, source=data.source,
        clips=dict(data.clips), instances=dict(data.instances), fingerprint=data.fingerprint, epochs=epochs,
        val=val, test=test, threshold=calibration.threshold, threshold_f1=calibration.f1,
        threshold_basis=calibration.basis)
