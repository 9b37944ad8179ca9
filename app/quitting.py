"""Ending the process quickly once the window has closed.

Every edit is stored as it is made and the window syncs its settings when it closes, so
nothing is left to save at exit. What remained was the interpreter's own teardown: freeing
the frame cache's mapped chunks and spare pool, Qt's object tree and every module, 1–3 s
after the window had gone. The launcher closes the store itself, then the process ends
without that teardown (see docs/ARCHITECTURE.md, "Quitting").
"""

from __future__ import annotations

import logging
import os
import sys
from typing import NoReturn


def exit_now(code: int) -> NoReturn:
    """Flush the logs and standard streams, then end the process with `code` at once."""
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed or broken pipe: nothing left to save there
            pass
    os._exit(code)
