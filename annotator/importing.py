"""Import an annotation file as ground truth or as one annotator's work, in one transaction."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from annotator import rules
from annotator.errors import InputError, RuleViolation
from annotator.formats import NO_MAPPING, TOOL_FORMATS, LabelMap, read_works
from annotator.formats.common import frame_of, load_json
from annotator.formats.records import AnnotationSet, InstanceRecord, VideoRecord
from annotator.formats.timed import single_work
from annotator.input_checks import check_video, read_text
from annotator.model import GROUND_TRUTH, Clip, Subset
from annotator.progress import NEVER, CancelToken, Progress, no_progress
from annotator.store.access import check_user_name
from annotator.store.api import BulkImport, NewClip, NewSegment, StoreAPI
from annotator.subjects import DEFAULT_SUBJECT_REGEX, subject_from_name


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did, for the CLI and the app to show."""

    file: str
    author: str
    clips_in_file: int
    clips_created: int
    instances_imported: int
    duplicates_dropped: int
    same_action_overlaps: int
    subjects_from_ids: int = 0  # new clips whose subject the subject regex took from their id
    subjects_made: int = 0  # distinct subjects of the new clips
    subject_regex: str = DEFAULT_SUBJECT_REGEX

    def lines(self) -> list[str]:
        """The report as short lines of text."""
        out = [
            f"imported {self.file} as {self.author}",
            f"  clips in file:              {self.clips_in_file:,}",
            f"  clips created (no media):   {self.clips_created:,}",
            f"  instances imported:         {self.instances_imported:,}",
            f"  exact duplicates dropped:   {self.duplicates_dropped:,}",
            f"  same-action overlaps kept:  {self.same_action_overlaps:,}",
        ]
        if self.subjects_from_ids:
            out.append(f"  subjects from clip ids:     {self.subjects_from_ids:,} clips, {self.subjects_made:,} "
                       f"subjects (--subject-regex {self.subject_regex})")
        if self.subjects_from_ids > 1 and self.subjects_made == self.subjects_from_ids:
            out.append("  warning: every new clip is its own subject (its id holds no subject part the regex "
                       "finds), so a split cannot keep one person's clips together; give --subject-regex, "
                       "or subjects in the file")
        return out


def import_annotations(
    store: StoreAPI, path: Path, fmt: str, *, annotator: str | None = None, subset: Subset | None = None,
    subject_regex: str = DEFAULT_SUBJECT_REGEX, fps: float | None = None, mapping: LabelMap = NO_MAPPING,
    progress: Progress = no_progress, cancel: CancelToken = NEVER,
) -> ImportReport:
    """Read `path` in `fmt` and store it as ground truth (annotator None) or as `annotator`'s work.

    Other tools' files (ELAN, BORIS, Label Studio) resolve their videos against the project's
    clips and their labels through `mapping`; one holding several annotators' work is refused
    here (import_annotators_from_file stores each as that annotator).
    """
    progress(0.0, f"reading {Path(path).name}")
    works = read_works(Path(path), fmt, store.taxonomy, fps=fps, clips=_project_clips(store, fmt), mapping=mapping)
    aset = single_work(works, str(path))
    cancel.check()
    progress(0.4, "checking against the project")
    return import_annotation_set(store, aset, str(path), annotator=annotator, subset=subset,
                                 subject_regex=subject_regex, progress=progress, cancel=cancel,
                                 locate=lambda inst: locate_instance(Path(path), fmt, aset, inst))


def import_annotators_from_file(
    store: StoreAPI, path: Path, fmt: str, *, subset: Subset | None = None,
    subject_regex: str = DEFAULT_SUBJECT_REGEX, mapping: LabelMap = NO_MAPPING,
    progress: Progress = no_progress, cancel: CancelToken = NEVER,
) -> list[ImportReport]:
    """Store each annotator's work a file names (ELAN tier annotators, Label Studio's completed_by)
    as that annotator's finished work; every work is checked before the first is written."""
    progress(0.0, f"reading {Path(path).name}")
    works = read_works(Path(path), fmt, store.taxonomy, clips=_project_clips(store, fmt), mapping=mapping)
    if None in works:
        raise InputError(str(path), None, "names no annotator for some of its work (an ELAN tier without an "
                                          "annotator, a Label Studio annotation without completed_by); import "
                                          "it with --annotator NAME or --ground-truth")
    _refuse_before_writing(store, works, str(path))
    reports = []
    for k, (author, aset) in enumerate(sorted(works.items(), key=lambda w: str(w[0]))):
        cancel.check()
        progress(0.2 + 0.8 * k / len(works), f"writing the work of {author}")
        reports.append(import_annotation_set(store, aset, str(path), annotator=author, subset=subset,
                                             subject_regex=subject_regex, cancel=cancel))
    progress(1.0, "done")
    return reports


