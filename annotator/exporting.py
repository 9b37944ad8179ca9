"""Export stored annotations as AnnotationSets and files, and store subject-disjoint splits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.agreed_empty import agreed_empty
from annotator.errors import InputError
from annotator.formats import ANNOTATION_FORMATS, write_annotations
from annotator.formats.common import write_json
from annotator.formats.records import AnnotationSet, InstanceRecord, VideoRecord
from annotator.formats.timed import Clocks
from annotator.media.reencode import REENCODED_FOLDER, SourceTiming, read_timing
from annotator.model import (
    GROUND_TRUTH,
    Assignment,
    AssignmentState,
    Clip,
    MergedInstance,
    MergedStatus,
    Role,
    Segment,
    Subset,
)
from annotator.progress import NEVER, CancelToken, Progress, no_progress
from annotator.splits import (
    DEFAULT_RATIOS,
    SplitBalance,
    check_no_leakage,
    check_ratios,
    split_balance,
    split_by_subject,
)
from annotator.store.api import StoreAPI
from annotator.taxonomy import Taxonomy
from annotator.wording import plural

# Per format: (file name of one subset, file name of everything). OpenTAD reads any file
# name given in its config plus category_idx.txt beside it; PointTAD expects mmad.json.
# ELAN writes one .eaf per video into a folder, once (each file records its clip's subset).
FILE_NAMES: dict[str, tuple[str | None, str]] = {
    "mma52-csv": ("{subset}.csv", "all.csv"),
    "opentad-json": ("mmad_opentad_{subset}.json", "mmad_opentad.json"),
    "pointtad-json": ("mmad_{subset}.json", "mmad.json"),
    "elan-eaf": (None, "elan"),
    "boris-aggregated": ("boris_aggregated_{subset}.tsv", "boris_aggregated.tsv"),
    "label-studio-json": ("label_studio_{subset}.json", "label_studio.json"),
}
ALL_FORMATS = "all"  # every format above, side by side in one folder (their file names differ)
MERGED = "merged"  # the source word of the reviewed merge
METADATA_FILE = "mmad_export.json"  # beside the files: source, options, clips written and left out


def merged_kept(inst: MergedInstance, include_unresolved: bool) -> bool:
    """Whether a merged instance belongs in the exported ground truth."""
    if inst.status == MergedStatus.RELIABLE:
        return True
    if inst.status == MergedStatus.RESOLVED:
        return inst.decision is None or not inst.decision.removes
    return include_unresolved and not (inst.majority is not None and inst.majority.removes)


def _video(clip: Clip) -> VideoRecord:
    return VideoRecord(clip.name, clip.fps, clip.frame_count, str(clip.subset) if clip.subset else None,
                       clip.subject)


@dataclass(frozen=True, slots=True)
class LeftOut:
    """A clip an export leaves out: its name, the reason (one of the REASON_* words) and details."""

    clip: str
    reason: str
    detail: str = ""


# Why a clip is not exported (the summary groups clips by these).
REASON_UNFINISHED = "not finished by all its annotators (the merge needs two or more, all done)"
REASON_NOT_MERGED = "finished but not merged"
REASON_IN_REVIEW = "merged, instances still to review"
REASON_NOT_FINALISED = "merged and reviewed, not finalised"
REASON_NO_WORK = "no work from this source"  # ground truth: in the annotation workflow, no instances
REASON_NOT_DONE = "not marked done by the annotator"
# An annotator's store hides merges (and others' work) until a clip is finalised: what it cannot see
# it must not call unfinished.
REASON_HIDDEN = "not finalised (an annotator sees a clip's merged result once it is finalised)"
EMPTY_DETAIL = "no instances: every annotator finished it without marking anything"
SHOWN_NAMES = 10  # clip names the summary lists per reason (the metadata file lists all)


@dataclass(frozen=True)
class ExportSelection:
    """What an export writes (annotations) and what it leaves out, for one source."""

    annotations: AnnotationSet
    source: str
    include_unresolved: bool
    left_out: tuple[LeftOut, ...] = ()
    majority_clips: tuple[str, ...] = ()  # with include_unresolved: merged clips not finalised
    majority_instances: int = 0  # their undecided instances taken at the majority outcome
    media: Mapping[str, str] = field(default_factory=dict)  # clip name -> its media file, for the tools' formats

    @property
    def author(self) -> str | None:
        """The annotator whose work this is (source annotator:NAME), else None."""
        return self.source[len("annotator:"):] if self.source.startswith("annotator:") else None

    @property
    def empty(self) -> bool:
        """Nothing to write."""
        return not self.annotations.videos

    def clips_per_subset(self) -> dict[str, int]:
        """Clips written per subset ("unassigned" for clips without one)."""
        out: dict[str, int] = {}
        for v in self.annotations.videos.values():
            key = v.subset or "unassigned"
            out[key] = out.get(key, 0) + 1
        order = [s.value for s in Subset] + ["unassigned"]  # train, val, test: the same order every time
        return dict(sorted(out.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order)))

    def left_out_by_reason(self) -> dict[str, list[LeftOut]]:
        """Left-out clips grouped by reason, in clip order."""
        out: dict[str, list[LeftOut]] = {}
        for item in self.left_out:
            out.setdefault(item.reason, []).append(item)
        return out

    def summary_lines(self) -> list[str]:
        """What was written per subset and what was left out, by reason, naming the clips."""
        written = ", ".join(f"{n:,} {s}" for s, n in self.clips_per_subset().items()) or "none"
        lines = [f"source {self.source}: {plural(len(self.annotations.videos), 'clip')}, "
                 f"{plural(len(self.annotations.instances), 'instance')} ({written})"]
        if self.majority_clips:
            lines.append(f"--include-unresolved: {len(self.majority_clips):,} merged clips not finalised are in, "
                         f"{plural(self.majority_instances, 'undecided instance')} at the majority outcome")
        empty = len(self.annotations.videos) - len({i.video_id for i in self.annotations.instances})
        if empty:
            lines.append(f"{plural(empty, 'clip')} {'has' if empty == 1 else 'have'} no instances: in the JSON "
                         "files with none; the MMA-52 CSV (one row per instance) cannot hold them")
        for reason, items in self.left_out_by_reason().items():
            names = ", ".join(i.clip + (f" ({i.detail})" if i.detail else "") for i in items[:SHOWN_NAMES])
            more = f", … {len(items) - SHOWN_NAMES:,} more" if len(items) > SHOWN_NAMES else ""
            lines.append(f"left out {plural(len(items), 'clip')}, {reason}: {names}{more}")
        return lines

    def to_json(self) -> dict[str, object]:
        """The export's metadata: source, options, clips per subset, every left-out clip."""
        return {"source": self.source, "include_unresolved": self.include_unresolved,
                "clips": self.clips_per_subset(), "instances": len(self.annotations.instances),
                "majority_outcome": {"clips": list(self.majority_clips), "instances": self.majority_instances},
                "left_out": [{"clip": i.clip, "reason": i.reason, "detail": i.detail} for i in self.left_out]}


