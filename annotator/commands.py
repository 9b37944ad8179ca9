"""Every edit of both screens as one kind of command: segments, proposal answers, clip state, review decisions.

A command knows three things: what the window shows at once (`preview`, computed from what
it was built with, no database), how to store itself (`do` / `undo`, each ONE store
transaction), and how to be written down (`to_json`, for the local journal that keeps edits
not yet committed). Each returns a Change: the rows as they now are, not only their ids, so
the open-clip model (annotator.clip_model) applies it without reading the clip again.

Versions and temporary ids live in one VersionBook (annotator.versions): an undo is a
version-checked write on top of what its own history wrote, and a write by another desktop
in between still raises ConflictError instead of being overwritten. A deleted segment is
restored under its old id (soft delete), so later commands keep pointing at the right rows.
The app queues commands to its background writer (annotator.edit_queue) and wraps each one
in a QUndoCommand (app.stored_command), the one undo model of both screens.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, fields, replace
from typing import Any, ClassVar

from annotator import rules
from annotator.decisions import Decision, parse_optional
from annotator.errors import RuleViolation
from annotator.model import (
    AssignmentState,
    MergedInstance,
    MergedStatus,
    Origin,
    Proposal,
    ProposalStatus,
    Segment,
)
from annotator.store.api import SegmentsWritten, SegmentWrites, StoreAPI
from annotator.versions import VersionBook

SEGMENT, MERGED = "segment", "merged"


@dataclass(frozen=True, slots=True)
class Change:
    """What one do/undo changed on one clip, with the rows as they now are.

    segments: added, restored or updated rows; removed: ids of segments now deleted;
    bound: (temporary id, stored id) of rows this write stored for the first time.
    """

    clip_id: int
    segments: tuple[Segment, ...] = ()
    removed: tuple[int, ...] = ()
    proposals: tuple[Proposal, ...] = ()
    instances: tuple[MergedInstance, ...] = ()
    state: AssignmentState | None = None
    bound: tuple[tuple[int, int], ...] = ()


_books: weakref.WeakKeyDictionary[object, VersionBook] = weakref.WeakKeyDictionary()


def book_of(store: StoreAPI) -> VersionBook:
    """The version book of a store connection, for commands done without an edit pipeline (tests, CLI)."""
    book = _books.get(store)
    if book is None:
        book = _books[store] = VersionBook()
    return book


def segment_json(seg: Segment) -> dict[str, Any]:
    """A segment as JSON values (the journal's form)."""
    return {"id": seg.id, "clip_id": seg.clip_id, "author": seg.author, "start_frame": seg.start_frame,
            "end_frame": seg.end_frame, "action_id": seg.action_id, "origin": str(seg.origin),
            "confidence": seg.confidence, "version": seg.version}


def segment_from_json(d: dict[str, Any]) -> Segment:
    """The segment segment_json wrote."""
    return Segment(d["id"], d["clip_id"], d["author"], d["start_frame"], d["end_frame"], d["action_id"],
                   Origin(d["origin"]), d["confidence"], d["version"])


class Command:
    """An undoable edit of one clip (subclasses fill in the four steps)."""

    kind: ClassVar[str]
    text: str
    clip_id: int
    undoable: ClassVar[bool] = True

    def preview(self, book: VersionBook, undo: bool = False) -> Change:
        """What the window shows at once for do (or undo), before the store has it."""
        raise NotImplementedError

    def store_do(self, store: StoreAPI, book: VersionBook) -> Change:
        """Store the edit (one transaction)."""
        raise NotImplementedError

    def store_undo(self, store: StoreAPI, book: VersionBook) -> Change:
        """Reverse the edit in the store (one transaction)."""
        raise NotImplementedError

    def do(self, store: StoreAPI, book: VersionBook | None = None) -> Change:
        """Store the edit and record the versions it wrote."""
        return self.run(store, book or book_of(store), undo=False)

    def undo(self, store: StoreAPI, book: VersionBook | None = None) -> Change:
        """Reverse the edit and record the versions it wrote."""
        return self.run(store, book or book_of(store), undo=True)

    def run(self, store: StoreAPI, book: VersionBook, undo: bool, edit_id: str | None = None) -> Change:
        """Do or undo in ONE transaction (with the edit's receipt when `edit_id` names it); the book
        moves on only if it committed."""
        saved = book.snapshot()
        try:
            with store.edit(edit_id):
                change = _noted(book, self.store_undo(store, book) if undo else self.store_do(store, book))
                if edit_id is not None:
                    store.record_edit(edit_id, dict(change.bound))
        except BaseException:
            book.restore(saved)
            raise
        return change

    def to_json(self) -> dict[str, Any]:
        """The command as JSON values (kind + what it was built with)."""
        raise NotImplementedError

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Command:
        """The command to_json wrote."""
        raise NotImplementedError


def _noted(book: VersionBook, change: Change) -> Change:
    for temp, real in change.bound:
        book.bind(temp, real)
    for seg in change.segments:
        book.wrote(SEGMENT, seg.id or 0, seg.version)
    for inst in change.instances:
        book.wrote(MERGED, inst.id or 0, inst.version)
    return change


def command_from_json(d: dict[str, Any]) -> Command:
    """Rebuild any command from its to_json form."""
    kinds: dict[str, type[Command]] = {c.kind: c for c in (AddSegment, EditSegment, DeleteSegment, SplitSegment,
                                                             JoinSegments, AcceptProposal, RejectProposal,
                                                             SetState, Decide)}
    if d.get("kind") not in kinds:
        raise ValueError(f"unknown edit kind {d.get('kind')!r}")
    return kinds[d["kind"]].from_json(d)


def _id(book: VersionBook, seg: Segment) -> int:
    if seg.id is None:
        raise RuleViolation("the segment has not been stored yet")
    return book.real(seg.id)


def _update(book: VersionBook, seg: Segment, **values: Any) -> Segment:
    """The segment with `values`, version-checked against what was seen or this book last wrote."""
    sid = _id(book, seg)
    return replace(seg, id=sid, version=book.version(SEGMENT, sid, seg.version), **values)


def _delete(book: VersionBook, seg: Segment) -> tuple[int, int]:
    """(id, version) of a segment to soft-delete."""
    sid = _id(book, seg)
    return sid, book.version(SEGMENT, sid, seg.version)


def _write(store: StoreAPI, book: VersionBook, clip_id: int, *, add: tuple[Segment, ...] = (),
           update: tuple[Segment, ...] = (), delete: tuple[tuple[int, int], ...] = (),
           restore: tuple[int, ...] = ()) -> SegmentsWritten:
    """One edit's segment writes, stored together; books the versions deleted rows now have."""
    done = store.write_segments(SegmentWrites(clip_id, add, update, delete, restore))
    for sid, version in delete:
        book.wrote(SEGMENT, sid, version + 1)
    return done


def _shown(book: VersionBook, seg: Segment, **values: Any) -> Segment:
    """The segment as the window shows it before the store answers."""
    return replace(seg, id=book.real(seg.id) if seg.id is not None else None, **values)


class AddSegment(Command):
    """Add a new segment; undo deletes it, redo restores the same row."""

    kind = "add"

    def __init__(self, segment: Segment, temp_id: int | None = None) -> None:
        self.text = "Add segment"
        self.clip_id = segment.clip_id
        self.temp_id = VersionBook.temp_id() if temp_id is None else temp_id
        self._new = replace(segment, id=self.temp_id)
        self._current: Segment | None = None

    @property
    def segment(self) -> Segment | None:
        """The stored segment once done."""
        return self._current

    def preview(self, book: VersionBook, undo: bool = False) -> Change:
        if undo:
            return Change(self.clip_id, removed=(book.real(self.temp_id),))
        return Change(self.clip_id, segments=(_shown(book, self._new),))

    def store_do(self, store: StoreAPI, book: VersionBook) -> Change:
        stored = book.real(self.temp_id)
        if stored < 0:
            done = _write(store, book, self.clip_id, add=(self._new,))
            self._current = done.added[0]
            return Change(self.clip_id, segments=(self._current,), bound=done.bound)
        self._current = _write(store, book, self.clip_id, restore=(stored,)).restored[0]
        return Change(self.clip_id, segments=(self._current,))

    def store_undo(self, store: StoreAPI, book: VersionBook) -> Change:
        gone = _delete(book, self._new)
        _write(store, book, self.clip_id, delete=(gone,))
        return Change(self.clip_id, removed=(gone[0],))

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "segment": segment_json(self._new)}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Command:
        seg = segment_from_json(d["segment"])
        return cls(seg, temp_id=seg.id)


