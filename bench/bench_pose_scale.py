"""Benchmark of `mmad pose` on a whole project: clips per hour with 1 and 2 workers, two
`--shard` processes against one, and the projected time for MMA-52 and MMA-82 on a bigger machine.

Each run is the real command (`python -m app.cli.main pose PROJECT ...`, start-up included) on a
demo project (`build_demo`, 320x240 clips of 5-15 s at 30 fps, a synthetic seated person) with
an empty pose cache. Repeats are interleaved (1 worker, 2 workers, two shards, then again) so
that load from other programs on a shared machine falls on every configuration alike; the
best and the median of the repeats are printed.

The projection scales the measured time per decoded frame of one worker to 10 s clips at
30 fps (MMA-52: 6,528 clips; MMA-82-Det: 11,180), divided over the cores of the target
machine at the per-worker efficiency measured here with 2 workers. It assumes frames of the
demo's size: MediaPipe works on a 256x256 input whatever the size, but decoding bigger frames
costs more, so a full-HD dataset takes longer than projected.

Run by hand: .venv/bin/python bench/bench_pose_scale.py [--subjects 2 --clips-per-subject 4
--repeats 2 --cores 16 --json]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from annotator.project import Project  # noqa: E402
from annotator.shards import shard_of  # noqa: E402
from annotator.synthetic.demo import build_demo  # noqa: E402
from annotator.work_pool import cores, duration_text  # noqa: E402

DATASETS = (("MMA-52", 6528), ("MMA-82-Det", 11180))
CLIP_SECONDS, FPS = 10.0, 30.0


def mmad_pose(project: Path, *extra: str) -> subprocess.Popen[bytes]:
    """`mmad pose PROJECT EXTRA` as its own process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "app.cli.main", "pose", str(project), *extra], cwd=ROOT,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def timed(project: Path, *commands: tuple[str, ...]) -> tuple[float, float]:
    """(wall seconds until every command, started together, has ended, CPU seconds they and their
    workers used), from an empty cache."""
    shutil.rmtree(project / "pose", ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    procs = [mmad_pose(project, *c) for c in commands]
    codes = [p.wait() for p in procs]
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    if any(codes):
        raise SystemExit(f"mmad pose failed: exit codes {codes}")
    if len(list((project / "pose").glob("*.npz"))) != clip_count(project):
        raise SystemExit("not every clip has its pose")
    return elapsed, cpu


def clip_count(project: Path) -> int:
    store = Project.open(project).open_store()
    try:
        return len(store.clips())
    finally:
        store.close()


def frame_count(project: Path) -> int:
    store = Project.open(project).open_store()
    try:
        return sum(c.frame_count for c in store.clips())
    finally:
        store.close()


def shard_frames(project: Path, count: int = 2) -> list[int]:
    """Frames in each of `count` shards: on a few clips the hash split is uneven, and two shard
    processes can be no faster than the bigger part."""
    store = Project.open(project).open_store()
    try:
        return [sum(c.frame_count for c in store.clips() if shard_of(c.name, count) == k) for k in range(count)]
    finally:
        store.close()


CONFIGS = {
    "1 worker": (("--workers", "1"),),
    "2 workers": (("--workers", "2"),),
    "2 shards x 1 worker": (("--shard", "0/2", "--workers", "1"), ("--shard", "1/2", "--workers", "1")),
}


def main() -> int:
    """Build the project, time each configuration, print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--subjects", type=int, default=2)
    parser.add_argument("--clips-per-subject", type=int, default=4)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--cores", type=int, default=16, help="cores of the machine to project for")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "demo"
        build_demo(project, subjects=args.subjects, clips_per_subject=args.clips_per_subject)
        clips, frames = clip_count(project), frame_count(project)
        parts = shard_frames(project)
        times: dict[str, list[float]] = {name: [] for name in CONFIGS}
        cpu: dict[str, list[float]] = {name: [] for name in CONFIGS}
        for _ in range(args.repeats):
            for name, commands in CONFIGS.items():
                wall, used = timed(project, *commands)
                times[name].append(wall)
                cpu[name].append(used)
                print(f"  ({name}: {wall:.1f} s, {used:.1f} CPU-s, load average {os.getloadavg()[0]:.1f})",
                      file=sys.stderr, flush=True)
    best = {name: min(t) for name, t in times.items()}
    speedup = best["1 worker"] / best["2 workers"]
    shard_speedup = best["1 worker"] / best["2 shards x 1 worker"]
    frame_s = best["1 worker"] / frames  # one worker, start-up included
    cpu_frame_s = statistics.median(cpu["1 worker"]) / frames  # what a core of its own would take
    efficiency = min(speedup / 2, 1.0)
    clip_frames = CLIP_SECONDS * FPS
    projected = {name: n * clip_frames * frame_s / (args.cores * efficiency) for name, n in DATASETS}
    # on a machine whose cores are busy with other work, wall time says little: the CPU time per
    # frame over `cores` workers, at the CPU the 2-worker run spent per clip against 1 worker's
    cpu_overhead = statistics.median(cpu["2 workers"]) / statistics.median(cpu["1 worker"])
    projected_cpu = {name: n * clip_frames * cpu_frame_s * cpu_overhead / args.cores for name, n in DATASETS}
    report = {
        "machine_cores": cores(), "load_average": os.getloadavg(), "clips": clips, "frames": frames,
        "seconds": times, "cpu_seconds": cpu, "clips_per_hour_best": {n: 3600 * clips / t for n, t in best.items()},
        "shard_frames": parts, "speedup_2_shards_bound": frames / max(parts), "speedup_2_workers": speedup, "speedup_2_shards": shard_speedup, "ms_per_frame_1_worker": 1000 * frame_s,
        "projected_seconds": projected, "projected_seconds_from_cpu": projected_cpu, "projected_cores": args.cores,
        "cpu_2_workers_over_1": cpu_overhead,
    }
    if args.json:
        print(json.dumps(report, indent=1))
        return 0
    print(f"{clips} demo clips, {frames} frames; {cores()} cores here, load average "
          + " ".join(f"{v:.1f}" for v in os.getloadavg()))
    for name, t in times.items():
        print(f"  {name:<20} best {min(t):6.1f} s, median {statistics.median(t):6.1f} s "
              f"({', '.join(f'{x:.1f}' for x in t)}): {3600 * clips / min(t):6.0f} clips/hour; "
              f"CPU {statistics.median(cpu[name]):.1f} s (median), {statistics.median(cpu[name]) / clips:.2f} s a clip")
    print(f"speed-up: 2 workers {speedup:.2f}x, two --shard processes {shard_speedup:.2f}x (target >= 1.8x); "
          f"the shards hold {' and '.join(map(str, parts))} frames, so two shard processes can gain at most "
          f"{frames / max(parts):.2f}x on these clips (the parts are even on thousands of clips)")
    print(f"one worker: {1000 * frame_s:.1f} ms a frame wall, {1000 * cpu_frame_s:.1f} ms CPU, start-up included; "
          f"2 workers spent {cpu_overhead:.2f}x the CPU of 1")
    for name, n in DATASETS:
        print(f"projected {name} ({n:,} clips of {CLIP_SECONDS:.0f} s at {FPS:.0f} fps) on {args.cores} cores: "
              f"{duration_text(projected[name])} from the wall times here ({100 * efficiency:.0f}% per-worker "
              f"efficiency), {duration_text(projected_cpu[name])} from the CPU time (a free core per worker)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