def default_source(store: StoreAPI, clips: Sequence[Clip] | None = None) -> str:
    """Merged (finalised clips) once the reviewer has finalised any clip, else ground truth; the
    default of mmad export, mmad stats and training on a project (`clips`: the project's, when the
    caller has read them already)."""
    return MERGED if any(c.finalised for c in (store.clips() if clips is None else clips)) else GROUND_TRUTH


def export_set(store: StoreAPI, source: str = GROUND_TRUTH, *, include_unresolved: bool = False,
               subset: Subset | None = None) -> AnnotationSet:
    """The annotations an export of `source` writes, in stored clip and instance order (select_export)."""
    return select_export(store, source, include_unresolved=include_unresolved, subset=subset).annotations


def select_export(store: StoreAPI, source: str = GROUND_TRUTH, *, include_unresolved: bool = False,
                  subset: Subset | None = None, clips: Sequence[Clip] | None = None) -> ExportSelection:
    """The clips and instances an export of `source` writes, and the clips it leaves out with why.

    source "merged": finalised clips only, their reliable and resolved instances (with
    include_unresolved also merged clips not finalised, undecided instances at the majority
    outcome; a clip all its annotators finished empty counts as merged, with no instances); "ground-truth": clips with ground-truth instances, and clips outside the annotation
    workflow (no assignment: an imported file's video without instances is an answer); the
    workflow's clips without them are left out; "annotator:NAME": clips NAME marked done (also
    those they left empty: "done with nothing" is an answer). `clips`: the project's, when the
    caller has read them already.
    """
    if clips is None:
        clips = store.clips(subset)
    elif subset is not None:
        clips = [c for c in clips if c.subset == subset]
    if source == MERGED:
        return _select_merged(store, clips, include_unresolved)
    if source == GROUND_TRUTH:
        segments = store.segments_by_clip(GROUND_TRUTH)
        in_workflow = {a.clip_id for a in store.assignments(None)}
        keep = {c.id for c in clips if segments.get(c.id) or c.id not in in_workflow}
        left = tuple(LeftOut(c.name, REASON_NO_WORK) for c in clips if c.id not in keep)
        return _selection(clips, keep, segments, source, False, left)
    name = source[len("annotator:"):] if source.startswith("annotator:") else ""
    if not name:
        raise InputError("--source", None, f"unknown source {source!r}: ground-truth, merged or annotator:NAME")
    return _select_annotator(store, clips, name, source)


