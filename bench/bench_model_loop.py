"""The model loop in the app: time from "Propose for this clip" to proposals shown, and the
window's event-loop delay while a training runs; screenshots of the train dialog mid-run, the
registry and the proposals lane.

    .venv/bin/python bench/bench_model_loop.py [--backbone pose] [--epochs 6] [--shots DIR] [--propose-only] [--warm]

Builds a demo project (or reuses --keep), trains from the review window's dialog (a worker
process) while a 5 ms timer measures how late the event loop serves it, then opens the
annotation window and times Propose for this clip on clips near 10 s: on the pose path
--repeat times with the clip's landmarks not cached and --repeat times cached. With --warm,
each of those is timed on --repeat more clips with the prewarmed worker ready (the window's
spare, app/model_loop/warm.py) as well as cold (no spare), the two taking turns along clips
sorted by duration. Each line notes the machine's load
averages.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from PySide6.QtCore import QElapsedTimer, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.exporting import split_project  # noqa: E402
from annotator.model import GROUND_TRUTH, Clip  # noqa: E402
from annotator.project import Project  # noqa: E402
from annotator.proposal_control import ControlSetting, set_control_setting  # noqa: E402
from annotator.synthetic.demo import build_demo  # noqa: E402
from app.launch import build_window  # noqa: E402
from app.main_window import MainWindow  # noqa: E402
from app.settings import AppSettings  # noqa: E402
from inference.pose.cache import cache_path  # noqa: E402  (numpy only: no torch in the window)

TICK_MS = 5


class LoopProbe:
    """A timer that records how late each of its ticks is served (ms)."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.late: list[float] = []
        self.timer = QTimer()
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.last = 0.0

    def start(self) -> None:
        self.clock.start()
        self.last = 0.0
        self.timer.start()

    def _tick(self) -> None:
        now = self.clock.nsecsElapsed() / 1e6
        self.late.append(max(0.0, now - self.last - TICK_MS))
        self.last = now

    def stop(self) -> list[float]:
        self.timer.stop()
        return self.late


def wait(app: QApplication, done: object, timeout_s: float) -> None:
    end = time.monotonic() + timeout_s
    while not done() and time.monotonic() < end:  # type: ignore[operator]
        app.processEvents()
        time.sleep(0.002)


def project(folder: Path) -> Project:
    if not (folder / "project.toml").exists():
        build_demo(folder, subjects=6, clips_per_subject=4)
        store = Project.open(folder).open_store()
        try:
            split_project(store, (0.5, 0.25, 0.25), seed=0)
        finally:
            store.close()
    set_control_setting(folder, ControlSetting(0.0))
    return Project.open(folder)


