"""The reviewer's open clip: annotators' segments, merged instances, decisions, finalising.

Every decision is an annotator.commands.Decide handed to the window's EditPipeline, like the
annotation screen's edits: shown at once, committed in the background in order (one
version-checked, audited StoreAPI.resolve_merged), and pushed on the QUndoStack as the one
undoable command type of both screens (app.stored_command): undo re-applies the decision it
replaced, or calls StoreAPI.unresolve_merged, which puts back what the merge proposed; redo
decides again. A refusal reads the clip again and says why; the undo history loses the refused
decisions and the entries that depend on them (app.stored_command.prune). The menus take their
text and state from the stack.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from annotator.commands import Command, Decide, Verdict
from annotator.decisions import ADJUST, DELETE, KEEP, label, take
from annotator.edit_queue import Committed, Event, Refused
from annotator.errors import ConflictError, InputError, PermissionDenied, RuleViolation, StoreBusy
from annotator.journal import Journal
from annotator.model import Clip, MergedInstance, MergedStatus, Segment
from annotator.store.api import StoreAPI
from app.controllers.edit_pipeline import EditPipeline
from app.controllers.live_feed import LiveFeed
from app.core_text import core_text
from app.i18n import mark, tax_name, tr
from app.review.review_model import (
    Choice,
    ReviewClip,
    author_of,
    majority_decision,
    outcome_text,
    read_review_clip,
)
from app.review.review_timeline import STATUS_TEXT
from app.stored_command import StoredCommand, prune
from app.tasks import TaskRunner
from app.wording import plural

REFUSALS = (RuleViolation, ConflictError, PermissionDenied, InputError, StoreBusy)


UNDO, REDO = mark("Review", "Undo"), mark("Review", "Redo")  # what a replayed decision is, shown translated

class ReviewSession(QObject):
    """Decisions and queries of the review screen; widgets listen to the signals."""

    clipOpened = Signal(object)  # Clip or None
    instancesChanged = Signal()
    selectionChanged = Signal(object)  # merged instance id or None
    clipFinalised = Signal(int)
    decided = Signal(int)  # clip id whose counts changed
    message = Signal(str)
    saveStatus = Signal(str)  # "saving…", "saved", "offline — N edits waiting"

    def __init__(self, store: StoreAPI, parent: QObject | None = None, *, journal: Journal | None = None,
                 background: bool = False, threads: TaskRunner | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.taxonomy = store.taxonomy
        self.clip: Clip | None = None
        self.annotators: list[str] = []
        self.segments: dict[str, list[Segment]] = {}
        self.instances: list[MergedInstance] = []
        self.merge_problem: str | None = None  # why finalising would be refused on the merge (the store's words)
        self.selected: int | None = None
        self.undo_stack = QUndoStack(self)
        self.pipeline = EditPipeline(store, journal, background, self, threads)
        self.pipeline.edited.connect(self._on_event)
        self.pipeline.saveStatus.connect(self.saveStatus)
        self._refused = False  # the last undo/redo was refused (its message is on screen)
        self._submitting: int | None = None  # the ticket being queued now
        self._refused_now = False  # ... was refused before submit returned (foreground writer)
        self._replays: dict[int, str] = {}  # ticket of an undo/redo -> "Undo"/"Redo", for its message
        self._opened = 0  # counts clip openings: a live read made for an earlier one is dropped
        self.pipeline.viewRead.connect(self._on_view_read)
        self._queued: dict[int, tuple[Command, bool]] = {}  # ticket -> (command, is an undo) until settled
        self._to_prune: list[tuple[Command, bool]] = []  # refused, to take off the stack once it is idle

    # ----- opening -------------------------------------------------------------------------
    def open_clip(self, clip: Clip | None, read: ReviewClip | None = None) -> None:
        """Load the clip's annotators, their segments and the merged instances (`read`: the caller's
        read of them, made just now)."""
        self.clip = clip
        self._opened += 1
        self.selected = None
        self.undo_stack.clear()
        self.annotators = []
        if read is not None and clip is not None and read.clip.id == clip.id:
            self._show(read)
        else:
            self.reload()
        self.clipOpened.emit(clip)
        first = self.next_unresolved(None)
        self.select(first.id if first is not None else None)

    def reload(self) -> None:
        """Re-read everything shown of the clip from the store (the store is the truth): the clip,
        its annotators, their segments, the instances and whether the merge is still current."""
        self._show(None if self.clip is None else read_review_clip(self.store, self.clip.id))

    def _show(self, read: ReviewClip | None) -> None:
        """Show a clip as read from the store (decisions still on their way stay on top)."""
        if read is None:
            self.segments, self.instances, self.merge_problem = {}, [], None
        else:
            self.clip, self.annotators, self.segments = read.clip, read.annotators, read.segments
            self.instances, self.merge_problem = read.instances, read.merge_problem
        self.pipeline.model.load(None if self.clip is None else self.clip.id, [], instances=self.instances)
        self.instances = self.pipeline.model.instances()  # decisions still on their way stay shown
        if self.selected is not None and self.instance(self.selected) is None:
            self.selected = None
            self.selectionChanged.emit(None)
        self.instancesChanged.emit()

    # ----- queries ---------------------------------------------------------------------------
    def instance(self, instance_id: int | None) -> MergedInstance | None:
        """The merged instance with this id."""
        return next((m for m in self.instances if m.id == instance_id), None)

    def selected_instance(self) -> MergedInstance | None:
        """The selected merged instance."""
        return self.instance(self.selected)

    def select(self, instance_id: int | None) -> None:
        """Select a merged instance (None clears)."""
        if instance_id is not None and self.instance(instance_id) is None:
            instance_id = None
        if instance_id != self.selected:
            self.selected = instance_id
            self.selectionChanged.emit(instance_id)

    def contributors(self, inst: MergedInstance) -> dict[str, Segment]:
        """Who marked this instance, and how."""
        return author_of(inst, self.segments)

    def needs_review(self) -> int:
        """Instances of the open clip still waiting for a decision."""
        return sum(m.status is MergedStatus.NEEDS_REVIEW for m in self.instances)

    def next_unresolved(self, after: int | None) -> MergedInstance | None:
        """The next instance needing review after `after` (by start), wrapping round."""
        waiting = [m for m in self.instances if m.status is MergedStatus.NEEDS_REVIEW]
        if not waiting:
            return None
        ids = [m.id for m in self.instances]
        pos = ids.index(after) if after in ids else -1
        later = [m for m in waiting if ids.index(m.id) > pos]
        return later[0] if later else waiting[0]

    def neighbour(self, direction: int) -> MergedInstance | None:
        """The previous (-1) or next (+1) instance from the selected one."""
        if not self.instances:
            return None
        ids = [m.id for m in self.instances]
        if self.selected not in ids:
            return self.instances[0 if direction > 0 else -1]
        pos = ids.index(self.selected) + direction
        return self.instances[pos] if 0 <= pos < len(ids) else None

    # ----- decisions ---------------------------------------------------------------------------
    def _target(self) -> MergedInstance | None:
        inst = self.selected_instance()
        if inst is None:
            self.message.emit(tr("Review", "Select a merged instance first (click it, N for the next to review)"))
        return inst

    def decide(self, choice: Choice) -> MergedInstance | None:
        """Show a decision on the selected instance at once, queue it, push it on the undo stack; None when refused."""
        inst = self._target()
        if inst is None or inst.id is None or self.clip is None:
            return None
        command = Decide(inst, Verdict(choice.decision, choice.start_frame, choice.end_frame, choice.action_id),
                         tr("Review", "decision '{outcome}'").format(outcome=outcome_text(choice.decision, self.taxonomy)))
        if not self._submit(command, False, None):
            self._prune()
            return None
        self.undo_stack.push(StoredCommand(command, self._replay_submit))
        done = self.instance(inst.id)
        assert done is not None
        self.message.emit(tr("Review", "Decided: {outcome} ({start_frame}–{end_frame}, {action})").format(outcome=outcome_text(choice.decision, self.taxonomy), start_frame=done.start_frame, end_frame=done.end_frame, action=self._name(done.action_id)))
        return done

    def _replay_submit(self, command: Command, undo: bool, _text: str) -> bool:
        return self._submit(command, undo, UNDO if undo else REDO)

    def _submit(self, command: Command, undo: bool, what: str | None) -> bool:
        """Show a decision (or its undo / redo: `what`) and queue it; False when refused at once."""
        if what is not None:
            assert isinstance(command, Decide)
            iid = command.instance.id
            self.select(iid)
            if self.instance(iid) is None:  # the store's words for a deleted instance, so every path says the same
                self.message.emit(tr("Review", "{what} refused: merged instance {iid} no longer exists (the merge was re-run)").format(what=tr("Review", what), iid=iid))
                self._refused = True
                return False
        ticket = self.pipeline.queue.reserve()
        if what is not None:
            self._replays[ticket] = what
        self._queued[ticket] = (command, undo)
        self._submitting, self._refused_now = ticket, False
        try:
            self.pipeline.submit(ticket, command, undo, command.preview(self.pipeline.book, undo))
        finally:
            self._submitting = None
        if self._refused_now:
            return False
        self._show_instances()
        if self.clip is not None:
            self.decided.emit(self.clip.id)
        return True

    def _show_instances(self) -> None:
        self.instances = self.pipeline.model.instances()
        self.instancesChanged.emit()

    def _on_event(self, event: Event) -> None:
        if isinstance(event, Committed):
            what = self._replays.pop(event.ticket, None)
            self._queued.pop(event.ticket, None)
            if event.reread:
                self.reload()
            elif self.clip is not None and event.change.clip_id == self.clip.id:
                self._show_instances()
            if what is not None and event.change.instances:
                self.message.emit(self._replayed(what, event.change.instances[0]))
        elif isinstance(event, Refused):
            what = self._replays.get(event.tickets[0], tr("Review", "Decision"))
            for ticket in event.tickets:
                self._replays.pop(ticket, None)
                if ticket in self._queued:
                    self._to_prune.append(self._queued.pop(ticket))
            self._refused = True
            if self._submitting in event.tickets:
                self._refused_now = True  # refused while being queued (foreground): pruned once the stack is idle
            else:
                self._prune()
            self.reload()
            if self.clip is not None:
                self.decided.emit(self.clip.id)
            self.message.emit(tr("Review", "{what} refused: {message}").format(what=tr("Review", what), message=core_text(event.message)))

    def go_live(self, journal: Journal | None, feed: LiveFeed | None = None) -> None:
        """Store decisions in the background through `journal` (replaying what it kept) and follow
        teammates' commits on `feed`: the open clip is read again, and each changed clip's queue row."""
        self.pipeline.go_background(journal)
        if feed is not None:
            feed.changed.connect(self._on_clips_changed)

    def _on_clips_changed(self, clips: set[int] | None) -> None:
        """A teammate committed on these clips: the open one is read again off the UI thread (the
        window re-reads the queue rows)."""
        if self.clip is not None and (clips is None or self.clip.id in clips):
            clip_id, opened = self.clip.id, self._opened
            self.pipeline.read_in_background(lambda store: (opened, read_review_clip(store, clip_id)))

    def _on_view_read(self, found: object) -> None:
        if not (isinstance(found, tuple) and len(found) == 2 and isinstance(found[1], ReviewClip)):
            return  # not a read of this session's
        opened, read = found
        if opened != self._opened or self.clip is None or read.clip.id != self.clip.id:
            return  # the reviewer moved on: this clip is no longer the one shown
        if self.pipeline.queue.waiting():
            return  # decisions on their way: their commits bring the rows (the next change reads again)
        self._show(read)
        self.decided.emit(read.clip.id)  # its queue row follows what is shown

    def wait_saved(self, timeout: float = 30.0) -> bool:
        """Block until every queued decision is committed or refused, then show the outcome."""
        return self.pipeline.wait_saved(timeout)

    def close(self) -> None:
        """Stop the writer; decisions not committed stay in the journal for the next start."""
        self.pipeline.close()

    def _replayed(self, what: str, done: MergedInstance) -> str:
        if what == REDO:
            return tr("Review", "Redone: '{outcome}' ({start}–{end}, {action})").format(
                outcome=outcome_text(done.decision, self.taxonomy), start=done.start_frame, end=done.end_frame,
                action=self._name(done.action_id))
        if done.status is MergedStatus.RESOLVED:
            return tr("Review", "Undone: back to '{outcome}'").format(outcome=outcome_text(done.decision, self.taxonomy))
        return tr("Review", "Undone: instance {start}–{end} is undecided again ({status})").format(
            start=done.start_frame, end=done.end_frame, status=tr("Review", STATUS_TEXT[done.status]))

    def accept_majority(self) -> MergedInstance | None:
        """Enter: take the pre-selected majority outcome."""
        inst = self._target()
        if inst is None:
            return None
        chosen = majority_decision(inst)
        if chosen is None:
            self.message.emit(tr("Review", "No majority for this instance: choose K (keep), D (delete), L (label) or 1/2/3 (one annotator's version)"))
            return None
        return self.decide(chosen)

    def keep(self) -> MergedInstance | None:
        """K: keep the instance with its merged boundaries and label."""
        inst = self._target()
        return None if inst is None else self.decide(Choice(KEEP, inst.start_frame, inst.end_frame, inst.action_id))

    def delete(self) -> MergedInstance | None:
        """D: drop the instance from the ground truth (the segments stay stored)."""
        inst = self._target()
        return None if inst is None else self.decide(Choice(DELETE, inst.start_frame, inst.end_frame, inst.action_id))

    def relabel(self, action_id: int) -> MergedInstance | None:
        """L: keep the instance with another action."""
        inst = self._target()
        return None if inst is None else self.decide(Choice(label(action_id), inst.start_frame, inst.end_frame,
                                                                 action_id))

    def adjust(self, edge: str, delta: int) -> int | None:
        """Move the start or end edge by `delta` frames; returns the edge's new frame or None."""
        inst = self._target()
        if inst is None:
            return None
        start = inst.start_frame + (delta if edge == "start" else 0)
        end = inst.end_frame + (delta if edge == "end" else 0)
        return self.set_bounds(start, end, edge)

    def set_bounds(self, start: int, end: int, edge: str = "start") -> int | None:
        """Keep the selected instance with new boundaries; returns the moved edge's frame."""
        inst = self._target()
        if inst is None:
            return None
        done = self.decide(Choice(ADJUST, start, end, inst.action_id))
        if done is None:
            return None
        return done.end_frame if edge == "end" else done.start_frame

    def take(self, lane: int) -> MergedInstance | None:
        """1/2/3: take the version of the annotator in that lane (0-based)."""
        inst = self._target()
        if inst is None:
            return None
        if not 0 <= lane < len(self.annotators):
            self.message.emit(tr("Review", "This clip has {count} annotators; there is no annotator {number}").format(count=len(self.annotators), number=lane + 1))
            return None
        name = self.annotators[lane]
        seg = self.contributors(inst).get(name)
        if seg is None:
            self.message.emit(tr("Review", "{name} did not mark this instance: nothing of theirs to take (D deletes it, K keeps the merged one)").format(name=name))
            return None
        return self.decide(Choice(take(name), seg.start_frame, seg.end_frame, seg.action_id))

    def undo(self) -> bool:
        """Ctrl+Z: undo the last decision (back to the previous one, or to undecided)."""
        return self._replay(undo=True)

    def redo(self) -> bool:
        """Ctrl+Shift+Z: decide again what the last undo took back."""
        return self._replay(undo=False)

    def _replay(self, undo: bool) -> bool:
        stack = self.undo_stack
        if not (stack.canUndo() if undo else stack.canRedo()):
            self.message.emit(tr("Review", "Nothing to undo in this clip") if undo else tr("Review", "Nothing to redo in this clip"))
            return False
        self._refused = False
        stack.undo() if undo else stack.redo()
        self._prune()  # a refusal while the stack was busy undoing
        return not self._refused

    def _prune(self) -> None:
        """Take the refused decisions, the entries that depend on them and the redo history off the stack."""
        refused, self._to_prune = self._to_prune, []
        if refused:
            lost = prune(self.undo_stack, refused, self.pipeline.book)
            if lost:
                self.message.emit(tr("Review", "{count} left the undo history: it no longer matches what the "
                                     "database holds").format(count=plural(lost, "other decision")))

    def finalise(self) -> bool:
        """Ctrl+Enter: finalise the clip; the store refuses while instances need review."""
        if self.clip is None:
            return False
        self.wait_saved(10.0)  # the decisions still on their way first: finalising checks them
        try:
            self.clip = self.store.finalise_clip(self.clip.id)
        except REFUSALS as exc:
            self.reload()  # e.g. an annotator changed their work since the merge: lanes and state follow
            self.decided.emit(self.clip.id)
            self.message.emit(tr("Review", "Cannot finalise: {exc}").format(exc=core_text(exc)))
            return False
        self.merge_problem = None
        self.clipFinalised.emit(self.clip.id)
        self.message.emit(tr("Review", "Clip {name} finalised").format(name=self.clip.name))
        return True

    def unfinalise(self) -> bool:
        """Open the finalised clip for review again (its decisions stay; it leaves the export)."""
        if self.clip is None or not self.clip.finalised:
            self.message.emit(tr("Review", "This clip is not finalised"))
            return False
        try:
            self.clip = self.store.unfinalise_clip(self.clip.id)
        except REFUSALS as exc:
            self.message.emit(tr("Review", "Cannot un-finalise: {exc}").format(exc=core_text(exc)))
            return False
        self.reload()
        self.clipFinalised.emit(self.clip.id)  # the row and the detail follow, as for finalising
        self.message.emit(tr("Review", "Clip {name} is open for review again (Ctrl+Enter finalises it)").format(name=self.clip.name))
        return True

    def _name(self, action_id: int) -> str:
        a = self.taxonomy.action(action_id)
        return f"{a.code} {tax_name(a.name)}"
