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

import numpy as np

from annotator.decisions import DELETE, KEEP, Decision, label
from annotator.model import MergedStatus
from merging.tiou import BoolArray, IntArray


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
