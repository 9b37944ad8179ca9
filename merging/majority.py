"""Step 6 of DESIGN.md §7: the majority outcome pre-selected for the reviewer.

The `majority` text stored on a merged instance is one of:
  "keep"          more than half of the clip's annotators marked the instance;
  "delete"        fewer than half marked it: proposed for deletion (nothing is deleted);
  "label:<id>"    a label conflict: more than half marked it and action <id> has the most
                  votes (the instance already carries that action);
  None            no majority (e.g. one of two annotators, or a tied label vote): the
                  reviewer chooses.
Every instance that is not reliable is `needs_review`.
"""

from __future__ import annotations

import numpy as np

from annotator.model import MergedStatus
from merging.tiou import BoolArray, IntArray

KEEP = "keep"
DELETE = "delete"
LABEL_PREFIX = "label:"


def label_outcome(action_id: int) -> str:
    """The majority text of a label conflict decided for `action_id`."""
    return f"{LABEL_PREFIX}{action_id}"


def parse_outcome(majority: str | None) -> tuple[str | None, int | None]:
    """("keep"|"delete"|"label"|None, action id or None) from a stored majority text."""
    if majority is None or majority in (KEEP, DELETE):
        return majority, None
    if majority.startswith(LABEL_PREFIX) and majority[len(LABEL_PREFIX):].isdigit():
        return "label", int(majority[len(LABEL_PREFIX):])
    raise ValueError(f"unknown majority outcome {majority!r}")


def decide(
    count: IntArray, n_annotators: IntArray, reliable: BoolArray, conflict: BoolArray,
    label_majority: BoolArray, action: IntArray,
) -> tuple[list[MergedStatus], list[str | None]]:
    """(status, majority text) per instance from how many of the clip's annotators marked it."""
    more = 2 * count > n_annotators
    fewer = 2 * count < n_annotators
    statuses = [MergedStatus.RELIABLE if r else MergedStatus.NEEDS_REVIEW for r in reliable.tolist()]
    outcome = np.where(more, 0, np.where(fewer, 1, 2))
    outcome = np.where(more & conflict, np.where(label_majority, 3, 2), outcome)
    texts: list[str | None] = []
    for code, act in zip(outcome.tolist(), action.tolist(), strict=True):
        texts.append((KEEP, DELETE, None, None)[code] if code < 3 else label_outcome(act))
    return statuses, texts
