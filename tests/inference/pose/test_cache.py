"""Pose per clip: frames without a person are marked, the cache is reused, bad clips are named."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import inference.pose.extract as extract_module
from annotator.errors import InputError
from inference.pose.cache import cache_path, pose_for_clip, pose_for_clips
from inference.pose.extract import extract_pose
from inference.pose.track import PoseTrack
from tests.inference.synthetic_clips import write_mp4


def empty_room(path: Path, frames: int = 10, seed: int = 0) -> Path:
    """A short clip of grey noise: nobody in it."""
    rng = np.random.default_rng(seed)
    return write_mp4(path, rng.integers(80, 140, size=(frames, 96, 128, 3), dtype=np.uint8))


def test_no_person_gives_marked_frames_not_an_error(tmp_path: Path) -> None:
    track = extract_pose(empty_room(tmp_path / "room.mp4"))
    assert track.frames == 10 and (track.width, track.height) == (128, 96)
    assert not track.present.any()
    assert np.isnan(track.landmarks).all()  # nothing invented
    assert np.all(np.diff(track.timestamps_ms) > 0)
    assert track.ms_per_frame > 0


def test_cache_is_reused_and_keyed_by_the_media_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    media = empty_room(tmp_path / "clip.mp4")
    calls: list[Path] = []
    real = extract_module.extract_pose

    def counting(path: Path, *args: object, **kwargs: object) -> PoseTrack:
        calls.append(Path(path))
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(extract_module, "extract_pose", counting)
    first = pose_for_clip(tmp_path, "clip", media)
    second = pose_for_clip(tmp_path, "clip", media)
    assert len(calls) == 1 and cache_path(tmp_path, "clip").is_file()
    np.testing.assert_array_equal(first.landmarks, second.landmarks)
    np.testing.assert_array_equal(first.timestamps_ms, second.timestamps_ms)
    empty_room(media, frames=12, seed=1)  # the media changed: the cache no longer matches it
    third = pose_for_clip(tmp_path, "clip", media)
    assert len(calls) == 2 and third.frames == 12


def test_damaged_cache_file_is_recomputed(tmp_path: Path) -> None:
    media = empty_room(tmp_path / "clip.mp4")
    cache_path(tmp_path, "clip").parent.mkdir()
    cache_path(tmp_path, "clip").write_bytes(b"half a file")
    assert pose_for_clip(tmp_path, "clip", media).frames == 10


def test_unreadable_clip_is_one_clear_error_and_the_batch_goes_on(tmp_path: Path) -> None:
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"\x00" * 2048)
    with pytest.raises(InputError, match="broken.mp4"):
        pose_for_clip(tmp_path, "broken", broken)
    with pytest.raises(InputError, match="video file not found"):
        pose_for_clip(tmp_path, "gone", tmp_path / "gone.mp4")
    good = empty_room(tmp_path / "good.mp4", frames=4)
    results = list(pose_for_clips(tmp_path, [("broken", broken), ("good", good)]))
    assert not results[0].ok and "broken.mp4" in str(results[0].error)
    assert results[1].ok and results[1].frames == 4 and not results[1].cached
    assert not cache_path(tmp_path, "broken").exists()


def test_cache_writes_are_atomic_a_reader_never_sees_half_a_file(tmp_path: Path) -> None:
    """A reader polling the cache file while two other processes rewrite it again and again (as
    two machines sharing a project could) sees an old or a new whole file; the writers never
    spoil each other's file; a write stopped halfway leaves the old file and nothing else."""
    import subprocess
    import sys

    from inference.pose.cache import cache_key, load_cached, save_cached

    media = empty_room(tmp_path / "clip.mp4", frames=4)
    key = cache_key(media)
    path = cache_path(tmp_path, "clip")
    track = pose_for_clip(tmp_path, "clip", media)
    big = PoseTrack(np.random.default_rng(0).random((3000, 33, 4), dtype=np.float32),  # about 1.6 MB compressed
                    np.arange(3000, dtype=np.int64), 128, 96, 30.0, 1.0)
    script = (
        "import sys, numpy as np\n"
        "from pathlib import Path\n"
        "from inference.pose.cache import cache_key, load_cached, save_cached\n"
        "from inference.pose.track import PoseTrack\n"
        f"path, key = Path({str(path)!r}), cache_key({str(media)!r})\n"
        "tracks = [load_cached(path, key)]\n"
        "tracks.append(PoseTrack(np.random.default_rng(0).random((3000, 33, 4), dtype=np.float32),\n"
        "                        np.arange(3000, dtype=np.int64), 128, 96, 30.0, 1.0))\n"
        "for k in range(30):\n"
        "    save_cached(path, key, tracks[k % 2])\n")
    writers = [subprocess.Popen([sys.executable, "-c", script]) for _ in range(2)]
    reads = 0
    while any(w.poll() is None for w in writers):
        got = load_cached(path, key)  # a half file would read as None (or raise)
        assert got is not None and got.frames in (track.frames, big.frames)
        reads += 1
    assert [w.returncode for w in writers] == [0, 0] and reads > 5
    assert list(path.parent.iterdir()) == [path]

    class Stop(Exception):
        pass

    def stop_halfway(*_args: object, **_kwargs: object) -> None:
        raise Stop  # as a kill during np.savez_compressed would leave it

    real = np.savez_compressed
    np.savez_compressed = stop_halfway  # type: ignore[assignment]
    try:
        with pytest.raises(Stop):
            save_cached(path, key, track)
    finally:
        np.savez_compressed = real
    assert load_cached(path, key) is not None and list(path.parent.iterdir()) == [path]


def test_a_killed_writers_leftovers_go_with_the_next_write_of_the_clip(tmp_path: Path) -> None:
    import os
    import time

    from inference.pose.cache import STALE_TMP_S, cache_key, save_cached

    media = empty_room(tmp_path / "clip.mp4", frames=3)
    track = pose_for_clip(tmp_path, "clip", media)
    path = cache_path(tmp_path, "clip")
    old = path.with_name(f".{path.name}.4242.deadbeef.tmp")  # a writer killed long ago
    fresh = path.with_name(f".{path.name}.4343.cafef00d.tmp")  # another process writing now
    other = path.with_name(".other.npz.4242.deadbeef.tmp")  # another clip's: its own write sweeps it
    for leftover in (old, fresh, other):
        leftover.write_bytes(b"half")
    long_ago = time.time() - STALE_TMP_S - 60
    os.utime(old, (long_ago, long_ago))
    os.utime(other, (long_ago, long_ago))
    save_cached(path, cache_key(media), track)
    assert sorted(p.name for p in path.parent.iterdir()) == sorted([path.name, fresh.name, other.name])


def test_cache_files_keep_the_folders_usual_permissions(tmp_path: Path) -> None:
    import os
    import stat

    media = empty_room(tmp_path / "clip.mp4", frames=3)
    pose_for_clip(tmp_path, "clip", media)
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(cache_path(tmp_path, "clip").stat().st_mode) == 0o666 & ~umask  # a team reads it too
