"""The open clip of one annotator: segments, proposals, selection, undo stack, assignment state.

Every edit is an annotator.commands object handed to the window's EditPipeline: it is on
screen at once (the model applies its preview), journalled, and committed in the background
in order; each commit's Change carries the rows as they now are, so nothing is read again.
QUndoStack walks back through the same commands (app.stored_command). An edit the store
refuses (rules, version conflicts, roles) drops it and the edits queued after it on this
clip, reads the clip again (the store is the truth) and says why in one line; the undo
history loses those edits and the entries that depend on them (app.stored_command.prune).
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from annotator import commands, rules
from annotator.commands import Command, SetState
from annotator.edit_queue import Committed, Event, Refused
from annotator.errors import ConflictError, PermissionDenied, RuleViolation, StoreBusy
from annotator.journal import Journal
from annotator.model import AssignmentState, Clip, MergedInstance, Origin, Proposal, Segment
from annotator.store.api import ClipView, StoreAPI
from annotator.taxonomy import Taxonomy
from annotator.versions import VersionBook
from app.controllers.edit_pipeline import EditPipeline
from app.controllers.live_feed import LiveFeed
from app.core_text import core_text
from app.i18n import tax_name, tr
from app.stored_command import StoredCommand, prune
from app.tasks import TaskRunner
from app.wording import plural

REFUSALS = (RuleViolation, ConflictError, PermissionDenied, StoreBusy)


class ClipSession(QObject):
    """Everything the annotation screen edits goes through here; widgets listen to the signals."""

    clipOpened = Signal(object)  # Clip or None
    segmentsChanged = Signal()
    proposalsChanged = Signal()
    selectionChanged = Signal(object)  # segment id or None
    stateChanged = Signal(object)  # AssignmentState
    message = Signal(str)  # one line for the status bar
    saveStatus = Signal(str)  # "saving…", "saved", "offline — N edits waiting"

    def __init__(self, store: StoreAPI, author: str, parent: QObject | None = None, *,
                 journal: Journal | None = None, background: bool = False,
                 threads: TaskRunner | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.author = author
        self.taxonomy: Taxonomy = store.taxonomy
        self.undo_stack = QUndoStack(self)
        self.pipeline = EditPipeline(store, journal, background, self, threads)
        self.pipeline.edited.connect(self._on_event)
        self.pipeline.saveStatus.connect(self.saveStatus)
        self.pipeline.viewRead.connect(self._on_view_read)
        self.model = self.pipeline.model
        self.clip: Clip | None = None
        self.segments: list[Segment] = []  # as shown, sorted by start, then end
        self.proposals: list[Proposal] = []  # the clip's proposals with this user's answers
        self.final: list[MergedInstance] = []  # a finalised clip's final result (its merged instances)
        self.selected: int | None = None
        self.state: AssignmentState | None = None
        self._refused = False  # the last edit was refused (its message is on screen)
        self._texts: dict[int, str] = {}  # ticket -> what the edit is called, for a refusal's message
        self._queued: dict[int, tuple[Command, bool]] = {}  # ticket -> (command, is an undo) until settled
        self._to_prune: list[tuple[Command, bool]] = []  # refused, to take off the stack once it is idle
        self._submitting: int | None = None  # the ticket being queued now
        self._refused_now = False  # ... was refused before submit returned (foreground writer)

    @property
    def book(self) -> VersionBook:
        """The pipeline's memory of versions and of ids given to rows before they were stored."""
        return self.pipeline.book

    # ----- opening ---------------------------------------------------------------------------
    def open_clip(self, clip: Clip | None) -> None:
        """Load a clip's segments, proposals and state for this author; the undo history starts empty."""
        self.undo_stack.clear()
        self.clip = clip
        self.selected = None
        self._read()
        self.state = self.model.state
        if self.clip is not None and self.state not in (None, AssignmentState.DONE) and not self.clip.finalised:
            opened = self.clip.id  # times the clip for the agreement report (live: off the UI thread)
            self.pipeline.read_in_background(lambda store: store.note_opened(opened))
        self._refresh()
        self.clipOpened.emit(self.clip)  # as stored (the one given may be a queue row read earlier)
        self.selectionChanged.emit(None)
        self.stateChanged.emit(self.state)
        if self.read_only:
            assert clip is not None
            self.message.emit(tr("Annotation", "Clip {name} is finalised by the reviewer: you can look, not edit").format(name=clip.name))

    def _read(self) -> None:
        """Read the open clip as the store holds it into the model (edits still queued stay on top)."""
        if self.clip is None:
            self.model.load(None, [])
            self.final = []
            return
        view = self.store.clip_view(self.clip.id, self.author)
        self.clip, self.final = view.clip, view.final
        self.model.load(self.clip.id, view.segments, view.proposals, view.state)

    def reload(self) -> None:
        """Read the open clip again (another desktop changed it) and show it."""
        self._read()
        self._refresh()

    def _refresh(self) -> None:
        """Publish the model as shown: segments, proposals, state, selection."""
        self.segments = self.model.segments()
        self.proposals = self.model.proposals()
        shown = self.segment(self.selected)
        if shown is not None and shown.id != self.selected:
            self.selected = shown.id  # the row was stored: its temporary id gave way to the real one
        if self.selected is not None and shown is None:
            self.selected = None
            self.selectionChanged.emit(None)
        if self.model.state != self.state:
            self.state = self.model.state
            self.stateChanged.emit(self.state)
        self.segmentsChanged.emit()
        self.proposalsChanged.emit()

    def go_live(self, journal: Journal | None, feed: LiveFeed | None = None) -> None:
        """Write in the background through `journal` (replaying what it kept) and follow teammates'
        commits on `feed`: the open clip is read again, off the UI thread, when someone else changed it."""
        kept = self.pipeline.go_background(journal)
        if kept:
            self.message.emit(tr("Annotation", "Storing {count} kept from the last session").format(count=plural(kept, 'edit')))
        if feed is not None:
            feed.changed.connect(self._on_clips_changed)

    def _on_clips_changed(self, clips: set[int] | None) -> None:
        clip = self.clip
        if clip is not None and (clips is None or clip.id in clips):
            author = self.author
            self.pipeline.read_in_background(lambda store: store.clip_view(clip.id, author))

    def _on_view_read(self, view: object) -> None:
        if not isinstance(view, ClipView) or self.clip is None or view.clip.id != self.clip.id:
            return  # another clip was opened meanwhile
        self.clip, self.final = view.clip, view.final
        self.model.merge_from_store(view.segments, view.proposals)
        self.model.base.state = view.state
        self.model.merge_from_store()
        self._refresh()

    def wait_saved(self, timeout: float = 30.0) -> bool:
        """Block until every queued edit is committed or refused, then show the outcome (tests, benchmarks)."""
        return self.pipeline.wait_saved(timeout)

    def close(self) -> None:
        """Stop the writer; edits not committed stay in the journal for the next start."""
        self.pipeline.close()

    # ----- queries -----------------------------------------------------------------------------
    def segment(self, segment_id: int | None) -> Segment | None:
        """The live segment with this id (a temporary id finds its row once stored, and the other way round)."""
        if segment_id is None:
            return None
        wanted = self.book.real(segment_id)
        return next((s for s in self.segments if s.id == segment_id or self.book.real(s.id or 0) == wanted), None)

    def selected_segment(self) -> Segment | None:
        """The selected segment, if any."""
        return self.segment(self.selected)

    def select(self, segment_id: int | None) -> None:
        """Select a segment (None clears the selection)."""
        shown = self.segment(segment_id)
        segment_id = None if shown is None else shown.id
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
            self.message.emit(tr("Annotation", "Clip {name} is finalised by the reviewer: it is read only").format(name=self.clip.name))
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
        self.select(command.temp_id)
        return self.selected_segment()

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
            self.message.emit(tr("Annotation", "Cannot split: {exc}").format(exc=core_text(exc)))
            return False
        if not self._execute(command):
            return False
        self.message.emit(tr("Annotation", "Split at frame {frame}: {start_frame}–{frame} and {frame}–{end_frame}").format(frame=frame, start_frame=current.start_frame, end_frame=current.end_frame))
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
            self.message.emit(tr("Annotation", "Nothing to join: no segment of the same action overlaps or touches this one"))
            return False
        if not self._execute(commands.JoinSegments(current, partners[0])):
            return False
        joined = self.selected_segment()
        span = f" {joined.start_frame}–{joined.end_frame}" if joined else ""
        self.message.emit(tr("Annotation", "Joined into one '{name}'{span}").format(name=tax_name(self.taxonomy.action(current.action_id).name), span=span))
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
            self.message.emit(tr("Annotation", "Nothing to undo in this clip") if undo else tr("Annotation", "Nothing to redo"))
            return
        text = stack.undoText() if undo else stack.redoText()
        self._refused = False
        stack.undo() if undo else stack.redo()
        self._prune()  # a refusal while the stack was busy undoing
        if not self._refused:  # a refusal already said why
            self.message.emit(tr("Annotation", "Undone: {text} (Ctrl+Shift+Z redoes it)").format(text=text) if undo else tr("Annotation", "Redone: {text}").format(text=text))

    def run(self, command: Command, text: str | None = None) -> bool:
        """Do a command built elsewhere (e.g. accepting a proposal) with the same undo and refusals."""
        return self._execute(command, text)

    def _execute(self, command: Command, text: str | None = None) -> bool:
        if self.refuse_if_read_only():
            return False
        if not self._submit(command, False, command.text):
            self._prune()
            return False
        if command.undoable:
            self.undo_stack.push(StoredCommand(command, self._replay_submit, text))
        if not isinstance(command, SetState):
            self._mark_started()
        return True

    def _replay_submit(self, command: Command, undo: bool, text: str) -> bool:
        return self._submit(command, undo, text)

    def _submit(self, command: Command, undo: bool, text: str) -> bool:
        """Check the edit against the rules here (no wait), then show it and queue it."""
        try:
            preview = command.preview(self.book, undo)
            if self.clip is not None:
                clip = self.clip
                for seg in preview.segments:
                    rules.validate_segment(seg, clip, self.taxonomy)
        except RuleViolation as exc:
            self._refused = True
            self.message.emit(tr("Annotation", "{text} refused: {exc}").format(text=core_text(text), exc=core_text(exc)))
            return False
        ticket = self.pipeline.queue.reserve()
        self._texts[ticket] = text
        self._queued[ticket] = (command, undo)
        self._submitting, self._refused_now = ticket, False
        try:
            self.pipeline.submit(ticket, command, undo, preview)  # in the foreground it is settled on return
        finally:
            self._submitting = None
        self._refresh()
        return not self._refused_now

    def _on_event(self, event: Event) -> None:
        if isinstance(event, Committed):
            self._texts.pop(event.ticket, None)
            self._queued.pop(event.ticket, None)
            if event.reread:
                self.reload()
            elif event.change.clip_id == self.model.clip_id:
                self._refresh()
        elif isinstance(event, Refused):
            self._refuse(event)

    def _refuse(self, event: Refused) -> None:
        """The store refused an edit (and dropped the ones queued after it): show what it holds, say why."""
        text = self._texts.get(event.tickets[0], event.text)
        for ticket in event.tickets:
            self._texts.pop(ticket, None)
            if ticket in self._queued:
                self._to_prune.append(self._queued.pop(ticket))
        self._refused = True
        if self.model.clip_id == event.clip_id:
            self.reload()
        later = f" (and {plural(len(event.tickets) - 1, 'edit')} made after it)" if len(event.tickets) > 1 else ""
        self.message.emit(tr("Annotation", "{text} refused{later}: {message}").format(text=core_text(text), later=later, message=core_text(event.message)))
        if self._submitting in event.tickets:
            self._refused_now = True  # refused while being queued (foreground): pruned once the stack is idle
        else:
            self._prune()

    def _prune(self) -> None:
        """Take the refused edits, the entries that depend on them and the redo history off the stack."""
        refused, self._to_prune = self._to_prune, []
        if not refused:
            return
        lost = prune(self.undo_stack, refused, self.book)
        if lost:
            self.message.emit(tr("Annotation", "{count} left the undo history: it no longer matches what the "
                                 "database holds").format(count=plural(lost, "other edit")))

    def overlap_hint(self, segment_id: int | None) -> str | None:
        """A warning when the segment overlaps another of the same action (allowed, but rarely meant)."""
        current = self.segment(segment_id)
        if current is None:
            return None
        others = rules.overlapping_same_action(current, self.segments)
        if not others:
            return None
        o = others[0]
        name = tax_name(self.taxonomy.action(current.action_id).name)
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
            self.message.emit(tr("Annotation", "This clip has no instances: use 'Done — no instances' (Ctrl+Shift+Enter) to say so explicitly"))
            return False
        if self.segments and no_instances:
            self.message.emit(tr("Annotation", "This clip has {count}: delete them first or use 'Mark done' (Ctrl+Enter)").format(count=plural(len(self.segments), 'instance')))
            return False
        if not self._set_state(AssignmentState.DONE):
            return False
        what = tr("Annotation", "no instances") if no_instances else plural(len(self.segments), "instance")
        self.message.emit(tr("Annotation", "Clip {name} done ({what})").format(name=self.clip.name, what=what))
        return True

    def reopen(self) -> bool:
        """Set a done clip back to in progress."""
        return self._set_state(AssignmentState.IN_PROGRESS)

    def _set_state(self, state: AssignmentState) -> bool:
        assert self.clip is not None
        if self.state is None:
            self.message.emit(tr("Annotation", "Cannot change the clip's state: clip {name} is not assigned to {author}").format(name=self.clip.name, author=self.author))
            return False
        if self.read_only and state is not AssignmentState.DONE:
            self.message.emit(tr("Annotation", "Cannot change the clip's state: clip {name} is finalised").format(name=self.clip.name))
            return False
        return self._submit(SetState(self.clip.id, self.author, state, self.state), False, "Change the clip's state")


def _edit_text(before: Segment, after: Segment) -> str:
    if before.action_id != after.action_id:
        return "Change label"
    if before.start_frame != after.start_frame and before.end_frame != after.end_frame:
        return "Move segment"
    return "Move start" if before.start_frame != after.start_frame else "Move end"
