"""Which lanes the timeline shows: empty body-part lanes collapsed on request, lanes hidden by name.

A hidden lane takes no height and draws no bars; its bars stay in the data (the instance
table and the review detail still list them).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class LaneFilter:
    """Lanes hidden by name, and whether lanes without a bar are collapsed."""

    hidden: frozenset[str] = field(default_factory=frozenset)
    collapse_empty: bool = False

    def toggled(self, name: str) -> LaneFilter:
        """The same filter with lane `name` shown if it was hidden, hidden if it was shown."""
        return LaneFilter(self.hidden ^ {name}, self.collapse_empty)


def shown_lanes(names: Sequence[str], used: Iterable[int], lane_filter: LaneFilter) -> list[bool]:
    """For each lane, whether it is drawn; at least one lane always is (an empty timeline
    would look broken rather than filtered)."""
    busy = set(used)
    shown = [name not in lane_filter.hidden and (not lane_filter.collapse_empty or k in busy)
             for k, name in enumerate(names)]
    if names and not any(shown):
        shown[-1] = True
    return shown