def _refuse_before_writing(store: StoreAPI, works: dict[str | None, AnnotationSet], source: str) -> None:
    """What the store would refuse for any one person's work, checked for all of them first, so a
    refusal leaves every work unwritten: short instances, reserved names, work already imported."""
    by_name = {c.name: c.id for c in store.clips()}
    users = {a.name for a in store.annotators()}
    unknown = sorted(str(a) for a in works if a not in users)
    if unknown:  # as --annotator: work is imported for users that exist, never for a name made up here
        raise InputError(source, None, f"names {len(unknown)} user(s) not in the project: "
                                       f"{', '.join(map(repr, unknown))}; add them first: "
                                       "mmad add-user PROJECT NAME --role annotator")
    for author, aset in works.items():
        refuse_short_instances(aset, source)
        assert author is not None
        try:
            check_user_name(author)
        except RuleViolation as exc:
            raise InputError(source, f"annotator {author!r}", str(exc)) from None
        done = store.segments_by_clip(author)
        clash = next((n for n in aset.videos if by_name.get(n) in done and done[by_name[n]]), None)
        if clash is not None:
            raise InputError(source, f"annotator {author!r}", f"already has segments on clip {clash!r}: importing "
                                                               "again would duplicate them")


def _project_clips(store: StoreAPI, fmt: str) -> dict[str, VideoRecord]:
    """The project's clips by name, for the formats whose files lack fps or frame counts."""
    if fmt not in TOOL_FORMATS:
        return {}
    return {c.name: VideoRecord(c.name, c.fps, c.frame_count, str(c.subset) if c.subset else None, c.subject)
            for c in store.clips()}


def import_annotation_set(
    store: StoreAPI, aset: AnnotationSet, source: str, *, annotator: str | None = None,
    subset: Subset | None = None, subject_regex: str = DEFAULT_SUBJECT_REGEX,
    progress: Progress = no_progress, cancel: CancelToken = NEVER,
    locate: Callable[[InstanceRecord], str] | None = None,
) -> ImportReport:
    """Store an AnnotationSet read from `source` (named in messages); nothing is written on error.

    An instance shorter than 0.2 s refuses the whole file (docs/ARCHITECTURE.md, "Reliability");
    `locate` names its place in the source (a line, a JSON key), else the message names its video.
    """
    refuse_short_instances(aset, source, locate)
    existing = {c.name: c for c in store.clips()}
    if not aset.videos:
        raise InputError(source, None, "nothing to import: the file holds no rows (only a header?)")
    if annotator is not None:
        check_user_name(annotator)  # a reserved or unstorable name is said as such, not as unknown
    if annotator is not None and annotator not in {a.name for a in store.annotators()}:
        raise InputError("--annotator", None, f"no user {annotator!r} in the project; add them first: "
                                              f"mmad add-user PROJECT {annotator} --role annotator")
    new_clips = _new_clips(aset, existing, source, subject_regex)
    from_ids = [c for c in new_clips if aset.videos[c.name].subject is None]
    subsets = _subsets(aset, subset, existing)
    segments = [NewSegment(i.video_id, i.start_frame, i.end_frame, i.action_id) for i in aset.instances]
    author = annotator if annotator is not None else GROUND_TRUTH
    cancel.check()
    progress(0.6, f"writing {len(segments)} instances")
    note = {"file": source, "duplicates_dropped": len(aset.duplicates),
            "same_action_overlaps": aset.same_action_overlaps}
    try:
        counts = store.import_bulk(BulkImport(author=author, new_clips=new_clips, subsets=subsets,
                                              segments=segments, mark_done_for=annotator, note=note,
                                              clip_names=list(aset.videos)), cancel)
    except RuleViolation as exc:
        raise InputError(source, None, str(exc)) from None
    progress(1.0, "done")
    return ImportReport(source, author, counts["clips_in_file"], counts["clips_created"], counts["segments"],
                        len(aset.duplicates), aset.same_action_overlaps, len(from_ids),
                        len({c.subject for c in from_ids}), subject_regex)