class EditSegment(Command):
    """Change a segment's bounds and/or action; an edited accepted proposal becomes 'proposal-edited'."""

    kind = "edit"

    def __init__(self, segment: Segment, start_frame: int | None = None, end_frame: int | None = None,
                 action_id: int | None = None) -> None:
        self.text = "Edit segment"
        self.clip_id = segment.clip_id
        self._before = segment
        origin = Origin.PROPOSAL_EDITED if segment.origin == Origin.PROPOSAL_ACCEPTED else segment.origin
        self._after: dict[str, Any] = {
            "start_frame": segment.start_frame if start_frame is None else start_frame,
            "end_frame": segment.end_frame if end_frame is None else end_frame,
            "action_id": segment.action_id if action_id is None else action_id,
            "origin": origin,
        }
        self._back = {"start_frame": segment.start_frame, "end_frame": segment.end_frame,
                      "action_id": segment.action_id, "origin": segment.origin}

    def preview(self, book: VersionBook, undo: bool = False) -> Change:
        return Change(self.clip_id, segments=(_shown(book, self._before, **(self._back if undo else self._after)),))

    def store_do(self, store: StoreAPI, book: VersionBook) -> Change:
        return Change(self.clip_id, segments=_write(store, book, self.clip_id,
                                                    update=(_update(book, self._before, **self._after),)).updated)

    def store_undo(self, store: StoreAPI, book: VersionBook) -> Change:
        return Change(self.clip_id, segments=_write(store, book, self.clip_id,
                                                    update=(_update(book, self._before, **self._back),)).updated)

    def to_json(self) -> dict[str, Any]:
        a = self._after
        return {"kind": self.kind, "segment": segment_json(self._before), "start_frame": a["start_frame"],
                "end_frame": a["end_frame"], "action_id": a["action_id"]}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Command:
        return cls(segment_from_json(d["segment"]), d["start_frame"], d["end_frame"], d["action_id"])


