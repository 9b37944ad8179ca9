"""Whether the desktop app has a project open on this machine: `mmad pose`, `predict` and
`import-clips` then leave one core to it (`--workers` default).

The app keeps a marker file `PROJECT/.open/<host>.<pid>` while its window is open. A marker
whose process is gone (the app was killed) does not count and is removed by the next check on
that machine; markers of other hosts (a shared project folder) are never counted here.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

MARKER_DIR = ".open"


def _host() -> str:
    return socket.gethostname().replace(os.sep, "_") or "host"


@contextmanager
def marked_open(project_dir: str | Path) -> Iterator[Path | None]:
    """Keep this process's marker while the block runs (None when the folder is read-only)."""
    marker = Path(project_dir) / MARKER_DIR / f"{_host()}.{os.getpid()}"
    try:
        marker.parent.mkdir(exist_ok=True)
        marker.touch()
    except OSError:  # a read-only project folder: the app opens it all the same
        yield None
        return
    try:
        yield marker
    finally:
        marker.unlink(missing_ok=True)


def open_in_app_here(project_dir: str | Path) -> bool:
    """Whether a live app process on this machine has the project open."""
    folder = Path(project_dir) / MARKER_DIR
    prefix = f"{_host()}."
    try:
        markers = [m for m in folder.iterdir() if m.name.startswith(prefix)]
    except OSError:
        return False
    alive = False
    for marker in markers:
        pid = marker.name[len(prefix):]
        if pid.isdigit() and _running(int(pid)):
            alive = True
        else:
            marker.unlink(missing_ok=True)  # left by a killed app
    return alive


def _running(pid: int) -> bool:
    if os.name == "nt":  # os.kill(pid, 0) would send Ctrl+C there: count the marker as live
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True
