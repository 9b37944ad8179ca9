"""How well one annotator's work matches the final result: F1 over the finalised clips they marked.

Feedback for annotators (a team trains its annotators with it): on each finalised clip
assigned to them, their segments against the ground truth that the export reads (the merged
instances kept after review), matched one to one at tIoU >= 0.5 with the same action. The F1
pools every clip's matches, so a clip with many instances weighs more than a nearly empty one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from annotator.exporting import merged_kept
from annotator.model import Clip, MergedInstance, Segment
from merging.proposal_effect import match_count

Item = tuple[int, int, int]  # start, end, action


class FinalAgreementStore(Protocol):
    """The reads the figure needs (StoreAPI has them)."""

    def clips(self) -> list[Clip]: ...
    def segments_by_clip(self, author: str) -> dict[int, list[Segment]]: ...
    def merged_by_clip(self) -> dict[int, list[MergedInstance]]: ...


@dataclass(frozen=True, slots=True)
class FinalAgreement:
    """One annotator against the final result: matched instances, theirs, the final ones, clips."""

    matched: int
    yours: int
    final: int
    clips: int

    @property
    def f1(self) -> float | None:
        """Pooled F1 (None when neither side has an instance)."""
        total = self.yours + self.final
        return 2 * self.matched / total if total else None

    def text(self) -> str:
        """One line for the queue."""
        if not self.clips:
            return "No finalised clip of yours yet: your agreement with the final result shows here"
        f1 = "—" if self.f1 is None else f"{self.f1:.2f}"
        return f"Your agreement with the final result: F1 {f1} over {self.clips} clip{'s' if self.clips != 1 else ''}"


def final_items(instances: Sequence[MergedInstance]) -> list[Item]:
    """The ground truth of a finalised clip: its merged instances kept after review."""
    return [(m.start_frame, m.end_frame, m.action_id) for m in instances if merged_kept(m, False)]


def agreement(yours: Mapping[int, Sequence[Segment]], final: Mapping[int, Sequence[MergedInstance]],
              clip_ids: Sequence[int]) -> FinalAgreement:
    """Pool the matches of every clip in `clip_ids` (clips the annotator worked on that are final)."""
    matched = mine = truth = 0
    for clip_id in clip_ids:
        a = [(s.start_frame, s.end_frame, s.action_id) for s in yours.get(clip_id, ())]
        b = final_items(final.get(clip_id, ()))
        matched += match_count(a, b)
        mine += len(a)
        truth += len(b)
    return FinalAgreement(matched, mine, truth, len(clip_ids))


def agreement_with_final(store: FinalAgreementStore, annotator: str, assigned: Sequence[int]) -> FinalAgreement:
    """`annotator` against the final result on the finalised clips among `assigned` (three reads)."""
    wanted = set(assigned)
    final_ids = [c.id for c in store.clips() if c.finalised and c.id in wanted]
    if not final_ids:
        return FinalAgreement(0, 0, 0, 0)
    return agreement(store.segments_by_clip(annotator), store.merged_by_clip(), final_ids)
