"""The desktop's libpq password file: what mmad join --password-prompt and mmad passwd keep there."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli.pgpass import has_password, save_password

URL = "postgresql://alice@db.example.org:5433/mmad"


def test_a_kept_password_comes_before_a_wildcard_line_libpq_would_take_first(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pgpass = tmp_path / "pgpass"
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    pgpass.write_text("*:*:*:alice:an-old-one\ndb.example.org:5433:mmad:alice:older\nother:5432:x:bob:b\n")
    assert save_password(URL, "new:pw") == pgpass
    lines = pgpass.read_text().splitlines()
    assert lines == ["db.example.org:5433:mmad:alice:new\\:pw", "*:*:*:alice:an-old-one", "other:5432:x:bob:b"]
    assert pgpass.stat().st_mode & 0o777 == 0o600 and has_password(URL)
