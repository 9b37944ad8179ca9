"""Benchmark of the synthetic data: clip rendering, the simulator on real MMA-52, `mmad demo`.

Prints one line per figure. Run by hand: .venv/bin/python bench/bench_demo.py [--full-hd]
(--full-hd also times one 5 s 1920×1080 clip).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from annotator.formats import read_annotations  # noqa: E402
from annotator.synthetic.actions import InstanceSpec  # noqa: E402
from annotator.synthetic.demo import build_demo  # noqa: E402
from annotator.synthetic.figure import make_look  # noqa: E402
from annotator.synthetic.render import ClipSpec, render_clip  # noqa: E402
from annotator.synthetic.simulate import NOISE_LEVELS, simulate_annotators  # noqa: E402
from annotator.taxonomy import load_taxonomy  # noqa: E402

MMA52 = ROOT.parent / "shared" / "data" / "mma52"


def time_clip(folder: Path, size: tuple[int, int], seconds: float) -> float:
    """Seconds to render and write one clip with three overlapping instances."""
    n = int(seconds * 30)
    spec = ClipSpec("S01_01_0001_L", "S01", make_look(np.random.default_rng(0)), 30.0, n, size[0], size[1],
                    (InstanceSpec(9, 0, n // 2), InstanceSpec(19, n // 4, n - 1), InstanceSpec(24, n // 3, n - 5)))
    started = time.perf_counter()
    render_clip(folder / f"clip_{size[0]}x{size[1]}.mp4", spec)
    return time.perf_counter() - started


def main() -> int:
    """Run every measurement and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--full-hd", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for size, seconds in (((96, 96), 5.0), ((320, 240), 5.0), ((320, 240), 15.0)):
            print(f"render {seconds:.0f} s clip {size[0]}x{size[1]}: {time_clip(folder, size, seconds):.3f} s")
        if args.full_hd:
            print(f"render 5 s clip 1920x1080: {time_clip(folder, (1920, 1080), 5.0):.3f} s")
        if (MMA52 / "train.csv").exists():
            taxonomy = load_taxonomy("mma52")
            truth = read_annotations(MMA52 / "train.csv", "mma52-csv", taxonomy)
            started = time.perf_counter()
            simulate_annotators(truth, taxonomy, NOISE_LEVELS["high"], seed=0)
            print(f"simulate 3 annotators on MMA-52 train ({len(truth.instances)} instances): "
                  f"{time.perf_counter() - started:.3f} s")
        else:
            print(f"simulator on MMA-52: skipped, {MMA52} not found")
        report = build_demo(folder / "demo", subjects=6, clips_per_subject=4, seed=0)
        print(f"mmad demo 6x4 (320x240): {report.seconds:.1f} s, {report.bytes_on_disk / 2**20:.1f} MiB on disk, "
              f"{report.clips} clips, {report.instances} instances")
    return 0


if __name__ == "__main__":
    sys.exit(main())
