"""The local journal: edits shown in the window but not yet committed, kept in a small SQLite file.

An edit is written here (and fsynced: synchronous=FULL) before the window shows it as done,
and removed once the database committed it; what is left when the app or the connection
dies is replayed in order on the next start (annotator.edit_queue). Each entry names the
database and user it belongs to, so one project folder serving several logins (or a
re-pointed database) never replays one user's edits as another's.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from annotator.commands import Command, command_from_json

JOURNAL_NAME = "edits-journal.sqlite"


@dataclass(frozen=True, slots=True)
class Entry:
    """One journalled edit: its id (also the database's receipt), direction and command."""

    edit_id: str
    undo: bool
    command: Command


class Journal:
    """Append, remove and list the uncommitted edits of one (database, user) scope."""

    def __init__(self, path: Path, scope: str) -> None:
        self.path = path
        self.scope = scope
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")  # every commit fsynced before append() returns
        self._db.execute("CREATE TABLE IF NOT EXISTS edits (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
                         "scope TEXT NOT NULL, edit_id TEXT NOT NULL UNIQUE, undo INTEGER NOT NULL, "
                         "command TEXT NOT NULL)")

    def append(self, edit_id: str, undo: bool, command: Command) -> None:
        """Keep an edit (durably) until remove()."""
        with self._lock:
            self._db.execute("INSERT INTO edits (scope, edit_id, undo, command) VALUES (?, ?, ?, ?)",
                             (self.scope, edit_id, int(undo), json.dumps(command.to_json())))

    def remove(self, *edit_ids: str) -> None:
        """Forget edits the database committed (or refused, once reported)."""
        with self._lock:
            self._db.executemany("DELETE FROM edits WHERE edit_id = ?", [(e,) for e in edit_ids])

    def entries(self) -> list[Entry]:
        """This scope's edits, oldest first."""
        with self._lock:
            rows = self._db.execute("SELECT edit_id, undo, command FROM edits WHERE scope = ? ORDER BY seq",
                                    (self.scope,)).fetchall()
        return [Entry(e, bool(u), command_from_json(json.loads(c))) for e, u, c in rows]

    def close(self) -> None:
        """Close the file."""
        with self._lock:
            self._db.close()
