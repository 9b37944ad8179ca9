"""Proposals of a model version for clips: one filter and one function for the window and the CLI.

`propose_clips` is what the window's worker and `mmad predict --store` both call; it takes a
plain list of clips, so a caller may split the clips into shards and call it once per shard.
Detections are made with OpenTAD's result-file cap and only then filtered, so the proposals of
a clip do not depend on whether the caller also writes a result file. torch is imported inside.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from annotator.errors import InputError
from annotator.formats.records import PredictionRecord
from annotator.model import MIN_SEGMENT_SECONDS, Clip
from annotator.progress import NEVER, CancelToken, Progress, no_progress
from annotator.rules import min_length_frames
from app.model_loop.records import ClipRef, ProposeResult, Row


@dataclass(frozen=True)
class ProposalFilter:
    """Which detections become a clip's proposals: the best `per_clip`, at least `min_seconds` long,
    scoring at least `floor` (the lane's threshold starts far above it)."""

    per_clip: int = 100
    min_seconds: float = MIN_SEGMENT_SECONDS  # a shorter proposal could not be accepted as a segment
    floor: float = 0.001


PROPOSALS = ProposalFilter()  # the one setting the window and `mmad predict --store` share


def clip_ref(clip: Clip, media: Path) -> ClipRef:
    """The job entry of one clip."""
    return ClipRef(clip.id, clip.name, clip.fps, clip.frame_count, str(media))


def proposals_from(preds: Sequence[PredictionRecord], clip: ClipRef, keep: ProposalFilter = PROPOSALS) -> list[Row]:
    """One clip's proposals from its detections (seconds), in its frames, best first."""
    shortest = min_length_frames(clip.fps, keep.min_seconds)
    rows: list[Row] = []
    for p in sorted((p for p in preds if p.video_id == clip.name), key=lambda p: -p.score):
        if p.score < keep.floor:
            break
        start = max(0, round(p.t_start * clip.fps))
        end = min(clip.frame_count - 1, round(p.t_end * clip.fps))
        if end - start >= shortest:
            rows.append((start, end, p.action_id, round(p.score, 4)))
            if len(rows) == keep.per_clip:
                break
    return rows


def propose_clips(checkpoint: str | Path, version: str, clips: Sequence[ClipRef], *, device: str = "cpu",
                  pose_cache: Path | None = None, keep: ProposalFilter = PROPOSALS,
                  progress: Progress = no_progress, cancel: CancelToken = NEVER) -> ProposeResult:
    """Run a checkpoint on each clip's video and keep its proposals (InputError for a missing video)."""
    from inference.checkpoint import load_detector
    from inference.train import pick_device

    progress(0.0, f"loading model {version}")
    model, _labels, _ = load_detector(checkpoint, pick_device(device))
    started = time.perf_counter()
    out: dict[int, list[Row]] = {}
    for i, clip in enumerate(clips):
        cancel.check()
        if not Path(clip.media).is_file():
            raise InputError(clip.media, f"clip {clip.name}", "video file not found")
        preds = detections(model, clip, pose_cache, _share(progress, i, len(clips), clip.name), cancel)
        out[clip.id] = proposals_from(preds, clip, keep)
    progress(1.0, "proposals ready")
    return ProposeResult(version, out, time.perf_counter() - started)


def detections(model: object, clip: ClipRef, pose_cache: Path | None, progress: Progress = no_progress,
               cancel: CancelToken = NEVER) -> list[PredictionRecord]:
    """A loaded detector's detections on one clip, at OpenTAD's result-file cap."""
    from inference.evaluate import RESULT_CAP
    from inference.predict import predict_videos

    return predict_videos(model, {clip.name: Path(clip.media)}, progress=progress,  # type: ignore[arg-type]
                          cancel=cancel, max_keep=RESULT_CAP, pose_cache=pose_cache)


def _share(progress: Progress, i: int, n: int, name: str) -> Progress:
    def step(fraction: float, message: str) -> None:
        progress((i + fraction) / n, f"{name}: {message}")
    return step
