"""A PostgreSQL test skips without a server on a desktop, and fails in CI (issue 25, item 7)."""

from __future__ import annotations

import pytest

from tests.annotator.store import db


@pytest.fixture
def no_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(db._pg_state, "problem", "no PostgreSQL server answers at test")


def test_skips_without_ci(no_server: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no PostgreSQL server"):
        db.require_postgresql()


def test_fails_in_ci(no_server: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "1")
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        db.require_postgresql()


def test_passes_with_a_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "1")
    monkeypatch.setitem(db._pg_state, "problem", None)
    db.require_postgresql()  # neither skips nor fails
