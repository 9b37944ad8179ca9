"""The pipe between the window and a worker process: one JSON object per stdout line.

Lines start with a marker so that anything else a library prints is ignored. The window
cancels by writing "cancel" on the worker's stdin (end of input cancels too: a window that
died must not leave a worker training on). A prewarmed worker (`worker --warm`) says "ready"
once torch is imported, reads its job file's path as its first stdin line and answers
"accepted" before any work.
"""

from __future__ import annotations

import json
from typing import Any

MARKER = "@@mmad "
CANCEL = "cancel"
PROGRESS, EPOCH, RESULT, ERROR, CANCELLED = "progress", "epoch", "result", "error", "cancelled"
READY, ACCEPTED = "ready", "accepted"  # a prewarmed worker: imports done; job file path read


def encode(kind: str, **data: Any) -> str:
    """One message line (with its newline)."""
    return MARKER + json.dumps({"kind": kind, **data}) + "\n"


def decode(line: str) -> dict[str, Any] | None:
    """The message of a line, or None for a line that is not one."""
    if not line.startswith(MARKER):
        return None
    try:
        message = json.loads(line[len(MARKER):])
    except ValueError:
        return None
    return message if isinstance(message, dict) and isinstance(message.get("kind"), str) else None
