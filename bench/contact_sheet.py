"""Contact sheet of every synthetic action: frames across one instance and its motion image.

One row per action in annotator.synthetic.actions.MOTIONS: the frame before the instance,
frames at 0, 25, 50, 75 and 100 % of the instance, and a difference image: the per-pixel
maximum over the instance of |frame − the same frame rendered without the action|, ×3.
Each action is rendered alone on a fresh subject with noise, shake and idle motion on;
the reference render shares them, so the difference shows only what the action moves.

Usage: .venv/bin/python bench/contact_sheet.py [OUT.png] [--size WxH]  (default bench/out/contact_sheet.png)
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.synthetic.actions import MOTIONS, InstanceSpec  # noqa: E402
from annotator.synthetic.figure import make_look  # noqa: E402
from annotator.synthetic.render import ClipSpec, render_frames  # noqa: E402

FPS = 30.0
LEAD = 15  # frames before the instance
LENGTH = 75  # instance length in frames (2.5 s)


def action_row(action_id: int, size: tuple[int, int], seed: int) -> np.ndarray:
    """The row of tiles for one action."""
    look = make_look(np.random.default_rng([seed, action_id]))
    inst = InstanceSpec(action_id, LEAD, LEAD + LENGTH - 1)
    spec = ClipSpec(f"action{action_id}", "S00", look, FPS, LEAD + LENGTH + 10, size[0], size[1], (inst,), seed)
    frames = list(render_frames(spec))
    still = list(render_frames(replace(spec, instances=())))  # same noise, shake and idle motion
    rest = frames[LEAD - 1]
    picks = [LEAD - 1] + [LEAD + round(q * (LENGTH - 1)) for q in (0.0, 0.25, 0.5, 0.75, 1.0)]
    tiles = [frames[k].copy() for k in picks]
    labels = ["before"] + [f"{q}%" for q in (0, 25, 50, 75, 100)]
    motion = np.zeros(rest.shape[:2], np.float32)
    for img, ref in zip(frames[LEAD:LEAD + LENGTH], still[LEAD:LEAD + LENGTH], strict=True):
        motion = np.maximum(motion, cv2.absdiff(img, ref).max(axis=2).astype(np.float32))
    heat = cv2.applyColorMap(np.clip(motion * 3.0, 0, 255).astype(np.uint8), cv2.COLORMAP_INFERNO)
    tiles.append(heat)
    labels.append("action diff")
    for tile, label in zip(tiles, labels, strict=True):
        cv2.putText(tile, label, (3, size[1] - 5), cv2.FONT_HERSHEY_SIMPLEX, 0.35, (255, 255, 255), 1, cv2.LINE_AA)
    name = f"{action_id}: {MOTIONS[action_id].name}"
    cv2.putText(tiles[0], name, (3, 12), cv2.FONT_HERSHEY_SIMPLEX, 0.38, (0, 0, 0), 2, cv2.LINE_AA)
    cv2.putText(tiles[0], name, (3, 12), cv2.FONT_HERSHEY_SIMPLEX, 0.38, (255, 255, 255), 1, cv2.LINE_AA)
    return np.hstack(tiles)


def main() -> int:
    """Write the contact sheet and print where it went and how long it took."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default=str(Path(__file__).parent / "out" / "contact_sheet.png"))
    parser.add_argument("--size", default="200x150", help="tile size WxH")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.lower().split("x"))
    started = time.perf_counter()
    sheet = np.vstack([action_row(a, (size[0], size[1]), args.seed) for a in sorted(MOTIONS)])
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(args.out, sheet)
    print(f"contact sheet: {len(MOTIONS)} actions, {sheet.shape[1]}x{sheet.shape[0]} px -> {args.out} "
          f"({time.perf_counter() - started:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
