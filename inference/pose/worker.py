"""Pose extraction in a child process, for callers that must keep their own threads responsive.

MediaPipe's per-frame calls release the GIL, but loading it (dlopen of its library, module
import) does not, and that stalled the app's event loop for about a second. A spawned child
process does the extraction and writes the cache; this side only relays progress, honours
cancel (the child is terminated) and reads the result from the cache.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import threading
import time
from pathlib import Path
from typing import Any

from annotator.errors import Cancelled, InputError
from annotator.progress import NEVER, CancelToken, Progress, no_progress
from inference.pose.cache import cache_key, cache_path, load_cached, pose_for_clip
from inference.pose.model_file import POSE_TASK
from inference.pose.track import PoseTrack

POLL_S = 0.05
# Longest wait for `after`: a clip whose decode never ends (failed, cancelled) still gets its pose.
AFTER_MAX_S = 30.0


def _child(cache_dir: str, clip_name: str, media: str, model: str, out: Any, niceness: int = 0) -> None:
    """In the child: extract and cache; report progress, then ("done", None) or ("error", (file, place, problem))."""
    if niceness > 0 and hasattr(os, "nice"):
        os.nice(niceness)
    try:
        pose_for_clip(cache_dir, clip_name, media, model, progress=lambda f, m: out.put(("progress", (f, m))))
    except InputError as exc:
        out.put(("error", (exc.file, exc.place, exc.problem)))
        return
    except Exception as exc:  # noqa: BLE001 - every failure goes back as one line
        out.put(("error", (media, None, f"pose extraction failed: {exc}")))
        return
    out.put(("done", None))


def pose_in_child(cache_dir: str | Path, clip_name: str, media: str | Path, model: str | Path = POSE_TASK,
                  progress: Progress = no_progress, cancel: CancelToken = NEVER, niceness: int = 0,
                  after: threading.Event | None = None) -> PoseTrack:
    """The clip's landmarks: from the cache, or extracted by a child process into the cache.

    `niceness` lowers the child's CPU priority, and a child is started only once `after` is set
    (or AFTER_MAX_S has passed): the app passes both so that extraction takes only the CPU that
    decoding the clip and stepping through it leave free. A cached result never waits.
    """
    path, key = cache_path(cache_dir, clip_name), cache_key(media, model)
    cached = load_cached(path, key)
    if cached is not None:
        return cached
    if after is not None:
        _wait(after, cancel)
    ctx = mp.get_context("spawn")  # never fork a process that runs Qt and threads
    messages = ctx.Queue()
    child = ctx.Process(target=_child, args=(str(cache_dir), clip_name, str(media), str(model), messages, niceness),
                        daemon=True)
    child.start()
    try:
        while True:
            if cancel.cancelled:
                raise Cancelled("cancelled")
            try:
                kind, value = messages.get(timeout=POLL_S)
            except queue.Empty:
                if not child.is_alive() and messages.empty():
                    raise InputError(str(media), None,
                                     f"pose extraction stopped (exit code {child.exitcode})") from None
                continue
            if kind == "progress":
                progress(*value)
            elif kind == "error":
                raise InputError(*value)
            else:
                break
    finally:
        if child.is_alive() and cancel.cancelled:
            child.terminate()
        child.join(5)
    track = load_cached(path, key)
    if track is None:
        raise InputError(str(path), None, "the pose cache could not be read back")
    return track


def _wait(event: threading.Event, cancel: CancelToken) -> None:
    """Wait for `event`, at most AFTER_MAX_S, raising Cancelled as soon as `cancel` is set."""
    deadline = time.monotonic() + AFTER_MAX_S
    while not event.wait(POLL_S):
        if cancel.cancelled:
            raise Cancelled("cancelled")
        if time.monotonic() >= deadline:
            return
