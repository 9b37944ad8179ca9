"""Running the merge on a project's store: which clips are ready, the merge, writing results.

Typed against a small Protocol (the part of annotator.store.api.StoreAPI used here), so the
merge never sees SQLAlchemy. Annotators' segments are only read; the merge writes merged
instances with replace_unresolved_merged, which in one transaction keeps a resolved decision
only where the new output repeats its instance (same segments, proposed bounds, label, rule
and majority, no segment changed since the decision) and drops the others, so their new
instances go back to the reviewer; dropped decisions are reported as stale (and audited).
A clip whose annotators all finished without marking anything merges to nothing: that is a
result (everyone agreed nothing happens), finalised like any other.
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import dataclass, field
from typing import Protocol

from annotator.errors import InputError, RuleViolation
from annotator.model import (
    Annotator,
    Assignment,
    AssignmentState,
    Clip,
    MergedInstance,
    MergedStatus,
    Segment,
)
from annotator.progress import NEVER, CancelToken, Progress, no_progress
from annotator.taxonomy import Taxonomy
from merging.merge import MergeOptions, ProjectMerge, merge_clips
from merging.table import ClipWork


class MergeStore(Protocol):
    """What the merge needs from the store (a subset of StoreAPI)."""

    taxonomy: Taxonomy

    def require_reviewer(self, what: str) -> None: ...
    def annotators(self) -> list[Annotator]: ...
    def clips(self) -> list[Clip]: ...
    def assignments(self, annotator: str | None = None) -> list[Assignment]: ...
    def segments_by_clip(self, author: str) -> dict[int, list[Segment]]: ...
    def merged_instances(self, clip_id: int) -> list[MergedInstance]: ...
    def replace_unresolved_merged(self, clip_id: int, instances: Sequence[MergedInstance]) -> list[MergedInstance]: ...


@dataclass(frozen=True, slots=True)
class SkippedClip:
    """A clip the merge left alone, and why."""

    clip_id: int
    name: str
    reason: str


@dataclass(frozen=True, slots=True)
class MergeRun:
    """What one run of the merge did."""

    merged_clips: int
    written: int
    kept_resolved: int
    stale_resolved: tuple[int, ...]  # ids of resolved instances dropped: their instance changed
    skipped: tuple[SkippedClip, ...]
    result: ProjectMerge | None = field(default=None, repr=False)


def collect_work(
    store: MergeStore, clip_names: Sequence[str] | None = None, include_finalised: bool = False,
) -> tuple[list[ClipWork], list[SkippedClip]]:
    """Every clip whose assigned annotators (two or more) are all done, and the others with a reason.

    Finalised clips are skipped (the merge must not touch them) unless `include_finalised`, which
    the agreement report uses: a finished clip still tells how well its annotators agreed.
    """
    clips = store.clips()
    if clip_names:
        by_name = {c.name: c for c in clips}
        missing = [n for n in clip_names if n not in by_name]
        if missing:
            raise InputError("--clips", ", ".join(missing), "no clip of that name in the project")
        clips = [by_name[n] for n in clip_names]
    people = {a.id: a for a in store.annotators()}
    assigned: dict[int, list[Assignment]] = {}
    for a in store.assignments(None):
        assigned.setdefault(a.clip_id, []).append(a)
    ready: list[tuple[Clip, list[Annotator]]] = []
    skipped: list[SkippedClip] = []
    for clip in clips:
        reason = _not_ready(clip, assigned.get(clip.id, []), people, include_finalised)
        if reason:
            skipped.append(SkippedClip(clip.id, clip.name, reason))
        else:
            ready.append((clip, [people[a.annotator_id] for a in assigned[clip.id]]))
    segs = {a.name: store.segments_by_clip(a.name) for a in {p.id: p for _, ps in ready for p in ps}.values()}
    works = [ClipWork(clip.id, clip.frame_count, tuple(ps),
                      tuple(tuple(segs[p.name].get(clip.id, [])) for p in ps)) for clip, ps in ready]
    return works, skipped


def _not_ready(clip: Clip, assignments: list[Assignment], people: dict[int, Annotator],
               include_finalised: bool) -> str | None:
    if clip.finalised and not include_finalised:
        return "finalised"
    if len(assignments) < 2:
        return f"{len(assignments)} annotator(s) assigned; the merge needs two or more"
    waiting = [f"{people[a.annotator_id].name} ({a.state.value})" for a in assignments
               if a.state is not AssignmentState.DONE]
    if waiting:
        return "not done: " + ", ".join(waiting)
    return None


def run_merge(
    store: MergeStore, options: MergeOptions = MergeOptions(), clip_names: Sequence[str] | None = None,
    progress: Progress = no_progress, cancel: CancelToken = NEVER,
) -> MergeRun:
    """Merge every ready clip and store the result (resolved decisions kept); reviewers and the owner only."""
    store.require_reviewer("run the merge")
    progress(0.0, "reading the project")
    works, skipped = collect_work(store, clip_names)
    cancel.check()
    result = merge_clips(works, store.taxonomy, options,
                         lambda f, m: progress(0.1 + 0.3 * f, m), cancel)
    written = kept = merged = 0
    stale: list[int] = []
    for i, work in enumerate(works):
        cancel.check()
        before = [m.id for m in store.merged_instances(work.clip_id) if m.status is MergedStatus.RESOLVED]
        try:
            stored = store.replace_unresolved_merged(work.clip_id, result.by_clip[work.clip_id])
        except RuleViolation:  # a reviewer finalised the clip while the merge ran: leave it alone
            name = next((c.name for c in store.clips() if c.id == work.clip_id), str(work.clip_id))
            skipped.append(SkippedClip(work.clip_id, name, "finalised while the merge ran"))
            continue
        still = {m.id for m in stored if m.status is MergedStatus.RESOLVED}
        merged += 1
        written += len(stored) - len(still)
        kept += len(still)
        stale += [m for m in before if m is not None and m not in still]
        progress(0.4 + 0.6 * (i + 1) / max(len(works), 1), f"stored clip {work.clip_id}")
    return MergeRun(merged, written, kept, tuple(stale), tuple(skipped), result)


def current_merged(instances: Sequence[MergedInstance], live_segment_ids: Set[int]) -> list[MergedInstance]:
    """The stored instances of one clip the merge currently stands by.

    Every unresolved instance, and every resolved one built from segments that all still exist
    and that no unresolved instance reuses (otherwise a re-run superseded it: it is stale).
    Instances without segments (not produced from annotators' work) are left out.
    """
    unresolved = [m for m in instances if m.status is not MergedStatus.RESOLVED and m.segment_ids]
    taken = {i for m in unresolved for i in m.segment_ids}
    resolved = [m for m in instances if m.status is MergedStatus.RESOLVED and m.segment_ids
                and all(i in live_segment_ids for i in m.segment_ids) and taken.isdisjoint(m.segment_ids)]
    return unresolved + resolved
