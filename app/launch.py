"""Start-up of the desktop app (placeholder until the GUI lands: prints a summary)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence


def main(argv: Sequence[str]) -> int:
    """Parse `main.py [PROJECT] [--as NAME]` and open the app."""
    parser = argparse.ArgumentParser(prog="main.py")
    parser.add_argument("project", nargs="?")
    parser.add_argument("--as", dest="user")
    args = parser.parse_args(list(argv))
    print(f"MMAD Studio: project {args.project!r} as {args.user!r} (GUI not built yet)")
    return 0
