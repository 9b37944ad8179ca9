"""Probe videos with OpenCV and import a folder of videos as clips."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import cv2

from annotator.errors import InputError
from annotator.model import Clip
from annotator.progress import NEVER, CancelToken, Progress, no_progress
from annotator.recordings import (
    CUT_SUFFIX,
    DEFAULT_MAX_SECONDS,
    DEFAULT_MIN_SECONDS,
    Piece,
    cut_recording,
    frame_limits,
    piece_name,
    plan_pieces,
)
from annotator.store.api import NewClip, StoreAPI
from annotator.subjects import DEFAULT_SUBJECT_REGEX, subject_from_name

VFR_TOLERANCE_MS = 2.0
CUTS_FOLDER = "cuts"  # under the media root: clips cut from long recordings
VIDEO_SUFFIXES = frozenset({".mp4", ".avi", ".mov", ".mkv", ".webm", ".m4v", ".mpg", ".mpeg", ".wmv"})


class _HasMediaDir(Protocol):
    @property
    def media_dir(self) -> Path: ...


@dataclass(frozen=True, slots=True)
class VideoInfo:
    """What probing a video found; frame_count is the number of frames that actually decode."""

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


def probe_video(path: Path, cancel: CancelToken = NEVER, *, allow_variable_rate: bool = False) -> VideoInfo:
    """Open a video, count its decodable frames and check their timestamps.

    InputError when the file is missing, unreadable or empty, and (unless allowed) when the
    decoder's frame timestamps show a variable frame rate.
    """
    file = str(path)
    if not Path(path).is_file():
        raise InputError(file, None, "video file not found")
    capture = cv2.VideoCapture(file)
    try:
        if not capture.isOpened():
            raise InputError(file, None, "cannot open the video (unknown codec, not a video, or corrupt)")
        fps = float(capture.get(cv2.CAP_PROP_FPS))
        if not math.isfinite(fps) or fps <= 0:
            raise InputError(file, None, f"the container gives no usable frame rate ({fps})")
        claimed = int(capture.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
        ok, frame = capture.read()
        if not ok or frame is None:
            raise InputError(file, "frame 0", "no decodable frames (zero-frame or corrupt file)")
        height, width = frame.shape[:2]
        # Container counts are often estimates; the count of decodable frames is the truth
        # every frame index of the annotations refers to. The same pass collects the
        # decoder's timestamps, the only exact clock of a variable-rate file.
        stamps = [capture.get(cv2.CAP_PROP_POS_MSEC)]
        while capture.grab():
            stamps.append(capture.get(cv2.CAP_PROP_POS_MSEC))
            if len(stamps) % 256 == 0:
                cancel.check()
    finally:
        capture.release()
    gaps = frame_gaps_ms(stamps)
    info = VideoInfo(Path(path), fps, len(stamps), int(width), int(height), claimed, gaps)
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


@dataclass(slots=True)
class ClipImportReport:
    """What importing a folder of videos did."""

    created: list[str] = field(default_factory=list)
    attached: list[str] = field(default_factory=list)  # media given to clips that had none
    cut: list[tuple[str, int]] = field(default_factory=list)  # (long recording, clips cut from it)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The report as short lines of text."""
        out = [f"clips created: {len(self.created)}", f"media attached to existing clips: {len(self.attached)}",
               f"long recordings cut into clips: {len(self.cut)}", f"files skipped: {len(self.skipped)}"]
        out += [f"  cut {file} into {n} clips" for file, n in self.cut]
        out += [f"  skipped {file}: {reason}" for file, reason in self.skipped]
        out += [f"  warning: {w}" for w in self.warnings]
        return out


@dataclass(frozen=True, slots=True)
class _Recording:
    """A video longer than the maximum clip length, to cut into `names`."""

    info: VideoInfo
    subject: str
    pieces: list[Piece]
    names: list[str]


@dataclass(slots=True)
class _Plan:
    """What probing decided, before anything is written."""

    new: list[NewClip] = field(default_factory=list)
    attach: list[tuple[int, VideoInfo]] = field(default_factory=list)
    recordings: list[_Recording] = field(default_factory=list)


def find_videos(folder: Path) -> list[Path]:
    """Video files under `folder`, recursively, in sorted order."""
    if not folder.is_dir():
        raise InputError(str(folder), None, "video folder not found")
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in VIDEO_SUFFIXES)


def _media_path(file: Path, media_dir: Path) -> str:
    """Relative to the media root when the file is inside it, else absolute."""
    resolved = file.resolve()
    try:
        return resolved.relative_to(media_dir.resolve()).as_posix()
    except ValueError:
        return resolved.as_posix()


