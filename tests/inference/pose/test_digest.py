"""File digests behind the pose cache key: the 9 MB model is hashed once per process, again only
when the file changes on disk."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest

import inference.pose.model_file as model_file
from inference.pose.cache import cache_key
from inference.pose.model_file import POSE_TASK, digest_of


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Path]]:
    """Every file the digest code opens to hash it, in order (the process cache starts empty)."""
    seen: list[Path] = []

    def counting_open(path: Path, mode: str = "r") -> IO[Any]:
        seen.append(Path(path))
        return open(path, mode)  # noqa: SIM115 - the caller closes it

    model_file.file_digest.cache_clear()
    monkeypatch.setattr(model_file, "open", counting_open, raising=False)
    yield seen
    model_file.file_digest.cache_clear()


def test_the_model_is_hashed_once_for_many_cache_keys(tmp_path: Path, opened: list[Path]) -> None:
    clips = []
    for k in range(12):  # more clips than the digest cache holds entries
        clips.append(tmp_path / f"clip{k}.mp4")
        clips[-1].write_bytes(bytes([k]) * 100)
    keys = [cache_key(clip) for clip in clips]
    assert opened.count(POSE_TASK.resolve()) == 1
    assert len({k["model_sha256"] for k in keys}) == 1 and len({k["media_sha256"] for k in keys}) == 12
    cache_key(clips[0])
    assert opened.count(POSE_TASK.resolve()) == 1


def test_a_changed_file_is_hashed_again(tmp_path: Path, opened: list[Path]) -> None:
    model = tmp_path / "pose.task"
    model.write_bytes(b"a" * 1000)
    first = digest_of(model)
    assert digest_of(model) == first and len(opened) == 1
    model.write_bytes(b"b" * 1000)  # same size, new bytes
    stat = model.stat()
    os.utime(model, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # a coarse clock may not move
    second = digest_of(model)
    assert len(opened) == 2 and second != first
    model.write_bytes(b"b" * 1001)  # another size
    assert digest_of(model) != second and len(opened) == 3


def test_a_missing_file_is_an_os_error(tmp_path: Path, opened: list[Path]) -> None:
    with pytest.raises(FileNotFoundError):
        digest_of(tmp_path / "gone.task")
    assert opened == []
