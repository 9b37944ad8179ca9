"""The app's marker that it has a project open: counted while its process lives, on this host only."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from annotator.desktop_marker import MARKER_DIR, _host, marked_open, open_in_app_here


def test_marker_counts_while_open_and_not_after(tmp_path: Path) -> None:
    assert not open_in_app_here(tmp_path)
    with marked_open(tmp_path) as marker:
        assert marker is not None and marker.is_file()
        assert open_in_app_here(tmp_path)
    assert not open_in_app_here(tmp_path) and not marker.exists()


def test_a_dead_apps_marker_and_other_hosts_markers_do_not_count(tmp_path: Path) -> None:
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    folder = tmp_path / MARKER_DIR
    folder.mkdir()
    stale = folder / f"{_host()}.{int(gone.stdout)}"
    stale.touch()
    (folder / f"another-machine.{1}").touch()  # pid 1 lives here, but on the other host it is not ours
    assert not open_in_app_here(tmp_path)
    assert not stale.exists() and (folder / "another-machine.1").exists()


def test_a_read_only_folder_opens_all_the_same(tmp_path: Path) -> None:
    with marked_open(tmp_path / "missing" / "deeper") as marker:
        assert marker is None
