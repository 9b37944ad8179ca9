"""Export stored annotations as AnnotationSets and files, and store subject-disjoint splits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from annotator.errors import InputError
from annotator.formats import ANNOTATION_FORMATS, write_annotations
from annotator.formats.records import AnnotationSet, InstanceRecord, VideoRecord
from annotator.model import GROUND_TRUTH, Clip, MergedInstance, MergedStatus, Segment, Subset
from annotator.progress import NEVER, CancelToken, Progress, no_progress
from annotator.splits import DEFAULT_RATIOS, check_no_leakage, split_by_subject
from annotator.store.api import StoreAPI

# Per format: (file name of one subset, file name of everything). OpenTAD reads any file
# name given in its config plus category_idx.txt beside it; PointTAD expects mmad.json.
FILE_NAMES: dict[str, tuple[str, str]] = {
    "mma52-csv": ("{subset}.csv", "all.csv"),
    "opentad-json": ("mmad_opentad_{subset}.json", "mmad_opentad.json"),
    "pointtad-json": ("mmad_{subset}.json", "mmad.json"),
}
ALL_FORMATS = "all"  # every format above, side by side in one folder (their file names differ)


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


def export_set(store: StoreAPI, source: str = GROUND_TRUTH, *, include_unresolved: bool = False,
               subset: Subset | None = None) -> AnnotationSet:
    """Stored annotations as an AnnotationSet in stored clip and instance order.

    source: "ground-truth", "merged" (reliable + resolved; with include_unresolved also the
    majority outcome of instances still under review) or "annotator:NAME".
    """
    clips = store.clips(subset)
    aset = AnnotationSet(videos={c.name: _video(c) for c in clips})
    name_of = {c.id: c.name for c in clips}
    bounds: dict[int, list[Segment]] | dict[int, list[MergedInstance]]
    if source == "merged":
        merged = store.merged_by_clip()
        bounds = {cid: [m for m in items if merged_kept(m, include_unresolved)] for cid, items in merged.items()}
    elif source == GROUND_TRUTH:
        bounds = store.segments_by_clip(GROUND_TRUTH)
    elif source.startswith("annotator:") and source[len("annotator:"):]:
        bounds = store.segments_by_clip(source[len("annotator:"):])
    else:
        raise InputError("--source", None, f"unknown source {source!r}: ground-truth, merged or annotator:NAME")
    for clip in clips:
        for item in bounds.get(clip.id, []):
            aset.instances.append(InstanceRecord(name_of[clip.id], item.start_frame, item.end_frame, item.action_id))
    return aset


def _subset_of(aset: AnnotationSet, subset: str | None) -> AnnotationSet:
    videos = {k: v for k, v in aset.videos.items() if v.subset == subset}
    return AnnotationSet(videos=videos, instances=[i for i in aset.instances if i.video_id in videos])


def check_split(store: StoreAPI) -> None:
    """Raise InputError when a subject sits in two subsets of the stored split."""
    clips = store.clips()
    try:
        check_no_leakage({c.name: c.subset for c in clips}, {c.name: c.subject for c in clips})
    except ValueError as exc:
        raise InputError("project", "stored split", f"{exc} (run mmad split)") from None


def export_annotations(
    store: StoreAPI, out_dir: Path, fmt: str | Sequence[str], source: str = GROUND_TRUTH, *,
    include_unresolved: bool = False, progress: Progress = no_progress, cancel: CancelToken = NEVER,
) -> list[Path]:
    """Write one file per stored subset plus one with everything, in each format asked ("all": every
    one), from one read of the store; refuses a leaking split."""
    formats = list(ANNOTATION_FORMATS) if fmt == ALL_FORMATS else [fmt] if isinstance(fmt, str) else list(fmt)
    unknown = [f for f in formats if f not in ANNOTATION_FORMATS]
    if unknown or not formats:
        raise InputError("--format", None, f"unknown format {(unknown or [''])[0]!r} "
                                           f"(one of {', '.join(ANNOTATION_FORMATS)}, or {ALL_FORMATS})")
    check_split(store)
    progress(0.0, "reading the project")
    aset = export_set(store, source, include_unresolved=include_unresolved)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    present = [s for s in Subset if any(v.subset == s for v in aset.videos.values())]
    parts = {str(sub): _subset_of(aset, str(sub)) for sub in present}
    written: list[Path] = []
    steps = len(formats) * (len(parts) + 1)
    for k, name in enumerate(formats):
        one, everything = FILE_NAMES[name]
        for i, (sub, part) in enumerate(parts.items()):
            cancel.check()
            progress(0.2 + 0.8 * (k * (len(parts) + 1) + i) / steps, f"writing {name} {sub}")
            written += write_annotations(part, out_dir / one.format(subset=sub), name, store.taxonomy)
        written += write_annotations(aset, out_dir / everything, name, store.taxonomy)
    progress(1.0, "done")
    return list(dict.fromkeys(written))  # category_idx.txt is written once per file; list it once


@dataclass(frozen=True, slots=True)
class SplitSummary:
    """How many clips and subjects each subset got."""

    clips: dict[str, int]
    subjects: dict[str, int]


def split_project(store: StoreAPI, ratios: Sequence[float] = DEFAULT_RATIOS, seed: int = 0) -> SplitSummary:
    """Assign whole subjects to train/val/test (stratified on ground-truth labels) and store it."""
    clips = store.clips()
    if not clips:
        raise InputError("project", None, "no clips to split")
    gt = store.segments_by_clip(GROUND_TRUTH)
    subject_of = {c.name: c.subject for c in clips}
    labels_of = {c.name: [s.action_id for s in gt.get(c.id, [])] for c in clips}
    try:
        subset_of = split_by_subject(subject_of, labels_of, len(store.taxonomy.actions), ratios, seed)
        check_no_leakage(subset_of, subject_of)
    except ValueError as exc:
        raise InputError("--ratios", None, str(exc)) from None
    store.set_subsets({c.id: subset_of[c.name] for c in clips})
    counts: dict[str, int] = {}
    people: dict[str, set[str]] = {}
    for c in clips:
        key = str(subset_of[c.name])
        counts[key] = counts.get(key, 0) + 1
        people.setdefault(key, set()).add(c.subject)
    return SplitSummary(counts, {k: len(v) for k, v in people.items()})
