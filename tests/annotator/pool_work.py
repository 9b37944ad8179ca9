"""Work functions for the pool tests: module level, so spawned workers import them by name."""

from __future__ import annotations

import os
import time
from pathlib import Path

from annotator.errors import InputError


def square(x: int) -> int:
    """x squared; 13 is a bad clip."""
    if x == 13:
        raise InputError(f"clip{x}.mp4", None, "unlucky clip")
    return x * x


def pid_of(_x: int) -> int:
    """The worker's process id."""
    return os.getpid()


def die_on(task: tuple[int, str]) -> int:
    """Kill its own worker (as an out-of-memory killer would) for the clip marked 'die'; else
    sleep a little so that other workers hold clips when it dies."""
    x, mark = task
    if mark == "die":
        os.kill(os.getpid(), 9)
    time.sleep(0.05)
    return x


def buggy(x: int) -> int:
    """A bug in the work function itself."""
    return [1][x]


def slow_write(task: tuple[str, int]) -> int:
    """Write a file by the clip's name after a pause, to stop mid-run."""
    folder, x = task
    time.sleep(0.3)
    (Path(folder) / f"{x}.done").write_text("ok")
    return x


def niceness(_x: int) -> int:
    """The worker's CPU niceness."""
    return os.nice(0)
