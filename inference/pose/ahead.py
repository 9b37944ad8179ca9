"""The app's background pose: the annotation queue's next clips, extracted ahead of time.

One worker process of the clip pool (annotator.work_pool) at the lowest CPU priority, so it
takes only the time the window, the player's decoders and the open clip's own pose extraction
(inference.pose.worker, niceness 10) leave idle. The app's background service runs
`pose_ahead` on a thread with a cancel token, cancels it when a clip opens (the worker is
stopped; its clip in flight is dropped, every finished one is in the cache) and starts it
again with the new queue once the open clip's pose is ready.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from annotator.progress import NEVER, CancelToken, Progress, no_progress
from inference.pose.cache import ClipPose, cache_path, pose_for_clips
from inference.pose.model_file import POSE_TASK

AHEAD_NICENESS = 19
AHEAD_CLIPS = 5  # how far down the queue the app extracts ahead


def pose_ahead(cache_dir: str | Path, clips: Sequence[tuple[str, Path]], model: str | Path = POSE_TASK,
               progress: Progress = no_progress, cancel: CancelToken = NEVER) -> list[ClipPose]:
    """Extract into the cache the landmarks of the (clip name, media) pairs that have no cache
    file yet, in one low-priority worker process; Cancelled stops it, keeping finished clips.
    A stale cache file (its media changed) is left for the clip's own extraction when it opens."""
    missing = [(name, media) for name, media in clips if not cache_path(cache_dir, name).is_file()]
    return list(pose_for_clips(cache_dir, missing, model, progress, cancel, workers=1, niceness=AHEAD_NICENESS,
                               isolated=True))
