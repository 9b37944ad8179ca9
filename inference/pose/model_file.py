"""The bundled MediaPipe pose model (built by tools/build_pose_task.py; see its LICENSE note)."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import resources

POSE_TASK = Path(resources.__file__).parent / "models" / "pose_landmarker_full.task"


@functools.lru_cache(maxsize=8)
def file_digest(path: Path, size: int, mtime_ns: int) -> str:
    """sha256 of a file's bytes (cached while its size and mtime stay the same)."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def digest_of(path: str | Path) -> str:
    """sha256 of a file, recomputed only when it changed on disk."""
    p = Path(path)
    st = p.stat()
    return file_digest(p.resolve(), st.st_size, st.st_mtime_ns)
