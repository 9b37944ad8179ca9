"""Step 6 of the merge (docs/ARCHITECTURE.md, "Merge, cross-check and review"): the majority outcome pre-selected for the reviewer.

The `majority` on a merged instance is an annotator.decisions.Decision or None:
  KEEP            more than half of the clip's annotators marked the instance;
  DELETE          fewer than half marked it: proposed for deletion (nothing is deleted);
  label(<id>)     a label conflict: more than half marked it and action <id> has the most
                  votes (the instance already carries that action);
  None            no majority (e.g. one of two annotators, or a tied label vote): the
                  reviewer chooses.
Every instance that is not reliable is `needs_review`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from annotator.decisions import DELETE, KEEP, Decision, label
from annotator.model import MergedInstance, MergedStatus
from merging.tiou import BoolArray, IntArray


@dataclass(frozen=True, slots=True)
class Choice:
    """A reviewer's answer to one merged instance, as StoreAPI.resolve_merged takes it."""

    decision: Decision
    start_frame: int
    end_frame: int
    action_id: int


def majority_decision(inst: MergedInstance) -> Choice | None:
    """The pre-selected majority outcome as a choice (None when there is no majority); the review
    screen's Enter and `mmad finalise` both take it."""
    if inst.majority is not None:
        action = inst.majority.action_id if inst.majority.action_id is not None else inst.action_id
        return Choice(inst.majority, inst.start_frame, inst.end_frame, action)
    if inst.status is MergedStatus.RELIABLE:  # the cross-check agreed: keeping it is the outcome
        return Choice(KEEP, inst.start_frame, inst.end_frame, inst.action_id)
    return None


def decide(
    count: IntArray, n_annotators: IntArray, reliable: BoolArray, conflict: BoolArray,
    label_majority: BoolArray, action: IntArray,
) -> tuple[list[MergedStatus], list[Decision | None]]:
    """(status, majority outcome) per instance from how many of the clip's annotators marked it."""
    more = 2 * count > n_annotators
    fewer = 2 * count < n_annotators
    statuses = [MergedStatus.RELIABLE if r else MergedStatus.NEEDS_REVIEW for r in reliable.tolist()]
    outcome = np.where(more, 0, np.where(fewer, 1, 2))
    outcome = np.where(more & conflict, np.where(label_majority, 3, 2), outcome)
    majorities: list[Decision | None] = []
    for code, act in zip(outcome.tolist(), action.tolist(), strict=True):
        majorities.append((KEEP, DELETE, None, None)[code] if code < 3 else label(act))
    return statuses, majorities
