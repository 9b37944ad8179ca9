"""Quitting ends the process at once, after flushing what is buffered."""

import io
import logging
import os

import pytest

from app.quitting import exit_now


def test_exit_now_flushes_then_ends_with_the_code(monkeypatch: pytest.MonkeyPatch) -> None:
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    logger = logging.getLogger("mmad.test_quitting")
    logger.addHandler(handler)
    flushed: list[bool] = []
    monkeypatch.setattr(handler, "flush", lambda: flushed.append(True))
    ended: list[int] = []

    def fake_exit(code: int) -> None:
        ended.append(code)
        raise SystemExit(code)

    monkeypatch.setattr(os, "_exit", fake_exit)
    logger.warning("last words")
    with pytest.raises(SystemExit):
        exit_now(3)
    logger.removeHandler(handler)
    assert ended == [3] and flushed and "last words" in buffer.getvalue()
