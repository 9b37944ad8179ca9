"""Import a folder of videos as clips (probed and cut by annotator.media)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from annotator.errors import InputError
from annotator.input_checks import check_video
from annotator.media.probe import VideoInfo, damage_problem, probe_video
from annotator.media.recordings import (
    CUT_SUFFIX,
    DEFAULT_MAX_SECONDS,
    DEFAULT_MIN_SECONDS,
    Piece,
    cut_recording,
    frame_limits,
    piece_name,
    plan_pieces,
)
from annotator.media.reencode import REENCODED_FOLDER, reencode, timing_path
from annotator.model import Clip
from annotator.progress import NEVER, CancelToken, Progress, no_progress
from annotator.shards import WHOLE, Shard
from annotator.store.api import NewClip, StoreAPI
from annotator.subjects import DEFAULT_SUBJECT_REGEX, subject_from_name
from annotator.work_pool import run_pool

CUTS_FOLDER = "cuts"  # under the media root: clips cut from long recordings
PROBES_PER_WORKER = 8  # fewer files than this per worker are probed in this process
VIDEO_SUFFIXES = frozenset({".mp4", ".avi", ".mov", ".mkv", ".webm", ".m4v", ".mpg", ".mpeg", ".wmv"})


class _HasMediaDir(Protocol):
    @property
    def media_dir(self) -> Path: ...


@dataclass(slots=True)
class ClipImportReport:
    """What importing a folder of videos did."""

    created: list[str] = field(default_factory=list)
    attached: list[str] = field(default_factory=list)  # media given to clips that had none
    cut: list[tuple[str, int]] = field(default_factory=list)  # (long recording, clips cut from it)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    reencoded: list[tuple[str, str]] = field(default_factory=list)  # (original file, why it was re-encoded)
    warnings: list[str] = field(default_factory=list)
    other_shards: int = 0  # videos left to the other parts of a --shard run

    def lines(self) -> list[str]:
        """The report as short lines of text."""
        out = [f"clips created: {len(self.created)}", f"media attached to existing clips: {len(self.attached)}",
               f"long recordings cut into clips: {len(self.cut)}", f"files skipped: {len(self.skipped)}"]
        if self.reencoded:
            out.append(f"re-encoded to constant-rate H.264: {len(self.reencoded)}")
        out += [f"  re-encoded {file} ({why})" for file, why in self.reencoded]
        if self.other_shards:
            out.append(f"videos left to the other shards: {self.other_shards}")
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
    damaged: bool = False


@dataclass(slots=True)
class _Plan:
    """What probing decided, before anything is written."""

    new: list[NewClip] = field(default_factory=list)
    attach: list[tuple[int, VideoInfo, bool]] = field(default_factory=list)  # (clip id, video, damaged)
    recordings: list[_Recording] = field(default_factory=list)
    reencoded: list[Path] = field(default_factory=list)  # files this import wrote under reencoded/


def find_videos(folder: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    """Video files under `folder`, recursively, in sorted order, and every other path found
    there that is not a folder to search, with why it is not taken (docs/ARCHITECTURE.md, "Bad input")."""
    if not folder.is_dir():
        raise InputError(str(folder), None, "video folder not found")
    videos: list[Path] = []
    passed: list[tuple[str, str]] = []
    known = ", ".join(sorted(VIDEO_SUFFIXES))
    for path in sorted(folder.rglob("*")):
        suffix = path.suffix.lower()
        if path.is_dir():
            if suffix in VIDEO_SUFFIXES:
                passed.append((str(path), "a folder, not a video file"))
        elif not path.is_file():
            passed.append((str(path), "not a regular file (a broken link, a socket, ...)"))
        elif suffix in VIDEO_SUFFIXES:
            videos.append(path)
        else:
            what = f"extension {path.suffix!r}" if path.suffix else "no extension"
            passed.append((str(path), f"{what} is not a video's ({known}); rename it to import it"))
    return videos, passed


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
    accept_damaged: bool = False, reencode_odd: bool = False, progress: Progress = no_progress,
    cancel: CancelToken = NEVER, workers: int = 1, shard: Shard = WHOLE,
) -> ClipImportReport:
    """Probe every video under `folder`; create new clips and attach media to clips that lack it.

    A clip's name is its file name without the extension. A new video longer than
    `max_seconds` is cut into clips of `min_seconds`–`max_seconds` written under the media
    root's cuts/ folder (named <stem>_part01, …, each remembering its source and offset); a
    video shorter than `min_seconds` is imported as it is, with a warning. Media attached to
    an existing clip is never cut (its annotations refer to the whole video). Unreadable and
    variable-frame-rate files are skipped and reported, and so is every other path found
    that is not a video: each with its reason. A damaged video (fewer frames decode than
    its container declares, beyond a frame or two) is skipped saying how many frames could
    be read, or with `accept_damaged` imported marked damaged. With `reencode_odd`, a
    variable-rate file or one OpenCV cannot decode is re-encoded to constant-rate H.264 under
    the media root's reencoded/ folder (annotator.media.reencode), the clip's source naming the
    original and a timing file beside it mapping its frames to the original's times. Clips are written in one
    transaction after every file is probed and cut; a cancel or failure before that leaves
    no clip rows and removes every file this import cut.

    Probing runs in `workers` processes (annotator.work_pool). With a `shard`, only the files
    whose clip name (file stem) falls in that part are taken: N machines sharing the project
    each import one part.
    """
    found, passed = find_videos(Path(folder))
    frame_limits(30.0, min_seconds, max_seconds)  # refuse impossible limits before any work
    files = shard.pick(found, lambda f: f.stem)
    report = ClipImportReport(skipped=shard.pick(passed, lambda p: Path(p[0]).stem),
                              other_shards=len(found) - len(files))
    plan = _Plan()
    try:
        _probe_all(store, project, files, subject_regex, (min_seconds, max_seconds), accept_damaged, report,
                   _scaled(progress, 0.0, 0.5), cancel, plan, reencode_odd, workers)
    except BaseException:
        _remove_reencoded(plan.reencoded)
        raise
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
        _remove_reencoded(plan.reencoded)
        raise
    for clip_id, info, damaged in plan.attach:
        store.attach_media(clip_id, _media_path(info.path, project.media_dir), info.fps, info.frame_count,
                           info.width, info.height, damaged=damaged)
    progress(1.0, "done")
    return report


def _scaled(progress: Progress, low: float, high: float) -> Progress:
    """A progress callable mapping [0, 1] onto [low, high] of `progress`."""
    def report(fraction: float, message: str) -> None:
        progress(low + (high - low) * fraction, message)
    return report


def _probe_all(store: StoreAPI, project: _HasMediaDir, files: list[Path], subject_regex: str,
               limits: tuple[float, float], accept_damaged: bool, report: ClipImportReport, progress: Progress,
               cancel: CancelToken, plan: _Plan, reencode_odd: bool, workers: int = 1) -> None:
    """Probe each file (in `workers` processes) and decide what it becomes into `plan`; writes
    nothing but re-encodes (in this process, one file after another)."""
    existing = {c.name: c for c in store.clips()}
    has_media = {name for name, c in existing.items() if c.media_path is not None}
    probed = _probe_files([f for f in files if f.stem not in has_media], workers, _scaled(progress, 0.0, 0.5),
                          cancel)
    taken: set[str] = set()  # clip names a file of this import already provides
    for i, file in enumerate(files):
        name = file.stem
        clip = existing.get(name)
        if name in taken:
            report.skipped.append((str(file), f"another file already provides clip {name!r}"))
            continue
        if clip is not None and clip.media_path is not None:
            report.skipped.append((str(file), f"clip {name!r} already has media {clip.media_path!r}"))
            continue
        source = None
        made = len(plan.reencoded)
        try:
            info = probed[file]
            if isinstance(info, str) and not reencode_odd:
                raise InputError(str(file), None, info)
            if isinstance(info, str):
                step = _scaled(progress, 0.5 + 0.5 * i / max(len(files), 1), 0.5 + 0.5 * (i + 1) / max(len(files), 1))
                info, source = _reencoded(file, project.media_dir, info, plan, report, step, cancel)
            subject = clip.subject if clip is not None else subject_from_name(name, subject_regex)
            check_video(name, subject, info.fps, info.frame_count, str(file), None)
            pieces = plan_pieces(info.frame_count, info.fps, *limits) if clip is None else []
        except (InputError, ValueError) as exc:
            _remove_reencoded(plan.reencoded[made:])
            del plan.reencoded[made:]
            report.skipped.append((str(file), getattr(exc, "problem", str(exc))))
            continue
        damage = damage_problem(info)
        if damage is not None and not accept_damaged:
            report.skipped.append((str(file), f"{damage}; re-copy or re-encode it, or import it marked damaged "
                                              "with --accept-damaged"))
            continue
        if damage is not None:
            report.warnings.append(f"{file}: {damage}; imported marked damaged")
        if clip is not None:
            _plan_attach(clip, info, damage is not None, plan, report)
            report.attached.append(name)
        elif len(pieces) > 1:
            names = [piece_name(name, k, len(pieces)) for k in range(len(pieces))]
            clash = next((n for n in names if n in existing or n in taken), None)
            if clash is not None:
                report.skipped.append((str(file), f"clip {clash!r} already exists: this recording was cut before"))
                continue
            plan.recordings.append(_Recording(info, subject, pieces, names, damage is not None))
            taken.update(names)
        else:
            if info.duration < limits[0]:
                report.warnings.append(f"{file}: {info.duration:.2f} s is shorter than the {limits[0]:g} s "
                                       f"minimum clip length; imported as it is")
            plan.new.append(NewClip(name=name, subject=subject, fps=info.fps, frame_count=info.frame_count,
                                    width=info.width, height=info.height,
                                    media_path=_media_path(info.path, project.media_dir), source=source,
                                    damaged=damage is not None))
            report.created.append(name)
        taken.add(name)


def _reencoded(file: Path, media_dir: Path, why: str, plan: _Plan, report: ClipImportReport, progress: Progress,
               cancel: CancelToken) -> tuple[VideoInfo, str]:
    """Re-encode a file the probe refused and probe the result; (its info, the original's path)."""
    out = media_dir / REENCODED_FOLDER / f"{file.stem}.mp4"
    if out.exists():
        raise InputError(str(file), None, f"{out} already exists: this file was re-encoded before")
    plan.reencoded.append(out)
    reencode(file, out, progress, cancel)
    info = probe_video(out, cancel)
    report.reencoded.append((str(file), why))
    return info, file.resolve().as_posix()


def _remove_reencoded(paths: list[Path]) -> None:
    """Delete the re-encoded files (and their timing files) of an import that failed."""
    for path in paths:
        path.unlink(missing_ok=True)
        timing_path(path).unlink(missing_ok=True)


def probe_file(path: Path, cancel: CancelToken = NEVER) -> VideoInfo | str:
    """A video's probe, or why it cannot be imported (for annotator.work_pool)."""
    try:
        return probe_video(path, cancel)
    except ValueError as exc:  # InputError, or a reader's own
        return getattr(exc, "problem", str(exc))


def _probe_files(files: list[Path], workers: int, progress: Progress, cancel: CancelToken
                 ) -> dict[Path, VideoInfo | str]:
    """Every file's probe, in `workers` processes (in this one, with its cancel, for one). A worker
    takes a second to start, about as long as probing a few short clips: few files stay here."""
    workers = min(workers, len(files) // PROBES_PER_WORKER)
    work = functools.partial(probe_file, cancel=cancel) if workers <= 1 else probe_file
    items = [(str(f), f) for f in files]
    out: dict[Path, VideoInfo | str] = {}
    for outcome in run_pool(work, items, workers, progress=progress, cancel=cancel):
        out[Path(outcome.name)] = outcome.value if outcome.value is not None else str(outcome.error)
    return out


def _plan_attach(clip: Clip, info: VideoInfo, damaged: bool, plan: _Plan, report: ClipImportReport) -> None:
    if (clip.frame_count, clip.fps) != (info.frame_count, info.fps):
        report.warnings.append(
            f"{info.path}: decodes to {info.frame_count} frames at {info.fps:g} fps, the clip had "
            f"{clip.frame_count} at {clip.fps:g}; the video's figures are kept")
    plan.attach.append((clip.id, info, damaged))


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
                          source=source, source_offset_frame=p.piece.offset, damaged=rec.damaged)
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