class DeleteSegment(Command):
    """Delete a segment (soft); undo restores it under its id."""

    kind = "delete"

    def __init__(self, segment: Segment) -> None:
        self.text = "Delete segment"
        self.clip_id = segment.clip_id
        self._segment = segment

    def preview(self, book: VersionBook, undo: bool = False) -> Change:
        if undo:
            return Change(self.clip_id, segments=(_shown(book, self._segment),))
        return Change(self.clip_id, removed=(_id(book, self._segment),))

    def store_do(self, store: StoreAPI, book: VersionBook) -> Change:
        gone = _delete(book, self._segment)
        _write(store, book, self.clip_id, delete=(gone,))
        return Change(self.clip_id, removed=(gone[0],))

    def store_undo(self, store: StoreAPI, book: VersionBook) -> Change:
        return Change(self.clip_id, segments=_write(store, book, self.clip_id,
                                                    restore=(_id(book, self._segment),)).restored)

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "segment": segment_json(self._segment)}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Command:
        return cls(segment_from_json(d["segment"]))


class SplitSegment(Command):
    """Cut a segment at a frame into [start, frame] and [frame, end]; both must stay >= 0.2 s."""

    kind = "split"

    def __init__(self, segment: Segment, frame: int, fps: float, temp_id: int | None = None) -> None:
        self.text = "Split segment"
        if not segment.start_frame < frame < segment.end_frame:
            raise RuleViolation(f"split frame {frame} is not inside {segment.start_frame}-{segment.end_frame}")
        shortest = rules.min_length_frames(fps)
        if min(frame - segment.start_frame, segment.end_frame - frame) < shortest:
            raise RuleViolation(f"splitting at frame {frame} leaves a part shorter than {shortest} frames (0.2 s)")
        self.clip_id = segment.clip_id
        self._frame, self._fps = frame, fps
        self._original = segment
        self.temp_id = VersionBook.temp_id() if temp_id is None else temp_id
        self._tail = replace(segment, id=self.temp_id, start_frame=frame, version=1, created_at=None, updated_at=None)

    def preview(self, book: VersionBook, undo: bool = False) -> Change:
        if undo:
            return Change(self.clip_id, segments=(_shown(book, self._original),),
                          removed=(book.real(self.temp_id),))
        return Change(self.clip_id, segments=(_shown(book, self._original, end_frame=self._frame),
                                              _shown(book, self._tail)))

    def store_do(self, store: StoreAPI, book: VersionBook) -> Change:
        first = _update(book, self._original, end_frame=self._frame)
        stored = book.real(self.temp_id)
        if stored < 0:
            done = _write(store, book, self.clip_id, update=(first,), add=(self._tail,))
            return Change(self.clip_id, segments=(*done.updated, *done.added), bound=done.bound)
        done = _write(store, book, self.clip_id, update=(first,), restore=(stored,))
        return Change(self.clip_id, segments=(*done.updated, *done.restored))

    def store_undo(self, store: StoreAPI, book: VersionBook) -> Change:
        gone = _delete(book, self._tail)
        first = _update(book, self._original, end_frame=self._original.end_frame)
        done = _write(store, book, self.clip_id, update=(first,), delete=(gone,))
        return Change(self.clip_id, segments=done.updated, removed=(gone[0],))

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "segment": segment_json(self._original), "frame": self._frame, "fps": self._fps,
                "temp_id": self.temp_id}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Command:
        return cls(segment_from_json(d["segment"]), d["frame"], d["fps"], d["temp_id"])


