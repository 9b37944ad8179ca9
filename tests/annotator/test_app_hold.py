"""The app's hold on an open project: seen by the commands while held, gone when released."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from annotator.app_hold import exclusive_hold, hold_open, open_in_app_here
from annotator.errors import InputError


def test_the_hold_counts_while_open_and_not_after(tmp_path: Path) -> None:
    assert not open_in_app_here(tmp_path)
    hold = hold_open(tmp_path)
    assert hold is not None
    assert open_in_app_here(tmp_path)
    with pytest.raises(InputError, match="open in MMAD Studio"), exclusive_hold(tmp_path):
        pass
    hold.close()
    assert not open_in_app_here(tmp_path)
    with exclusive_hold(tmp_path):
        pass


def test_a_killed_apps_hold_is_gone_with_it(tmp_path: Path) -> None:
    code = ("import sys, time; from pathlib import Path; from annotator.app_hold import hold_open; "
            "h = hold_open(Path(sys.argv[1])); print('held', flush=True); time.sleep(60)")
    child = subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "held"
        assert open_in_app_here(tmp_path)
    finally:
        child.kill()
        child.wait()
    assert not open_in_app_here(tmp_path)


def test_a_read_only_or_missing_folder_opens_all_the_same(tmp_path: Path) -> None:
    assert hold_open(tmp_path / "missing" / "deeper") is None
    assert not open_in_app_here(tmp_path / "missing" / "deeper")