def _selection(clips: Sequence[Clip], keep: set[int], items: Mapping[int, Sequence[Segment | MergedInstance]],
               source: str, include_unresolved: bool, left: tuple[LeftOut, ...], **extra: Any) -> ExportSelection:
    aset = AnnotationSet(videos={c.name: _video(c) for c in clips if c.id in keep})
    for clip in clips:
        if clip.id in keep:
            aset.instances += [InstanceRecord(clip.name, i.start_frame, i.end_frame, i.action_id)
                               for i in items.get(clip.id, [])]
    media = {c.name: c.media_path for c in clips if c.id in keep and c.media_path}
    return ExportSelection(aset, source, include_unresolved, left, media=media, **extra)


def _select_annotator(store: StoreAPI, clips: Sequence[Clip], name: str, source: str) -> ExportSelection:
    person = next((a for a in store.annotators() if a.name == name), None)
    if person is None:
        raise InputError("--source", None, f"no annotator named {name!r} in the project")
    state = {a.clip_id: a.state for a in store.assignments(name)}
    segments = store.segments_by_clip(name)
    keep = {c.id for c in clips if state.get(c.id) is AssignmentState.DONE}
    left = tuple(LeftOut(c.name, REASON_NOT_DONE if c.id in state else REASON_NO_WORK)
                 for c in clips if c.id not in keep)
    return _selection(clips, keep, segments, source, False, left)


def _select_merged(store: StoreAPI, clips: Sequence[Clip], include_unresolved: bool) -> ExportSelection:
    merged = store.merged_by_clip()
    assignments = store.assignments(None)
    done = _finished_clips(assignments)
    empty = agreed_empty(store, assignments)
    keep: set[int] = set()
    left: list[LeftOut] = []
    majority: list[str] = []
    undecided = 0
    blind = store.user is not None and store.user.role is not Role.REVIEWER
    for clip in clips:
        items = merged.get(clip.id, [])
        if blind and not clip.finalised:
            left.append(LeftOut(clip.name, REASON_HIDDEN))
            continue
        open_count = sum(m.status is MergedStatus.NEEDS_REVIEW for m in items)
        if clip.finalised:
            keep.add(clip.id)
        elif (items or clip.id in empty) and include_unresolved:
            keep.add(clip.id)
            majority.append(clip.name)
            undecided += sum(merged_kept(m, True) for m in items if m.status is MergedStatus.NEEDS_REVIEW)
        elif open_count:
            left.append(LeftOut(clip.name, REASON_IN_REVIEW, f"{open_count} to review"))
        elif items:
            left.append(LeftOut(clip.name, REASON_NOT_FINALISED))
        elif clip.id in empty:
            left.append(LeftOut(clip.name, REASON_NOT_FINALISED, EMPTY_DETAIL))
        else:
            left.append(LeftOut(clip.name, REASON_NOT_MERGED if clip.id in done else REASON_UNFINISHED))
    kept = {cid: [m for m in items if merged_kept(m, include_unresolved)] for cid, items in merged.items()}
    return _selection(clips, keep, kept, MERGED, include_unresolved, tuple(left),
                      majority_clips=tuple(majority), majority_instances=undecided)


