"""Commit the frame memory of the last session's largest clip while the app is still importing.

main.py calls reserve_early() before it imports the window's modules. Importing takes most
of the start-up (~0.8 s, one core busy), so a worker can commit the few hundred MiB the first
clip will need on the other core meanwhile; the clip opened at start then decodes as fast as
any later one. The size comes from the settings (the window records it, per project), so
this module stays light: Qt's core module, numpy, the frame cache and the argument parser.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from annotator.media.frame_cache import POOL
from app.settings import AppSettings, project_folder
from app.start_args import parse_args


def early_hint(argv: Sequence[str]) -> tuple[int, int, int] | None:
    """(chunk bytes, chunks, cache budget) remembered for the project main.py will open, or None."""
    args = parse_args(argv)  # main.py's own parser: bad arguments stop here as they would later
    settings = AppSettings(args.settings)
    folder = args.project or settings.last_project
    if not folder:
        return None
    hint = settings.frame_memory(project_folder(folder))
    if hint is None:
        return None
    chunk_bytes, chunks = hint
    budget = settings.cache_budget_bytes
    return chunk_bytes, min(chunks, budget // chunk_bytes), budget


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
