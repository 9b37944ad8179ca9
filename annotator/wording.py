"""Small helpers for the words messages use (the CLI's and the screens')."""

from __future__ import annotations


def plural(n: int, noun: str) -> str:
    """'1 instance', '3 instances', '0 instances', '6,009 clips'."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"
