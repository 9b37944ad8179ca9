"""The vit-* window against real clip lengths: padding wasted before (the preset's 512 sampled
frames) and after (fitted to the longest clip), and the backbone's time per training step at
each window on the CPU with the tiny config's widths (so it runs here; the ratio is the point).

    .venv/bin/python bench/bench_model_window.py [--csv ../shared/data/mma52/train.csv ...] [--steps 3]

Clip lengths come from the official MMA-52 CSVs (total_frames per video_id). Padding is the
share of sampled frames a window holds beyond the clip, over all clips (one window each).
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from inference.configs import TrainConfig, fit_window, preset  # noqa: E402
from inference.model import Detector  # noqa: E402
from inference.recipe import apply_recipe  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED = next((d for d in (ROOT.parent / "shared", ROOT / "shared", Path("/work/shared"))
               if (d / "data" / "mma52" / "train.csv").is_file()), ROOT.parent / "shared")
DEFAULT_CSVS = [SHARED / "data" / "mma52" / name for name in ("train.csv", "val.csv")]


def clip_lengths(paths: list[Path]) -> list[int]:
    """Decoded frames of each video in the CSVs."""
    lengths: dict[str, int] = {}
    for path in paths:
        with path.open(newline="") as f:
            for row in csv.DictReader(f):
                lengths[row["video_id"]] = int(row["total_frames"])
    return list(lengths.values())


def wasted(lengths: list[int], window: int, stride: int) -> float:
    """Share of the windows' sampled frames that are padding (clips longer than a window: none wasted)."""
    total = sum(max(window, -(-n // stride)) for n in lengths)
    used = sum(-(-n // stride) for n in lengths)
    return 1 - used / total


def backbone_step_s(window: int, steps: int) -> float:
    """Median seconds of a forward + backward of the tiny backbone at batch 2 over `window` frames (stride 4)."""
    config, _ = apply_recipe("adatad", preset("tiny", "dsta", num_classes=52), TrainConfig())
    config = replace(config, window_frames=window)
    model = Detector(config).train()
    video = torch.randn(2, 3, window, config.backbone.img_size, config.backbone.img_size)
    times = []
    for _ in range(steps + 1):  # the first one warms up
        started = time.perf_counter()
        model.backbone(video).float().square().mean().backward()
        times.append(time.perf_counter() - started)
        model.zero_grad(set_to_none=True)
    return statistics.median(times[1:])


def main() -> int:
    """Print the padding and backbone-time figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", nargs="*", type=Path, default=DEFAULT_CSVS)
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1,
                        help="torch threads (one: on a loaded 2-core machine two threads measure the contention)")
    args = parser.parse_args()
    missing = [p for p in args.csv if not p.is_file()]
    if missing:
        print(f"{missing[0]}: MMA-52 CSV not found (give --csv)", file=sys.stderr)
        return 2
    lengths = clip_lengths(args.csv)
    vit = apply_recipe("adatad", preset("vit-s", "dsta", num_classes=52), TrainConfig())[0]
    fitted = fit_window(vit, max(lengths))
    stride = vit.frame_stride
    mean_s = statistics.mean(lengths) / 30.0
    print(f"{len(lengths)} MMA-52 clips: {min(lengths)}-{max(lengths)} frames, mean {statistics.mean(lengths):.1f} "
          f"({mean_s:.2f} s at 30 fps); vit-s stride {stride}")
    for name, window in (("before (preset)", vit.window_frames), ("after (fitted)", fitted.window_frames)):
        print(f"  {name:<16} window {window:4d} sampled frames: {100 * wasted(lengths, window, stride):.1f} % "
              "of it padding")
    torch.set_num_threads(max(1, args.threads))
    before = backbone_step_s(vit.window_frames, args.steps)
    after = backbone_step_s(fitted.window_frames, args.steps)
    print(f"backbone forward+backward, tiny widths, batch 2, CPU ({torch.get_num_threads()} threads): "
          f"{before * 1000:.0f} ms at {vit.window_frames} frames, {after * 1000:.0f} ms at {fitted.window_frames} "
          f"({before / after:.1f}x less)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
