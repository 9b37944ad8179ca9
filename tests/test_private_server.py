"""The tests' private PostgreSQL cluster (tests/private_server.py) is robust: a port taken between
choosing it and starting, a failed start, and clusters abandoned by a killed test session."""

from __future__ import annotations

import os
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests import private_server as cluster


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A port another program listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        yield int(s.getsockname()[1])


def test_a_taken_port_is_tried_again_and_a_failed_start_leaves_nothing_running(
        taken_port: int, monkeypatch: pytest.MonkeyPatch) -> None:
    if cluster.problem():
        pytest.skip(str(cluster.problem()))
    ports = iter([taken_port, cluster._free_port()])
    monkeypatch.setattr(cluster, "_free_port", lambda: next(ports))
    started: list[cluster.PrivateServer] = []

    def owner_fails(server: cluster.PrivateServer) -> None:
        started.append(server)
        raise RuntimeError("the owner's login could not be made")

    monkeypatch.setattr(cluster, "_make_owner", owner_fails)
    with pytest.raises(RuntimeError, match="owner's login"):
        cluster.start()
    (server,) = started  # it started, on the second port
    assert server.port != taken_port
    assert not server.folder.exists()  # every try used this folder; other runs' folders are theirs
    with socket.socket() as probe:  # and nothing answers there any more
        assert probe.connect_ex(("127.0.0.1", server.port)) != 0


def test_a_cluster_abandoned_by_a_dead_test_session_is_removed_and_others_kept() -> None:
    dead = subprocess.Popen(["true"])
    dead.wait()
    abandoned = Path(tempfile.mkdtemp(prefix=cluster.FOLDER_PREFIX))
    (abandoned / cluster.OWNER_PID_FILE).write_text(f"{dead.pid} {socket.gethostname()}")
    running = Path(tempfile.mkdtemp(prefix=cluster.FOLDER_PREFIX))
    (running / cluster.OWNER_PID_FILE).write_text(f"{os.getpid()} {socket.gethostname()}")
    elsewhere = Path(tempfile.mkdtemp(prefix=cluster.FOLDER_PREFIX))  # another host's: its pid means nothing here
    (elsewhere / cluster.OWNER_PID_FILE).write_text(f"{dead.pid} not-{socket.gethostname()}")
    try:
        cluster.stop_abandoned()
        assert not abandoned.exists() and running.exists() and elsewhere.exists()
    finally:
        for folder in (abandoned, running, elsewhere):
            cluster._stop_folder(folder)


def test_the_newest_installed_postgresql_s_programs_are_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for version in ("9", "14", "16", "13"):
        (tmp_path / version / "bin").mkdir(parents=True)
        (tmp_path / version / "bin" / "initdb").touch()
    monkeypatch.setattr(cluster, "SEARCH_GLOBS", (str(tmp_path / "*" / "bin"),))
    monkeypatch.setattr("shutil.which", lambda _name: None)
    monkeypatch.setattr(cluster, "_server_dirs", _without_usr_local(cluster._server_dirs))
    assert cluster.find_tool("initdb") == str(tmp_path / "16" / "bin" / "initdb")
    assert cluster.find_tool("pg_ctl") is None


def _without_usr_local(dirs: Callable[[], list[Path]]) -> Callable[[], list[Path]]:
    return lambda: [d for d in dirs() if d != Path("/usr/local/bin")]
