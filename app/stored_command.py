"""The one shape of an undoable edit in the app: a QUndoCommand for an edit already stored.

Both screens store an edit first (so a refusal never reaches the undo stack) and then push
it; QUndoStack.push calls redo(), which must not store it twice. A replay the store refuses
marks the command obsolete, so the stack drops it.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand


class StoredCommand(QUndoCommand):
    """Subclasses say how to store the edit again (replay) and how to reverse it (reverse)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self._pushed = False

    def redo(self) -> None:
        """Store the edit again (not on push: it was stored before pushing)."""
        if not self._pushed:
            self._pushed = True
            return
        if not self.replay():
            self.setObsolete(True)

    def undo(self) -> None:
        """Reverse the edit in the store."""
        if not self.reverse():
            self.setObsolete(True)

    def replay(self) -> bool:
        """Store the edit again; False when the store refused it."""
        raise NotImplementedError

    def reverse(self) -> bool:
        """Reverse the edit; False when the store refused it."""
        raise NotImplementedError
