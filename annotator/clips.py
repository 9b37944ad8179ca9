"""Probe videos with OpenCV and import a folder of videos as clips."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import cv2

from annotator.errors import InputError
from annotator.progress import NEVER, CancelToken, Progress, no_progress
from annotator.store.api import NewClip, StoreAPI
from annotator.subjects import DEFAULT_SUBJECT_REGEX, subject_from_name

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

    @property
    def duration(self) -> float:
        """Length in seconds, frame_count / fps."""
        return self.frame_count / self.fps


def probe_video(path: Path, cancel: CancelToken = NEVER) -> VideoInfo:
    """Open a video and count its decodable frames; InputError when missing, unreadable or empty."""
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
        # every frame index of the annotations refers to.
        count = 1
        while capture.grab():
            count += 1
            if count % 256 == 0:
                cancel.check()
        return VideoInfo(Path(path), fps, count, int(width), int(height), claimed)
    finally:
        capture.release()


@dataclass(slots=True)
class ClipImportReport:
    """What importing a folder of videos did."""

    created: list[str] = field(default_factory=list)
    attached: list[str] = field(default_factory=list)  # media given to clips that had none
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The report as short lines of text."""
        out = [f"clips created: {len(self.created)}", f"media attached to existing clips: {len(self.attached)}",
               f"files skipped: {len(self.skipped)}"]
        out += [f"  skipped {file}: {reason}" for file, reason in self.skipped]
        out += [f"  warning: {w}" for w in self.warnings]
        return out


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
    progress: Progress = no_progress, cancel: CancelToken = NEVER,
) -> ClipImportReport:
    """Probe every video under `folder`; create new clips and attach media to clips that lack it.

    A clip's name is its file name without the extension. Unreadable files are skipped and
    reported. Nothing is written until every file is probed, so a cancel leaves no trace.
    """
    files = find_videos(Path(folder))
    existing = {c.name: c for c in store.clips()}
    report = ClipImportReport()
    new: list[NewClip] = []
    attach: list[tuple[int, VideoInfo]] = []
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
        except (InputError, ValueError) as exc:
            report.skipped.append((str(file), getattr(exc, "problem", str(exc))))
            continue
        if clip is None:
            new.append(NewClip(name=name, subject=subject, fps=info.fps, frame_count=info.frame_count,
                               width=info.width, height=info.height,
                               media_path=_media_path(file, project.media_dir)))
            report.created.append(name)
        else:
            if (clip.frame_count, clip.fps) != (info.frame_count, info.fps):
                report.warnings.append(
                    f"{file}: decodes to {info.frame_count} frames at {info.fps:g} fps, the clip had "
                    f"{clip.frame_count} at {clip.fps:g}; the video's figures are kept")
            attach.append((clip.id, info))
            report.attached.append(name)
        taken.add(name)
    cancel.check()
    progress(0.95, "writing clips")
    if new:
        store.add_clips(new)
    for clip_id, info in attach:
        store.attach_media(clip_id, _media_path(info.path, project.media_dir), info.fps, info.frame_count,
                           info.width, info.height)
    progress(1.0, "done")
    return report