class JoinSegments(Command):
    """Join two segments of one author and action into their hull; the second is deleted."""

    kind = "join"

    def __init__(self, first: Segment, second: Segment) -> None:
        self.text = "Join segments"
        if (first.clip_id, first.author, first.action_id) != (second.clip_id, second.author, second.action_id):
            raise RuleViolation("only segments of the same clip, author and action can be joined")
        if first.id == second.id:
            raise RuleViolation("cannot join a segment with itself")
        self.clip_id = first.clip_id
        self._keep, self._gone = first, second
        self._hull = {"start_frame": min(first.start_frame, second.start_frame),
                      "end_frame": max(first.end_frame, second.end_frame)}
        self._back = {"start_frame": first.start_frame, "end_frame": first.end_frame}

    def preview(self, book: VersionBook, undo: bool = False) -> Change:
        if undo:
            return Change(self.clip_id, segments=(_shown(book, self._keep), _shown(book, self._gone)))
        return Change(self.clip_id, segments=(_shown(book, self._keep, **self._hull),),
                      removed=(_id(book, self._gone),))

    def store_do(self, store: StoreAPI, book: VersionBook) -> Change:
        gone = _delete(book, self._gone)
        done = _write(store, book, self.clip_id, update=(_update(book, self._keep, **self._hull),), delete=(gone,))
        return Change(self.clip_id, segments=done.updated, removed=(gone[0],))

    def store_undo(self, store: StoreAPI, book: VersionBook) -> Change:
        done = _write(store, book, self.clip_id, update=(_update(book, self._keep, **self._back),),
                      restore=(_id(book, self._gone),))
        return Change(self.clip_id, segments=(*done.updated, *done.restored))

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "first": segment_json(self._keep), "second": segment_json(self._gone)}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Command:
        return cls(segment_from_json(d["first"]), segment_from_json(d["second"]))


def _proposal_json(p: Proposal) -> dict[str, Any]:
    return {"id": p.id, "clip_id": p.clip_id, "model_version": p.model_version, "start_frame": p.start_frame,
            "end_frame": p.end_frame, "action_id": p.action_id, "score": p.score, "status": str(p.status),
            "requested_by": p.requested_by}


