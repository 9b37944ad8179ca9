"""The garbage collector held back while work makes many long-lived objects at once.

A whole-project command makes hundreds of thousands of small objects (rows, segments, merged
instances) that live until it ends, and importing and building the window make some 150,000 that
live as long as the app. At CPython's default first threshold (700 allocations) the collector
rescans them over and over: a quarter of `mmad merge` on MMA-52 (0.45 of 1.7 s), and 0.25 s before
the reviewer's queue was shown on that project. Such work makes few reference cycles, so
collecting every THRESHOLD allocations loses nothing.

A command runs inside collect_less() (app.cli.main). The window cannot be one block: main.py
calls collect_later() before anything else is imported (this module imports nothing else for
that reason) and launch.main calls collect_as_usual() once the window is up.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

THRESHOLD = 50_000  # allocations between collections while such work runs
_usual: tuple[int, int, int] | None = None


@contextmanager
def collect_less() -> Iterator[None]:
    """The first threshold at THRESHOLD inside the block, restored after (tests and scripts call
    the command line's main() in their own process)."""
    before = gc.get_threshold()
    gc.set_threshold(THRESHOLD, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def collect_later() -> None:
    """Raise the collector's first threshold until collect_as_usual."""
    global _usual
    if _usual is None:
        _usual = gc.get_threshold()
        gc.set_threshold(THRESHOLD, *_usual[1:])


def collect_as_usual() -> None:
    """The window is up: move what start-up made out of the collector's scans for good (gc.freeze)
    and put the usual threshold back, so no collection in a session has much to scan."""
    global _usual
    gc.freeze()
    if _usual is not None:
        gc.set_threshold(*_usual)
        _usual = None
