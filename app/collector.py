"""The garbage collector held back while the app starts, then freed of what start-up made.

Importing and building the window make some 150,000 objects that live as long as the app; at
CPython's default first threshold (700 allocations) the collector rescanned them about 500
times before the reviewer's queue was shown (0.25 s on the MMA-52-sized project). main.py calls
collect_later() before anything else is imported (this module imports nothing else for that
reason) and launch.main calls collect_as_usual() once the window is up.
"""

from __future__ import annotations

import gc

STARTING_THRESHOLD = 50_000  # allocations between collections while the app starts
_usual: tuple[int, int, int] | None = None


def collect_later() -> None:
    """Raise the collector's first threshold until collect_as_usual."""
    global _usual
    if _usual is None:
        _usual = gc.get_threshold()
        gc.set_threshold(STARTING_THRESHOLD, *_usual[1:])


def collect_as_usual() -> None:
    """The window is up: move what start-up made out of the collector's scans for good (gc.freeze)
    and put the usual threshold back, so no collection in a session has much to scan."""
    global _usual
    gc.freeze()
    if _usual is not None:
        gc.set_threshold(*_usual)
        _usual = None
