"""Reading a typed position: a frame number (`123`) or a time (`12.5s`, `1:02.5`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_TIME = re.compile(r"^(?:(\d+):)?(\d+(?:\.\d*)?|\.\d+)\s*(s|sec|secs|seconds?)?$")


@dataclass(frozen=True, slots=True)
class Position:
    """A typed position: a frame index, or a time in seconds (whichever was typed)."""

    frame: int | None = None
    seconds: float | None = None


def parse_position(text: str) -> Position:
    """`123` is a frame; `12.5s`, `12.5 s`, `1:02.5` and `0.5` (a decimal point) are times.

    Raises ValueError with a message the status bar can show."""
    t = text.strip().lower()
    if t.isdigit():
        return Position(frame=int(t))
    m = _TIME.match(t)
    if m is None or (m.group(1) is None and m.group(3) is None and "." not in t):
        raise ValueError(f"'{text.strip()}' is neither a frame number (123) nor a time (12.5s, 1:02.5)")
    minutes = int(m.group(1) or 0)
    return Position(seconds=minutes * 60 + float(m.group(2)))
