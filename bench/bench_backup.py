"""Benchmark: the time and size of a SQLite project backup (issue 25) on an MMA-52-sized project.

The project holds the real MMA-52 train and val CSVs as ground truth and, as three annotators'
finished work, the same files again (three times the segments of the ground truth: about the
rows a team of three leaves). Times `mmad backup`'s work (SQLite's online backup API, then
PRAGMA quick_check of the copy) and a restore (integrity_check, copy, swap), median of 5.

Run: .venv/bin/python bench/bench_backup.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.importing import import_annotations  # noqa: E402
from annotator.model import Role  # noqa: E402
from annotator.project import Project  # noqa: E402
from annotator.store import backups  # noqa: E402

MMA52_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "mma52"
ANNOTATORS = ("a1", "a2", "a3")
RUNS = 5


def build(folder: Path) -> Project:
    """An MMA-52-sized project: train + val as ground truth and as three annotators' work."""
    project = Project.create(folder, name="mma52-size")
    store = project.open_store(backup=False)
    try:
        for name in ANNOTATORS:
            store.add_annotator(name, Role.ANNOTATOR)
        for who in (None, *ANNOTATORS):
            for split in ("train", "val"):
                import_annotations(store, MMA52_DIR / f"{split}.csv", "mma52-csv", annotator=who)
        clips = len(store.clips())
    finally:
        store.close()
    print(f"project: {clips:,} clips, ground truth + {len(ANNOTATORS)} annotators' segments")
    return project


def main() -> None:
    """Print the database size, the backup's size and the median backup and restore times."""
    with tempfile.TemporaryDirectory() as tmp:
        project = build(Path(tmp) / "p")
        db = project.sqlite_file
        assert db is not None
        times, restore_times = [], []
        copy = None
        for _ in range(RUNS):
            start = time.perf_counter()
            copy = backups.make_backup(db, project.backup_dir, keep=RUNS + 1)
            times.append(time.perf_counter() - start)
        assert copy is not None
        for _ in range(RUNS):
            start = time.perf_counter()
            backups.restore_backup(db, copy, project.path)
            restore_times.append(time.perf_counter() - start)
        wal = db.with_name(db.name + "-wal")
        print(f"database: {db.stat().st_size:,} bytes (+ {wal.stat().st_size if wal.exists() else 0:,} in its WAL)")
        print(f"backup: {copy.stat().st_size:,} bytes, {statistics.median(times) * 1000:.0f} ms "
              f"(median of {RUNS}; min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})")
        print(f"restore: {statistics.median(restore_times) * 1000:.0f} ms (median of {RUNS})")


if __name__ == "__main__":
    main()
