"""The prewarmed worker: a job runs in it (no new process), a dead one falls back to a cold
start, cancel still works, and closing the window leaves no worker process behind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.model_loop import protocol
from app.model_loop.loop_controller import ModelLoop
from app.model_loop.process import WorkerProcess
from app.model_loop.warm import WarmSpare
from tests.app.model_loop.test_loop_window import RUN_MS, annotation_window, key, stored_proposals

pytestmark = [pytest.mark.slow,  # every test starts workers that import torch
              pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="reads processes from /proc")]


def worker_children() -> list[int]:
    """Live child processes of this test process that run the model worker."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            command = (stat.parent / "cmdline").read_bytes()  # empty for a zombie
        except (OSError, IndexError, ValueError):
            continue
        if ppid == os.getpid() and b"app.model_loop.worker" in command:
            found.append(int(stat.parent.name))
    return found


def ready_spare(qtbot: QtBot, loop: ModelLoop) -> int:
    """Start the loop's spare worker now and wait until it has imported torch; its pid."""
    with qtbot.waitSignal(loop.spare.ready, timeout=RUN_MS):
        loop.spare.start()
    assert loop.spare.is_ready and loop.spare.pid > 0
    return loop.spare.pid


def test_propose_runs_in_the_warm_worker_then_a_fresh_one_waits(qtbot: QtBot, demo: Path, tmp_path: Path) -> None:
    w, loop = annotation_window(qtbot, demo, tmp_path)
    warm = ready_spare(qtbot, loop)
    assert worker_children() == [warm]
    with qtbot.waitSignal(loop.proposalsStored, timeout=RUN_MS) as stored:
        key(qtbot, w, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)  # Propose for this clip
        assert loop.job is not None and loop.job.warm
        assert loop.job.process.processId() == warm and loop.spare.process is None  # no new process
        assert worker_children() == [warm]
    assert stored.args[0] > 0 and w.proposals.pending_total == stored.args[0]
    qtbot.waitUntil(lambda: loop.spare.is_ready, timeout=RUN_MS)  # the next job's worker
    assert loop.spare.pid not in (0, warm) and worker_children() == [loop.spare.pid]
    w.close()
    assert worker_children() == [] and loop.spare.process is None


def test_a_warm_worker_that_died_before_use_falls_back_to_a_cold_start(qtbot: QtBot, demo: Path,
                                                                       tmp_path: Path) -> None:
    w, loop = annotation_window(qtbot, demo, tmp_path)
    dead = ready_spare(qtbot, loop)
    messages: list[str] = []
    loop.message.connect(messages.append)
    assert loop.spare.process is not None
    loop.spare.process.kill()  # the window has not heard yet: the job is handed to a dying process
    with qtbot.waitSignal(loop.proposalsStored, timeout=RUN_MS) as stored:
        assert loop.propose_clip()
        job = loop.job
        assert job is not None and job.warm
        with qtbot.waitSignal(job.progress, timeout=RUN_MS):
            pass
        assert not job.warm and job.process.processId() not in (0, dead)
    assert stored.args[0] > 0 and not any("failed" in m for m in messages)
    w.close()
    assert worker_children() == []


def test_a_spare_known_dead_is_not_taken(qtbot: QtBot) -> None:
    spare = WarmSpare()
    with qtbot.waitSignal(spare.ready, timeout=RUN_MS):
        spare.start()
    assert spare.process is not None
    spare.process.kill()
    qtbot.waitUntil(lambda: spare.process is None, timeout=10_000)  # the spare heard it end
    worker = WorkerProcess({"job": "nope"}, "Test job", spare=spare)
    with qtbot.waitSignal(worker.failed, timeout=RUN_MS) as failed:
        worker.start()
        assert not worker.warm
    assert str(failed.args[0]) == "Test job failed: job, job: unknown job 'nope' (one of propose, train, pose)"
    spare.stop()
    assert worker_children() == []


def test_cancel_in_the_warm_worker(qtbot: QtBot, demo: Path, tmp_path: Path) -> None:
    w, loop = annotation_window(qtbot, demo, tmp_path)
    warm = ready_spare(qtbot, loop)
    messages: list[str] = []
    loop.message.connect(messages.append)
    clip = w.session.clip
    assert clip is not None and loop.propose_clip()
    job = loop.job
    assert job is not None and job.warm and job.process.processId() == warm
    with qtbot.waitSignal(job.cancelled, timeout=RUN_MS):
        loop.cancel()
    assert "cancelled, nothing stored" in messages[-1] and stored_proposals(demo, clip.id) == []
    w.close()  # before the fresh spare starts (START_AFTER_MS): none is started after the close
    qtbot.wait(2500)
    assert loop.spare.process is None and worker_children() == []


def test_the_warm_worker_runs_one_job_from_its_first_line_and_ends_at_end_of_input(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "app.model_loop.worker", "--warm"]
    idle = subprocess.run(command, input="", capture_output=True, text=True, timeout=120)
    assert idle.returncode == 0
    assert [protocol.decode(line) for line in idle.stdout.splitlines()] == [{"kind": "ready"}]
    job = tmp_path / "job.json"
    job.write_text('{"job": "nope"}', "utf-8")
    ran = subprocess.run(command, input=f"{job}\n", capture_output=True, text=True, timeout=120)
    kinds = [m["kind"] for m in map(protocol.decode, ran.stdout.splitlines()) if m is not None]
    assert ran.returncode == 1 and kinds == ["ready", "accepted", "error"]