def _proposal_from_json(d: dict[str, Any]) -> Proposal:
    return Proposal(d["id"], d["clip_id"], d["model_version"], d["start_frame"], d["end_frame"], d["action_id"],
                    d["score"], ProposalStatus(d["status"]), d["requested_by"])


class AcceptProposal(Command):
    """Turn a proposal into a segment of `author` (segment and answer in ONE transaction); undo is the reverse."""

    kind = "accept"

    def __init__(self, proposal: Proposal, author: str, temp_id: int | None = None) -> None:
        assert proposal.id is not None, "a proposal must be stored before it is answered"
        self.text = "Accept proposal"
        self.clip_id = proposal.clip_id
        self.proposal = proposal
        self.author = author
        self.temp_id = VersionBook.temp_id() if temp_id is None else temp_id
        self._segment: Segment | None = None

    @property
    def segment(self) -> Segment | None:
        """The created segment once done."""
        return self._segment

    def _made(self) -> Segment:
        p = self.proposal
        return Segment(self.temp_id, p.clip_id, self.author, p.start_frame, p.end_frame, p.action_id,
                       origin=Origin.PROPOSAL_ACCEPTED, confidence=p.score)

    def preview(self, book: VersionBook, undo: bool = False) -> Change:
        if undo:
            return Change(self.clip_id, removed=(book.real(self.temp_id),),
                          proposals=(replace(self.proposal, status=ProposalStatus.PENDING),))
        return Change(self.clip_id, segments=(_shown(book, self._made()),),
                      proposals=(replace(self.proposal, status=ProposalStatus.ACCEPTED),))

    def store_do(self, store: StoreAPI, book: VersionBook) -> Change:
        stored = book.real(self.temp_id)
        assert self.proposal.id is not None
        seg, prop = store.accept_proposal(self.proposal.id, self.author, None if stored < 0 else stored)
        assert seg.id is not None
        self._segment = seg
        return Change(self.clip_id, segments=(seg,), proposals=(prop,),
                      bound=((self.temp_id, seg.id),) if stored < 0 else ())

    def store_undo(self, store: StoreAPI, book: VersionBook) -> Change:
        sid = book.real(self.temp_id)
        version = book.version(SEGMENT, sid, 1)
        assert self.proposal.id is not None
        prop = store.unaccept_proposal(self.proposal.id, sid, version)
        book.wrote(SEGMENT, sid, version + 1)
        return Change(self.clip_id, removed=(sid,), proposals=(prop,))

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "proposal": _proposal_json(self.proposal), "author": self.author,
                "temp_id": self.temp_id}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Command:
        return cls(_proposal_from_json(d["proposal"]), d["author"], d["temp_id"])


class RejectProposal(Command):
    """Mark a proposal rejected (no segment is made); undo puts it back to pending."""

    kind = "reject"

    def __init__(self, proposal: Proposal) -> None:
        assert proposal.id is not None, "a proposal must be stored before it is answered"
        self.text = "Reject proposal"
        self.clip_id = proposal.clip_id
        self.proposal = proposal

    def preview(self, book: VersionBook, undo: bool = False) -> Change:
        status = ProposalStatus.PENDING if undo else ProposalStatus.REJECTED
        return Change(self.clip_id, proposals=(replace(self.proposal, status=status),))

    def _set(self, store: StoreAPI, status: ProposalStatus) -> Change:
        assert self.proposal.id is not None
        return Change(self.clip_id, proposals=(store.set_proposal_status(self.proposal.id, status),))

    def store_do(self, store: StoreAPI, book: VersionBook) -> Change:
        return self._set(store, ProposalStatus.REJECTED)

    def store_undo(self, store: StoreAPI, book: VersionBook) -> Change:
        return self._set(store, ProposalStatus.PENDING)

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "proposal": _proposal_json(self.proposal)}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Command:
        return cls(_proposal_from_json(d["proposal"]))


