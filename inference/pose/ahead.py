"""The app's background pose: the annotation queue's next clips, extracted ahead of time.

Once the open clip's pose is shown, the annotation window's pose controller starts one "pose"
job of the model worker process (app.model_loop.worker) for the next clips of the queue that
have no cache file yet, at the lowest CPU priority, so it takes only the time the window, the
player's decoders and the open clip's own extraction (niceness 10) leave idle. Opening a clip
cancels it (a clip in flight is dropped, every finished one is in the cache); a clip that fails
is skipped, its own open says why.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice
from pathlib import Path

from inference.pose.cache import cache_path

AHEAD_NICENESS = 19
AHEAD_CLIPS = 5  # how far down the queue the app extracts ahead


def clips_ahead(cache_dir: str | Path, clips: Iterable[tuple[str, Path]], limit: int = AHEAD_CLIPS
                ) -> list[tuple[str, Path]]:
    """Of the first `limit` (clip name, media) pairs (read no further: a queue may be long), those
    with no cache file yet. A stale cache file (its media changed) is left for the clip's own
    extraction when it opens."""
    return [(name, media) for name, media in islice(clips, limit) if not cache_path(cache_dir, name).is_file()]
