"""Whether the desktop app has a project open on this machine (docs/ARCHITECTURE.md, "Backups").

The window keeps a shared lock on `PROJECT/.mmad-open.lock` while it runs; the system drops it
when the process ends, killed or not. `mmad restore` takes the lock exclusively (refused while
the app holds it), and `mmad pose`, `predict` and `import-clips` probe it to leave the app a core.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from annotator.errors import InputError

LOCK_FILE = ".mmad-open.lock"


def hold_open(project_folder: Path) -> IO[bytes] | None:
    """Mark the project open for as long as the returned file stays open (the app keeps it);
    None where the system has no file locks or the folder is read-only."""
    return _lock(project_folder, exclusive=False)


@contextlib.contextmanager
def exclusive_hold(project_folder: Path) -> Iterator[None]:
    """Hold the project exclusively (InputError while the desktop app has it open)."""
    handle = _lock(project_folder, exclusive=True)
    if handle is None:
        raise InputError(str(project_folder), None, "the project is open in MMAD Studio: close it there first")
    try:
        yield
    finally:
        handle.close()


def open_in_app_here(project_folder: str | Path) -> bool:
    """Whether a desktop app process on this machine holds the project open now."""
    folder = Path(project_folder)
    if not (folder / LOCK_FILE).exists():
        return False  # never opened in the app: no lock file to make
    handle = _lock(folder, exclusive=True)
    if handle is None:
        return True
    handle.close()
    return False


def _lock(project_folder: Path, exclusive: bool) -> IO[bytes] | None:
    if sys.platform == "win32":  # no fcntl: the app's hold is not marked there
        return open(os.devnull, "rb") if exclusive else None  # noqa: SIM115 -- closed by the caller
    import fcntl

    try:
        handle = open(project_folder / LOCK_FILE, "ab")  # noqa: SIM115 -- the lock lives as long as the file
    except OSError:
        return open(os.devnull, "rb") if exclusive else None  # noqa: SIM115
    try:
        fcntl.flock(handle, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return None
    return handle
