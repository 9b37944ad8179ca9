"""The desktop's libpq password file (~/.pgpass, or PGPASSFILE): where a typed password is kept.

A password given to `mmad join --password-prompt` or changed with `mmad passwd` goes here (mode
600, libpq's own format), never into the project folder, the log or a command line; libpq then
supplies it to every connection of that host, port, database and login.
"""

from __future__ import annotations

import os
from pathlib import Path

from annotator.store.engine import login_address


def pgpass_path() -> Path:
    """PGPASSFILE, else ~/.pgpass (%APPDATA%/postgresql/pgpass.conf on Windows, as libpq reads it)."""
    if os.environ.get("PGPASSFILE"):
        return Path(os.environ["PGPASSFILE"])
    if os.name == "nt":
        return Path(os.environ.get("APPDATA", Path.home())) / "postgresql" / "pgpass.conf"
    return Path.home() / ".pgpass"


def _escape(field: str) -> str:
    return field.replace("\\", "\\\\").replace(":", "\\:")


def entry_key(url: str) -> tuple[str, str, str, str]:
    """(host, port, database, login) of a database URL, as libpq matches them in the password file."""
    return login_address(url)


def save_password(url: str, password: str) -> Path:
    """Keep `password` for the URL's host, port, database and login (replacing an earlier one), as the
    file's first line: libpq takes the first line that matches, and a wildcard line may match too."""
    path = pgpass_path()
    key = ":".join(_escape(f) for f in entry_key(url))
    kept = [line for line in (path.read_text("utf-8").splitlines() if path.exists() else [])
            if not line.startswith(key + ":")]
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write("\n".join([f"{key}:{_escape(password)}", *kept]) + "\n")
    path.chmod(0o600)  # libpq ignores a password file others may read
    return path


def has_password(url: str) -> bool:
    """Whether the password file holds an entry for exactly this URL's host, port, database and login."""
    path = pgpass_path()
    key = ":".join(_escape(f) for f in entry_key(url)) + ":"
    return path.exists() and any(line.startswith(key) for line in path.read_text("utf-8").splitlines())