def _finished_clips(assignments: Sequence[Assignment]) -> set[int]:
    """Clips whose assigned annotators are all done (the merge needs two or more)."""
    states: dict[int, list[AssignmentState]] = {}
    for a in assignments:
        states.setdefault(a.clip_id, []).append(a.state)
    return {cid for cid, s in states.items() if len(s) >= 2 and all(x is AssignmentState.DONE for x in s)}


def _subset_of(aset: AnnotationSet, subset: str | None) -> AnnotationSet:
    videos = {k: v for k, v in aset.videos.items() if v.subset == subset}
    return AnnotationSet(videos=videos, instances=[i for i in aset.instances if i.video_id in videos])


def check_split(store: StoreAPI, clips: Sequence[Clip] | None = None) -> None:
    """Raise InputError when a subject sits in two subsets of the stored split (`clips`: the
    project's, when the caller has read them already)."""
    clips = store.clips() if clips is None else clips
    try:
        check_no_leakage({c.name: c.subset for c in clips}, {c.name: c.subject for c in clips})
    except ValueError as exc:
        raise InputError("project", "stored split", f"{exc} (run mmad split)") from None


def export_annotations(
    store: StoreAPI, out_dir: Path, fmt: str | Sequence[str], source: str = GROUND_TRUTH, *,
    include_unresolved: bool = False, progress: Progress = no_progress, cancel: CancelToken = NEVER,
) -> list[Path]:
    """Write one file per stored subset plus one with everything, in each format asked ("all": every
    one), from one read of the store, and the export's metadata; refuses a leaking split and an
    export with nothing in it (naming what was left out)."""
    formats = check_formats(fmt)
    clips = store.clips()
    check_split(store, clips)
    progress(0.0, "reading the project")
    selection = select_export(store, source, include_unresolved=include_unresolved, clips=clips)
    if selection.empty:
        raise InputError("project", f"source {source}", "nothing to export: " + "; ".join(selection.summary_lines()))
    return write_export(selection, out_dir, formats, store.taxonomy, progress, cancel)


def original_clocks(selection: ExportSelection, media_dir: Path) -> dict[str, SourceTiming]:
    """The re-encoded clips of a selection and their originals' clocks (their timing files)."""
    out = {}
    for name, media in selection.media.items():
        if Path(media).parts[:1] == (REENCODED_FOLDER,):
            timing = read_timing(media_dir / media)
            if timing is not None:
                out[name] = timing
    return out


def check_formats(fmt: str | Sequence[str]) -> list[str]:
    """The formats asked for ("all": every one); InputError for an unknown one."""
    formats = list(ANNOTATION_FORMATS) if fmt == ALL_FORMATS else [fmt] if isinstance(fmt, str) else list(fmt)
    unknown = [f for f in formats if f not in ANNOTATION_FORMATS]
    if unknown or not formats:
        raise InputError("--format", None, f"unknown format {(unknown or [''])[0]!r} "
                                           f"(one of {', '.join(ANNOTATION_FORMATS)}, or {ALL_FORMATS})")
    return formats


def write_export(selection: ExportSelection, out_dir: Path, formats: Sequence[str], taxonomy: Taxonomy,
                 progress: Progress = no_progress, cancel: CancelToken = NEVER, *,
                 clocks: Clocks | None = None) -> list[Path]:
    """Write a selection: per format one file per subset plus one with everything, then METADATA_FILE;
    `clocks` (original_clocks) put re-encoded clips in their original's times in ELAN and BORIS."""
    aset = selection.annotations
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    present = [s for s in Subset if any(v.subset == s for v in aset.videos.values())]
    parts = {str(sub): _subset_of(aset, str(sub)) for sub in present}
    written: list[Path] = []
    steps = len(formats) * (len(parts) + 1)
    for k, name in enumerate(formats):
        one, everything = FILE_NAMES[name]
        author, media = selection.author, dict(selection.media)
        for i, (sub, part) in enumerate(parts.items() if one is not None else ()):
            cancel.check()
            progress(0.2 + 0.8 * (k * (len(parts) + 1) + i) / steps, f"writing {name} {sub}")
            written += write_annotations(part, out_dir / str(one).format(subset=sub), name, taxonomy,
                                         author=author, media=media, clocks=clocks)
        written += write_annotations(aset, out_dir / everything, name, taxonomy, author=author, media=media,
                                     clocks=clocks)
    written.append(write_json(selection.to_json(), out_dir / METADATA_FILE))
    progress(1.0, "done")
    return list(dict.fromkeys(written))  # category_idx.txt is written once per file; list it once


