"""Benchmark: import of the official MMA-52 CSVs, each format's write/read round trip, the
subject split and the statistics, on the real files (target: < 2 s each; docs/ARCHITECTURE.md,
"Performance targets and benchmarks").

Run: .venv/bin/python bench/bench_formats.py [MMA52_DIR]
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from annotator.formats import (
    ANNOTATION_FORMATS,
    TOOL_FORMATS,
    AnnotationSet,
    InstanceRecord,
    read_annotations,
    write_annotations,
)
from annotator.splits import check_no_leakage, split_balance, split_by_subject
from annotator.stats import dataset_statistics
from annotator.subjects import subject_from_name
from annotator.taxonomy import load_taxonomy

T = TypeVar("T")
DEFAULT_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "mma52"
REPEATS = 5


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    """fn's result and its best wall time over REPEATS runs."""
    best, result = float("inf"), None
    for _ in range(REPEATS):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return result, best  # type: ignore[return-value]


def main() -> None:
    """Print one row per step: what, size, best seconds, within target."""
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DIR
    tax = load_taxonomy("mma52")
    rows: list[tuple[str, str, float]] = []
    sets: dict[str, AnnotationSet] = {}
    for name in ("train.csv", "val.csv"):
        sets[name], secs = timed(lambda name=name: read_annotations(data / name, "mma52-csv", tax))
        rows.append((f"read {name}", f"{len(sets[name].instances)} inst", secs))
    both = AnnotationSet(
        videos={**sets["train.csv"].videos, **sets["val.csv"].videos},
        instances=sets["train.csv"].instances + sets["val.csv"].instances,
    )
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in ANNOTATION_FORMATS:
            out = Path(tmp) / f"all.{fmt}"
            _, w = timed(lambda fmt=fmt, out=out: write_annotations(both, out, fmt, tax))
            back, r = timed(lambda fmt=fmt, out=out: read_annotations(out, fmt, tax))
            same = sorted(back.instances, key=_order) == sorted(both.instances, key=_order)
            assert same if fmt in TOOL_FORMATS else back.instances == both.instances, fmt
            rows.append((f"write {fmt} (train+val)", f"{len(both.instances)} inst", w))
            rows.append((f"read {fmt} (train+val)", f"{out.stat().st_size // 1024} KiB", r))
    subject_of, labels_of = real_format_ids(both)
    split, secs = timed(lambda: split_by_subject(subject_of, labels_of, len(tax.actions)))
    check_no_leakage(split, subject_of)
    rows.append(("split by subject", f"{len(set(subject_of.values()))} subjects", secs))
    _, secs = timed(lambda: dataset_statistics(list(both.videos.values()), both.instances, tax))
    rows.append(("dataset statistics", f"{len(both.videos)} videos", secs))
    print(f"{'step':34} {'size':>14} {'best of ' + str(REPEATS):>10}  < 2 s")
    for what, size, secs in rows:
        print(f"{what:34} {size:>14} {secs:9.3f}s  {'yes' if secs < 2 else 'NO'}")
    balance = split_balance(split, labels_of, len(tax.actions))
    ratios = ", ".join(f"{s.value} {r:.4f}" for s, r in balance.video_ratios.items())
    print(
        f"split video ratios: {ratios}; max per-class share difference {100 * balance.max_share_diff:.2f} points"
    )


def _order(inst: InstanceRecord) -> tuple[str, int, int, int]:
    return inst.video_id, inst.start_frame, inst.end_frame, inst.action_id


def real_format_ids(aset: AnnotationSet) -> tuple[dict[str, str], dict[str, list[int]]]:
    """Give each real video an id like 196_01_0005_L: runs of 15-65 consecutive videos per subject."""
    rng, names, start, person = random.Random(52), {}, 0, 100
    videos = list(aset.videos)
    while start < len(videos):
        run = rng.randint(15, 65)
        for j, video in enumerate(videos[start : start + run]):
            names[video] = f"{person}_{j // 20 + 1:02d}_{j:04d}_{'LR'[j % 2]}"
        start, person = start + run, person + 1
    labels: dict[str, list[int]] = {names[v]: [] for v in videos}
    for inst in aset.instances:
        labels[names[inst.video_id]].append(inst.action_id)
    return {n: subject_from_name(n) for n in names.values()}, labels


if __name__ == "__main__":
    main()
