"""Cut a long recording into consecutive 5–15 s clips (docs/ARCHITECTURE.md, "Video I/O"), frame-exactly, with OpenCV.

Piece k of a recording holds exactly the source frames [offset_k, offset_k + n_k): the
source is decoded once, in order, and every frame goes to the writer of its piece, so no
seek (and no keyframe rounding) is involved. Pieces are written to temporary names and
renamed only when all of them are complete; a cancel or a failure removes every file of
the recording.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from annotator.errors import InputError
from annotator.media.capture import opened, read_header
from annotator.media.frames import read_video
from annotator.progress import NEVER, CancelToken, Progress, no_progress

CUT_FOURCC = "mp4v"  # what this OpenCV build writes into .mp4 without external encoders
CUT_SUFFIX = ".mp4"
DEFAULT_MAX_SECONDS = 15.0
DEFAULT_MIN_SECONDS = 5.0


@dataclass(frozen=True, slots=True)
class Piece:
    """One planned clip of a recording: source frames [offset, offset + frame_count)."""

    offset: int
    frame_count: int

    @property
    def end(self) -> int:
        """One past the last source frame of the piece."""
        return self.offset + self.frame_count


@dataclass(frozen=True, slots=True)
class WrittenPiece:
    """A piece written to disk, with the fps its file reports when read back."""

    piece: Piece
    path: Path
    fps: float
    width: int
    height: int


def frame_limits(fps: float, min_seconds: float, max_seconds: float) -> tuple[int, int]:
    """(fewest, most) frames a clip may hold at this fps; InputError when the limits cannot be met.

    Cutting a recording longer than the maximum into ceil(F / max) near-equal pieces gives
    pieces of at least ceil(max / 2) frames (see plan_pieces), so the minimum must not
    exceed that.
    """
    if not (math.isfinite(min_seconds) and math.isfinite(max_seconds) and 0 < min_seconds <= max_seconds):
        raise InputError("--min-seconds/--max-seconds", None,
                         f"need 0 < min <= max, got min {min_seconds:g} s and max {max_seconds:g} s")
    most = math.floor(max_seconds * fps + 1e-9)
    fewest = max(1, math.ceil(min_seconds * fps - 1e-9))
    if most < 2 or fewest > math.ceil(most / 2):
        raise InputError("--min-seconds/--max-seconds", None,
                         f"min {min_seconds:g} s must be at most half of max {max_seconds:g} s "
                         f"(at {fps:g} fps: {fewest} frames > {math.ceil(most / 2)}), or a cut could "
                         f"leave a piece shorter than the minimum")
    return fewest, most


def plan_pieces(frame_count: int, fps: float, min_seconds: float = DEFAULT_MIN_SECONDS,
                max_seconds: float = DEFAULT_MAX_SECONDS) -> list[Piece]:
    """Consecutive pieces covering [0, frame_count), each within [min, max] seconds when cut.

    A recording of at most `max` frames (M) stays whole. A longer one (F > M) is cut into
    n = ceil(F / M) pieces whose sizes differ by at most one frame. Each piece has at most
    ceil(F / n) <= M frames, because n >= F / M. Each has at least floor(F / n) frames, and
    since n - 1 < F / M, F >= (n - 1) M + 1, so floor(F / n) >= floor(((n - 1) M + 1) / n),
    which is smallest for n = 2: ceil(M / 2) >= the minimum (checked by frame_limits). So
    no tail can be shorter than the minimum.
    """
    if frame_count <= 0:
        raise ValueError(f"frame_count must be positive, got {frame_count}")
    _, most = frame_limits(fps, min_seconds, max_seconds)
    if frame_count <= most:
        return [Piece(0, frame_count)]
    n = math.ceil(frame_count / most)
    base, extra = divmod(frame_count, n)
    pieces: list[Piece] = []
    offset = 0
    for k in range(n):
        size = base + (1 if k < extra else 0)
        pieces.append(Piece(offset, size))
        offset += size
    return pieces


def piece_name(stem: str, index: int, count: int) -> str:
    """The clip name of piece `index` (0-based) of a recording: <stem>_part01, _part02, …"""
    return f"{stem}_part{index + 1:0{max(2, len(str(count)))}d}"


def _temporary(path: Path) -> Path:
    # The suffix must stay .mp4: OpenCV picks the container from it.
    return path.with_name(f".{path.stem}.partial{path.suffix}")


def _remove(paths: Sequence[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def cut_recording(source: Path, pieces: Sequence[Piece], outputs: Sequence[Path], *,
                  progress: Progress = no_progress, cancel: CancelToken = NEVER) -> list[WrittenPiece]:
    """Write piece k of `source` to outputs[k] (mp4v); all files or none (Cancelled and errors clean up)."""
    if len(pieces) != len(outputs) or not pieces:
        raise ValueError("need one output path per piece, and at least one piece")
    existing = [p for p in outputs if p.exists()]
    if existing:
        raise InputError(str(existing[0]), None, "a file of that name already exists; not overwriting it")
    temporary = [_temporary(p) for p in outputs]
    try:
        _write_pieces(source, pieces, temporary, progress, cancel)
        written = [_check_piece(t, piece) for t, piece in zip(temporary, pieces, strict=True)]
        cancel.check()
        for tmp, final in zip(temporary, outputs, strict=True):
            os.replace(tmp, final)
    except BaseException:
        _remove(temporary)
        _remove([p for p in outputs if p not in existing])
        raise
    return [WrittenPiece(w.piece, final, w.fps, w.width, w.height) for w, final in zip(written, outputs, strict=True)]


def _write_pieces(source: Path, pieces: Sequence[Piece], paths: Sequence[Path], progress: Progress,
                  cancel: CancelToken) -> None:
    """Decode `source` once, in order, sending frame i to the writer of the piece that holds it."""
    writer: cv2.VideoWriter | None = None
    total = pieces[-1].end
    with read_video(source) as video:
        fps = video.header.fps
        if not fps > 0:
            raise InputError(str(source), None, "cannot open the video to cut it")
        frames = video.frames(stop=total, cancel=cancel)
        try:
            for k, (piece, path) in enumerate(zip(pieces, paths, strict=True)):
                path.parent.mkdir(parents=True, exist_ok=True)
                for index in range(piece.offset, piece.end):
                    frame = next(frames, (index, None))[1]
                    if frame is None:
                        raise InputError(str(source), f"frame {index}",
                                         "the video ended or failed to decode while cutting")
                    if writer is None:
                        writer = _writer(path, fps, frame)
                    writer.write(frame)
                    if index % 64 == 0:
                        progress(index / total, f"cutting {source.name}: piece {k + 1} of {len(pieces)}")
                assert writer is not None
                writer.release()
                writer = None
        finally:
            if writer is not None:
                writer.release()


def _writer(path: Path, fps: float, frame: np.ndarray) -> cv2.VideoWriter:
    """A writer of `frame`'s size at `fps` into `path`; InputError when OpenCV cannot write there."""
    height, width = frame.shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*CUT_FOURCC), fps, (width, height))
    if not writer.isOpened():
        raise InputError(str(path), None, f"OpenCV cannot write a {CUT_FOURCC} video here")
    return writer


def _check_piece(path: Path, piece: Piece) -> WrittenPiece:
    """Read back a written piece's header: frame count must match; fps and size as the file reports them."""
    with opened(path) as capture:
        header = read_header(capture)
    count, fps = header.frame_count, header.fps
    if count != piece.frame_count or not fps > 0:
        raise InputError(str(path), None, f"the written clip holds {count} frames at {fps:g} fps, "
                                          f"expected {piece.frame_count}")
    return WrittenPiece(piece, path, fps, header.width, header.height)
