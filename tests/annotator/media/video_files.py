"""Small test videos written with OpenCV."""

from __future__ import annotations

import struct
from pathlib import Path

import cv2
import numpy as np

CLIP_FRAMES = 60
CLIP_FPS = 30.0
CLIP_SIZE = (160, 120)


def write_test_clip(path: Path, frames: int = CLIP_FRAMES, fps: float = CLIP_FPS,
                    size: tuple[int, int] = CLIP_SIZE) -> Path:
    """An MP4 whose frame i shows a bright bar at x = 2·i (so every frame differs)."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, size)
    assert writer.isOpened(), "OpenCV cannot write mp4v here"
    w, h = size
    for i in range(frames):
        frame = np.full((h, w, 3), 40, np.uint8)
        x = (2 * i) % (w - 4)
        frame[:, x:x + 4] = 230
        writer.write(frame)
    writer.release()
    return path


_BOX_PARENTS = {b"moov", b"trak", b"mdia", b"minf", b"stbl"}


def faststart(data: bytes) -> bytes:
    """The MP4 `data` with its index (moov) moved before the frames (mdat), as streaming files
    are written, so that a copy cut short still opens and declares every frame. Chunk offsets
    are file positions, so each one moves by the index's size."""
    boxes: list[tuple[bytes, bytes]] = []
    at = 0
    while at < len(data):
        size, kind = struct.unpack_from(">I4s", data, at)
        boxes.append((kind, data[at:at + size]))
        at += size
    kinds = [kind for kind, _ in boxes]
    assert kinds.index(b"moov") > kinds.index(b"mdat"), "already faststart"
    moov = bytearray(boxes[kinds.index(b"moov")][1])
    _shift_chunk_offsets(moov, 8, len(moov), len(moov))
    ordered = [box for kind, box in boxes if kind != b"moov"]
    ordered.insert(kinds.index(b"mdat"), bytes(moov))
    return b"".join(ordered)


def _shift_chunk_offsets(box: bytearray, start: int, end: int, shift: int) -> None:
    at = start
    while at < end:
        size, kind = struct.unpack_from(">I4s", box, at)
        if kind in _BOX_PARENTS:
            _shift_chunk_offsets(box, at + 8, at + size, shift)
        elif kind in (b"stco", b"co64"):
            count = struct.unpack_from(">I", box, at + 12)[0]
            form, width = (">I", 4) if kind == b"stco" else (">Q", 8)
            for k in range(count):
                entry = at + 16 + k * width
                struct.pack_into(form, box, entry, struct.unpack_from(form, box, entry)[0] + shift)
        at += size


def truncated_copy(source: Path, out: Path, keep: float) -> Path:
    """A streaming (faststart) copy of the MP4 `source` cut to the first `keep` share of its
    bytes: it opens, declares all its frames, and only the first ones decode."""
    data = faststart(source.read_bytes())
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data[: int(len(data) * keep)])
    return out