def _new_clips(aset: AnnotationSet, existing: dict[str, Clip], source: str, regex: str) -> list[NewClip]:
    """Clips to create; a video the project already has must agree on fps and frame count."""
    out: list[NewClip] = []
    for name, video in aset.videos.items():
        clip = existing.get(name)
        if clip is not None:
            if clip.frame_count != video.total_frames or abs(clip.fps - video.fps) > 1e-6:
                raise InputError(source, f"video {name!r}",
                                 f"{video.total_frames} frames at {video.fps:g} fps, but the project's clip has "
                                 f"{clip.frame_count} frames at {clip.fps:g} fps")
            continue
        try:
            subject = video.subject or subject_from_name(name, regex)
        except ValueError as exc:
            raise InputError(source, f"video {name!r}", str(exc)) from None
        check_video(name, subject, video.fps, video.total_frames, source, f"video {name!r}")
        out.append(NewClip(name=name, subject=subject, fps=video.fps, frame_count=video.total_frames))
    return out


def _subsets(aset: AnnotationSet, forced: Subset | None, existing: dict[str, Clip]) -> dict[str, Subset | None]:
    """The subset of each video: --subset, else the file's own, else what the project had."""
    out: dict[str, Subset | None] = {}
    for name, video in aset.videos.items():
        if forced is not None:
            out[name] = forced
        elif video.subset is not None:
            out[name] = Subset(video.subset)
        elif name not in existing:
            out[name] = None
    return out


def refuse_short_instances(aset: AnnotationSet, source: str,
                           locate: Callable[[InstanceRecord], str] | None = None) -> None:
    """InputError for the first instance shorter than 0.2 s (whole frames, as the editor counts them)."""
    for inst in aset.instances:
        video = aset.videos[inst.video_id]
        shortest = rules.min_length_frames(video.fps)
        length = inst.end_frame - inst.start_frame
        if length < shortest:
            place = locate(inst) if locate is not None else f"video {inst.video_id!r}"
            raise InputError(source, place,
                             f"instance {inst.start_frame}-{inst.end_frame} of video {inst.video_id!r} (class "
                             f"{inst.action_id}) lasts {length / video.fps:.3f} s ({length} frames), shorter than "
                             f"the minimum 0.2 s ({shortest} frames at {video.fps:g} fps)")


def locate_instance(path: Path, fmt: str, aset: AnnotationSet, inst: InstanceRecord) -> str:
    """Where in the file an instance was read, named as the format readers name places.

    The file has already been read without error, so this re-reads it only to find the place.
    """
    if fmt in TOOL_FORMATS:  # their readers name places in messages; a short instance names its video
        return f"video {inst.video_id!r}"
    try:
        if fmt == "mma52-csv":
            return _csv_line(path, inst)
        fps = aset.videos[inst.video_id].fps
        if fmt == "opentad-json":
            top = load_json(path)
            assert isinstance(top, dict)
            entries = top["database"][inst.video_id]["annotations"]
            spans = [(a["segment"][0], a["segment"][1]) for a in entries]
            prefix, suffix = f"database.{inst.video_id}.annotations", ".segment"
        else:
            top = load_json(path)
            assert isinstance(top, dict)
            spans = [(a[1], a[2]) for a in top[inst.video_id]["actions"]]
            prefix, suffix = f"{inst.video_id}.actions", ""
        for i, (start_s, end_s) in enumerate(spans):
            if (frame_of(start_s, fps), frame_of(end_s, fps)) == (inst.start_frame, inst.end_frame):
                return f"{prefix}[{i}]{suffix}"
    except (AssertionError, KeyError, IndexError, TypeError, ValueError):
        pass  # fall back to naming the video
    return f"video {inst.video_id!r}"


def _csv_line(path: Path, inst: InstanceRecord) -> str:
    """The line of the official CSV that holds the instance."""
    reader = csv.reader(io.StringIO(read_text(path), newline=""))
    next(reader)  # header
    want = (inst.start_frame, inst.end_frame, inst.action_id)
    for row in reader:
        if len(row) >= 5 and row[1].strip() == inst.video_id and tuple(map(int, row[2:5])) == want:
            return f"line {reader.line_num}"
    return f"video {inst.video_id!r}"
