"""Which undo entries stay after the store refused an edit: the refused ones and those that depend on them go.

An entry's undo goes back from what its own write left on its rows (segments, proposals,
merged instances, the clip's state). When the store refuses an edit:
  - a refused do (a new edit, a redo) never took effect: only it leaves the history (an
    older entry's undo of the same rows is still checked against the rows' versions, so a
    teammate's write in between is refused then, never overwritten);
  - a refused undo leaves its entry's effect in the store: that entry leaves the history,
    and with it every OLDER entry that touched the same rows (undoing one would jump back
    over a write that stays), and, in turn, the older entries of those entries' rows;
  - entries of other rows stay undoable, and newer entries stay (they go back only to
    what the dropped ones left, which the store holds).
The redo history is dropped whole: what it would redo was made on a state the store no longer holds.
"""

from __future__ import annotations

from collections.abc import Sequence

from annotator.commands import MERGED, SEGMENT, Command
from annotator.errors import RuleViolation
from annotator.versions import VersionBook

Key = tuple[str, int]  # (what, stored or temporary id); ("state", clip id) for an assignment's state


def touched(command: Command, book: VersionBook) -> set[Key]:
    """The rows the command writes, doing or undoing it (from its previews: no database)."""
    keys: set[Key] = set()
    for undo in (False, True):
        try:
            change = command.preview(book, undo)
        except RuleViolation:
            continue
        keys.update((SEGMENT, book.real(s.id)) for s in change.segments if s.id is not None)
        keys.update((SEGMENT, book.real(i)) for i in change.removed)
        keys.update(("proposal", p.id) for p in change.proposals if p.id is not None)
        keys.update((MERGED, m.id) for m in change.instances if m.id is not None)
        if change.state is not None:
            keys.add(("state", change.clip_id))
    return keys


def still_undoable(done: Sequence[Command], refused: Sequence[tuple[Command, bool]], book: VersionBook) -> list[bool]:
    """For each done entry (oldest first), whether it stays undoable after the store refused
    `refused` ((command, was an undo) in any order)."""
    gone = {id(c) for c, _ in refused}
    stays: set[Key] = set()  # rows whose refused or dropped entry's write stays in the store
    for command, undo in refused:
        if undo:
            stays |= touched(command, book)
    keep = [True] * len(done)
    for i in reversed(range(len(done))):  # newest first: a dropped entry pins the rows for the older ones
        command = done[i]
        if id(command) in gone:
            keep[i] = False
            continue
        rows = touched(command, book)
        if rows & stays:
            keep[i] = False
            stays |= rows
    return keep