class SetState(Command):
    """Move one annotator's assignment of a clip to todo / in progress / done (not on the undo stack)."""

    kind = "state"
    undoable = False

    def __init__(self, clip_id: int, author: str, state: AssignmentState, before: AssignmentState) -> None:
        self.text = "Change the clip's state"
        self.clip_id, self.author, self.state, self.before = clip_id, author, state, before

    def preview(self, book: VersionBook, undo: bool = False) -> Change:
        return Change(self.clip_id, state=self.before if undo else self.state)

    def _set(self, store: StoreAPI, state: AssignmentState) -> Change:
        return Change(self.clip_id, state=store.set_assignment_state(self.clip_id, self.author, state).state)

    def store_do(self, store: StoreAPI, book: VersionBook) -> Change:
        return self._set(store, self.state)

    def store_undo(self, store: StoreAPI, book: VersionBook) -> Change:
        return self._set(store, self.before)

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "clip_id": self.clip_id, "author": self.author, "state": str(self.state),
                "before": str(self.before)}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Command:
        return cls(d["clip_id"], d["author"], AssignmentState(d["state"]), AssignmentState(d["before"]))


@dataclass(frozen=True, slots=True)
class Verdict:
    """A reviewer's decision on a merged instance with the bounds and action it keeps."""

    decision: Decision
    start_frame: int
    end_frame: int
    action_id: int


class Decide(Command):
    """A reviewer's decision on one merged instance; undo goes back to the decision it replaced, or to undecided."""

    kind = "decide"

    def __init__(self, instance: MergedInstance, verdict: Verdict, text: str = "Decision") -> None:
        assert instance.id is not None
        self.text = text
        self.clip_id = instance.clip_id
        self.instance = instance
        self.verdict = verdict
        resolved = instance.status is MergedStatus.RESOLVED and instance.decision is not None
        self.before = Verdict(instance.decision, instance.start_frame, instance.end_frame,  # type: ignore[arg-type]
                              instance.action_id) if resolved else None

    def preview(self, book: VersionBook, undo: bool = False) -> Change:
        if undo and self.before is None:
            shown = self.instance
        else:
            v = self.before if undo else self.verdict
            assert v is not None
            shown = replace(self.instance, status=MergedStatus.RESOLVED, decision=v.decision,
                            start_frame=v.start_frame, end_frame=v.end_frame, action_id=v.action_id)
        return Change(self.clip_id, instances=(shown,))

    def _resolve(self, store: StoreAPI, book: VersionBook, v: Verdict | None) -> Change:
        iid = self.instance.id or 0
        version = book.version(MERGED, iid, self.instance.version)
        if v is None:
            done = store.unresolve_merged(iid, version)
        else:
            done = store.resolve_merged(iid, version, v.decision, v.start_frame, v.end_frame, v.action_id)
        return Change(self.clip_id, instances=(done,))

    def store_do(self, store: StoreAPI, book: VersionBook) -> Change:
        return self._resolve(store, book, self.verdict)

    def store_undo(self, store: StoreAPI, book: VersionBook) -> Change:
        return self._resolve(store, book, self.before)

    def to_json(self) -> dict[str, Any]:
        i, v = self.instance, self.verdict
        return {"kind": self.kind, "text": self.text, "instance": {
            f.name: getattr(i, f.name) for f in fields(i) if f.name in ("id", "clip_id", "start_frame", "end_frame",
                                                                        "action_id", "version")},
            "status": str(i.status), "decision": None if i.decision is None else str(i.decision),
            "verdict": [str(v.decision), v.start_frame, v.end_frame, v.action_id]}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Command:
        from annotator.model import MergeRule
        i = d["instance"]
        inst = MergedInstance(i["id"], i["clip_id"], i["start_frame"], i["end_frame"], i["action_id"], (),
                              MergeRule.SINGLE, False, MergedStatus(d["status"]),
                              decision=parse_optional(d["decision"]), version=i["version"])
        decision, start, end, action = d["verdict"]
        return cls(inst, Verdict(Decision.parse(decision), start, end, action), d["text"])
