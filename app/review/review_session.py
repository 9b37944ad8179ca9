"""The reviewer's open clip: annotators' segments, merged instances, decisions, finalising.

Every decision is one StoreAPI.resolve_merged call (version-checked and audited in the
store), pushed on a QUndoStack like the annotation screen's edits: undo re-applies the
decision it replaced, or calls StoreAPI.unresolve_merged, which puts back what the merge
proposed (kept on the merged row); redo decides again. The menus take their text and
state from the stack.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from annotator.decisions import ADJUST, DELETE, KEEP, label, take
from annotator.errors import ConflictError, InputError, PermissionDenied, RuleViolation, StoreBusy
from annotator.model import Clip, MergedInstance, MergedStatus, Segment
from annotator.store.api import StoreAPI
from app.review.review_model import (
    Choice,
    author_of,
    clip_annotators,
    clip_instances,
    majority_decision,
    outcome_text,
)
from app.stored_command import StoredCommand

REFUSALS = (RuleViolation, ConflictError, PermissionDenied, InputError, StoreBusy)


def _choice_of(inst: MergedInstance) -> Choice | None:
    """The choice that puts a resolved instance back as it is (None: it was undecided)."""
    if inst.status is not MergedStatus.RESOLVED or inst.decision is None:
        return None
    return Choice(inst.decision, inst.start_frame, inst.end_frame, inst.action_id)


class _DecisionCommand(StoredCommand):
    """One decision on one instance, already stored once; undo/redo replay it through the session."""

    def __init__(self, session: ReviewSession, before: MergedInstance, choice: Choice) -> None:
        super().__init__(f"decision '{outcome_text(choice.decision, session.taxonomy)}'")
        self.session = session
        self.instance_id = before.id or 0
        self.before = _choice_of(before)
        self.choice = choice

    def replay(self) -> bool:
        """Decide again."""
        s = self.session
        return s._write(self.instance_id, "Redo", lambda v: s._resolve(self.instance_id, v, self.choice))

    def reverse(self) -> bool:
        """Back to the decision replaced, or to what the merge proposed."""
        before, s = self.before, self.session
        store = s.store
        write: Callable[[int], MergedInstance]
        if before is None:
            write = lambda v: store.unresolve_merged(self.instance_id, v)  # noqa: E731
        else:
            write = lambda v: s._resolve(self.instance_id, v, before)  # noqa: E731
        return s._write(self.instance_id, "Undo", write)


class ReviewSession(QObject):
    """Decisions and queries of the review screen; widgets listen to the signals."""

    clipOpened = Signal(object)  # Clip or None
    instancesChanged = Signal()
    selectionChanged = Signal(object)  # merged instance id or None
    clipFinalised = Signal(int)
    decided = Signal(int)  # clip id whose counts changed
    message = Signal(str)

    def __init__(self, store: StoreAPI, parent: QObject | None = None) -> None:
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
        self._written: dict[int, int] = {}  # instance id -> version this session last stored
        self._refused = False  # the last undo/redo was refused (its message is on screen)

    # ----- opening -------------------------------------------------------------------------
    def open_clip(self, clip: Clip | None) -> None:
        """Load the clip's annotators, their segments and the merged instances."""
        self.clip = clip
        self.selected = None
        self.undo_stack.clear()
        self.annotators = []
        self.reload()
        self.clipOpened.emit(clip)
        first = self.next_unresolved(None)
        self.select(first.id if first is not None else None)

    def reload(self) -> None:
        """Re-read everything shown of the clip from the store (the store is the truth): the clip,
        its annotators, their segments, the instances and whether the merge is still current."""
        if self.clip is None:
            self.segments, self.instances, self.merge_problem = {}, [], None
        else:
            self.clip = self.store.clip(self.clip.id)  # another reviewer may have finalised it
            self.annotators = clip_annotators(self.store, self.clip.id)
            self.segments = {name: sorted(self.store.segments(self.clip.id, name),
                                          key=lambda s: (s.start_frame, s.end_frame))
                             for name in self.annotators}
            self.instances = clip_instances(self.store, self.clip.id, self.segments)
            self.merge_problem = self.store.merge_problems([self.clip.id]).get(self.clip.id)
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
            self.message.emit("Select a merged instance first (click it, N for the next to review)")
        return inst

    def decide(self, choice: Choice) -> MergedInstance | None:
        """Store a decision on the selected instance and push it on the undo stack; None when refused."""
        inst = self._target()
        if inst is None or inst.id is None or self.clip is None:
            return None
        try:
            done = self._resolve(inst.id, inst.version, choice)
        except REFUSALS as exc:
            self.message.emit(f"Decision refused: {exc}")
            self.reload()
            return None
        self.undo_stack.push(_DecisionCommand(self, inst, choice))
        self._after_write()
        self.message.emit(f"Decided: {outcome_text(choice.decision, self.taxonomy)} "
                          f"({done.start_frame}–{done.end_frame}, {self._name(done.action_id)})")
        return done

    def _resolve(self, instance_id: int, version: int, choice: Choice) -> MergedInstance:
        done = self.store.resolve_merged(instance_id, version, choice.decision, choice.start_frame,
                                         choice.end_frame, choice.action_id)
        self._written[instance_id] = done.version
        return done

    def _after_write(self) -> None:
        self.reload()
        if self.clip is not None:
            self.decided.emit(self.clip.id)

    def _write(self, instance_id: int, what: str, write: Callable[[int], MergedInstance]) -> bool:
        """An undo or redo of a decision: version-checked against what this session last stored."""
        self.select(instance_id)
        current = self.instance(instance_id)
        if current is None:
            # the store's words for a deleted instance, so every path says the same
            self.message.emit(f"{what} refused: merged instance {instance_id} no longer exists (the merge was re-run)")
            self._refused = True
            return False
        try:
            done = write(self._written.get(instance_id, current.version))
        except REFUSALS as exc:
            self.message.emit(f"{what} refused: {exc}")
            self._refused = True
            self.reload()
            return False
        self._written[instance_id] = done.version
        self._after_write()
        self.select(instance_id)
        self.message.emit(self._replayed(what, done))
        return True

    def _replayed(self, what: str, done: MergedInstance) -> str:
        if what == "Redo":
            return (f"Redone: '{outcome_text(done.decision, self.taxonomy)}' "
                    f"({done.start_frame}–{done.end_frame}, {self._name(done.action_id)})")
        if done.status is MergedStatus.RESOLVED:
            return f"Undone: back to '{outcome_text(done.decision, self.taxonomy)}'"
        return (f"Undone: instance {done.start_frame}–{done.end_frame} is undecided again "
                f"({str(done.status).replace('_', ' ')})")

    def accept_majority(self) -> MergedInstance | None:
        """Enter: take the pre-selected majority outcome."""
        inst = self._target()
        if inst is None:
            return None
        chosen = majority_decision(inst)
        if chosen is None:
            self.message.emit("No majority for this instance: choose K (keep), D (delete), "
                              "L (label) or 1/2/3 (one annotator's version)")
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
            self.message.emit(f"This clip has {len(self.annotators)} annotators; there is no annotator {lane + 1}")
            return None
        name = self.annotators[lane]
        seg = self.contributors(inst).get(name)
        if seg is None:
            self.message.emit(f"{name} did not mark this instance: nothing of theirs to take "
                              "(D deletes it, K keeps the merged one)")
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
            self.message.emit("Nothing to undo in this clip" if undo else "Nothing to redo in this clip")
            return False
        self._refused = False
        stack.undo() if undo else stack.redo()
        return not self._refused

    def finalise(self) -> bool:
        """Ctrl+Enter: finalise the clip; the store refuses while instances need review."""
        if self.clip is None:
            return False
        try:
            self.clip = self.store.finalise_clip(self.clip.id)
        except REFUSALS as exc:
            self.reload()  # e.g. an annotator changed their work since the merge: lanes and state follow
            self.decided.emit(self.clip.id)
            self.message.emit(f"Cannot finalise: {exc}")
            return False
        self.merge_problem = None
        self.clipFinalised.emit(self.clip.id)
        self.message.emit(f"Clip {self.clip.name} finalised")
        return True

    def unfinalise(self) -> bool:
        """Open the finalised clip for review again (its decisions stay; it leaves the export)."""
        if self.clip is None or not self.clip.finalised:
            self.message.emit("This clip is not finalised")
            return False
        try:
            self.clip = self.store.unfinalise_clip(self.clip.id)
        except REFUSALS as exc:
            self.message.emit(f"Cannot un-finalise: {exc}")
            return False
        self.reload()
        self.clipFinalised.emit(self.clip.id)  # the row and the detail follow, as for finalising
        self.message.emit(f"Clip {self.clip.name} is open for review again (Ctrl+Enter finalises it)")
        return True

    def _name(self, action_id: int) -> str:
        a = self.taxonomy.action(action_id)
        return f"{a.code} {a.name}"
