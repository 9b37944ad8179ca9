"""What an export will write, before it runs: per subset the clips, subjects and instances,
and the leakage check's verdict. Read through the same export_set the export itself uses,
so the counts are those of the files."""

from __future__ import annotations

from dataclasses import dataclass, field

from annotator.errors import InputError
from annotator.exporting import check_split, export_set
from annotator.model import GROUND_TRUTH, Subset
from annotator.store.api import StoreAPI

UNSPLIT = "no subset"


@dataclass(frozen=True, slots=True)
class SubsetCounts:
    """One subset of the export."""

    clips: int
    instances: int
    subjects: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ExportPlan:
    """Counts per subset (train, val, test, then clips without one) and the leakage verdict."""

    subsets: dict[str, SubsetCounts] = field(default_factory=dict)
    leakage: str | None = None  # None: no subject is in two subsets; else the check's message

    @property
    def total_clips(self) -> int:
        """Clips in every subset."""
        return sum(s.clips for s in self.subsets.values())

    @property
    def total_instances(self) -> int:
        """Instances in every subset."""
        return sum(s.instances for s in self.subsets.values())


def plan_export(store: StoreAPI, source: str = GROUND_TRUTH, *, include_unresolved: bool = False) -> ExportPlan:
    """What exporting `source` now would write (InputError for an unknown source)."""
    try:
        check_split(store)
        leakage = None
    except InputError as exc:
        leakage = exc.problem
    aset = export_set(store, source, include_unresolved=include_unresolved)
    per_video: dict[str, int] = {}
    for inst in aset.instances:
        per_video[inst.video_id] = per_video.get(inst.video_id, 0) + 1
    order = [str(s) for s in Subset] + [UNSPLIT]
    groups: dict[str, list[str]] = {}
    for name, video in aset.videos.items():
        groups.setdefault(video.subset or UNSPLIT, []).append(name)
    subsets = {}
    for key in sorted(groups, key=lambda k: order.index(k) if k in order else len(order)):
        names = groups[key]
        subjects = sorted({aset.videos[n].subject or "?" for n in names})
        subsets[key] = SubsetCounts(len(names), sum(per_video.get(n, 0) for n in names), tuple(subjects))
    return ExportPlan(subsets, leakage)
