"""The collector held back while the app starts (app.collector) and while a command runs (mmad)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from app import collector
from app.cli import main as cli_main


@pytest.fixture
def usual_collector() -> Iterator[tuple[int, int, int]]:
    """The threshold before the test, put back after it, with anything frozen unfrozen."""
    before = gc.get_threshold()
    yield before
    gc.unfreeze()
    gc.set_threshold(*before)


def test_start_up_raises_the_threshold_then_freezes_and_restores_it(usual_collector: tuple[int, int, int]) -> None:
    collector.collect_later()
    assert gc.get_threshold() == (collector.THRESHOLD, *usual_collector[1:])
    collector.collect_later()  # a second call keeps the usual threshold it saved first
    collector.collect_as_usual()
    assert gc.get_threshold() == usual_collector
    assert gc.get_freeze_count() > 0  # what start-up made is out of the scans


def test_a_command_runs_with_the_raised_threshold_and_restores_it(usual_collector: tuple[int, int, int],
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[int, int, int]] = []

    def command(argv: object) -> int:
        seen.append(gc.get_threshold())
        return 0

    monkeypatch.setattr(cli_main, "_run", command)
    assert cli_main.main(["stats", "somewhere"]) == 0
    assert seen == [(collector.THRESHOLD, *usual_collector[1:])]
    assert gc.get_threshold() == usual_collector
    monkeypatch.undo()
    with pytest.raises(SystemExit):  # argparse's exit: restored all the same
        cli_main.main(["--help"])
    assert gc.get_threshold() == usual_collector
