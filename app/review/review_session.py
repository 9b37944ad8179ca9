"""The reviewer's open clip: annotators' segments, merged instances, decisions, finalising.

Every decision is one StoreAPI.resolve_merged call (version-checked and audited in the
store). Undo re-applies the previous decision when there was one, and otherwise calls
StoreAPI.unresolve_merged, which puts the merge's own bounds, label and status back; redo
re-applies the decision undone. A new decision clears what could be redone.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from annotator.errors import ConflictError, InputError, PermissionDenied, RuleViolation
from annotator.model import Clip, MergedInstance, MergedStatus, Segment
from annotator.store.api import StoreAPI
from app.review.review_model import (
    ADJUST,
    TAKE_PREFIX,
    Decision,
    author_of,
    clip_annotators,
    clip_instances,
    majority_decision,
    outcome_text,
)
from merging.majority import DELETE, KEEP, label_outcome

REFUSALS = (RuleViolation, ConflictError, PermissionDenied, InputError)


@dataclass(frozen=True, slots=True)
class _Undo:
    """One step in the history: the instance as it stood before it (for redo: before the undo)."""

    instance_id: int
    before: MergedInstance


def _decision_of(inst: MergedInstance) -> Decision:
    """The decision that puts a resolved instance back as it is."""
    return Decision(inst.decision or "", inst.start_frame, inst.end_frame, inst.action_id)


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
        self.selected: int | None = None
        self.history: list[_Undo] = []
        self.undone: list[_Undo] = []

    # ----- opening -------------------------------------------------------------------------
    def open_clip(self, clip: Clip | None) -> None:
        """Load the clip's annotators, their segments and the merged instances."""
        self.clip = clip
        self.selected = None
        self.history, self.undone = [], []
        self.annotators = clip_annotators(self.store, clip.id) if clip is not None else []
        self.reload()
        self.clipOpened.emit(clip)
        first = self.next_unresolved(None)
        self.select(first.id if first is not None else None)

    def reload(self) -> None:
        """Re-read segments and instances from the store (the store is the truth)."""
        if self.clip is None:
            self.segments, self.instances = {}, []
        else:
            self.segments = {name: sorted(self.store.segments(self.clip.id, name),
                                          key=lambda s: (s.start_frame, s.end_frame))
                             for name in self.annotators}
            self.instances = clip_instances(self.store, self.clip.id, self.segments)
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

    def decide(self, decision: Decision, record: bool = True, fresh: bool = True) -> MergedInstance | None:
        """Store a decision on the selected instance; None (with a message) when refused.

        record: it goes in the undo history; fresh: a new decision, so nothing is left to redo.
        """
        inst = self._target()
        if inst is None or inst.id is None or self.clip is None:
            return None
        try:
            done = self.store.resolve_merged(inst.id, inst.version, decision.decision, decision.start_frame,
                                             decision.end_frame, decision.action_id)
        except REFUSALS as exc:
            self.message.emit(f"Decision refused: {exc}")
            self.reload()
            return None
        if record:
            self.history.append(_Undo(inst.id, inst))
        if fresh:
            self.undone.clear()
        self.reload()
        self.decided.emit(self.clip.id)
        self.message.emit(f"Decided: {outcome_text(decision.decision, self.taxonomy)} "
                          f"({done.start_frame}–{done.end_frame}, {self._name(done.action_id)})")
        return done

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
        return None if inst is None else self.decide(Decision(KEEP, inst.start_frame, inst.end_frame,
                                                                 inst.action_id))

    def delete(self) -> MergedInstance | None:
        """D: drop the instance from the ground truth (the segments stay stored)."""
        inst = self._target()
        return None if inst is None else self.decide(Decision(DELETE, inst.start_frame, inst.end_frame,
                                                                 inst.action_id))

    def relabel(self, action_id: int) -> MergedInstance | None:
        """L: keep the instance with another action."""
        inst = self._target()
        return None if inst is None else self.decide(Decision(label_outcome(action_id), inst.start_frame,
                                                                 inst.end_frame, action_id))

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
        done = self.decide(Decision(ADJUST, start, end, inst.action_id))
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
        return self.decide(Decision(f"{TAKE_PREFIX}{name}", seg.start_frame, seg.end_frame, seg.action_id))

    def undo(self) -> bool:
        """Ctrl+Z: undo the last decision (back to the previous one, or to undecided)."""
        if not self.history:
            self.message.emit("Nothing to undo in this clip")
            return False
        entry = self.history.pop()
        before = entry.before
        self.select(entry.instance_id)
        now = self.instance(entry.instance_id)
        if before.status is MergedStatus.RESOLVED and before.decision is not None:
            done = self.decide(_decision_of(before), record=False, fresh=False) is not None
            if done:
                self.message.emit(f"Undone: back to '{outcome_text(before.decision, self.taxonomy)}'")
        else:
            done = self._reopen(entry.instance_id)
        if done and now is not None:
            self.undone.append(_Undo(entry.instance_id, now))
        return done

    def redo(self) -> bool:
        """Ctrl+Shift+Z: decide again what the last undo took back."""
        if not self.undone:
            self.message.emit("Nothing to redo in this clip")
            return False
        entry = self.undone.pop()
        again = entry.before
        self.select(entry.instance_id)
        if self.selected != entry.instance_id or again.decision is None:
            self.message.emit("That instance is gone (the merge was re-run): nothing to redo")
            return False
        done = self.decide(_decision_of(again), fresh=False)
        if done is not None:
            self.message.emit(f"Redone: '{outcome_text(again.decision, self.taxonomy)}' "
                              f"({done.start_frame}–{done.end_frame}, {self._name(done.action_id)})")
        return done is not None

    def _reopen(self, instance_id: int) -> bool:
        """Undo an instance's first decision: the store puts the merge's own output back."""
        current = self.instance(instance_id)
        if current is None or self.clip is None:
            self.message.emit("That instance is gone (the merge was re-run): nothing to undo")
            return False
        try:
            back = self.store.unresolve_merged(instance_id, current.version)
        except REFUSALS as exc:
            self.message.emit(f"Undo refused: {exc}")
            self.reload()
            return False
        self.reload()
        self.decided.emit(self.clip.id)
        self.message.emit(f"Undone: instance {back.start_frame}–{back.end_frame} is undecided again "
                          f"({str(back.status).replace('_', ' ')})")
        return True

    def finalise(self) -> bool:
        """Ctrl+Enter: finalise the clip; the store refuses while instances need review."""
        if self.clip is None:
            return False
        try:
            self.clip = self.store.finalise_clip(self.clip.id)
        except REFUSALS as exc:
            self.message.emit(f"Cannot finalise: {exc}")
            return False
        self.clipFinalised.emit(self.clip.id)
        self.message.emit(f"Clip {self.clip.name} finalised")
        return True

    def _name(self, action_id: int) -> str:
        a = self.taxonomy.action(action_id)
        return f"{a.code} {a.name}"
