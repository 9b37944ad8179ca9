"""Ending the process quickly once the window has closed.

Every edit is stored as it is made and the window syncs its settings when it closes, so
nothing is left to save at exit. What remained was the interpreter's own teardown: freeing
the frame cache's mapped chunks and spare pool, Qt's object tree and every module, 1–3 s
after the window had gone. The launcher closes the store itself, then the process ends
without that teardown (see docs/ARCHITECTURE.md, "Quitting"). Nor does the window wait, as
it closes, for what it stops and that holds nothing to save: the prewarmed model worker
(killed) and the background tasks (cancelled; a pose child is terminated by its task).
"""

from __future__ import annotations

import logging
import os
import sys
from typing import NoReturn

_ends_with_window = False  # set by the app's main: exit_now follows the window's close


def end_with_window() -> None:
    """Say that this process ends (exit_now) as soon as its window has closed: the window then
    stops its helper processes and threads without waiting for them to be gone."""
    global _ends_with_window
    _ends_with_window = True


def ends_with_window() -> bool:
    """Whether the process ends once its window has closed (end_with_window was called)."""
    return _ends_with_window


def exit_now(code: int) -> NoReturn:
    """Flush the logs and standard streams, then end the process with `code` at once."""
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed or broken pipe: nothing left to save there
            pass
    os._exit(code)
