"""`mmad backup PROJECT` and `mmad restore PROJECT [BACKUP]`: the project's database copies.

SQLite projects are copied with SQLite's online backup API into PROJECT/backups/ (the same
rotating copies the project makes at open and after a merge or an import); a PostgreSQL
project is dumped with pg_dump when it is installed. See docs/ARCHITECTURE.md, "Backups".
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import time
from pathlib import Path

from annotator.errors import InputError

PG_DUMP_INSTALL = "install PostgreSQL's client tools (Debian/Ubuntu: apt install postgresql-client)"


def _backup(args: argparse.Namespace) -> int:
    from annotator.project import Project
    from annotator.store import backups

    project = Project.open(args.project)
    if project.sqlite_file is None:
        return _pg_dump(project.database_url, project.backup_dir)
    start = time.perf_counter()
    path = project.backup()
    assert path is not None
    kept = len(backups.list_backups(project.backup_dir))
    print(f"backed up {project.sqlite_file} to {path} ({path.stat().st_size:,} bytes in "
          f"{time.perf_counter() - start:.2f} s; {kept} of at most {project.backup_keep} kept)")
    return 0


def _pg_dump(url: str, folder: Path) -> int:
    """pg_dump of a PostgreSQL project into `folder`; InputError saying what to do without pg_dump."""
    from annotator.output_paths import make_output_folder
    from annotator.store.backups import stamp
    from annotator.store.engine import split_password

    _, bare, _ = split_password(url)
    libpq_url = bare.replace("postgresql+psycopg://", "postgresql://", 1)
    tool = shutil.which("pg_dump")
    if tool is None:
        raise InputError("pg_dump", None, f"not installed: {PG_DUMP_INSTALL}, then run mmad backup again "
                                          f"(or ask the server's administrator to back up {libpq_url})")
    make_output_folder(folder, "backups folder")
    target = folder / f"project-{stamp()}.dump"
    command = [tool, "--format=custom", f"--file={target}", f"--dbname={libpq_url}"]
    command += [f"--schema={schema}" for schema in _schemas(libpq_url)]  # the project's schema, not the database's
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        target.unlink(missing_ok=True)
        first = (done.stderr.strip().splitlines() or ["no message"])[0]
        raise InputError(libpq_url, None, f"pg_dump failed: {first}")
    print(f"dumped {libpq_url} to {target} ({target.stat().st_size:,} bytes); "
          f"restore with: pg_restore --clean --dbname=URL {target}")
    return 0


def _schemas(url: str) -> list[str]:
    """The schemas a URL's `options=-csearch_path=…` puts the project in (none: the default)."""
    from urllib.parse import parse_qs, urlsplit

    found: list[str] = []
    for options in parse_qs(urlsplit(url).query).get("options", []):
        for word in options.split():
            if word.startswith("-csearch_path="):
                found += [s.strip() for s in word.removeprefix("-csearch_path=").split(",") if s.strip()]
    return found


def _restore(args: argparse.Namespace) -> int:
    from annotator.project import Project
    from annotator.store import backups

    project = Project.open(args.project)
    file = project.sqlite_file
    if file is None:
        raise InputError(str(project.path), None, "a PostgreSQL project is restored on its server: "
                                                  "pg_restore --clean --dbname=URL FILE.dump")
    if args.backup is None:
        chosen = backups.newest_backup(project.backup_dir)
        if chosen is None:
            raise InputError(str(project.backup_dir), None, "no backup to restore (mmad backup makes one)")
    else:
        given = Path(args.backup)
        inside = project.backup_dir / args.backup
        chosen = given if given.is_file() or not inside.is_file() else inside
    moved = backups.restore_backup(file, chosen, project.path)
    print(f"restored {file} from {chosen}" + (f"; the file it replaced is kept as {moved}" if moved else ""))
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `mmad backup` and `mmad restore`."""
    p = sub.add_parser("backup", help="copy the project's database into PROJECT/backups now",
                       description="SQLite: an online copy (SQLite's backup API) into PROJECT/backups, checked, "
                                   "the oldest rotated out beyond project.toml's [backups] keep (default 10). "
                                   "PostgreSQL: a pg_dump file there, when pg_dump is installed.")
    p.add_argument("project", help="project folder")
    p.set_defaults(func=_backup)
    p = sub.add_parser("restore", help="put a backup in place of the project's database (SQLite)",
                       description="Replaces PROJECT/project.sqlite with a backup after checking it; the "
                                   "replaced file is kept in PROJECT/backups as replaced-*.sqlite. Refused "
                                   "while MMAD Studio has the project open.")
    p.add_argument("project", help="project folder")
    p.add_argument("backup", nargs="?", default=None,
                   help="a file in PROJECT/backups or any path (default: the newest backup)")
    p.set_defaults(func=_restore)
