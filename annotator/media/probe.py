"""The one probe of a video file: what its container declares, or what actually decodes.

Two depths, one function. The player needs only the header before its first frame (the
full count costs ~0.5 s for 15 s of 1080p, past its 0.3 s first-frame target, and it must
show variable-rate files exactly rather than refuse them). Importing a clip and the
detector's data need the count of frames that decode: every frame index of the
annotations refers to it, and the same pass gives the decoder's timestamps, the only exact
clock of a variable-rate file.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2

from annotator.errors import InputError
from annotator.media.capture import opened, read_header
from annotator.progress import NEVER, CancelToken

VFR_TOLERANCE_MS = 2.0
# Containers that estimate their frame count (from duration × fps) may be off by a frame or
# two; a video whose decodable frames fall further short is damaged (truncated, corrupt).
DAMAGE_TOLERANCE_FRAMES = 2


@dataclass(frozen=True, slots=True)
class VideoInfo:
    """What probing a video found.

    frame_count is the number of frames that decode, or with a header-only probe the
    container's claim (at least 1), which the player treats as an estimate.
    """

    path: Path
    fps: float
    frame_count: int
    width: int
    height: int
    container_frame_count: int  # what the container claims (may be missing, 0, or wrong)
    frame_gaps_ms: tuple[float, float] | None = None  # smallest and largest timestamp gap

    @property
    def duration(self) -> float:
        """Length in seconds, frame_count / fps."""
        return self.frame_count / self.fps


def probe_video(path: str | Path, cancel: CancelToken = NEVER, *, count_frames: bool = True,
                allow_variable_rate: bool = False) -> VideoInfo:
    """Open a video and say what it holds; InputError naming the file when it is unusable.

    count_frames: decode every frame to count them and check their timestamps (refusing a
    missing frame rate, an empty file and, unless allowed, a variable frame rate);
    otherwise read only the container's header (refusing only an unreadable file or size).
    """
    file = str(path)
    with opened(file) as capture:
        header = read_header(capture)
        if not count_frames:
            if header.width <= 0 or header.height <= 0:
                raise InputError(file, None, f"video reports an invalid size {header.width}x{header.height}")
            return VideoInfo(Path(path), header.fps, max(header.frame_count, 1), header.width, header.height,
                             header.frame_count)
        if not math.isfinite(header.fps) or header.fps <= 0:
            raise InputError(file, None, f"the container gives no usable frame rate ({header.fps})")
        ok, frame = capture.read()
        if not ok or frame is None:
            raise InputError(file, "frame 0", "no decodable frames (zero-frame or corrupt file)")
        height, width = frame.shape[:2]
        stamps = [capture.get(cv2.CAP_PROP_POS_MSEC)]
        while capture.grab():
            stamps.append(capture.get(cv2.CAP_PROP_POS_MSEC))
            if len(stamps) % 256 == 0:
                cancel.check()
    info = VideoInfo(Path(path), header.fps, len(stamps), int(width), int(height), header.frame_count,
                     frame_gaps_ms(stamps))
    if not allow_variable_rate:
        problem = rate_problem(info)
        if problem:
            raise InputError(file, None, problem)
    return info


def frame_gaps_ms(stamps: Sequence[float]) -> tuple[float, float] | None:
    """(smallest, largest) gap between consecutive frame timestamps in ms; None when unknown.

    None for a single frame, or when the decoder gives no timestamps (all equal).
    """
    if len(stamps) < 2:
        return None
    gaps = [b - a for a, b in zip(stamps, stamps[1:], strict=False)]
    if all(g == 0 for g in gaps):
        return None
    return min(gaps), max(gaps)


def damage_problem(info: VideoInfo) -> str | None:
    """Why a fully probed video looks damaged (its decodable frames fall more than
    DAMAGE_TOLERANCE_FRAMES short of what its container declares), or None."""
    if info.container_frame_count - info.frame_count <= DAMAGE_TOLERANCE_FRAMES:
        return None
    return (f"damaged: only {info.frame_count} of the {info.container_frame_count} frames its container "
            f"declares could be read")


def rate_problem(info: VideoInfo) -> str | None:
    """Why the frames are not evenly spaced at the container's fps, or None when they are.

    A gap may differ from 1/fps by at most max(2 ms, a tenth of a frame): containers store
    timestamps in coarse units (1 ms in Matroska), so small jitter is rounding, while one
    dropped or repeated frame moves a gap by a whole frame period, and 25 against 30 fps
    by a sixth of one.
    """
    if info.frame_gaps_ms is None:
        return None
    low, high = info.frame_gaps_ms
    nominal = 1000.0 / info.fps
    tolerance = max(VFR_TOLERANCE_MS, 0.1 * nominal)
    if abs(low - nominal) <= tolerance and abs(high - nominal) <= tolerance:
        return None
    fix = "re-encode to a constant rate (e.g. ffmpeg -fps_mode cfr)"
    if high - low <= tolerance:
        return (f"the container says {info.fps:g} fps ({nominal:.1f} ms a frame) but the frames are "
                f"{low:.1f} ms apart; {fix}")
    return f"variable frame rate: frame gaps from {low:.1f} ms to {high:.1f} ms; {fix}"
