"""The on-disk frame cache: decoded once per video and sampling, read back exactly, rebuilt when stale."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import numpy as np
import pytest

from annotator.errors import InputError
from inference import frame_cache_disk
from inference.frame_cache_disk import Sampling, cache_key, cached_clip
from inference.video import decode_video
from tests.inference.synthetic_clips import write_mp4


@pytest.fixture()
def video(tmp_path: Path) -> Path:
    frames = np.random.default_rng(0).integers(0, 256, (30, 48, 80, 3), dtype=np.uint8)
    return write_mp4(tmp_path / "clip.mp4", frames)


def test_entry_holds_the_decoded_frames_and_is_built_once(video: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    entry = cached_clip(video, cache, Sampling(stride=2, size=32, crop=True))
    direct = decode_video(video, 32, 2)
    assert entry.frames.shape == direct.frames.shape == (15, 32, 32, 3)
    assert np.array_equal(entry.frames[0:15], direct.frames)
    assert (entry.fps, entry.total_frames) == (direct.fps, direct.total_frames)

    def no_decoding(*args: object, **kwargs: object) -> None:
        raise AssertionError("decoded again")

    monkeypatch.setattr(frame_cache_disk, "decode_video", no_decoding)
    again = cached_clip(video, cache, Sampling(stride=2, size=32, crop=True))
    assert np.array_equal(again.frames[3:7], direct.frames[3:7])
    assert not list(cache.glob("*.tmp"))


def test_training_entries_keep_the_whole_frame_at_the_short_side(video: Path, tmp_path: Path) -> None:
    entry = cached_clip(video, tmp_path, Sampling(stride=4, size=36, crop=False))
    assert entry.frames.shape == (8, 36, 60, 3)  # 48x80 scaled to short side 36


def test_key_changes_with_the_sampling_and_the_file(video: Path) -> None:
    base = cache_key(video, Sampling(2, 32, True))
    assert base.startswith("clip-")
    assert len({base, cache_key(video, Sampling(4, 32, True)), cache_key(video, Sampling(2, 40, True)),
                cache_key(video, Sampling(2, 32, False))}) == 4
    stat = video.stat()
    os.utime(video, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # the video was replaced
    assert cache_key(video, Sampling(2, 32, True)) != base


def test_frames_pickle_as_a_path_for_worker_processes(video: Path, tmp_path: Path) -> None:
    entry = cached_clip(video, tmp_path, Sampling(1, 32, True))
    entry.frames[0:2]  # maps the file in this process
    data = pickle.dumps(entry.frames)
    assert len(data) < 1000
    assert np.array_equal(pickle.loads(data)[5:9], entry.frames[5:9])


def test_bad_inputs_are_named(video: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        cached_clip(tmp_path / "missing.mp4", tmp_path, Sampling(1, 32, True))
    cached_clip(video, tmp_path, Sampling(1, 32, True))
    meta = next(tmp_path.glob("clip-*.json"))
    meta.write_text("{broken", "utf-8")
    with pytest.raises(InputError, match="delete it to rebuild") as info:
        cached_clip(video, tmp_path, Sampling(1, 32, True))
    assert meta.name in str(info.value)
