"""The app's background pose of the queue's next clips: one low-priority worker, cached clips skipped."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from annotator.errors import Cancelled
from annotator.progress import CancelToken
from inference.pose.ahead import pose_ahead
from inference.pose.cache import cache_path, pose_for_clip
from tests.inference.pose.test_cache import empty_room


def test_pose_ahead_fills_the_cache_and_skips_cached_clips(tmp_path: Path) -> None:
    clips = [(f"c{k}", empty_room(tmp_path / f"c{k}.mp4", frames=4, seed=k)) for k in range(3)]
    pose_for_clip(tmp_path, "c1", clips[1][1])
    stamp = cache_path(tmp_path, "c1").stat().st_mtime_ns
    done = pose_ahead(tmp_path, clips)
    assert sorted(d.clip_name for d in done) == ["c0", "c2"] and all(d.ok and not d.cached for d in done)
    assert all(cache_path(tmp_path, n).is_file() for n, _ in clips)
    assert cache_path(tmp_path, "c1").stat().st_mtime_ns == stamp
    assert pose_ahead(tmp_path, clips) == []  # nothing left to do: no worker started


def test_cancel_stops_the_worker_and_leaves_no_half_file(tmp_path: Path) -> None:
    clips = [(f"c{k}", empty_room(tmp_path / f"c{k}.mp4", frames=30, seed=k)) for k in range(4)]
    cancel = CancelToken()
    threading.Timer(1.0, cancel.cancel).start()
    with pytest.raises(Cancelled):
        pose_ahead(tmp_path, clips, cancel=cancel)
    folder = tmp_path / "pose"
    files = sorted(p.name for p in folder.iterdir()) if folder.exists() else []
    assert all(f.endswith(".npz") and not f.startswith(".") for f in files)
