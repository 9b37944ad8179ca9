"""The arguments of `main.py`, parsed before anything heavy is imported (warm start, then launch)."""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """`main.py [PROJECT] [--as NAME] [--settings FILE]`."""
    parser = argparse.ArgumentParser(prog="main.py", description="MMAD Studio annotation window")
    parser.add_argument("project", nargs="?", help="project folder (default: the last one opened)")
    parser.add_argument("--as", dest="user", help="who you are in this project (default: remembered)")
    parser.add_argument("--settings", help="settings file to use instead of the user's (tests, kiosks)",
                        default=os.environ.get("MMAD_SETTINGS"))
    return parser.parse_args(list(argv))
