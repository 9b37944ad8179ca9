"""Errors the domain raises for bad input and refused edits."""

from __future__ import annotations


class InputError(ValueError):
    """Bad input: one clear message naming the file, the place in it and the problem."""

    def __init__(self, file: str, place: str | None, problem: str) -> None:
        self.file = file
        self.place = place
        self.problem = problem
        where = f"{file}, {place}" if place else file
        super().__init__(f"{where}: {problem}")


class RuleViolation(ValueError):
    """An edit that breaks an annotation rule of DESIGN.md §6 (too short, out of bounds...)."""


class PermissionDenied(PermissionError):
    """The current user's role does not allow this read or write (checked in the data layer)."""


class ConflictError(RuntimeError):
    """Optimistic-locking conflict: the row changed since it was read (another desktop wrote it)."""


class Cancelled(Exception):
    """Long work stopped because its cancel token was set."""


class StoreBusy(RuntimeError):
    """The project database stayed locked by another program past the busy timeout: nothing was written."""