def train_in_dialog(app: QApplication, proj: Project, args: argparse.Namespace) -> None:
    w = build_window(proj, "reviewer", AppSettings(str(args.keep / "bench.ini")))
    w.resize(1500, 850)
    w.show()
    loop = w.model_loop
    assert loop is not None
    loop.show_train()
    dialog = loop.train_dialog
    dialog.epochs.setValue(args.epochs)
    dialog.source.setCurrentIndex(dialog.source.findData(GROUND_TRUTH))
    dialog.backbone.setCurrentIndex(max(dialog.backbone.findData(args.backbone), 0))
    probe = LoopProbe()
    dialog.start(resume=False)
    probe.start()
    shot_taken = False
    end = time.monotonic() + 3600
    while dialog.worker is not None and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.001)
        if not shot_taken and len(dialog.records) >= max(2, args.epochs // 2):
            dialog.grab().save(str(args.shots / "train_dialog_running.png"))
            shot_taken = True
    late = np.array(probe.stop())
    print(f"training {args.epochs} epochs in the dialog: {dialog.run_label.text()}")
    print(f"event-loop delay while training ({len(late)} ticks of {TICK_MS} ms): median {np.median(late):.1f} ms, "
          f"p95 {np.percentile(late, 95):.1f} ms, max {late.max():.1f} ms")
    loop.show_models()
    wait(app, lambda: False, 0.3)
    loop.models_dialog.grab().save(str(args.shots / "models_dialog.png"))
    w.close()


def load() -> str:
    """The machine's load averages (1, 5, 15 min): the figures are noisy on a shared machine."""
    return "load " + " / ".join(f"{x:.1f}" for x in os.getloadavg())


def propose_once(app: QApplication, w: MainWindow, clip: Clip, warm: bool | None = None) -> float:
    """Seconds from Propose for this clip to the lane repainted with the stored proposals; with
    `warm` True a prewarmed worker is ready first, with False there is none."""
    loop = w.model_loop
    assert loop is not None
    # The spare is readied before the clip opens: the annotation screen starts extracting an
    # uncached clip's landmarks on open, so any wait after it would favour one mode.
    if warm is False:
        loop.spare.stop()
    elif warm:
        loop.spare.stopped = False
        loop.spare.start()
        wait(app, lambda: loop.spare.is_ready, 300)
        if not loop.spare.is_ready:
            raise SystemExit("the prewarmed worker never got ready")
    w.open_clip_id(clip.id)
    wait(app, lambda: w.player.cache is not None, 30)
    stored: list[int] = []
    loop.proposalsStored.connect(stored.append)
    started = time.perf_counter()
    if not loop.propose_clip():
        raise SystemExit(f"{clip.name}: Propose for this clip refused")
    wait(app, lambda: bool(stored) or loop.job is None, 600)
    app.processEvents()  # the lane repaints
    seconds = time.perf_counter() - started
    loop.proposalsStored.disconnect()
    if not stored:
        raise SystemExit(f"{clip.name}: no proposals stored")
    return seconds


def propose_times(app: QApplication, proj: Project, args: argparse.Namespace) -> None:
    """Propose for this clip on clips near 10 s never proposed for by the active version: first
    --repeat with their landmarks removed from the cache (pose path), then --repeat others with
    them cached (training cached every split clip's landmarks)."""
    w = build_window(proj, "annotator1", AppSettings(str(args.keep / "bench.ini")))
    assert isinstance(w, MainWindow) and w.model_loop is not None
    w.resize(1500, 850)
    w.show()
    version = w.model_loop.active()
    assert version is not None, "no trained version: run without --propose-only first"
    fresh = [c for c in w.queue.model.clips() if not w.store.proposals(c.id, version.name)]
    pose = version.backbone == "pose"
    modes: tuple[bool | None, ...] = (False, True) if args.warm else (None,)
    needed = (2 if pose else 1) * len(modes) * args.repeat
    clips = sorted(fresh, key=lambda c: abs(c.duration - 10.0))[:needed]
    if len(clips) < needed:
        raise SystemExit(f"only {len(clips)} clips left without proposals of {version.label}: build a new --keep")
    labels = ("not cached", "cached") if pose else ("",)
    per_label = len(modes) * args.repeat
    # the modes take turns along clips of like durations (extraction time follows the duration)
    sets = [(label, mode, clips[i * per_label:(i + 1) * per_label][m::len(modes)])
            for i, label in enumerate(labels) for m, mode in enumerate(modes)]
    for label, mode, chosen in sets:
        for c in chosen:
            landmarks = cache_path(proj.path, c.name)
            if label == "not cached":
                landmarks.unlink(missing_ok=True)
            elif label == "cached" and not landmarks.is_file():
                raise SystemExit(f"{c.name}: landmarks not cached")
        before = load()
        times = [propose_once(app, w, c, mode) for c in chosen]
        how = {None: "", False: ", cold worker", True: ", prewarmed worker"}[mode]
        print(f"Propose for this clip, {version.backbone}{', pose ' + label if label else ''}{how} "
              f"({', '.join(f'{c.name} {c.duration:.1f} s' for c in chosen)}): "
              + ", ".join(f"{t:.1f}" for t in times) + f" s; median {statistics.median(times):.1f} s "
              f"({before} before, {load()} after)")
    wait(app, lambda: False, 0.5)
    w.grab().save(str(args.shots / "proposals_lane.png"))
    w.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backbone", default="pose", help="pose (CPU) or videomae-tiny / videomae-vit-s")
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, default=Path("/tmp/mmad-bench-loop"))
    parser.add_argument("--shots", type=Path, default=None)
    parser.add_argument("--propose-only", action="store_true", help="skip training (the project has a version)")
    parser.add_argument("--warm", action="store_true", help="time each propose cold and with a prewarmed worker")
    args = parser.parse_args()
    args.shots = args.shots or args.keep / "shots"
    args.shots.mkdir(parents=True, exist_ok=True)
    app = QApplication([])
    proj = project(args.keep / "demo")
    if not args.propose_only:
        train_in_dialog(app, proj, args)
    propose_times(app, proj, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
