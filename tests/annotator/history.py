"""A plain undo/redo history over annotator.commands, for tests without Qt (the app uses QUndoStack)."""

from __future__ import annotations

from dataclasses import dataclass, field

from annotator.commands import Change, Command
from annotator.store.api import StoreAPI


@dataclass
class UndoHistory:
    """Unlimited undo/redo over commands (the app uses QUndoStack instead)."""

    store: StoreAPI
    _done: list[Command] = field(default_factory=list)
    _undone: list[Command] = field(default_factory=list)

    def push(self, command: Command) -> Change:
        """Do a new command; it clears the redo list."""
        change = command.do(self.store)
        self._done.append(command)
        self._undone.clear()
        return change

    def undo(self) -> Change | None:
        """Undo the last command (None when there is nothing to undo)."""
        if not self._done:
            return None
        change = self._done[-1].undo(self.store)
        self._undone.append(self._done.pop())
        return change

    def redo(self) -> Change | None:
        """Redo the last undone command (None when there is nothing to redo)."""
        if not self._undone:
            return None
        change = self._undone[-1].do(self.store)
        self._done.append(self._undone.pop())
        return change

    @property
    def can_undo(self) -> bool:
        """Whether undo() would do something."""
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        """Whether redo() would do something."""
        return bool(self._undone)
