"""Commit the frame memory of the last session's largest clip while the app is still importing.

main.py calls reserve_early() before it imports the window's modules. Importing takes most
of the start-up (~0.8 s, one core busy), so a worker can commit the few hundred MiB the first
clip will need on the other core meanwhile; the clip opened at start then decodes as fast as
any later one. The size comes from the settings (the window records it, per project), so
this module stays light: Qt's core module, numpy and the frame cache, nothing else.
"""

from __future__ import annotations

import argparse
import os
import threading
from collections.abc import Sequence

from app.player.frame_cache import POOL
from app.settings import AppSettings, project_folder


def early_hint(argv: Sequence[str]) -> tuple[int, int, int] | None:
    """(chunk bytes, chunks, cache budget) remembered for the project main.py will open, or None."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("project", nargs="?")
    parser.add_argument("--as", dest="user")  # known, so that its value is not taken for the project
    parser.add_argument("--settings", default=os.environ.get("MMAD_SETTINGS"))
    args, _ = parser.parse_known_args(list(argv))
    settings = AppSettings(args.settings)
    folder = args.project or settings.last_project
    if not folder:
        return None
    hint = settings.frame_memory(project_folder(folder))
    if hint is None:
        return None
    chunk_bytes, chunks = hint
    budget = settings.cache_budget_bytes
    return chunk_bytes, min(chunks, budget // max(chunk_bytes, 1)), budget


def reserve_early(argv: Sequence[str]) -> threading.Thread | None:
    """Start committing the remembered frame memory on a daemon thread; the thread, or None."""
    try:
        hint = early_hint(argv)
    except (OSError, ValueError):  # unreadable settings: start cold, the window reserves later
        return None
    if hint is None or hint[1] <= 0:
        return None
    chunk_bytes, chunks, budget = hint
    POOL.limit_bytes = budget  # as the player will set it
    thread = threading.Thread(target=POOL.reserve, args=(chunk_bytes, chunks), name="frame-memory-warm-start",
                              daemon=True)
    thread.start()
    return thread
