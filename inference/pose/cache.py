"""Landmarks cached per clip in the project folder, keyed by the media file and the model file.

<project>/pose/<clip>.npz holds the track and the two sha256 digests it was computed from;
a cache whose digests differ from the current files is recomputed, never reused.
"""

from __future__ import annotations

import glob
import json
import os
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from annotator.errors import InputError
from annotator.input_checks import path_under
from annotator.progress import NEVER, CancelToken, Progress, no_progress
from annotator.work_pool import run_pool
from inference.pose.model_file import POSE_TASK, digest_of
from inference.pose.track import PoseTrack

CACHE_DIR = "pose"
CACHE_VERSION = 2
TMP_SUFFIX = ".tmp"  # a write in progress (or one a killed process left): never read
STALE_TMP_S = 600.0  # a write takes seconds: a temporary file older than this is a killed writer's


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
    """Write atomically: a temporary file of its own in the same folder, flushed to disk, then
    renamed over the real name, so a reader (another process or machine sharing the folder)
    sees the old file or the whole new one, never half of one, and two writers of one clip
    never write into each other's file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = {"width": track.width, "height": track.height, "fps": track.fps, "ms_per_frame": track.ms_per_frame}
    # a name of its own (not mkstemp: its 0600 mode would hide the file from a team sharing the folder)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}{TMP_SUFFIX}")
    try:
        with open(tmp, "xb") as f:
            np.savez_compressed(f, landmarks=track.landmarks, timestamps_ms=track.timestamps_ms,
                                key=json.dumps(key, sort_keys=True), meta=json.dumps(meta))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _sweep_leftovers(path)


def _sweep_leftovers(path: Path) -> None:
    """Remove the temporary files of this clip a killed writer left (a window's close kills its pose
    jobs mid-clip); one younger than STALE_TMP_S may be another process's write in progress."""
    cutoff = time.time() - STALE_TMP_S
    for tmp in path.parent.glob(f".{glob.escape(path.name)}.*{TMP_SUFFIX}"):
        try:
            if tmp.stat().st_mtime < cutoff:
                tmp.unlink()
        except OSError:  # swept by another process meanwhile
            pass


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
    """The outcome for one clip of a batch: a summary of its track, or the one-line reason it has none.
    (The track itself stays in the cache: a batch of thousands of clips holds only these.)"""

    clip_name: str
    frames: int = 0
    present_share: float = 0.0  # frames with a person
    ms_per_frame: float = 0.0  # extraction time when computed now
    error: str | None = None
    cached: bool = False

    @property
    def ok(self) -> bool:
        """The clip has its landmarks in the cache."""
        return self.error is None


@dataclass(frozen=True)
class PoseTask:
    """One clip for `pose_task`, in whichever process runs it."""

    project_dir: str
    clip_name: str
    media: str
    model: str = str(POSE_TASK)


def pose_task(task: PoseTask) -> ClipPose:
    """A clip's landmarks from the cache or extracted into it (a bad clip raises InputError)."""
    if not Path(task.media).is_file():
        raise InputError(task.media, None, "video file not found")
    path, key = cache_path(task.project_dir, task.clip_name), cache_key(task.media, task.model)
    track = load_cached(path, key)
    cached = track is not None
    if track is None:
        track = pose_for_clip(task.project_dir, task.clip_name, task.media, task.model)
    return ClipPose(task.clip_name, track.frames, float(track.present.mean()) if track.frames else 0.0,
                    track.ms_per_frame, cached=cached)


def pose_for_clips(project_dir: str | Path, clips: Sequence[tuple[str, Path]], model: str | Path = POSE_TASK,
                   progress: Progress = no_progress, cancel: CancelToken = NEVER, workers: int = 1,
                   niceness: int = 0, isolated: bool = False) -> Iterator[ClipPose]:
    """Pose of many (clip name, media path) pairs in `workers` processes, yielded as each clip
    finishes; an unreadable clip is reported, the rest go on (annotator.work_pool)."""
    tasks = [(name, PoseTask(str(project_dir), name, str(media), str(model))) for name, media in clips]
    for outcome in run_pool(pose_task, tasks, workers, progress=progress, cancel=cancel, niceness=niceness,
                            isolated=isolated):
        yield outcome.value if outcome.value is not None else ClipPose(outcome.name, error=outcome.error)
