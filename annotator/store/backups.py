"""Backups of a SQLite project: online copies in PROJECT/backups/, rotated, checked, restored.

A SQLite project is one file: one bad disk write, or a copy over a network drive taken
mid-write, would lose every annotation. So the project keeps rotating copies made with
SQLite's online backup API (a consistent snapshot while others read and write): at open when
the newest is older than a few hours, after a merge or an import, and on `mmad backup`. Each
copy is checked (PRAGMA quick_check) before it may rotate an older one out, so a damaged
database never replaces good backups. A restore moves the current file aside (never deletes
it) and is refused while the desktop app holds the project. See docs/ARCHITECTURE.md, "Backups".
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import time
from pathlib import Path

from annotator.app_hold import exclusive_hold
from annotator.errors import DamagedDatabase, InputError

BACKUP_DIR = "backups"
DEFAULT_KEEP = 10  # copies kept (project.toml [backups] keep)
DEFAULT_EVERY_HOURS = 6.0  # a copy at open when the newest is older (project.toml [backups] every_hours)
PREFIX, SUFFIX = "project-", ".sqlite"
REPLACED_PREFIX = "replaced-"  # the file a restore moved aside (never rotated out)
BUSY_TIMEOUT_S = 30.0
# What SQLite says when a file is damaged (SQLITE_CORRUPT, SQLITE_NOTADB): a driver error with
# one of these is a damaged database, not a bug or a busy one.
DAMAGE_WORDS = ("malformed", "file is not a database", "database corrupt", "disk image")


def list_backups(folder: Path) -> list[Path]:
    """The rotating backups in `folder`, newest first (their names sort by time)."""
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.glob(f"{PREFIX}*{SUFFIX}") if p.is_file()), reverse=True)


def newest_backup(folder: Path) -> Path | None:
    """The newest rotating backup, or None."""
    found = list_backups(folder)
    return found[0] if found else None


def make_backup(db_file: Path, folder: Path, keep: int = DEFAULT_KEEP) -> Path:
    """Copy the live database into `folder` (online: others may read and write meanwhile), check
    the copy, then keep only the newest `keep`; DamagedDatabase when the copy is not sound."""
    if not db_file.is_file():
        raise InputError(str(db_file), None, "no project database to back up")
    folder.mkdir(parents=True, exist_ok=True)
    final = _new_name(folder)
    part = final.with_name(f".{final.name}.part")
    try:
        _copy(db_file, part)
        problem = _check(part, quick=True)
        if problem is not None:
            raise damaged_error(db_file, folder, problem)
        os.replace(part, final)
    finally:
        for leftover in (part, part.with_name(part.name + "-journal")):
            leftover.unlink(missing_ok=True)
    rotate(folder, keep)
    return final


def backup_if_due(db_file: Path, folder: Path, keep: int, every_hours: float) -> Path | None:
    """A backup when the newest is older than `every_hours` (or none exists); None when not due."""
    newest = newest_backup(folder)
    if newest is not None and time.time() - newest.stat().st_mtime < every_hours * 3600:
        return None
    return make_backup(db_file, folder, keep)


def rotate(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` rotating backups; the deleted paths."""
    old = list_backups(folder)[max(keep, 1):]
    for path in old:
        path.unlink(missing_ok=True)
    return old


def restore_backup(db_file: Path, backup: Path, project_folder: Path) -> Path | None:
    """Put `backup` in place of the project's database; the current file is moved aside into the
    backups folder (returned; None when there was none). Refused while the app holds the project,
    and when the backup itself is not sound."""
    if not backup.is_file():
        raise InputError(str(backup), None, "no such backup file")
    problem = _check(backup, quick=False)
    if problem is not None:
        raise InputError(str(backup), None, f"this backup is damaged too ({problem}); choose an older one")
    folder = project_folder / BACKUP_DIR
    folder.mkdir(parents=True, exist_ok=True)
    with exclusive_hold(project_folder):
        part = db_file.with_name(f".{db_file.name}.restoring")
        part.unlink(missing_ok=True)
        try:
            _copy(backup, part)
            moved = None
            if db_file.exists():
                moved = folder / f"{REPLACED_PREFIX}{stamp()}{SUFFIX}"
                os.replace(db_file, moved)
            for side in ("-wal", "-shm"):  # the replaced file's log must not be replayed onto the backup
                extra = db_file.with_name(db_file.name + side)
                if extra.exists():
                    if moved is not None and side == "-wal":
                        os.replace(extra, moved.with_name(moved.name + side))
                    else:
                        extra.unlink()
            os.replace(part, db_file)
        finally:
            part.unlink(missing_ok=True)
    return moved


def damaged_error(db_file: Path, folder: Path, problem: str) -> DamagedDatabase:
    """The one-line error for a damaged database, naming the file and the newest backup."""
    newest = newest_backup(folder)
    project = db_file.parent
    if newest is None:
        advice = f"no backup in {folder}; copy the file back from your own backups"
    else:
        when = dt.datetime.fromtimestamp(newest.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
        advice = f"restore the newest backup {newest} (of {when}): mmad restore {project} {newest.name}"
    return DamagedDatabase(str(db_file), None, f"the project database is damaged ({problem}); {advice}")


def is_damage(exc: BaseException) -> str | None:
    """SQLite's words when `exc` (or what caused it) says the file is damaged; None otherwise."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        orig = getattr(current, "orig", None)
        for candidate in (current, orig):
            if isinstance(candidate, sqlite3.DatabaseError) and not isinstance(candidate, sqlite3.OperationalError):
                words = str(candidate).splitlines()[0] if str(candidate) else type(candidate).__name__
                if any(w in words.lower() for w in DAMAGE_WORDS):
                    return words
        current = current.__cause__ or current.__context__
    return None


def damaged_database(exc: BaseException, project_folder: str | os.PathLike[str] | None) -> DamagedDatabase | None:
    """The DamagedDatabase for a driver error that says the file is damaged; None for any other."""
    problem = is_damage(exc)
    if problem is None:
        return None
    folder = Path(project_folder) if project_folder is not None else Path(".")
    return damaged_error(folder / "project.sqlite", folder / BACKUP_DIR, problem)


def _copy(source: Path, target: Path) -> None:
    """SQLite's online backup of `source` into a new file `target`."""
    src = sqlite3.connect(source, timeout=BUSY_TIMEOUT_S)  # read-write: a WAL file's readers need its -shm
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        finally:
            dst.close()
    except sqlite3.DatabaseError as exc:
        problem = is_damage(exc)
        if problem is None:
            raise
        raise damaged_error(source, target.parent, problem) from None
    finally:
        src.close()


def _check(file: Path, quick: bool) -> str | None:
    """None when SQLite finds the file sound, else its first complaint."""
    try:
        conn = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
        try:
            rows = conn.execute("PRAGMA quick_check" if quick else "PRAGMA integrity_check").fetchall()
            conn.execute("SELECT count(*) FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return str(exc).splitlines()[0] if str(exc) else "not a database"
    first = str(rows[0][0]) if rows else "no answer"
    return None if first == "ok" else first


def stamp() -> str:
    """Now as a name part that sorts by time (to the millisecond)."""
    now = dt.datetime.now()
    return now.strftime("%Y%m%d-%H%M%S-") + f"{now.microsecond // 1000:03d}"


def _new_name(folder: Path) -> Path:
    path = folder / f"{PREFIX}{stamp()}{SUFFIX}"
    n = 1
    while path.exists():
        path = folder / f"{PREFIX}{stamp()}-{n}{SUFFIX}"
        n += 1
    return path
