"""What every aggregate of the store shares: the engine, the user's rights, transactions, audit.

Every public store method runs in its own short transaction and commits before it returns,
so a crash loses at most the edit in flight; `atomic()` joins several calls (the steps of
one compound edit) into one transaction. See docs/ARCHITECTURE.md (store).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, select
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from annotator.errors import InputError, RuleViolation
from annotator.model import Annotator
from annotator.store import convert
from annotator.store.access import AccessPolicy
from annotator.store.engine import busy_as_error, writer
from annotator.store.orm import AnnotatorRow, AssignmentRow, AuditRow, ClipRow
from annotator.taxonomy import Taxonomy

# What the database (or its driver, binding a value) raises for a value it cannot hold. The
# readers' checks (annotator.input_checks) keep such values out; this is the net behind them.
REFUSED_VALUES = (IntegrityError, DataError, OverflowError, UnicodeEncodeError)


def refusal(what: str, exc: Exception) -> RuleViolation:
    """One line saying the database refused `what` (PostgreSQL's messages add DETAIL lines)."""
    detail = exc.orig if isinstance(exc, IntegrityError | DataError) else exc
    return RuleViolation(f"the database refused {what}: {' '.join(str(detail).split())}")


def to_json(value: Mapping[str, Any] | None) -> str | None:
    """An audit value as JSON text."""
    return None if value is None else json.dumps(value, default=str, sort_keys=True)


class StoreCore:
    """One user's connection to a project database; the aggregates' mixins build on it."""

    def __init__(self, engine: Engine, taxonomy: Taxonomy, user: Annotator | None, *,
                 owns_engine: bool = True) -> None:
        self._engine = engine
        self._writer = writer(engine)
        self.taxonomy = taxonomy
        self.user = user
        self.access = AccessPolicy(user)
        self._owns_engine = owns_engine
        self._session: Session | None = None  # the transaction atomic() holds open

    def close(self) -> None:
        """Release the database connections (only the Store that opened them does)."""
        if self._owns_engine:
            self._engine.dispose()

    @contextmanager
    def _tx(self, write: bool = True) -> Iterator[Session]:
        """A transaction: the one atomic() holds, or a new one committed on leaving.

        write=False for transactions that only read (on SQLite they do not take the write lock).
        """
        if self._session is not None:
            yield self._session
            return
        bind = self._writer if write else self._engine
        with busy_as_error(), Session(bind, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def _read(self) -> Iterator[Session]:
        """A transaction that only reads."""
        with self._tx(write=False) as session:
            yield session

    @contextmanager
    def _connect(self) -> Iterator[Connection]:
        """A plain connection for bulk reads (Core rows)."""
        with busy_as_error(), self._engine.connect() as conn:
            yield conn

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """Every store call inside runs in ONE transaction: all of them are stored, or none."""
        if self._session is not None:
            yield  # already inside one: the outer transaction decides
            return
        try:
            with busy_as_error(), Session(self._writer, expire_on_commit=False) as session, session.begin():
                self._session = session
                yield
        finally:
            self._session = None

    def require_reviewer(self, what: str) -> None:
        """Refuse an annotator the work of a reviewer (`what` completes "only a reviewer may …")."""
        self.access.require_privileged(what)

    def _audit(self, s: Session, action: str, entity: str, entity_id: int | None,
               old: Mapping[str, Any] | None = None, new: Mapping[str, Any] | None = None) -> None:
        s.add(AuditRow(at=convert.now(), user=self.access.name, action=action, entity=entity,
                       entity_id=entity_id, old=to_json(old), new=to_json(new)))

    def _clip_row(self, s: Session, clip_id: int) -> ClipRow:
        row = s.get(ClipRow, clip_id)
        if row is None:
            raise InputError("project", f"clip id {clip_id}", "no such clip")
        return row

    def _annotator_row(self, s: Session, name: str) -> AnnotatorRow:
        row = s.scalar(select(AnnotatorRow).where(AnnotatorRow.name == name))
        if row is None:
            raise InputError("project", f"annotator {name!r}", "no such annotator (mmad add-user)")
        return row

    def _check_read(self, clip_row: ClipRow, author: str) -> None:
        self.access.check_read(clip_row.name, clip_row.finalised, author)

    def _check_write(self, clip_row: ClipRow, author: str) -> None:
        self.access.check_write(clip_row.name, clip_row.finalised, author)

    def _check_segment_write(self, s: Session, clip_row: ClipRow, author: str) -> None:
        """The rights to write `author`'s segment on this clip (an annotator: on their own clips only)."""
        assigned = self.user is None or self.access.privileged or \
            s.get(AssignmentRow, (clip_row.id, self.user.id)) is not None
        self.access.check_segment_write(clip_row.name, clip_row.finalised, author, assigned)
