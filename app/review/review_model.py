"""What the reviewer screen reads: clips with merged instances, their counts, who said what.

Plain functions over the store API (no Qt): the queue rows, the clip's annotators and
their segments, the instances the merge currently stands by, and the reviewer's choices
as (decision, start, end, action) ready for StoreAPI.resolve_merged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from annotator.agreed_empty import agreed_empty
from annotator.decisions import Decision, Outcome
from annotator.model import Clip, MergedInstance, MergedStatus, Segment
from annotator.store.api import MergedOutline, StoreAPI
from annotator.taxonomy import Taxonomy
from app.i18n import mark, tax_name, tr
from merging.majority import Choice as Choice  # re-exported: the review screen's type
from merging.majority import majority_decision as majority_decision
from merging.standing import current_merged


@dataclass(frozen=True, slots=True)
class ReviewRow:
    """One clip in the reviewer's queue with its review counts."""

    clip: Clip
    needs_review: int
    reliable: int
    resolved: int
    merge_problem: str | None = None  # why finalising would be refused on its merge (stale), as the store says

    @property
    def stale(self) -> bool:
        """An annotator changed their work after the clip's merge (or it was never merged): re-merge first."""
        return self.merge_problem is not None and not self.clip.finalised

    @property
    def total(self) -> int:
        """Instances the merge currently stands by."""
        return self.needs_review + self.reliable + self.resolved


def status_counts(instances: Sequence[MergedInstance | MergedOutline]) -> tuple[int, int, int]:
    """(needs review, reliable, resolved) among instances."""
    needs = sum(m.status is MergedStatus.NEEDS_REVIEW for m in instances)
    reliable = sum(m.status is MergedStatus.RELIABLE for m in instances)
    return needs, reliable, len(instances) - needs - reliable


def load_review_rows(store: StoreAPI) -> list[ReviewRow]:
    """Every clip that has merged instances, with counts over the instances the merge stands by,
    and every clip its annotators all finished empty (no instance: ready to finalise).

    A handful of queries for the whole project, each reading ids and states only (merged_outline,
    segment_counts, merge_problems): a 6,000-clip project's queue opens at once. What only some
    projects need is read only then: the live segments when a decision was taken (a resolved
    instance stands only while its segments live), who finished empty when a clip has no merge.
    """
    merged = store.merged_outline()
    clips = store.clips()
    empty = agreed_empty(store) if any(c.id not in merged for c in clips) else set()
    if not merged and not empty:
        return []
    resolved = any(m.status is MergedStatus.RESOLVED for ms in merged.values() for m in ms)
    live = store.live_segment_ids() if resolved else frozenset[int]()
    listed: list[tuple[Clip, list[MergedOutline]]] = []
    for clip in clips:
        instances = current_merged(merged.get(clip.id, []), live)
        if instances or (clip.id in empty and not merged.get(clip.id)):
            listed.append((clip, instances))
    # the store's own finalise check, so "ready" here means finalise_clip will not refuse the merge
    problems = store.merge_problems([clip.id for clip, _ in listed if not clip.finalised])
    return [ReviewRow(clip, *status_counts(instances), problems.get(clip.id)) for clip, instances in listed]


def clip_state(row: ReviewRow) -> str:
    """Where a queued clip stands: final, stale (changed since its merge), ready (to finalise) or open
    (English, marked: the queue shows it translated)."""
    if row.clip.finalised:
        return mark("Review", "final")
    if row.stale:
        return STALE_STATE
    return mark("Review", "ready") if row.needs_review == 0 else mark("Review", "open")


STALE_STATE = mark("Review", "re-merge")  # short: the column is narrow; the tooltip says why
STATES = ("open", "ready", STALE_STATE, "final")  # every word clip_state gives (the queue sizes its column)


def standing_instances(merged: Sequence[MergedInstance], segments: dict[str, list[Segment]]) -> list[MergedInstance]:
    """The merged instances the merge stands by (given the live `segments`), sorted by start then end."""
    live = {s.id for segs in segments.values() for s in segs if s.id is not None}
    return sorted(current_merged(merged, live), key=lambda m: (m.start_frame, m.end_frame, m.id or 0))


def outcome_text(decision: Decision | None, taxonomy: Taxonomy) -> str:
    """A majority or decision in words: 'keep', 'delete', 'label → B1 nodding', …"""
    if decision is None:
        return tr("Review", "no majority")
    if decision.outcome is Outcome.TAKE:
        return tr("Review", "take {name}'s version").format(name=decision.annotator)
    if decision.outcome is Outcome.ADJUST:
        return tr("Review", "keep, boundaries adjusted")
    if decision.outcome is Outcome.LABEL and decision.action_id is not None:
        a = taxonomy.action(decision.action_id)
        return tr("Review", "label → {code} {name}").format(code=a.code, name=tax_name(a.name))
    return tr("Review", OUTCOME_TEXT.get(str(decision.outcome), str(decision.outcome)))


OUTCOME_TEXT = {"keep": mark("Review", "keep"), "delete": mark("Review", "delete")}  # the others are built above


def author_of(inst: MergedInstance, segments: dict[str, list[Segment]]) -> dict[str, Segment]:
    """Each annotator's segment inside the instance, by annotator name."""
    members = set(inst.segment_ids)
    out: dict[str, Segment] = {}
    for name, segs in segments.items():
        for s in segs:
            if s.id in members:
                out[name] = s
    return out


@dataclass(frozen=True, slots=True)
class ReviewClip:
    """Everything the review screen shows of one clip, as the store holds it."""

    clip: Clip
    annotators: list[str]
    segments: dict[str, list[Segment]]  # by annotator, sorted by start then end
    instances: list[MergedInstance]  # the ones the merge stands by, sorted (standing_instances)
    merge_problem: str | None  # why finalising would be refused on its merge, as the store says

    def row(self) -> ReviewRow:
        """The clip's row in the reviewer's queue."""
        return ReviewRow(self.clip, *status_counts(self.instances), self.merge_problem)


def read_review_clip(store: StoreAPI, clip_id: int) -> ReviewClip:
    """Read one clip for the review screen: its annotators, their segments, the instances, the merge's
    state (review_view: one snapshot, one round trip on a team server)."""
    view = store.review_view(clip_id)  # the clip as it is now: another reviewer may have finalised it
    segments = {name: sorted(view.segments[name], key=lambda s: (s.start_frame, s.end_frame))
                for name in view.annotators}
    return ReviewClip(view.clip, view.annotators, segments, standing_instances(view.merged, segments),
                      view.merge_problem)


def review_rows_of(store: StoreAPI, clip_ids: Sequence[int]) -> list[ReviewRow]:
    """The queue rows of a few clips (those a teammate's commit named), each read as the review screen reads it."""
    return [read_review_clip(store, clip_id).row() for clip_id in clip_ids]
