"""Undoable segment edits: each command's do/undo writes through the store and says what changed.

Every do and undo runs in ONE store transaction (StoreAPI.atomic): a split, a join and
their undo/redo are stored whole or not at all, and a command's own state moves on only
once its transaction committed. Commands remember the versions they wrote, so an undo is
itself a version-checked write:
if another desktop changed the segment meanwhile, undo raises ConflictError instead of
overwriting that change. A deleted segment is restored under its old id (soft delete), so
later commands in the history keep pointing at the right rows. The app wraps each command
in a QUndoCommand (app.controllers.clip_session), the one undo model of the app.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol

from annotator import rules
from annotator.errors import RuleViolation
from annotator.model import Origin, Segment
from annotator.store.api import StoreAPI


@dataclass(frozen=True, slots=True)
class Change:
    """What one do/undo changed on one clip: segment ids added, removed and updated."""

    clip_id: int
    added: tuple[int, ...] = ()
    removed: tuple[int, ...] = ()
    updated: tuple[int, ...] = ()


class Command(Protocol):
    """An undoable edit."""

    text: str

    def do(self, store: StoreAPI) -> Change: ...
    def undo(self, store: StoreAPI) -> Change: ...


def _stored_id(segment: Segment) -> int:
    if segment.id is None:
        raise RuleViolation("the segment has not been stored yet")
    return segment.id


def _fresh(store: StoreAPI, segment: Segment) -> Segment:
    """The segment with the version this store last wrote: later commands of the same history
    (now undone) moved the version on; another desktop's write still makes the version stale."""
    written = store.written_version(_stored_id(segment))
    return segment if written is None else replace(segment, version=max(written, segment.version))


def _update(store: StoreAPI, segment: Segment, **values: object) -> Segment:
    return store.update_segment(replace(_fresh(store, segment), **values))  # type: ignore[arg-type]


def _delete(store: StoreAPI, segment: Segment) -> Segment:
    """Soft-delete and return the segment as it now stands (version moved on by one)."""
    current = _fresh(store, segment)
    store.delete_segment(_stored_id(current), current.version)
    return replace(current, version=current.version + 1)


class AddSegment:
    """Add a new segment; undo deletes it, redo restores the same row."""

    def __init__(self, segment: Segment) -> None:
        self.text = "Add segment"
        self._new = segment
        self._current: Segment | None = None

    @property
    def segment(self) -> Segment | None:
        """The stored segment once done."""
        return self._current

    def do(self, store: StoreAPI) -> Change:
        if self._current is None:
            self._current = store.add_segment(self._new)
        else:
            self._current = store.restore_segment(_stored_id(self._current))
        return Change(self._current.clip_id, added=(_stored_id(self._current),))

    def undo(self, store: StoreAPI) -> Change:
        assert self._current is not None, "undo before do"
        self._current = _delete(store, self._current)
        return Change(self._current.clip_id, removed=(_stored_id(self._current),))


class EditSegment:
    """Change a segment's bounds and/or action; an edited accepted proposal becomes 'proposal-edited'."""

    def __init__(self, segment: Segment, start_frame: int | None = None, end_frame: int | None = None,
                 action_id: int | None = None) -> None:
        self.text = "Edit segment"
        self._before = segment
        origin = Origin.PROPOSAL_EDITED if segment.origin == Origin.PROPOSAL_ACCEPTED else segment.origin
        self._after_fields = {
            "start_frame": segment.start_frame if start_frame is None else start_frame,
            "end_frame": segment.end_frame if end_frame is None else end_frame,
            "action_id": segment.action_id if action_id is None else action_id,
            "origin": origin,
        }
        self._current = segment

    def do(self, store: StoreAPI) -> Change:
        self._current = _update(store, self._current, **self._after_fields)
        return Change(self._current.clip_id, updated=(_stored_id(self._current),))

    def undo(self, store: StoreAPI) -> Change:
        b = self._before
        self._current = _update(store, self._current, start_frame=b.start_frame, end_frame=b.end_frame,
                                action_id=b.action_id, origin=b.origin)
        return Change(self._current.clip_id, updated=(_stored_id(self._current),))


class DeleteSegment:
    """Delete a segment (soft); undo restores it under its id."""

    def __init__(self, segment: Segment) -> None:
        self.text = "Delete segment"
        self._current = segment

    def do(self, store: StoreAPI) -> Change:
        self._current = _delete(store, self._current)
        return Change(self._current.clip_id, removed=(_stored_id(self._current),))

    def undo(self, store: StoreAPI) -> Change:
        self._current = store.restore_segment(_stored_id(self._current))
        return Change(self._current.clip_id, added=(_stored_id(self._current),))


class SplitSegment:
    """Cut a segment at a frame into [start, frame] and [frame, end]; both must stay >= 0.2 s."""

    def __init__(self, segment: Segment, frame: int, fps: float) -> None:
        self.text = "Split segment"
        if not segment.start_frame < frame < segment.end_frame:
            raise RuleViolation(f"split frame {frame} is not inside {segment.start_frame}-{segment.end_frame}")
        shortest = rules.min_length_frames(fps)
        if min(frame - segment.start_frame, segment.end_frame - frame) < shortest:
            raise RuleViolation(f"splitting at frame {frame} leaves a part shorter than {shortest} frames (0.2 s)")
        self._frame = frame
        self._original = segment
        self._first = segment
        self._second: Segment | None = None

    def do(self, store: StoreAPI) -> Change:
        with store.atomic():
            first = _update(store, self._first, end_frame=self._frame)
            if self._second is None:
                tail = replace(self._original, id=None, start_frame=self._frame, version=1,
                               created_at=None, updated_at=None)
                second = store.add_segment(tail)
            else:
                second = store.restore_segment(_stored_id(self._second))
        self._first, self._second = first, second
        return Change(first.clip_id, added=(_stored_id(second),), updated=(_stored_id(first),))

    def undo(self, store: StoreAPI) -> Change:
        assert self._second is not None, "undo before do"
        with store.atomic():
            second = _delete(store, self._second)
            first = _update(store, self._first, end_frame=self._original.end_frame)
        self._first, self._second = first, second
        return Change(first.clip_id, removed=(_stored_id(second),), updated=(_stored_id(first),))


class JoinSegments:
    """Join two segments of one author and action into their hull; the second is deleted."""

    def __init__(self, first: Segment, second: Segment) -> None:
        self.text = "Join segments"
        if (first.clip_id, first.author, first.action_id) != (second.clip_id, second.author, second.action_id):
            raise RuleViolation("only segments of the same clip, author and action can be joined")
        if first.id == second.id:
            raise RuleViolation("cannot join a segment with itself")
        self._keep_before = first
        self._keep = first
        self._gone = second

    def do(self, store: StoreAPI) -> Change:
        with store.atomic():
            keep = _update(store, self._keep, start_frame=min(self._keep_before.start_frame, self._gone.start_frame),
                           end_frame=max(self._keep_before.end_frame, self._gone.end_frame))
            gone = _delete(store, self._gone)
        self._keep, self._gone = keep, gone
        return Change(keep.clip_id, removed=(_stored_id(gone),), updated=(_stored_id(keep),))

    def undo(self, store: StoreAPI) -> Change:
        with store.atomic():
            gone = store.restore_segment(_stored_id(self._gone))
            keep = _update(store, self._keep, start_frame=self._keep_before.start_frame,
                           end_frame=self._keep_before.end_frame)
        self._keep, self._gone = keep, gone
        return Change(keep.clip_id, added=(_stored_id(gone),), updated=(_stored_id(keep),))
