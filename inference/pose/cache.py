"""Landmarks cached per clip in the project folder, keyed by the media file and the model file.

<project>/pose/<clip>.npz holds the track and the two sha256 digests it was computed from;
a cache whose digests differ from the current files is recomputed, never reused.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from annotator.errors import InputError
from annotator.input_checks import path_under
from annotator.progress import NEVER, CancelToken, Progress, no_progress
from inference.pose.model_file import POSE_TASK, digest_of
from inference.pose.track import PoseTrack

CACHE_DIR = "pose"
CACHE_VERSION = 2


def cache_path(project_dir: str | Path, clip_name: str) -> Path:
    """Where a clip's landmarks are kept."""
    return path_under(Path(project_dir) / CACHE_DIR, clip_name, ".npz")  # an id never leads outside


def cache_key(media: str | Path, model: str | Path = POSE_TASK) -> dict[str, object]:
    """What a cached track must match: the media file's and the model file's digests."""
    return {"version": CACHE_VERSION, "media_sha256": digest_of(media), "model_sha256": digest_of(model)}


def load_cached(path: Path, key: dict[str, object]) -> PoseTrack | None:
    """The cached track when the file exists, reads, and was made from these exact files."""
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            if json.loads(str(data["key"])) != key:
                return None
            meta = json.loads(str(data["meta"]))
            return PoseTrack(data["landmarks"], data["timestamps_ms"], int(meta["width"]), int(meta["height"]),
                             float(meta["fps"]), float(meta["ms_per_frame"]))
    except (OSError, ValueError, KeyError):  # half-written or foreign file: recompute it
        return None


def save_cached(path: Path, key: dict[str, object], track: PoseTrack) -> None:
    """Write atomically: a crash never leaves a half file under the real name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = {"width": track.width, "height": track.height, "fps": track.fps, "ms_per_frame": track.ms_per_frame}
    tmp = path.with_name(path.name + ".tmp.npz")
    np.savez_compressed(tmp, landmarks=track.landmarks, timestamps_ms=track.timestamps_ms,
                        key=json.dumps(key, sort_keys=True), meta=json.dumps(meta))
    os.replace(tmp, path)


def pose_for_clip(project_dir: str | Path, clip_name: str, media: str | Path, model: str | Path = POSE_TASK,
                  progress: Progress = no_progress, cancel: CancelToken = NEVER) -> PoseTrack:
    """The clip's landmarks from the cache, or extracted now and cached."""
    from inference.pose.extract import extract_pose  # mediapipe only when something is computed

    path = cache_path(project_dir, clip_name)
    if not Path(media).is_file():
        raise InputError(str(media), None, "video file not found")
    key = cache_key(media, model)
    cached = load_cached(path, key)
    if cached is not None:
        progress(1.0, f"pose of {clip_name} from the cache")
        return cached
    track = extract_pose(media, model, progress, cancel)
    save_cached(path, key, track)
    return track


@dataclass(frozen=True)
class ClipPose:
    """The outcome for one clip of a batch: its track, or the one-line reason it has none."""

    clip_name: str
    track: PoseTrack | None
    error: str | None = None
    cached: bool = False


def pose_for_clips(project_dir: str | Path, clips: Sequence[tuple[str, Path]], model: str | Path = POSE_TASK,
                   progress: Progress = no_progress, cancel: CancelToken = NEVER) -> list[ClipPose]:
    """Pose of many (clip name, media path) pairs; an unreadable clip is reported, the rest go on."""
    out: list[ClipPose] = []
    for k, (name, media) in enumerate(clips):
        cancel.check()

        def part(fraction: float, message: str, k: int = k) -> None:
            progress((k + fraction) / max(len(clips), 1), message)

        try:
            cached = load_cached(cache_path(project_dir, name), cache_key(media, model))
            track = cached or pose_for_clip(project_dir, name, media, model, part, cancel)
        except (InputError, OSError) as exc:
            out.append(ClipPose(name, None, str(exc)))
            continue
        out.append(ClipPose(name, track, cached=cached is not None))
    progress(1.0, f"pose of {len(clips)} clips")
    return out
