"""--workers and --shard on `mmad pose`, `mmad predict` and `mmad import-clips`: two shard
processes on one project give the same clips, pose caches and proposals as one process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from annotator.project import Project
from app.cli.main import main
from inference.pose.cache import cache_path
from tests.inference.synthetic_clips import write_mp4

REPO = Path(__file__).resolve().parents[3]
CARPHONE = REPO / "tests" / "data" / "carphone_pristine.mp4"
NAMES = [f"12_0{k % 2 + 1}_{k:04d}" for k in range(5)]


def carphone_clips(folder: Path, frames: int = 24) -> list[str]:
    """Five clips of 24 frames cut from the real carphone video (a man talking: real landmarks)."""
    folder.mkdir(parents=True)
    capture = cv2.VideoCapture(str(CARPHONE))
    decoded = []
    while len(decoded) < frames * len(NAMES):
        ok, frame = capture.read()
        assert ok
        decoded.append(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
    capture.release()
    for k, name in enumerate(NAMES):
        write_mp4(folder / f"{name}.mp4", np.stack(decoded[k * frames:(k + 1) * frames]))
    return NAMES


def mmad(*args: str) -> subprocess.Popen[str]:
    """`mmad ARGS` as a separate process (as a job-array task would run it)."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-m", "app.cli.main", *args], cwd=REPO, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def run_together(*commands: list[str]) -> list[str]:
    """Start every command at once, wait for all; their stdout, each must succeed."""
    procs = [mmad(*c) for c in commands]
    outs = [p.communicate(timeout=280) for p in procs]
    for p, (out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, out + err
    return [out for out, _ in outs]


def proposals_of(project: Path) -> set[tuple[str, int, int, int, float]]:
    store = Project.open(project).open_store()
    try:
        return {(c.name, p.start_frame, p.end_frame, p.action_id, round(p.score, 5))
                for c in store.clips() for p in store.proposals(c.id)}
    finally:
        store.close()


@pytest.mark.slow  # MediaPipe and torch in five processes: about a minute on a loaded 2-core machine
def test_two_shard_processes_give_what_one_process_gives(tmp_path: Path) -> None:
    import torch

    from inference.checkpoint import save_checkpoint
    from inference.configs import pose_preset
    from inference.model import Detector

    carphone_clips(tmp_path / "videos", frames=16)
    one = tmp_path / "one"
    assert main(["init", str(one)]) == 0
    assert main(["import-clips", str(one), str(tmp_path / "videos"), "--min-seconds", "0.5"]) == 0
    two = tmp_path / "two"
    shutil.copytree(one, two)
    torch.manual_seed(0)  # initial weights: the plumbing is tested, not the model
    model = Detector(pose_preset(num_classes=52))
    checkpoint = save_checkpoint(tmp_path / "pose.pt", model, Project.open(one).taxonomy.action_names)
    predict = ["--checkpoint", str(checkpoint), "--store", "--device", "cpu"]

    assert main(["pose", str(one), "--workers", "1"]) == 0  # the reference: one process, clip after clip
    assert main(["predict", str(one), *predict, "--workers", "1"]) == 0
    outs = run_together(["pose", str(two), "--shard", "0/2", "--workers", "1"],
                        ["pose", str(two), "--shard", "1/2", "--workers", "1"])
    assert sum(int(o.split("pose of ")[-1].split(" of ")[0]) for o in outs) == len(NAMES)  # each clip once
    outs = run_together(["predict", str(two), *predict, "--shard", "0/2", "--workers", "1"],
                        ["predict", str(two), *predict, "--shard", "1/2", "--workers", "1"])
    assert sum(int(o.split(" proposals for ")[-1].split()[0]) for o in outs) == len(NAMES)  # each clip once
    for name in NAMES:
        a, b = np.load(cache_path(one, name)), np.load(cache_path(two, name))
        np.testing.assert_array_equal(a["landmarks"], b["landmarks"])
        assert str(a["key"]) == str(b["key"])
    assert not np.isnan(np.load(cache_path(one, NAMES[0]))["landmarks"]).all()  # a person was found
    stored = proposals_of(one)
    assert stored and stored == proposals_of(two)
    # untrained weights: the one proposal filter (score, length) may leave some clips none
    # a re-run finds every clip in the cache
    assert "(cached)" in run_together(["pose", str(two), "--shard", "1/2", "--workers", "2"])[0]


def test_pose_with_two_workers_and_a_shard_names_its_part(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                                          ) -> None:
    carphone_clips(tmp_path / "videos", frames=6)
    project = tmp_path / "proj"
    assert main(["init", str(project)]) == 0
    assert main(["import-clips", str(project), str(tmp_path / "videos"), "--min-seconds", "0.1"]) == 0
    capsys.readouterr()
    assert main(["pose", str(project), "--workers", "2"]) == 0
    captured = capsys.readouterr()
    assert "pose of 5 clips with 2 workers" in captured.err
    assert f"pose of 5 of 5 clips in {project / 'pose'}" in captured.out
    assert all(cache_path(project, n).is_file() for n in NAMES)
    assert main(["pose", str(project), "--shard", "1/2"]) == 0
    captured = capsys.readouterr()
    assert "(shard 1/2 of 5)" in captured.err and captured.out.count("(cached)") < 5
    assert main(["pose", str(project), "--shard", "2/2"]) == 2
    assert "--shard" in capsys.readouterr().err
    assert main(["pose", str(project), "--workers", "0"]) == 2
    assert "--workers" in capsys.readouterr().err


def test_import_clips_in_two_shards_imports_what_one_run_imports(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    videos = tmp_path / "videos"
    videos.mkdir()
    rng = np.random.default_rng(0)
    names = [f"{s:02d}_01_{k:04d}" for s in range(3) for k in range(6)]
    for name in names:
        write_mp4(videos / f"{name}.mp4", rng.integers(0, 255, size=(4, 32, 32, 3), dtype=np.uint8))
    (videos / "notes.txt").write_text("not a video")
    whole, parts = tmp_path / "whole", tmp_path / "parts"
    for project in (whole, parts):
        assert main(["init", str(project)]) == 0
    assert main(["import-clips", str(whole), str(videos), "--workers", "2", "--min-seconds", "0.1"]) == 0
    assert "clips created: 18" in capsys.readouterr().out
    created = 0
    for k in range(3):
        assert main(["import-clips", str(parts), str(videos), "--shard", f"{k}/3", "--workers", "1",
                     "--min-seconds", "0.1"]) == 0
        out = capsys.readouterr().out
        created += int(out.split("clips created: ")[1].split()[0])
        assert "videos left to the other shards: " in out
    assert created == 18

    def clips(project: Path) -> list[tuple[str, str, int, float]]:
        store = Project.open(project).open_store()
        try:
            return sorted((c.name, c.subject, c.frame_count, c.fps) for c in store.clips())
        finally:
            store.close()

    assert clips(whole) == clips(parts) and len(clips(whole)) == 18
    assert main(["import-clips", str(parts), str(videos), "--shard", "3/3"]) == 2


def test_default_workers_leave_a_core_to_the_app_that_has_the_project_open(tmp_path: Path) -> None:
    import argparse

    from annotator.app_hold import hold_open
    from annotator.work_pool import cores
    from app.cli.parallel import workers_of_args

    args = argparse.Namespace(workers=None)
    assert workers_of_args(args, tmp_path) == cores()
    hold = hold_open(tmp_path)
    assert hold is not None
    assert workers_of_args(args, tmp_path) == max(cores() - 1, 1)
    hold.close()
    assert workers_of_args(argparse.Namespace(workers=3), tmp_path) == 3


def test_ctrl_c_stops_cleanly_and_keeps_every_finished_clip(tmp_path: Path) -> None:
    import signal
    import time

    names = carphone_clips(tmp_path / "videos", frames=24)
    project = tmp_path / "proj"
    assert main(["init", str(project)]) == 0
    assert main(["import-clips", str(project), str(tmp_path / "videos"), "--min-seconds", "0.1"]) == 0
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-m", "app.cli.main", "pose", str(project), "--workers", "2"],
                            cwd=REPO, env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while not list((project / "pose").glob("*.npz")) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl+C on a terminal does: the whole process group
    out, err = proc.communicate(timeout=60)
    kept = sorted(p.stem for p in (project / "pose").glob("*.npz"))
    if proc.returncode == 0:  # every clip had finished before the signal came
        assert kept == sorted(names)
        return
    assert proc.returncode == 130, out + err
    assert "interrupted; the " in err and "Traceback" not in err
    assert 1 <= len(kept) < len(names) and sorted(kept) == sorted(set(kept))
    assert sorted(p.name for p in (project / "pose").iterdir()) == sorted(f"{k}.npz" for k in kept)
    for name in kept:  # every file there is whole
        assert np.load(cache_path(project, name))["landmarks"].shape == (24, 33, 4)
    finished = [line.split(":")[0] for line in out.splitlines() if " frames, person in " in line]
    assert set(finished) <= set(kept)
    time.sleep(1.0)  # multiprocessing's resource tracker ends once it sees the command's end
    probe = subprocess.run(["ps", "-o", "pid=,stat=", "--sid", str(proc.pid)], capture_output=True, text=True)
    running = [line for line in probe.stdout.splitlines() if "Z" not in line.split()[1]]
    assert running == []  # no worker left behind (ended ones wait, as zombies, for this container's init)
