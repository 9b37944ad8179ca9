"""Running the merge on a project's store: which clips are ready, the merge, writing results.

Typed against a small Protocol (the part of annotator.store.api.StoreAPI used here), so the
merge never sees SQLAlchemy. Annotators' segments are only read; the merge writes merged
instances with store_merge (the whole project, one transaction), which keeps a resolved decision
only where the new output repeats its instance (same segments, proposed bounds, label, rule
and majority, no segment changed since the decision) and drops the others, so their new
instances go back to the reviewer; dropped decisions are reported as stale (and audited).
A clip whose annotators all finished without marking anything merges to nothing: that is a
result (everyone agreed nothing happens), finalised like any other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from annotator.errors import InputError
from annotator.model import (
    Annotator,
    Assignment,
    AssignmentState,
    Clip,
    MergedInstance,
    Segment,
)
from annotator.progress import NEVER, CancelToken, Progress, no_progress
from annotator.store.api import MergeWrite
from annotator.taxonomy import Taxonomy
from merging.merge import MergeOptions, ProjectMerge, merge_clips
from merging.standing import current_merged as current_merged  # re-exported: the merge's own rule
from merging.table import ClipWork


class MergeStore(Protocol):
    """What the merge needs from the store (a subset of StoreAPI)."""

    taxonomy: Taxonomy

    def require_reviewer(self, what: str) -> None: ...
    def annotators(self) -> list[Annotator]: ...
    def clips(self) -> list[Clip]: ...
    def assignments(self, annotator: str | None = None) -> list[Assignment]: ...
    def segments_by_clip(self, author: str) -> dict[int, list[Segment]]: ...
    def store_merge(self, results: Mapping[int, Sequence[MergedInstance]], progress: Progress = no_progress,
                    cancel: CancelToken = NEVER) -> MergeWrite: ...


NOT_DONE, UNASSIGNED, FINALISED = "not done", "unassigned", "finalised"  # SkippedClip.kind


@dataclass(frozen=True, slots=True)
class SkippedClip:
    """A clip the merge left alone, and why (kind: NOT_DONE, UNASSIGNED or FINALISED; reason: the detail)."""

    clip_id: int
    name: str
    reason: str
    kind: str = NOT_DONE


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
        why = _not_ready(clip, assigned.get(clip.id, []), people, include_finalised)
        if why:
            skipped.append(SkippedClip(clip.id, clip.name, why[1], why[0]))
        else:
            ready.append((clip, [people[a.annotator_id] for a in assigned[clip.id]]))
    segs = {a.name: store.segments_by_clip(a.name) for a in {p.id: p for _, ps in ready for p in ps}.values()}
    works = [ClipWork(clip.id, clip.frame_count, tuple(ps),
                      tuple(tuple(segs[p.name].get(clip.id, [])) for p in ps)) for clip, ps in ready]
    return works, skipped


def _not_ready(clip: Clip, assignments: list[Assignment], people: dict[int, Annotator],
               include_finalised: bool) -> tuple[str, str] | None:
    """(kind, reason) of a clip the merge cannot take, or None when it is ready."""
    if clip.finalised and not include_finalised:
        return FINALISED, "finalised"
    if len(assignments) < 2:
        return UNASSIGNED, f"{len(assignments)} annotator(s) assigned; the merge needs two or more"
    waiting = [f"{people[a.annotator_id].name} ({a.state.value})" for a in assignments
               if a.state is not AssignmentState.DONE]
    if waiting:
        return NOT_DONE, "not done: " + ", ".join(waiting)
    return None


def skip_summary(skipped: Sequence[SkippedClip]) -> str:
    """"skipped M: K not done, J unassigned, F finalised" (the kinds present), or "" when none."""
    if not skipped:
        return ""
    counts = {kind: sum(s.kind == kind for s in skipped) for kind in (NOT_DONE, UNASSIGNED, FINALISED)}
    return f"skipped {len(skipped):,}: " + ", ".join(f"{n:,} {kind}" for kind, n in counts.items() if n)


def run_merge(
    store: MergeStore, options: MergeOptions = MergeOptions(), clip_names: Sequence[str] | None = None,
    progress: Progress = no_progress, cancel: CancelToken = NEVER,
) -> MergeRun:
    """Merge every ready clip and store the result (resolved decisions kept); reviewers and the owner only.

    The project is read with a handful of queries and the whole result stored in one transaction
    (store_merge): a failure or a cancel leaves the stored merge as it was.
    """
    store.require_reviewer("run the merge")
    progress(0.0, "reading the project")
    works, skipped = collect_work(store, clip_names)
    cancel.check()
    result = merge_clips(works, store.taxonomy, options,
                         lambda f, m: progress(0.1 + 0.3 * f, m), cancel)
    cancel.check()
    wrote = store.store_merge({w.clip_id: result.by_clip[w.clip_id] for w in works},
                              lambda f, m: progress(0.4 + 0.6 * f, m), cancel)
    if wrote.finalised:  # a reviewer finalised them while the merge ran: left alone
        by_id = {c.id: c.name for c in store.clips()}
        skipped += [SkippedClip(cid, by_id.get(cid, str(cid)), "finalised while the merge ran", FINALISED)
                    for cid in wrote.finalised]
    return MergeRun(wrote.clips, wrote.written, wrote.kept, wrote.dropped, tuple(skipped), result)
