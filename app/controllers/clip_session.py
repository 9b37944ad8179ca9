"""The open clip of one annotator: segments, selection, undo stack, assignment state.

Edits are annotator.commands objects; each one is done against the store at once
(autosave: the store commits every write) and then wrapped in a QUndoCommand so Ctrl+Z
walks back through them. Refused edits (rules, version conflicts, roles) become one
status message and change nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from annotator import commands, rules
from annotator.commands import Change, Command
from annotator.errors import ConflictError, InputError, PermissionDenied, RuleViolation, StoreBusy
from annotator.model import AssignmentState, Clip, Origin, Segment
from annotator.store.api import StoreAPI
from annotator.taxonomy import Taxonomy
from app.stored_command import StoredCommand
from app.wording import plural

REFUSALS = (RuleViolation, ConflictError, PermissionDenied, StoreBusy)


class _StoreCommand(StoredCommand):
    """A domain command already done once; redo/undo replay it through the session."""

    def __init__(self, session: ClipSession, command: Command) -> None:
        super().__init__(command.text)
        self.session = session
        self.command = command

    def replay(self) -> bool:
        """Re-apply the edit."""
        return self.session._apply(lambda: self.command.do(self.session.store), self.text())

    def reverse(self) -> bool:
        """Reverse the edit in the store."""
        return self.session._apply(lambda: self.command.undo(self.session.store), f"Undo {self.text()}")


class ClipSession(QObject):
    """Everything the annotation screen edits goes through here; widgets listen to the signals."""

    clipOpened = Signal(object)  # Clip or None
    segmentsChanged = Signal()
    selectionChanged = Signal(object)  # segment id or None
    stateChanged = Signal(object)  # AssignmentState
    message = Signal(str)  # one line for the status bar

    def __init__(self, store: StoreAPI, author: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.author = author
        self.taxonomy: Taxonomy = store.taxonomy
        self.undo_stack = QUndoStack(self)
        self.clip: Clip | None = None
        self.segments: list[Segment] = []  # sorted by start, then end
        self.selected: int | None = None
        self.state: AssignmentState | None = None
        self._refused = False  # the last store write was refused (its message is on screen)

    # ----- opening ---------------------------------------------------------------------------
    def open_clip(self, clip: Clip | None) -> None:
        """Load a clip's segments for this author; the undo history starts empty."""
        self.undo_stack.clear()
        self.clip = clip
        self.selected = None
        self.state = self._read_state() if clip is not None else None
        if clip is not None and self.state not in (None, AssignmentState.DONE) and not clip.finalised:
            self.store.note_opened(clip.id)  # times the clip for the agreement report
        self._reload()
        self.clipOpened.emit(clip)
        self.selectionChanged.emit(None)
        self.stateChanged.emit(self.state)
        if self.read_only:
            assert clip is not None
            self.message.emit(f"Clip {clip.name} is finalised by the reviewer: you can look, not edit")

    def _read_state(self) -> AssignmentState | None:
        assert self.clip is not None
        for a in self.store.assignments(self.author):
            if a.clip_id == self.clip.id:
                return a.state
        return None

    def _reload(self) -> None:
        if self.clip is None:
            self.segments = []
        else:
            found = self.store.segments(self.clip.id, self.author)
            self.segments = sorted(found, key=lambda s: (s.start_frame, s.end_frame, s.id or 0))
        if self.selected is not None and self.segment(self.selected) is None:
            self.selected = None
            self.selectionChanged.emit(None)
        self.segmentsChanged.emit()

    # ----- queries -----------------------------------------------------------------------------
    def segment(self, segment_id: int | None) -> Segment | None:
        """The live segment with this id."""
        return next((s for s in self.segments if s.id == segment_id), None)

    def selected_segment(self) -> Segment | None:
        """The selected segment, if any."""
        return self.segment(self.selected)

    def select(self, segment_id: int | None) -> None:
        """Select a segment (None clears the selection)."""
        if segment_id is not None and self.segment(segment_id) is None:
            segment_id = None
        if segment_id != self.selected:
            self.selected = segment_id
            self.selectionChanged.emit(segment_id)

    def neighbour(self, frame: int, direction: int) -> Segment | None:
        """The segment starting nearest after (+1) or before (-1) `frame`, for , and . jumps."""
        if direction > 0:
            later = [s for s in self.segments if s.start_frame > frame]
            return later[0] if later else None
        earlier = [s for s in self.segments if s.start_frame < frame]
        return earlier[-1] if earlier else None

    @property
    def read_only(self) -> bool:
        """The open clip is finalised: the reviewer closed its ground truth to edits."""
        return self.clip is not None and self.clip.finalised

    def refuse_if_read_only(self) -> bool:
        """True (with a message) when the open clip takes no edits."""
        if self.read_only:
            assert self.clip is not None
            self.message.emit(f"Clip {self.clip.name} is finalised by the reviewer: it is read only")
        return self.read_only

    def min_length(self) -> int:
        """Fewest frames a segment may span in this clip (0.2 s)."""
        return rules.min_length_frames(self.clip.fps) if self.clip else 1

    # ----- edits -------------------------------------------------------------------------------
    def add(self, start: int, end: int, action_id: int) -> Segment | None:
        """Create a segment [start, end] with this action; returns it (selected) or None if refused."""
        if self.clip is None:
            return None
        start, end = min(start, end), max(start, end)
        new = Segment(id=None, clip_id=self.clip.id, author=self.author, start_frame=start,
                      end_frame=end, action_id=action_id, origin=Origin.MANUAL)
        command = commands.AddSegment(new)
        if not self._execute(command):
            return None
        added = command.segment
        assert added is not None
        self.select(added.id)
        return self.segment(added.id)

    def edit(self, segment_id: int, start: int | None = None, end: int | None = None,
             action_id: int | None = None) -> bool:
        """Change bounds and/or action of a segment; False (with a message) when refused."""
        current = self.segment(segment_id)
        if current is None:
            return False
        target = replace(current, start_frame=current.start_frame if start is None else start,
                         end_frame=current.end_frame if end is None else end,
                         action_id=current.action_id if action_id is None else action_id)
        if target == current:
            return True
        command = commands.EditSegment(current, start, end, action_id)
        ok = self._execute(command, text=_edit_text(current, target))
        if ok:
            self._warn_overlap(segment_id)
        return ok

    def nudge(self, segment_id: int, edge: str, delta: int) -> int | None:
        """Move the start or end edge by `delta` frames; returns the edge's new frame or None."""
        current = self.segment(segment_id)
        if current is None:
            return None
        if edge == "start":
            frame = current.start_frame + delta
            return frame if self.edit(segment_id, start=frame) else None
        frame = current.end_frame + delta
        return frame if self.edit(segment_id, end=frame) else None

    def delete(self, segment_id: int) -> bool:
        """Delete a segment (undoable)."""
        current = self.segment(segment_id)
        return current is not None and self._execute(commands.DeleteSegment(current))

    def split(self, segment_id: int, frame: int) -> bool:
        """Cut a segment in two at `frame`."""
        current = self.segment(segment_id)
        if current is None or self.clip is None:
            return False
        try:
            command = commands.SplitSegment(current, frame, self.clip.fps)
        except RuleViolation as exc:
            self.message.emit(f"Cannot split: {exc}")
            return False
        if not self._execute(command):
            return False
        self.message.emit(f"Split at frame {frame}: {current.start_frame}–{frame} and {frame}–{current.end_frame}")
        return True

    def join(self, segment_id: int) -> bool:
        """Join a segment with the same-action segment it overlaps (or the next one touching it)."""
        current = self.segment(segment_id)
        if current is None:
            return False
        partners = rules.overlapping_same_action(current, self.segments) or [
            s for s in self.segments
            if s.id != current.id and s.action_id == current.action_id and s.start_frame == current.end_frame
        ]
        if not partners:
            self.message.emit("Nothing to join: no segment of the same action overlaps or touches this one")
            return False
        if not self._execute(commands.JoinSegments(current, partners[0])):
            return False
        joined = self.selected_segment()
        span = f" {joined.start_frame}–{joined.end_frame}" if joined else ""
        self.message.emit(f"Joined into one '{self.taxonomy.action(current.action_id).name}'{span}")
        return True

    def undo(self) -> None:
        """Ctrl+Z: reverse the last edit of this clip, and say which."""
        self._replay(undo=True)

    def redo(self) -> None:
        """Ctrl+Shift+Z: redo the last undone edit, and say which."""
        self._replay(undo=False)

    def _replay(self, undo: bool) -> None:
        stack = self.undo_stack
        if not (stack.canUndo() if undo else stack.canRedo()):
            self.message.emit("Nothing to undo in this clip" if undo else "Nothing to redo")
            return
        text = stack.undoText() if undo else stack.redoText()
        self._refused = False
        stack.undo() if undo else stack.redo()
        if not self._refused:  # a refusal already said why
            self.message.emit(f"Undone: {text} (Ctrl+Shift+Z redoes it)" if undo else f"Redone: {text}")

    def run(self, command: Command, text: str | None = None) -> bool:
        """Do a command built elsewhere (e.g. accepting a proposal) with the same undo and refusals."""
        return self._execute(command, text)

    def _execute(self, command: Command, text: str | None = None) -> bool:
        if self.refuse_if_read_only():
            return False
        if not self._apply(lambda: command.do(self.store), command.text):
            return False
        undo = _StoreCommand(self, command)
        if text:
            undo.setText(text)
        self.undo_stack.push(undo)
        self._mark_started()
        return True

    def _apply(self, action: Callable[[], Change], text: str) -> bool:
        """Run one store write; refusals become a message and a reload (the store is the truth)."""
        try:
            action()
        except REFUSALS as exc:
            self._refused = True
            self.message.emit(f"{text} refused: {exc}")
            self._reload()
            return False
        self._reload()
        return True

    def overlap_hint(self, segment_id: int | None) -> str | None:
        """A warning when the segment overlaps another of the same action (allowed, but rarely meant)."""
        current = self.segment(segment_id)
        if current is None:
            return None
        others = rules.overlapping_same_action(current, self.segments)
        if not others:
            return None
        o = others[0]
        name = self.taxonomy.action(current.action_id).name
        return (f"overlaps another '{name}' ({o.start_frame}–{o.end_frame}): "
                "usually one instance — press J to join them")

    def _warn_overlap(self, segment_id: int | None) -> None:
        hint = self.overlap_hint(segment_id)
        if hint:
            self.message.emit(hint[0].upper() + hint[1:])

    # ----- assignment ----------------------------------------------------------------------------
    def _mark_started(self) -> None:
        if self.clip is not None and self.state == AssignmentState.TODO:
            self._set_state(AssignmentState.IN_PROGRESS)

    def mark_done(self, no_instances: bool = False) -> bool:
        """Say this clip is done; with no segments that must be the explicit 'no instances' answer."""
        if self.clip is None:
            return False
        if not self.segments and not no_instances:
            self.message.emit("This clip has no instances: use 'Done — no instances' (Ctrl+Shift+Enter) "
                              "to say so explicitly")
            return False
        if self.segments and no_instances:
            self.message.emit(f"This clip has {plural(len(self.segments), 'instance')}: delete them first or "
                              "use 'Mark done' (Ctrl+Enter)")
            return False
        if not self._set_state(AssignmentState.DONE):
            return False
        what = "no instances" if no_instances else plural(len(self.segments), "instance")
        self.message.emit(f"Clip {self.clip.name} done ({what})")
        return True

    def reopen(self) -> bool:
        """Set a done clip back to in progress."""
        return self._set_state(AssignmentState.IN_PROGRESS)

    def _set_state(self, state: AssignmentState) -> bool:
        assert self.clip is not None
        try:
            self.state = self.store.set_assignment_state(self.clip.id, self.author, state).state
        except (*REFUSALS, InputError) as exc:
            self.message.emit(f"Cannot change the clip's state: {exc}")
            return False
        self.stateChanged.emit(self.state)
        return True


def _edit_text(before: Segment, after: Segment) -> str:
    if before.action_id != after.action_id:
        return "Change label"
    if before.start_frame != after.start_frame and before.end_frame != after.end_frame:
        return "Move segment"
    return "Move start" if before.start_frame != after.start_frame else "Move end"
