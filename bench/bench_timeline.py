"""Timeline benchmark: pan/zoom redraw with 1,000 segments (< 16 ms; docs/ARCHITECTURE.md,
"Performance targets and benchmarks").

    python bench/bench_timeline.py [--segments 1000] [--frames 4500] [--repeats 200]

A 1200×420 timeline (filmstrip with thumbnails + 7 body-part lanes) holds --segments random
segments (6–90 frames, overlapping, packed into sub-rows) over a --frames-long clip. Each
operation changes the view (zoom around the playhead, or pan) and repaints the widget
synchronously (QWidget.repaint), timed with perf_counter. Also times set_bars (packing and
geometry rebuild after an edit) and a selection change.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.taxonomy import load_taxonomy  # noqa: E402
from app.timeline.packing import Bar  # noqa: E402
from app.timeline.timeline_widget import TimelineWidget  # noqa: E402


def random_bars(n: int, frames: int, seed: int = 0) -> list[Bar]:
    """n segments of MMA-52 actions, 6–90 frames long, anywhere in the clip."""
    tax = load_taxonomy("mma52")
    rng = random.Random(seed)
    bars = []
    for i in range(n):
        action = rng.choice(tax.actions)
        length = rng.randint(6, 90)
        start = rng.randint(0, frames - length - 1)
        bars.append(Bar(i + 1, start, start + length, action.body_part.id, action.id,
                        f"{action.code} {action.name}"))
    return bars


def timed_ms(action: object, widget: TimelineWidget) -> float:
    """Milliseconds for action() plus a synchronous repaint."""
    t0 = time.perf_counter()
    action()  # type: ignore[operator]
    widget.viewport().repaint()
    return (time.perf_counter() - t0) * 1000


def summary(values: list[float]) -> str:
    """median / p95 / max."""
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * len(ordered)) - 1)]
    return f"median {statistics.median(values):6.2f} ms   p95 {p95:6.2f} ms   max {max(values):6.2f} ms"


def main() -> int:
    """Build the timeline, run the operations, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--segments", type=int, default=1000)
    parser.add_argument("--frames", type=int, default=4500)
    parser.add_argument("--repeats", type=int, default=200)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([sys.argv[0]])
    tax = load_taxonomy("mma52")
    timeline = TimelineWidget([b.name for b in tax.body_parts])
    timeline.resize(1200, 420)
    timeline.show()
    timeline.set_clip(args.frames, 30.0)
    thumbs = np.random.default_rng(0).integers(0, 255, (args.frames, 54, 96, 3), dtype=np.uint8)
    timeline.set_thumbnails(thumbs)
    bars = random_bars(args.segments, args.frames)
    build = [timed_ms(lambda: timeline.set_bars(bars), timeline) for _ in range(10)]
    app.processEvents()
    rows = sum(timeline.lanes.lane_rows)
    print(f"{args.segments} segments over {args.frames} frames, packed into {rows} sub-rows in 7 lanes; "
          f"widget 1200x420")
    print(f"set_bars (pack + rebuild + repaint):  {summary(build)}")
    timeline.set_playhead(args.frames // 2)
    timeline.fit()
    whole = [timed_ms(timeline.update, timeline) for _ in range(args.repeats)]
    print(f"redraw, whole clip in view:           {summary(whole)}")
    zooms = []
    for i in range(args.repeats):
        factor = 1.25 if (i // 10) % 2 == 0 else 1 / 1.25  # ten steps in, ten steps out
        zooms.append(timed_ms(lambda f=factor: timeline.zoom(f), timeline))
    print(f"zoom step around playhead + redraw:   {summary(zooms)}")
    timeline.fit()
    timeline.zoom(4.0)
    pans = []
    for i in range(args.repeats):
        fraction = 0.1 if (i // 20) % 2 == 0 else -0.1
        pans.append(timed_ms(lambda f=fraction: timeline.pan(f), timeline))
    print(f"pan by 10% + redraw (zoomed 4x):      {summary(pans)}")
    ids = [b.id for b in bars]
    selects = [timed_ms(lambda i=i: timeline.set_selected(ids[i % len(ids)]), timeline) for i in range(args.repeats)]
    print(f"selection change + redraw:            {summary(selects)}")
    heads = [timed_ms(lambda i=i: timeline.set_playhead((i * 7) % args.frames), timeline) for i in range(args.repeats)]
    print(f"playhead move + redraw:               {summary(heads)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
