"""The open clip as the window shows it, without Qt: what the store holds plus the edits still on their way.

`base` is the store's state as last known (read when the clip opened, then moved on by each
committed Change); `pending` are the previews of edits queued but not committed yet, in
order. What the window shows is base with every pending preview applied on top, so an edit
is on screen the moment it is made, a commit replaces its preview by the stored rows, and a
refused edit simply drops its preview (and those of the edits queued after it). Temporary
ids of rows not stored yet are mapped through the VersionBook once their row is stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from annotator.commands import Change
from annotator.model import AssignmentState, MergedInstance, Proposal, Segment
from annotator.versions import VersionBook


@dataclass
class ClipState:
    """Rows of one clip by id, as one author sees them."""

    segments: dict[int, Segment] = field(default_factory=dict)
    proposals: dict[int, Proposal] = field(default_factory=dict)
    instances: dict[int, MergedInstance] = field(default_factory=dict)
    state: AssignmentState | None = None

    def copy(self) -> ClipState:
        """A copy whose dicts may change without touching this one."""
        return ClipState(dict(self.segments), dict(self.proposals), dict(self.instances), self.state)

    def apply(self, change: Change, book: VersionBook) -> None:
        """Move these rows on by one change (ids mapped to stored ones where known)."""
        for temp, _stored in change.bound:
            self.segments.pop(temp, None)
        for sid in change.removed:
            self.segments.pop(book.real(sid), None)
        for seg in change.segments:
            sid = book.real(seg.id or 0)
            self.segments[sid] = replace(seg, id=sid)
        for p in change.proposals:
            self.proposals[p.id or 0] = p
        for inst in change.instances:
            self.instances[inst.id or 0] = inst
        if change.state is not None:
            self.state = change.state


class ClipModel:
    """One open clip: the store's rows, the previews of edits on their way, and what to show."""

    def __init__(self, book: VersionBook) -> None:
        self.book = book
        self.clip_id: int | None = None
        self.base = ClipState()
        self.pending: list[tuple[int, Change]] = []  # (ticket, preview), oldest first
        self.shown = ClipState()

    def load(self, clip_id: int | None, segments: list[Segment], proposals: list[Proposal] = (),  # type: ignore[assignment]
             state: AssignmentState | None = None, instances: list[MergedInstance] = ()) -> None:  # type: ignore[assignment]
        """Start from what the store holds (a clip opened, or re-read after a refusal)."""
        self.clip_id = clip_id
        self.base = ClipState({s.id or 0: s for s in segments}, {p.id or 0: p for p in proposals},
                              {m.id or 0: m for m in instances}, state)
        self.pending = [(t, c) for t, c in self.pending if c.clip_id == clip_id]
        self._recompute()

    def preview(self, ticket: int, change: Change) -> None:
        """An edit was made: show it at once, before the store has it."""
        self.pending.append((ticket, change))
        if change.clip_id == self.clip_id:
            self.shown.apply(change, self.book)

    def committed(self, ticket: int, change: Change) -> None:
        """The store committed an edit: its stored rows replace its preview."""
        self.pending = [(t, c) for t, c in self.pending if t != ticket]
        if change.clip_id == self.clip_id:
            self.base.apply(change, self.book)
            self._recompute()

    def dropped(self, tickets: set[int]) -> None:
        """Edits refused (or given up): their previews go."""
        self.pending = [(t, c) for t, c in self.pending if t not in tickets]
        self._recompute()

    def merge_from_store(self, segments: list[Segment] | None = None, proposals: list[Proposal] | None = None,
                         instances: list[MergedInstance] | None = None) -> None:
        """Rows re-read from the store (another desktop wrote them); pending edits stay on top."""
        if segments is not None:
            self.base.segments = {s.id or 0: s for s in segments}
        if proposals is not None:
            self.base.proposals = {p.id or 0: p for p in proposals}
        if instances is not None:
            self.base.instances = {m.id or 0: m for m in instances}
        self._recompute()

    def _recompute(self) -> None:
        shown = self.base.copy()
        for _ticket, change in self.pending:
            if change.clip_id == self.clip_id:
                shown.apply(change, self.book)
        self.shown = shown

    def segments(self) -> list[Segment]:
        """The clip's segments as shown, sorted by start, then end."""
        return sorted(self.shown.segments.values(), key=lambda s: (s.start_frame, s.end_frame, abs(s.id or 0)))

    def proposals(self) -> list[Proposal]:
        """The clip's proposals as shown (with this user's answers), by id."""
        return [self.shown.proposals[k] for k in sorted(self.shown.proposals)]

    def instances(self) -> list[MergedInstance]:
        """The clip's merged instances as shown, sorted by start then end."""
        return sorted(self.shown.instances.values(), key=lambda m: (m.start_frame, m.end_frame, m.id or 0))

    @property
    def state(self) -> AssignmentState | None:
        """The assignment's state as shown."""
        return self.shown.state