def import_video_folder(
    store: StoreAPI, project: _HasMediaDir, folder: Path, *, subject_regex: str = DEFAULT_SUBJECT_REGEX,
    min_seconds: float = DEFAULT_MIN_SECONDS, max_seconds: float = DEFAULT_MAX_SECONDS,
    progress: Progress = no_progress, cancel: CancelToken = NEVER,
) -> ClipImportReport:
    """Probe every video under `folder`; create new clips and attach media to clips that lack it.

    A clip's name is its file name without the extension. A new video longer than
    `max_seconds` is cut into clips of `min_seconds`–`max_seconds` written under the media
    root's cuts/ folder (named <stem>_part01, …, each remembering its source and offset); a
    video shorter than `min_seconds` is imported as it is, with a warning. Media attached to
    an existing clip is never cut (its annotations refer to the whole video). Unreadable and
    variable-frame-rate files are skipped and reported. Clips are written in one
    transaction after every file is probed and cut; a cancel or failure before that leaves
    no clip rows and removes every file this import cut.
    """
    files = find_videos(Path(folder))
    frame_limits(30.0, min_seconds, max_seconds)  # refuse impossible limits before any work
    report = ClipImportReport()
    plan = _probe_all(store, project, files, subject_regex, (min_seconds, max_seconds), report,
                      _scaled(progress, 0.0, 0.5), cancel)
    written: list[Path] = []
    try:
        plan.new += _cut_all(plan.recordings, project.media_dir, report, written, _scaled(progress, 0.5, 0.95),
                             cancel)
        cancel.check()
        progress(0.95, "writing clips")
        if plan.new:
            store.add_clips(plan.new)
    except BaseException:
        _remove_files(written, project.media_dir / CUTS_FOLDER)
        raise
    for clip_id, info in plan.attach:
        store.attach_media(clip_id, _media_path(info.path, project.media_dir), info.fps, info.frame_count,
                           info.width, info.height)
    progress(1.0, "done")
    return report


def _scaled(progress: Progress, low: float, high: float) -> Progress:
    """A progress callable mapping [0, 1] onto [low, high] of `progress`."""
    def report(fraction: float, message: str) -> None:
        progress(low + (high - low) * fraction, message)
    return report


def _probe_all(store: StoreAPI, project: _HasMediaDir, files: list[Path], subject_regex: str,
               limits: tuple[float, float], report: ClipImportReport, progress: Progress,
               cancel: CancelToken) -> _Plan:
    """Probe each file and decide what it becomes; writes nothing."""
    existing = {c.name: c for c in store.clips()}
    plan = _Plan()
    taken: set[str] = set()  # clip names a file of this import already provides
    for i, file in enumerate(files):
        cancel.check()
        progress(i / max(len(files), 1), f"probing {file.name}")
        name = file.stem
        clip = existing.get(name)
        if name in taken:
            report.skipped.append((str(file), f"another file already provides clip {name!r}"))
            continue
        if clip is not None and clip.media_path is not None:
            report.skipped.append((str(file), f"clip {name!r} already has media {clip.media_path!r}"))
            continue
        try:
            info = probe_video(file, cancel)
            subject = clip.subject if clip is not None else subject_from_name(name, subject_regex)
            pieces = plan_pieces(info.frame_count, info.fps, *limits) if clip is None else []
        except (InputError, ValueError) as exc:
            report.skipped.append((str(file), getattr(exc, "problem", str(exc))))
            continue
        if clip is not None:
            _plan_attach(clip, info, plan, report)
            report.attached.append(name)
        elif len(pieces) > 1:
            names = [piece_name(name, k, len(pieces)) for k in range(len(pieces))]
            clash = next((n for n in names if n in existing or n in taken), None)
            if clash is not None:
                report.skipped.append((str(file), f"clip {clash!r} already exists: this recording was cut before"))
                continue
            plan.recordings.append(_Recording(info, subject, pieces, names))
            taken.update(names)
        else:
            if info.duration < limits[0]:
                report.warnings.append(f"{file}: {info.duration:.2f} s is shorter than the {limits[0]:g} s "
                                       f"minimum clip length; imported as it is")
            plan.new.append(NewClip(name=name, subject=subject, fps=info.fps, frame_count=info.frame_count,
                                    width=info.width, height=info.height,
                                    media_path=_media_path(file, project.media_dir)))
            report.created.append(name)
        taken.add(name)
    return plan


def _plan_attach(clip: Clip, info: VideoInfo, plan: _Plan, report: ClipImportReport) -> None:
    if (clip.frame_count, clip.fps) != (info.frame_count, info.fps):
        report.warnings.append(
            f"{info.path}: decodes to {info.frame_count} frames at {info.fps:g} fps, the clip had "
            f"{clip.frame_count} at {clip.fps:g}; the video's figures are kept")
    plan.attach.append((clip.id, info))


def _cut_all(recordings: list[_Recording], media_dir: Path, report: ClipImportReport, written: list[Path],
             progress: Progress, cancel: CancelToken) -> list[NewClip]:
    """Cut every long recording into media_dir/cuts/; a recording that fails is skipped, cleaned up."""
    total = sum(r.info.frame_count for r in recordings) or 1
    done = 0
    clips: list[NewClip] = []
    for rec in recordings:
        outputs = [media_dir / CUTS_FOLDER / f"{n}{CUT_SUFFIX}" for n in rec.names]
        start = done / total
        share = rec.info.frame_count / total
        try:
            pieces = cut_recording(rec.info.path, rec.pieces, outputs, cancel=cancel,
                                   progress=_scaled(progress, start, start + share))
        except InputError as exc:
            report.skipped.append((str(rec.info.path), f"cutting failed: {exc}"))
            continue
        finally:
            done += rec.info.frame_count
        written.extend(outputs)
        source = _media_path(rec.info.path, media_dir)
        clips += [NewClip(name=name, subject=rec.subject, fps=p.fps, frame_count=p.piece.frame_count,
                          width=p.width, height=p.height, media_path=_media_path(p.path, media_dir),
                          source=source, source_offset_frame=p.piece.offset)
                  for name, p in zip(rec.names, pieces, strict=True)]
        report.created += rec.names
        report.cut.append((str(rec.info.path), len(pieces)))
    return clips


def _remove_files(paths: list[Path], folder: Path) -> None:
    """Delete files this import wrote, and their folder when that leaves it empty."""
    for path in paths:
        path.unlink(missing_ok=True)
    try:
        folder.rmdir()
    except OSError:
        pass  # not empty (holds earlier imports' clips) or never made
