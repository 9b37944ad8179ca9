"""What every aggregate of the store shares: the engine, the user's rights, transactions, audit.

Every public store method runs in its own short transaction and commits before it returns,
so a crash loses at most the edit in flight; `atomic()` joins several calls (the steps of
one compound edit) into one transaction. See docs/ARCHITECTURE.md (store).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Row, select, text
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


def json_sql(fields: Mapping[str, str], given: frozenset[str] = frozenset()) -> str:
    """SQL of the JSON text to_json() writes for {key: the value of SQL expression}: keys sorted, the
    same separators (a text column's non-ASCII characters stay as they are, where json.dumps escapes
    them); the expressions of keys in `given` are JSON text already (a parameter to_json() wrote)."""
    parts = [f"'{', ' if n else '{'}\"{key}\": ' || " + (
        fields[key] if key in given else f"COALESCE(to_json({fields[key]})::text, 'null')")
        for n, key in enumerate(sorted(fields))]
    return "(" + " || ".join(parts) + " || '}')"


# The head of a one-statement write's audit CTE (a SELECT of at, user, action, entity, entity_id,
# old, new follows), and a clip's shortest segment in frames (rules.min_length_frames, as SQL of
# the clip's fps expression; :min_s is MIN_SEGMENT_SECONDS).
AUDIT_CTE = 'audit AS (INSERT INTO audit_log (at, "user", action, entity, entity_id, old, new) '
SHORTEST_SQL = "GREATEST(1, CEIL(:min_s * {fps} - 1e-9))"


@dataclass(slots=True)
class EditScope:
    """The edit StoreCore.edit() holds open: whether its transaction was used, whether a one-statement
    write committed it (with the receipt), so that nothing else may join it afterwards."""

    edit_id: str | None
    used: bool = False
    committed: bool = False


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
        self._edit: EditScope | None = None  # the edit edit() holds open

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
            if self._edit is not None:
                if self._edit.committed:
                    raise RuntimeError("this edit was committed as one statement: nothing more may join it")
                self._edit.used = True
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

    @contextmanager
    def edit(self, edit_id: str | None) -> Iterator[None]:
        """One edit in ONE transaction with its receipt (record_edit, when `edit_id` names it).

        A write that can be one statement (write_segments on PostgreSQL) and comes first commits
        on its own, receipt included, in one round trip; anything else runs in atomic()."""
        if self._session is not None:  # inside an outer atomic(): it decides
            yield
            return
        self._edit = EditScope(edit_id)
        try:
            with self.atomic():
                yield
        finally:
            self._edit = None

    def _whole_edit(self) -> EditScope | None:
        """The open edit when a one-statement write may commit it by itself (nothing else ran in it yet)."""
        scope = self._edit
        return scope if scope is not None and not scope.used and not scope.committed else None

    @property
    def _one_statement_writes(self) -> bool:
        """Whether single writes go as one statement each (PostgreSQL: a round trip costs; SQLite: none,
        and it has no data-modifying CTEs)."""
        return self._engine.dialect.name == "postgresql"

    def _one_statement(self, ctes: list[str], final: str, params: dict[str, Any],
                       bindings: str = "jsonb_build_object()") -> list[Row[Any]] | None:
        """Run `WITH ctes final` on PostgreSQL, where a CTE named guard holds one boolean `ok` and every
        write waits on it; the rows `final` returns, or None when guard refused (nothing was written).

        Inside edit() with nothing else run yet, the edit's receipt (`bindings`: SQL of its temporary ->
        stored ids as JSON) joins the statement, which then commits by itself: one round trip. Outside
        any transaction it commits by itself too; inside atomic() it is one statement of it."""
        scope = self._whole_edit()
        ctes = list(ctes)
        if scope is not None and scope.edit_id is not None:
            params = {**params, "mmad_edit": scope.edit_id, "mmad_at": convert.now()}
            ctes.append("mmad_receipt AS (INSERT INTO edit_receipts (edit_id, at, bindings) "
                        f"SELECT :mmad_edit, :mmad_at, ({bindings})::text WHERE (SELECT ok FROM guard))")
        sql = text(f"WITH {', '.join(ctes)} {final}")
        if self._session is not None and scope is None:  # inside a transaction that holds more
            with self._tx() as s:
                rows = list(s.execute(sql, params).all())
        else:  # the statement is its own transaction: no BEGIN, no COMMIT to wait for
            with busy_as_error(), self._writer.connect() as conn:
                rows = list(conn.execution_options(isolation_level="AUTOCOMMIT").execute(sql, params).all())
        if not rows or not rows[0].ok:
            return None
        if scope is not None:
            scope.committed = True
        return rows

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
