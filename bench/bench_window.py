"""Window open, quit, and frame-step latency with the video zoomed in (issue 17's figures).

    python bench/bench_window.py [--work DIR] [--runs 5] [--steps 200] [--zoom 3]

On bench_player's project (a 15 s 1920×1080 clip), offscreen:
  * window open: a fresh process running main.py's start-up until the window is shown, timed
    to the process's end (its exit included), and timed to the window shown as main.py runs
    (DESIGN §10's figure, target < 1.5 s);
  * quit: a fresh process as main.py runs it (start clip decoded, then the window closed as
    Ctrl+Q does), from the close to the process's exit; also the same without main.py's
    quick exit (the interpreter's own teardown), to show where the time went;
  * frame step, key/click -> painted frame (bench_player's measure), at zoom 1 and zoomed in.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

import bench_player as bp  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.project import Project  # noqa: E402
from app.launch import build_window  # noqa: E402
from app.player.zoom import VideoZoom  # noqa: E402
from app.settings import AppSettings  # noqa: E402

QUIT_CHILD = """
import sys, time
import app.launch as launch
from app.quitting import exit_now
from PySide6.QtCore import QTimer
built = launch.build_window
def hooked(*args, **kwargs):
    w = built(*args, **kwargs)
    def poll():
        if w.player.cache is not None and w.player.cache.complete:
            print('QUIT_AT', time.time(), flush=True)
            w.close()
        else:
            QTimer.singleShot(20, poll)
    QTimer.singleShot(100, poll)
    return w
launch.build_window = hooked
code = launch.main({argv!r})
{ending}
"""


def quit_s(folder: Path, settings: Path, quick: bool) -> float:
    """Seconds from the window's close (clip decoded) to the end of the process."""
    argv = [str(folder), "--as", bp.USER, "--settings", str(settings)]
    ending = "exit_now(code)" if quick else "sys.exit(code)"
    child = subprocess.Popen([sys.executable, "-c", QUIT_CHILD.format(argv=argv, ending=ending)], cwd=BENCH.parent,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                             env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    out, _ = child.communicate(timeout=180)
    end = time.time()
    line = next((ln for ln in out.splitlines() if ln.startswith("QUIT_AT")), "")
    if not line:
        raise RuntimeError("the window never closed")
    return end - float(line.split()[1])


def summary(values: list[float], unit: str = "s", scale: float = 1.0) -> str:
    """median, p95 and range."""
    v = [x * scale for x in values]
    return (f"median {statistics.median(v):.3f} {unit}, p95 {bp.pct(v, 95):.3f} {unit} "
            f"(n={len(v)}, {min(v):.3f}-{max(v):.3f})")


def main() -> int:
    """Run the measurements and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "mmad_bench_player")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--zoom", type=float, default=3.0)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    folder, hd_id, _small = bp.make_project(args.work)
    settings = args.work / "window.ini"
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start")
    opens = [bp.window_open_s(folder, settings)[0] for _ in range(args.runs)]
    print(f"window open (fresh process, main.py start-up until shown): {summary(opens)}")
    print("  (counts the process's exit after the window is shown, with the interpreter's teardown)")
    shown = [bp.main_py_open_s(folder, settings) for _ in range(args.runs)]
    print(f"window open as DESIGN §10 defines it (python main.py until shown): {summary(shown)} (target < 1.5 s)")
    quick = [quit_s(folder, settings, quick=True) for _ in range(args.runs)]
    print(f"quit (close with the 1080p clip decoded -> process gone), as main.py does: {summary(quick)}")
    slow = [quit_s(folder, settings, quick=False) for _ in range(args.runs)]
    print(f"quit without the quick exit (the interpreter's teardown):      {summary(slow)}")

    app = QApplication.instance() or QApplication([sys.argv[0]])
    w = build_window(Project.open(folder), bp.USER, AppSettings(str(args.work / "latency.ini")))
    w.resize(1600, 900)
    w.show()
    bp.open_and_time(app, w, hd_id)
    bp.wait(app, lambda: w.timeline.filmstrip.thumbs is not None, nap_s=0.002)
    for factor in (1.0, args.zoom):
        w.player.view.set_zoom(VideoZoom(factor, 0.55, 0.6).scaled(1.0))
        times = bp.step_latencies(app, w, args.steps)
        every = [v for values in times.values() for v in values]
        print(f"frame step at zoom {factor:g}x, key/click -> painted frame: {summary(every, 'ms')}")
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")
    w.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
