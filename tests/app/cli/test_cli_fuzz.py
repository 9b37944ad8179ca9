"""Issue 25, item 6: random `mmad` command lines end in an exit code, never a traceback
(bench/bench_fuzz.py --cli runs 10,000 of them; this runs a few hundred of one seed)."""

from __future__ import annotations

from pathlib import Path

from tests.app.cli.cli_fuzz import campaign


def test_random_command_lines_raise_no_traceback(tmp_path: Path) -> None:
    before = sorted(Path.cwd().iterdir())
    outcomes = campaign(80, seed=7, folder=tmp_path / "fuzz")
    assert sorted(Path.cwd().iterdir()) == before  # relative paths landed in the workspace, not here
    assert outcomes.total == 80
    assert outcomes.tracebacks == 0, {s: outcomes.examples[s] for s in outcomes.signatures}
    assert outcomes.codes["exit 0"] and outcomes.codes["exit 2"]  # both taken and refused command lines ran
    assert not outcomes.not_one_line
