"""Small helpers for the words the screens show (one plural() for the app and the CLI)."""

from __future__ import annotations

from annotator.wording import plural

__all__ = ["plural"]
