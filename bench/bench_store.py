"""Benchmark: import the official MMA-52 train+val CSVs into a fresh SQLite
project, split by subject, export in each annotation format and in all three at once
(`mmad export --format all`). Targets: < 2 s each (docs/ARCHITECTURE.md, "Performance targets
and benchmarks").

Run: .venv/bin/python bench/bench_store.py [MMA52_DIR]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from annotator.exporting import export_annotations, split_project  # noqa: E402
from annotator.formats import ANNOTATION_FORMATS  # noqa: E402
from annotator.importing import import_annotations  # noqa: E402
from annotator.model import Subset  # noqa: E402
from annotator.project import Project  # noqa: E402

TARGET_S = 2.0


def timed(label: str, figures: list[tuple[str, float]], func, *args, **kwargs):  # type: ignore[no-untyped-def]
    """Run func, print and record its wall time."""
    start = time.perf_counter()
    result = func(*args, **kwargs)
    seconds = time.perf_counter() - start
    figures.append((label, seconds))
    print(f"{label:<34} {seconds:7.3f} s  {'ok' if seconds < TARGET_S else 'OVER TARGET'}")
    return result


def main() -> int:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared" / "data" / "mma52"
    if not (data / "train.csv").exists():
        print(f"skipped: no MMA-52 files at {data}")
        return 0
    figures: list[tuple[str, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        project = timed("create project (SQLite)", figures, Project.create, Path(tmp) / "p")
        store = project.open_store()
        try:
            start = time.perf_counter()
            for name, subset in (("train", Subset.TRAIN), ("val", Subset.VAL)):
                report = timed(f"import {name}.csv", figures, import_annotations, store, data / f"{name}.csv",
                               "mma52-csv", subset=subset)
                print(f"    {report.clips_created} clips, {report.instances_imported} instances")
            print(f"{'import train+val total':<34} {time.perf_counter() - start:7.3f} s")
            timed("split by subject", figures, split_project, store)
            for fmt in ANNOTATION_FORMATS:
                timed(f"export {fmt} (per subset + all)", figures, export_annotations, store,
                      Path(tmp) / "out" / fmt, fmt)
            timed("export all formats (one read)", figures, export_annotations, store,
                  Path(tmp) / "out" / "all", "all")
        finally:
            store.close()
    over = [label for label, s in figures if s >= TARGET_S]
    print("all within target" if not over else f"over target: {', '.join(over)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
