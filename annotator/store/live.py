"""Edit receipts (an edit stored once, whatever replays it) and the live feed of clips others changed.

The feed (migration 0011_i22): PostgreSQL LISTEN on the schema's channel, where triggers
NOTIFY the clip id of every committed write; SQLite polls PRAGMA data_version (no I/O while
nothing changed) and then reads the clip_changes rows past the last counter it saw. Either
way `poll()` answers which clips changed since the last call, so a window re-reads only those.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from annotator.store import convert
from annotator.store.core import StoreCore


class ReceiptsMixin(StoreCore):
    """Receipts of edits committed from a desktop's journal."""

    def record_edit(self, edit_id: str, bindings: dict[int, int]) -> None:
        """Note, in the caller's transaction (atomic()), that the edit `edit_id` is stored."""
        scope = self._edit
        if scope is not None and scope.committed and scope.edit_id == edit_id:
            return  # the edit's one statement stored its receipt with it
        with self._tx() as s:
            s.execute(text("INSERT INTO edit_receipts (edit_id, at, bindings) VALUES (:e, :at, :b)"),
                      {"e": edit_id, "at": convert.now(), "b": json.dumps({str(k): v for k, v in bindings.items()})})

    def edit_recorded(self, edit_id: str) -> dict[int, int] | None:
        """The ids the stored edit gave its new rows (temporary -> stored); None when it was never stored."""
        with self._read() as s:
            found = s.scalar(text("SELECT bindings FROM edit_receipts WHERE edit_id = :e"), {"e": edit_id})
        return None if found is None else {int(k): int(v) for k, v in json.loads(found).items()}

    def change_feed(self) -> ChangeFeed:
        """A feed of the clips others' committed writes touch (close it when done)."""
        return ChangeFeed(self._engine)


class ChangeFeed:
    """Which clips changed since the last poll(); None when that is unknown (the connection came back)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._raw: Any = None
        self._sqlite = engine.dialect.name == "sqlite"
        self._data_version: int | None = None
        self._seq = 0
        self._lost = False
        self._connect()

    def _connect(self) -> None:
        raw = self._engine.raw_connection()
        conn: Any = raw.driver_connection
        if self._sqlite:
            cur = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM clip_changes")
            self._seq = int(cur.fetchone()[0])
            self._data_version = int(conn.execute("PRAGMA data_version").fetchone()[0])
        else:
            conn.rollback()
            conn.autocommit = True
            schema = conn.execute("SELECT current_schema()").fetchone()[0]
            conn.execute(f'LISTEN "{schema}"')
        self._raw = raw

    def poll(self) -> set[int] | None:
        """Clip ids changed since the last poll (an empty set: none); None: unknown, re-read what is open."""
        try:
            if self._raw is None:
                self._connect()
                return None
            return self._poll_sqlite() if self._sqlite else self._poll_postgresql()
        except Exception as exc:  # noqa: BLE001 -- only a lost connection is expected here
            if not lost_connection(exc):
                raise
            self._drop()
            return set()

    def _poll_sqlite(self) -> set[int]:
        conn = self._raw.driver_connection
        version = int(conn.execute("PRAGMA data_version").fetchone()[0])
        if version == self._data_version:
            return set()
        self._data_version = version
        rows = conn.execute("SELECT clip_id, seq FROM clip_changes WHERE seq > ?", (self._seq,)).fetchall()
        conn.commit()  # end the read transaction pysqlite may hold, so data_version moves on
        if rows:
            self._seq = max(seq for _clip, seq in rows)
        return {int(clip) for clip, _seq in rows}

    def _poll_postgresql(self) -> set[int]:
        conn = self._raw.driver_connection
        changed: set[int] = set()
        for note in conn.notifies(timeout=0.0):
            if note.payload.isdigit():
                changed.add(int(note.payload))
        return changed

    def _drop(self) -> None:
        if self._raw is not None:
            try:
                self._raw.invalidate()
            except Exception:  # noqa: BLE001 -- already gone
                pass
        self._raw = None

    def close(self) -> None:
        """Give the connection back (discarded: it was LISTENing)."""
        self._drop()


def lost_connection(exc: BaseException) -> bool:
    """Whether a database error means it cannot be reached now (retry later), not that the edit is wrong."""
    if isinstance(exc, DBAPIError):
        return exc.connection_invalidated or type(exc.orig).__name__ in ("OperationalError", "InterfaceError")
    return isinstance(exc, ConnectionError | TimeoutError | OSError)
