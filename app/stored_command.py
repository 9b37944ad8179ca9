"""The one shape of an undoable edit in the app: a QUndoCommand around an annotator.commands.Command.

Both screens queue an edit first (it is on screen at once; a local refusal never reaches
the stack) and then push it; QUndoStack.push calls redo(), which must not queue it twice.
Undo and redo queue the command again, in the other direction, through the same writer.
An edit the store refused later is `dropped`: its next undo only removes it from the stack.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from annotator.commands import Command
from app.core_text import core_text
from app.i18n import tr


class StoredCommand(QUndoCommand):
    """`submit(command, undo, text)` queues the command (False: refused at once)."""

    def __init__(self, command: Command, submit: Callable[[Command, bool, str], bool], text: str | None = None) -> None:
        super().__init__(text or command.text)
        self.command = command
        self.submit = submit
        self.dropped = False
        self._pushed = False

    def redo(self) -> None:
        """Queue the edit again (not on push: it was queued before pushing)."""
        if not self._pushed:
            self._pushed = True
            return
        if not self.submit(self.command, False, self.text()):
            self.setObsolete(True)

    def undo(self) -> None:
        """Queue the reverse edit (a dropped edit just leaves the stack)."""
        if self.dropped or not self.submit(self.command, True, tr("Window", "Undo {step}").format(step=core_text(self.text()))):
            self.setObsolete(True)
