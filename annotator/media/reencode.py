"""Re-encode a variable-frame-rate video, or one OpenCV cannot decode, to constant-rate H.264.

With the FFmpeg that imageio-ffmpeg ships inside its wheel (nothing to install, nothing
downloaded). Two passes: the first reads the decoder's timestamp of every frame (FFmpeg's
showinfo filter, so it works where OpenCV cannot decode), the second writes H.264 at a
constant rate with FFmpeg's fps filter: output frame k shows the last original frame whose
time, rounded to the output grid, is k (frames repeated over gaps, none dropped when the rate
is the original's fastest). What maps the clip's frames back to the original file's times
(`SourceTiming`) is written beside the re-encoded file as `<clip>.timing.json`: ELAN and BORIS
exports of that clip give the original's times.
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from annotator.errors import InputError
from annotator.progress import NEVER, CancelToken, Progress, no_progress

REENCODED_FOLDER = "reencoded"  # under the media root
TIMING_SUFFIX = ".timing.json"
# Rates a phone or camera means; a measured rate within 0.1 % of one is snapped to it.
COMMON_RATES = (24000 / 1001, 24.0, 25.0, 30000 / 1001, 30.0, 48.0, 50.0, 60000 / 1001, 60.0, 120.0)
_PTS_TIME = re.compile(rb"\bn:\s*\d+\s+pts:\s*-?\d+\s+pts_time:(-?[0-9.]+(?:e-?\d+)?)")


def ffmpeg_exe() -> str:
    """The FFmpeg binary inside the imageio-ffmpeg package."""
    import imageio_ffmpeg  # imported here: only re-encoding needs it

    return str(imageio_ffmpeg.get_ffmpeg_exe())


@dataclass(frozen=True, slots=True)
class SourceTiming:
    """How a re-encoded clip's frames map to its original file's times.

    times_ms are the decoder's timestamps of the original's frames, in order; the clip runs
    at `fps` from the first of them.
    """

    original: str
    fps: float
    times_ms: tuple[float, ...]

    def frame_of_time(self, ms: float) -> int:
        """The clip frame that shows the original at time `ms` (the fps filter's rounding)."""
        return max(0, round((ms - self.times_ms[0]) * self.fps / 1000))

    def time_of_frame(self, frame: int) -> float:
        """The original's time (ms) of the frame the clip shows at `frame`: the last original
        frame whose slot on the clip's grid is at or before it."""
        slots = [self.frame_of_time(t) for t in self.times_ms]
        return self.times_ms[max(0, bisect_right(slots, frame) - 1)]

    def to_json(self) -> dict[str, object]:
        """What the timing file holds."""
        return {"original": self.original, "fps": self.fps, "times_ms": list(self.times_ms)}


def timing_path(video: Path) -> Path:
    """Where a re-encoded video's timing file lies."""
    return video.with_name(video.stem + TIMING_SUFFIX)


def read_timing(video: Path) -> SourceTiming | None:
    """The timing file beside a re-encoded video, or None when it has none (or it is unreadable)."""
    path = timing_path(video)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return SourceTiming(str(data["original"]), float(data["fps"]), tuple(float(t) for t in data["times_ms"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def frame_times_ms(path: Path, cancel: CancelToken = NEVER) -> list[float]:
    """The decoder's timestamp (ms) of every frame of the first video stream, read by FFmpeg."""
    command = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(path), "-map", "0:v:0", "-vf", "showinfo",
               "-f", "null", "-"]
    stderr = _run(command, path, cancel, None, 0)
    times = [float(m.group(1)) * 1000.0 for m in _PTS_TIME.finditer(stderr)]
    if not times:
        raise InputError(str(path), None, "FFmpeg finds no video frames in it")
    return times


def constant_rate(times_ms: Sequence[float]) -> float:
    """The rate to re-encode at: the fastest the original runs (its smallest frame gap),
    snapped to a common rate within 0.1 %; 30 for a single frame."""
    gaps = [b - a for a, b in zip(times_ms, times_ms[1:], strict=False) if b - a > 0.5]
    if not gaps:
        return 30.0
    rate = 1000.0 / min(gaps)
    return next((r for r in COMMON_RATES if abs(r - rate) <= 0.001 * r), min(round(rate, 3), 240.0))


def reencode(src: Path, dst: Path, progress: Progress = no_progress, cancel: CancelToken = NEVER) -> SourceTiming:
    """Re-encode `src` to constant-rate H.264 at `dst` (written whole or not at all) and its timing
    file beside it; InputError naming `src` when FFmpeg cannot read it."""
    progress(0.0, f"reading the timestamps of {src.name}")
    times = frame_times_ms(src, cancel)
    fps = constant_rate(times)
    expected = math.floor((times[-1] - times[0]) * fps / 1000 + 0.5) + 1
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.with_name(f".{dst.name}.part.mp4")
    rate = f"{fps:.6f}".rstrip("0").rstrip(".")
    command = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-y", "-v", "error", "-i", str(src), "-map", "0:v:0",
               "-an", "-vf", f"fps={_rational(fps)}", "-c:v", "libx264", "-preset", "veryfast", "-crf", "18",
               "-pix_fmt", "yuv420p", "-r", rate, "-progress", "pipe:2", "-stats_period", "0.5", str(tmp)]
    try:
        _run(command, src, cancel, progress, expected)
        os.replace(tmp, dst)
    finally:
        tmp.unlink(missing_ok=True)
    timing = SourceTiming(str(src.resolve()), fps, tuple(times))
    timing_path(dst).write_text(json.dumps(timing.to_json()), encoding="utf-8")
    progress(1.0, f"re-encoded {src.name} at {fps:g} fps")
    return timing


def _rational(fps: float) -> str:
    """FFmpeg's exact rational for the NTSC rates (30000/1001...), else the number."""
    for num in (24000, 30000, 60000):
        if abs(fps - num / 1001) < 1e-9:
            return f"{num}/1001"
    return f"{fps:.6f}".rstrip("0").rstrip(".")


def _run(command: list[str], src: Path, cancel: CancelToken, progress: Progress | None, frames: int) -> bytes:
    """Run FFmpeg, reporting `frame=` progress lines; InputError with its last line when it fails."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stderr is not None
    chunks: list[bytes] = []
    try:
        for line in process.stderr:
            chunks.append(line)
            if progress is not None and line.startswith(b"frame="):
                done = int(line[6:].strip() or 0)
                progress(min(0.99, 0.1 + 0.9 * done / max(frames, 1)), f"re-encoding {src.name}: frame {done}")
            cancel.check()
    except BaseException:
        process.kill()
        process.wait()
        raise
    if process.wait() != 0:
        last = next((c.decode("utf-8", "replace").strip() for c in reversed(chunks) if c.strip()), "no message")
        raise InputError(str(src), None, f"FFmpeg cannot re-encode it: {last}")
    return b"".join(chunks)
