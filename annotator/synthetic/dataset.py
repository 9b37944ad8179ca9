"""Many synthetic clips with exact ground truth: schedule instances, render, write the CSV."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from annotator.errors import InputError
from annotator.formats import write_annotations
from annotator.formats.common import count_same_action_overlaps
from annotator.formats.records import AnnotationSet, InstanceRecord, VideoRecord
from annotator.progress import CancelToken, Progress, no_progress
from annotator.synthetic.actions import MOTIONS, InstanceSpec
from annotator.synthetic.figure import SubjectLook, make_look
from annotator.synthetic.render import ClipSpec, render_clip
from annotator.taxonomy import load_taxonomy

SUPPORTED_ACTIONS: tuple[int, ...] = tuple(sorted(MOTIONS))
GROUND_TRUTH_FILE = "ground_truth.csv"
FPS_CHOICES = (30.0, 29.0)
SHARE_29_FPS = 0.25
MEAN_INSTANCES = 3.0  # MMA-52 averages about 3 instances per clip
SHORT_SHARE = 0.13  # share of instances under 1 s
REST_GAP_SECONDS = 0.2  # a limb rests this long between two instances that use it
MIN_INSTANCE_SECONDS = 0.3  # shortest generated instance (the rules allow 0.2 s)


def subject_name(index: int) -> str:
    """The subject id of the index-th subject (0-based): "S01", "S02", ..."""
    return f"S{index + 1:02d}"


def video_name(subject: str, clip_index: int, camera: str) -> str:
    """An MMA-52-style video id, subject first: S03_01_0002_L."""
    return f"{subject}_{1 + clip_index // 10:02d}_{clip_index + 1:04d}_{camera}"


def _free(busy: dict[str, list[tuple[int, int]]], resources: frozenset[str], start: int, end: int,
          gap: int) -> bool:
    return all(end + gap < s or start > e + gap for r in resources for s, e in busy.get(r, []))


def _length_frames(rng: np.random.Generator, action: int, fps: float, n_frames: int) -> int:
    low, high = MOTIONS[action].seconds
    if rng.random() < SHORT_SHARE:
        low, high = MIN_INSTANCE_SECONDS, 0.95
    seconds = math.exp(rng.uniform(math.log(low), math.log(high)))
    minimum = math.ceil(MIN_INSTANCE_SECONDS * fps) + 1
    return int(min(n_frames, max(minimum, round(seconds * fps))))


def schedule_instances(rng: np.random.Generator, n_frames: int, fps: float,
                       actions: Sequence[int]) -> tuple[InstanceSpec, ...]:
    """Instances for one clip: ~3 on average, overlapping across body parts, never two on one limb at once."""
    wanted = max(1, min(6, int(rng.poisson(MEAN_INSTANCES - 1)) + 1))
    busy: dict[str, list[tuple[int, int]]] = {}
    gap = round(REST_GAP_SECONDS * fps)
    chosen: list[InstanceSpec] = []
    for _ in range(wanted * 12):
        if len(chosen) == wanted:
            break
        action = int(actions[int(rng.integers(len(actions)))])
        length = _length_frames(rng, action, fps, n_frames)
        if chosen and rng.random() < 0.6:  # start inside an earlier instance so they overlap
            other = chosen[int(rng.integers(len(chosen)))]
            start = int(rng.integers(other.start_frame, other.end_frame + 1))
        else:
            start = int(rng.integers(0, n_frames - length + 1))
        start = min(start, n_frames - length)
        end = start + length - 1
        resources = MOTIONS[action].resources
        if not _free(busy, resources, start, end, gap):
            continue
        for r in resources:
            busy.setdefault(r, []).append((start, end))
        chosen.append(InstanceSpec(action, start, end, amplitude=float(rng.uniform(0.75, 1.25)),
                                   frequency=float(rng.uniform(0.8, 1.25)), sign=float(rng.choice((-1.0, 1.0)))))
    return tuple(sorted(chosen, key=lambda i: (i.start_frame, i.end_frame, i.action_id)))


def _check_request(subjects: int, clips_per_subject: int, size: tuple[int, int], actions: Sequence[int],
                   seconds: tuple[float, float]) -> None:
    if subjects < 1 or clips_per_subject < 1:
        raise InputError("generate_dataset", "subjects/clips_per_subject", "need at least one of each")
    if len(size) != 2 or min(size) < 16 or size[0] % 2 or size[1] % 2:
        raise InputError("generate_dataset", "size", f"{size!r}: width and height must be even and >= 16")
    unknown = [a for a in actions if a not in MOTIONS]
    if unknown or not actions:
        raise InputError("generate_dataset", "actions",
                         f"cannot render {unknown or 'an empty list'}; supported: {list(SUPPORTED_ACTIONS)}")
    if not 0.5 <= seconds[0] <= seconds[1]:
        raise InputError("generate_dataset", "seconds", f"{seconds!r}: need 0.5 <= low <= high")


def plan_dataset(subjects: int, clips_per_subject: int, seed: int = 0, size: tuple[int, int] = (320, 240), *,
                 actions: Sequence[int] | None = None,
                 seconds: tuple[float, float] = (5.0, 15.0)) -> list[ClipSpec]:
    """The specs of every clip (nothing rendered); deterministic for the seed."""
    acts = tuple(SUPPORTED_ACTIONS if actions is None else actions)
    _check_request(subjects, clips_per_subject, size, acts, seconds)
    specs: list[ClipSpec] = []
    for s in range(subjects):
        look: SubjectLook = make_look(np.random.default_rng([seed, s, 0]))
        subject = subject_name(s)
        for c in range(clips_per_subject):
            rng = np.random.default_rng([seed, s, c + 1])
            fps = FPS_CHOICES[1] if rng.random() < SHARE_29_FPS else FPS_CHOICES[0]
            n_frames = max(2, round(rng.uniform(seconds[0], seconds[1]) * fps))
            name = video_name(subject, c, "L" if rng.random() < 0.5 else "R")
            specs.append(ClipSpec(name, subject, look, fps, n_frames, size[0], size[1],
                                  schedule_instances(rng, n_frames, fps, acts), seed=int(rng.integers(2**31))))
    return specs


def ground_truth(specs: Sequence[ClipSpec]) -> AnnotationSet:
    """The exact ground truth of these clips as an AnnotationSet (instances in clip order)."""
    aset = AnnotationSet()
    for spec in specs:
        aset.videos[spec.video_id] = VideoRecord(spec.video_id, spec.fps, spec.frame_count, subject=spec.subject)
        aset.instances.extend(InstanceRecord(spec.video_id, i.start_frame, i.end_frame, i.action_id)
                              for i in spec.instances)
    aset.same_action_overlaps = count_same_action_overlaps(aset.instances)
    return aset


def render_dataset(out_dir: Path, specs: Sequence[ClipSpec], progress: Progress = no_progress,
                   cancel: CancelToken | None = None) -> None:
    """Render every spec to <out_dir>/<video_id>.mp4."""
    for k, spec in enumerate(specs):
        if cancel is not None:
            cancel.check()
        progress(k / len(specs), f"rendering {spec.video_id}")
        render_clip(out_dir / f"{spec.video_id}.mp4", spec)
    progress(1.0, f"rendered {len(specs)} clips")


def generate_dataset(out_dir: Path, subjects: int, clips_per_subject: int, seed: int = 0,
                     size: tuple[int, int] = (320, 240), *, actions: Sequence[int] | None = None,
                     seconds: tuple[float, float] = (5.0, 15.0), progress: Progress = no_progress,
                     cancel: CancelToken | None = None) -> AnnotationSet:
    """Render subjects × clips_per_subject clips into out_dir and write ground_truth.csv (official CSV)."""
    out_dir = Path(out_dir)
    specs = plan_dataset(subjects, clips_per_subject, seed, size, actions=actions, seconds=seconds)
    out_dir.mkdir(parents=True, exist_ok=True)
    render_dataset(out_dir, specs, progress, cancel)
    truth = ground_truth(specs)
    write_annotations(truth, out_dir / GROUND_TRUTH_FILE, "mma52-csv", load_taxonomy("mma52"))
    return truth
