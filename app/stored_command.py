"""The one shape of an undoable edit in the app: a QUndoCommand around an annotator.commands.Command.

Both screens queue an edit first (it is on screen at once; a local refusal never reaches
the stack) and then push it; QUndoStack.push calls redo(), which must not queue it twice.
Undo and redo queue the command again, in the other direction, through the same writer.
An edit the store refused later leaves the stack with the entries that depend on it
(`prune`, after annotator.undo_history); the others stay undoable.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtGui import QUndoCommand, QUndoStack

from annotator.commands import Command
from annotator.undo_history import still_undoable
from annotator.versions import VersionBook
from app.core_text import core_text
from app.i18n import tr


class StoredCommand(QUndoCommand):
    """`submit(command, undo, text)` queues the command (False: refused at once)."""

    def __init__(self, command: Command, submit: Callable[[Command, bool, str], bool], text: str | None = None) -> None:
        super().__init__(text or command.text)
        self.command = command
        self.submit = submit
        self._pushed = False

    def redo(self) -> None:
        """Queue the edit again (not on push: it was queued before pushing)."""
        if not self._pushed:
            self._pushed = True
            return
        if not self.submit(self.command, False, self.text()):
            self.setObsolete(True)

    def undo(self) -> None:
        """Queue the reverse edit."""
        if not self.submit(self.command, True, tr("Window", "Undo {step}").format(step=core_text(self.text()))):
            self.setObsolete(True)


def prune(stack: QUndoStack, refused: Sequence[tuple[Command, bool]], book: VersionBook) -> int:
    """Rebuild the stack without the edits the store refused ((command, was an undo)), the older
    entries that depend on them and the redo history; how many entries left besides the refused."""
    entries: list[StoredCommand] = []
    for i in range(stack.count()):
        entry = stack.command(i)
        assert isinstance(entry, StoredCommand)
        entries.append(entry)
    done = entries[:stack.index()]
    keep = still_undoable([e.command for e in done], refused, book)
    if all(keep) and len(done) == len(entries):
        return 0
    kept = [(e.command, e.submit, e.text()) for e, k in zip(done, keep, strict=True) if k]
    refused_ids = {id(c) for c, _ in refused}
    lost = sum(id(e.command) not in refused_ids for e in entries) - len(kept)
    stack.clear()  # QUndoStack removes nothing from the middle: push back what stays, none queued again
    for command, submit, text in kept:
        stack.push(StoredCommand(command, submit, text))
    return lost
