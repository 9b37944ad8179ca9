"""`mmad demo PROJECT`: build a ready demo project of synthetic clips and simulated work."""

from __future__ import annotations

import argparse
from pathlib import Path

from annotator.errors import InputError
from app.cli.progress_bar import TerminalProgress

# annotator.synthetic.simulate.NOISE_LEVELS' names, sorted (not imported: it loads the renderer; a test checks)
NOISE_CHOICES = ("high", "low", "medium", "none")


def parse_size(text: str) -> tuple[int, int]:
    """'320x240' → (320, 240); InputError on anything else."""
    parts = text.lower().split("x")
    if len(parts) != 2 or not all(p.isascii() and p.isdigit() for p in parts):
        raise InputError("--size", text, "expected WIDTHxHEIGHT, e.g. 320x240")
    width, height = int(parts[0]), int(parts[1])
    if width % 2 or height % 2 or min(width, height) < 16 or max(width, height) > 7680:
        raise InputError("--size", text, "width and height must be even numbers from 16 to 7680, e.g. 320x240")
    return width, height


def _run(args: argparse.Namespace) -> int:
    from annotator.synthetic.demo import build_demo

    if args.subjects < 1 or args.clips_per_subject < 1:
        raise InputError("--subjects/--clips-per-subject", None, "must be at least 1")
    bar = TerminalProgress(lines=True)  # a long command: one line per step in a log
    try:
        report = build_demo(Path(args.project), args.subjects, args.clips_per_subject, args.seed,
                            parse_size(args.size), noise=args.noise, progress=bar)
    finally:
        bar.close()
    print("\n".join(report.lines()))
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `mmad demo`."""
    p = sub.add_parser("demo", help="build a demo project of synthetic clips with simulated annotators",
                       description="Build a ready demo project: synthetic clips of a moving figure, three "
                                   "simulated annotators' work at the chosen error level, split into train/val/test.")
    p.add_argument("project", help="folder of the new project (must not hold a project yet)")
    p.add_argument("--subjects", type=int, default=6)
    p.add_argument("--clips-per-subject", type=int, default=4)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--size", default="320x240", help="frame size WxH (even numbers), e.g. 1920x1080")
    p.add_argument("--noise", choices=NOISE_CHOICES, default="medium",
                   help="error level of the three simulated annotators")
    p.set_defaults(func=_run)
