"""What a training run from the app learns from: the stored split's clips with media, their
instances from one source, counts per subset, the subjects kept apart, and a fingerprint.

Source "merged" takes only clips the reviewer finalised (what `mmad export --source merged`
delivers); "ground-truth" takes every clip with imported ground truth. The fingerprint is a
sha256 prefix of the exported records, so two versions trained on the same data say so.
Pure: no torch, no Qt.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from annotator.errors import InputError
from annotator.exporting import MERGED, check_split, default_source, select_export
from annotator.formats.records import AnnotationSet
from annotator.model import Role, Subset
from annotator.project import Project
from annotator.store.api import StoreAPI


@dataclass(frozen=True)
class TrainingData:
    """The clips a run trains, validates and tests on, and why others are left out."""

    source: str
    annotations: AnnotationSet  # only the clips used, each with its subset
    media: dict[str, Path]  # clip name -> video file
    clips: dict[str, int]  # per subset
    instances: dict[str, int]  # per subset
    subjects: dict[str, list[str]]  # per subset, sorted
    fingerprint: str
    left_out: dict[str, int] = field(default_factory=dict)  # reason -> clips

    def ids(self, subset: Subset) -> list[str]:
        """Clip names of one subset, in stored order."""
        return [v for v, rec in self.annotations.videos.items() if rec.subset == str(subset)]

    def summary(self) -> str:
        """One line per subset and one for what is left out."""
        lines = [f"{sub}: {self.clips.get(sub, 0)} clips, {self.instances.get(sub, 0)} instances, "
                 f"subjects {', '.join(self.subjects.get(sub, [])) or '-'}" for sub in map(str, Subset)]
        if self.left_out:
            lines.append("left out: " + ", ".join(f"{n} {why}" for why, n in self.left_out.items()))
        return "\n".join(lines)


def fingerprint(aset: AnnotationSet) -> str:
    """sha256 prefix of the records in a canonical order (clip, subset, length, instances)."""
    videos = sorted((v.video_id, v.subset, v.fps, v.total_frames) for v in aset.videos.values())
    insts = sorted((i.video_id, i.start_frame, i.end_frame, i.action_id) for i in aset.instances)
    return hashlib.sha256(json.dumps([videos, insts]).encode()).hexdigest()[:12]


def subset_counts(aset: AnnotationSet) -> tuple[dict[str, int], dict[str, int]]:
    """Clips and instances per subset."""
    clips: dict[str, int] = {}
    instances: dict[str, int] = {}
    for rec in aset.videos.values():
        clips[str(rec.subset)] = clips.get(str(rec.subset), 0) + 1
    for inst in aset.instances:
        sub = str(aset.videos[inst.video_id].subset)
        instances[sub] = instances.get(sub, 0) + 1
    return clips, instances


def training_data(project: Project, store: StoreAPI, source: str | None = None) -> TrainingData:
    """The stored split's clips with media and `source` annotations; InputError when none can train."""
    clips = store.clips()
    source = source or default_source(store, clips)
    check_split(store, clips)
    aset = select_export(store, source, clips=clips).annotations
    left: dict[str, int] = {}
    keep: dict[str, Path] = {}
    for clip in clips:
        path = project.media_path(clip)
        reason = ("without a subset (split in the reviewer's Export dialog, Ctrl+E, or run mmad split)" if clip.subset is None
                  else "without media" if path is None or not path.is_file()
                  else "not finalised" if source == MERGED and not clip.finalised else None)
        if reason is None and clip.name not in aset.videos:
            reason = _nothing_in(source, store)
        if reason is None and path is not None:
            keep[clip.name] = path
        else:
            left[reason or "?"] = left.get(reason or "?", 0) + 1
    used = AnnotationSet(videos={k: v for k, v in aset.videos.items() if k in keep},
                         instances=[i for i in aset.instances if i.video_id in keep])
    counts, instances = subset_counts(used)
    people: dict[str, set[str]] = {}
    for rec in used.videos.values():
        people.setdefault(str(rec.subset), set()).add(rec.subject or "?")
    if not counts.get(str(Subset.TRAIN)):
        raise InputError(str(project.path), f"source {source}", "no training clips: " + (
            ", ".join(f"{n} clips {why}" for why, n in left.items()) or "the project has no clips"))
    return TrainingData(source, used, keep, counts, instances, {k: sorted(v) for k, v in people.items()},
                        fingerprint(used), left)


def _nothing_in(source: str, store: StoreAPI) -> str:
    """Why a clip the export of `source` leaves out has nothing to train on (an annotator's view hides
    the ground truth and others' work until a clip is finalised: the demo's annotator sees none)."""
    if store.user is not None and store.user.role is Role.ANNOTATOR:
        return "with nothing an annotator may read (the ground truth and others' work: finalised clips only)"
    return f"with nothing in source {source}"


def refusal(data: TrainingData, min_clips: int, min_instances: int, need_val: bool = True) -> str | None:
    """Why a run on this data would give a model not worth proposing with (None: it may train)."""
    train = str(Subset.TRAIN)
    clips, instances = data.clips.get(train, 0), data.instances.get(train, 0)
    if clips < min_clips:
        return f"only {clips} training clips (at least {min_clips} needed)"
    if instances < min_instances:
        return f"only {instances} training instances (at least {min_instances} needed)"
    if need_val and not data.clips.get(str(Subset.VAL)):
        return ("no validation clips: nothing to choose the epoch or the proposal threshold on (split again in "
                "the reviewer's Export dialog, Ctrl+E, or run mmad split)")
    return None


def longest_clip(data: TrainingData) -> int:
    """Decoded frames of the longest clip the run uses (0 without clips)."""
    return max((v.total_frames for v in data.annotations.videos.values()), default=0)
