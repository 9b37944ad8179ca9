"""`mmad` subcommands of this area (see app/cli/main.py)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add this module's subcommands to the `mmad` parser."""
