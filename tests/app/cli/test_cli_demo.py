"""`mmad demo` from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.project import Project
from app.cli.main import main


def test_demo_builds_a_project_and_prints_a_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "demo"
    rc = main(["demo", str(path), "--subjects", "1", "--clips-per-subject", "2", "--size", "96x96", "--seed", "3"])
    assert rc == 0
    out = capsys.readouterr().out
    assert "1 subjects, 2 clips" in out and "MiB on disk" in out
    store = Project.open(path).open_store()
    try:
        clips = store.clips()
        assert len(clips) == 2 and all(c.width == 96 and c.height == 96 for c in clips)
    finally:
        store.close()


@pytest.mark.parametrize("extra, message", [
    (["--size", "320by240"], "expected WIDTHxHEIGHT"),
    (["--size", "321x240"], "must be even"),
    (["--subjects", "0"], "at least 1"),
])
def test_bad_options_exit_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          extra: list[str], message: str) -> None:
    assert main(["demo", str(tmp_path / "d"), *extra]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err
    assert not (tmp_path / "d" / "project.toml").exists()


def test_demo_on_an_existing_project_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "demo"
    assert main(["demo", str(path), "--subjects", "1", "--clips-per-subject", "1", "--size", "96x96"]) == 0
    assert main(["demo", str(path), "--subjects", "1", "--clips-per-subject", "1", "--size", "96x96"]) == 2
    assert "already exists" in capsys.readouterr().err
