"""The app's background pose of the queue's next clips: which clips, in the queue's order."""

from __future__ import annotations

from pathlib import Path

from inference.pose.ahead import clips_ahead
from inference.pose.cache import cache_path


def test_clips_ahead_are_the_next_ones_without_a_cache_file(tmp_path: Path) -> None:
    clips = [(f"c{k}", tmp_path / f"c{k}.mp4") for k in range(8)]
    cache_path(tmp_path, "c1").parent.mkdir(parents=True)
    cache_path(tmp_path, "c1").write_bytes(b"")  # any file: a stale one is the clip's own open's business
    assert clips_ahead(tmp_path, clips) == [clips[0], *clips[2:5]]  # of the next five
    assert clips_ahead(tmp_path, iter(clips), limit=2) == [clips[0]] and clips_ahead(tmp_path, []) == []