@dataclass(frozen=True, slots=True)
class SplitSummary:
    """How many clips, subjects and instances each subset got, and the labels it was stratified on."""

    clips: dict[str, int]
    subjects: dict[str, int]
    source: str  # the export source whose instances the split balanced (select_export)
    instances: dict[str, int]  # of that source, per subset
    balance: SplitBalance  # on those same instances
    wanted: tuple[str, ...] = ()  # the subsets the ratios asked for (ratio above 0)
    labelled_subjects: int = 0  # subjects with at least one instance of the source

    def starved(self) -> list[str]:
        """The subsets asked for that got no instance to balance on: the split was made from too
        little labelled data (too few finalised clips or subjects) for every subset to get some."""
        return [name for name in self.wanted if not self.instances.get(name, 0)]

    def lines(self) -> list[str]:
        """One line per subset, then what the split was stratified on and how well."""
        out = [f"{s.value:>5}: {self.clips.get(s.value, 0):6d} clips {self.subjects.get(s.value, 0):5d} subjects "
               f"{self.instances.get(s.value, 0):6d} instances" for s in Subset]
        total = sum(self.instances.values())
        if not total:
            out.append(f"stratified on source {self.source}: no instances yet, so on video counts only "
                       "(finalise clips or import ground truth, then split again)")
            return out
        where = f" ({self.balance.worst[0].value}, class {self.balance.worst[1]})" if self.balance.worst else ""
        out.append(f"stratified on source {self.source}: {total} instances; largest class-share gap "
                   f"{100 * self.balance.max_share_diff:.1f} points{where}")
        if starved := self.starved():
            out.append(f"warning: too little data to balance on ({plural(total, 'instance')} from "
                       f"{plural(self.labelled_subjects, 'subject')}): {', '.join(starved)} got none; "
                       "finalise more clips, then split again")
        return out


def split_labels(store: StoreAPI, source: str) -> dict[str, list[int]]:
    """Clip name -> the action ids an export of `source` writes for it (clips it leaves out: absent)."""
    labels: dict[str, list[int]] = {}
    for inst in select_export(store, source).annotations.instances:
        labels.setdefault(inst.video_id, []).append(inst.action_id)
    return labels


def split_project(store: StoreAPI, ratios: Sequence[float] = DEFAULT_RATIOS, seed: int = 0,
                  source: str | None = None) -> SplitSummary:
    """Assign whole subjects to train/val/test and store it, stratified on the instances an export of
    `source` writes (default_source when None: the finalised merge, else imported ground truth)."""
    clips = store.clips()
    if not clips:
        raise InputError("project", None, "no clips to split")
    source = source or default_source(store)
    labels_of = split_labels(store, source)  # InputError for an unknown source, before anything is stored
    n_classes = len(store.taxonomy.actions)
    subject_of = {c.name: c.subject for c in clips}
    try:
        check_ratios(ratios)
    except ValueError as exc:
        raise InputError("--ratios", None, str(exc)) from None
    try:  # the ratios are fine: what is left to refuse lies in the labels
        subset_of = split_by_subject(subject_of, labels_of, n_classes, ratios, seed)
        check_no_leakage(subset_of, subject_of)
    except ValueError as exc:
        raise InputError(f"labels of {source}", None, str(exc)) from None
    store.set_subsets({c.id: subset_of[c.name] for c in clips})
    counts: dict[str, int] = {}
    people: dict[str, set[str]] = {}
    instances: dict[str, int] = {}
    for c in clips:
        key = str(subset_of[c.name])
        counts[key] = counts.get(key, 0) + 1
        people.setdefault(key, set()).add(c.subject)
        instances[key] = instances.get(key, 0) + len(labels_of.get(c.name, ()))
    balance = split_balance(dict(subset_of), labels_of, n_classes)
    wanted = tuple(s.value for s, r in zip(Subset, ratios, strict=True) if r > 0)
    labelled = len({subject_of[name] for name, labels in labels_of.items() if labels and name in subject_of})
    return SplitSummary(counts, {k: len(v) for k, v in people.items()}, source, instances, balance, wanted, labelled)
