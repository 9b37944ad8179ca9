"""Clips every annotator finished without marking anything: a merge result with no instances.

"Done with no instances" is a real answer (an annotator looked and saw nothing). When all the
clip's annotators (two or more, as the merge needs) say so, the merge of the clip is empty by
construction: nothing to review, and the clip is reliable ground truth with zero instances, to
be finalised and exported like any other. Nothing is stored for it: the emptiness is read from
the annotators' work, so a later segment on the clip undoes it at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from annotator.model import Annotator, Assignment, AssignmentState, Role


class WorkStore(Protocol):
    """What the test needs from the store (a subset of StoreAPI)."""

    @property
    def user(self) -> Annotator | None: ...
    def assignments(self, annotator: str | None = None) -> list[Assignment]: ...
    def annotators(self) -> list[Annotator]: ...
    def segment_counts(self, author: str | None = None) -> dict[tuple[int, str], int]: ...


def agreed_empty(store: WorkStore, assignments: Sequence[Assignment] | None = None) -> set[int]:
    """Ids of clips whose assigned annotators (two or more) are all done and none marked anything
    (`assignments`: the project's, when the caller has read them already).

    Empty for an annotator's store: others' work is hidden from them until a clip is finalised,
    so they cannot tell an empty clip from a hidden one.
    """
    if store.user is not None and store.user.role is not Role.REVIEWER:
        return set()
    by_clip: dict[int, list[Assignment]] = {}
    for a in store.assignments(None) if assignments is None else assignments:
        by_clip.setdefault(a.clip_id, []).append(a)
    ready = {cid: [a.annotator_id for a in items] for cid, items in by_clip.items()
             if len(items) >= 2 and all(a.state is AssignmentState.DONE for a in items)}
    if not ready:
        return set()
    names = {a.id: a.name for a in store.annotators()}
    counts = store.segment_counts()  # one query for the whole project
    # an assignment of a person this store cannot see: do not guess, count the clip as marked
    marked = {cid for cid, ids in ready.items()
              if any(pid not in names or counts.get((cid, names[pid]), 0) for pid in ids)}
    return set(ready) - marked
