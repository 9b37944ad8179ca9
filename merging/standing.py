"""Which stored merged instances the merge currently stands by (no scipy: the review queue imports it
when its window opens)."""

from __future__ import annotations

from collections.abc import Sequence, Set
from typing import Protocol, TypeVar

from annotator.model import MergedStatus


class _Standing(Protocol):
    """What current_merged reads of an instance (a MergedInstance or the store's MergedOutline)."""

    @property
    def status(self) -> MergedStatus: ...
    @property
    def segment_ids(self) -> tuple[int, ...]: ...


M = TypeVar("M", bound=_Standing)


def current_merged(instances: Sequence[M], live_segment_ids: Set[int]) -> list[M]:
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
