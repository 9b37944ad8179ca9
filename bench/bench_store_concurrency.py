"""Benchmark (issue #15): 4 processes x 1,000 edits at once on one project, SQLite and PostgreSQL.

Three in four edits move the end of one of 8 shared segments (EditSegment, version-checked);
one in four splits or joins the worker's own segment (SplitSegment / JoinSegments and their
undo, each one transaction). Prints per backend: edits acknowledged, conflicts reported
(another worker moved the segment first: refused, nothing written), failures (any other
error), lost updates (acknowledged moves missing from the stored ends) and partial writes
(families not in the state their worker last saw stored), and the wall time.

Run: .venv/bin/python bench/bench_store_concurrency.py [--workers 4] [--edits 1000] [--backend sqlite|postgresql|both]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import create_engine, text  # noqa: E402

from annotator.project import Project  # noqa: E402
from tests.annotator.store.workload import (  # noqa: E402
    counter_ends,
    family_bounds,
    make_project,
    run_concurrently,
    stored_families,
)

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def run(backend: str, workers: int, edits: int) -> dict[str, float]:
    """One run on a fresh project; the figures."""
    folder = Path(tempfile.mkdtemp()) / "proj"
    schema = f"mmad_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_URL) if backend == "postgresql" else None
    url = None
    if admin is not None:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = f"{PG_URL}?options=-csearch_path%3D{schema}"
    try:
        make_project(folder, url)
        started = time.perf_counter()
        results = run_concurrently(folder, workers, edits)
        seconds = time.perf_counter() - started
        store = Project.open(folder).open_store()
        try:
            moved, families = counter_ends(store), stored_families(store)
        finally:
            store.close()
    finally:
        if admin is not None:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            admin.dispose()
    acknowledged_moves = {k: sum(r.moves[k] for r in results) for k in moved}
    partial = sum(families.get(start) != family_bounds(start, state)
                  for r in results for start, state in r.families.items())
    for r in results:
        for failure in r.failures[:3]:
            print(f"  failure: {failure}")
    return {"edits": workers * edits, "acknowledged": sum(r.acknowledged for r in results),
            "conflicts": sum(r.conflicts for r in results), "failures": sum(len(r.failures) for r in results),
            "lost updates": sum(abs(acknowledged_moves[k] - moved[k]) for k in moved),
            "partial writes": partial, "seconds": seconds}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--edits", type=int, default=1000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    bad = 0
    for backend in backends:
        figures = run(backend, args.workers, args.edits)
        print(f"{backend:<10} " + "  ".join(f"{k} {v:.1f}" if k == "seconds" else f"{k} {int(v)}"
                                            for k, v in figures.items()))
        bad += int(figures["failures"] + figures["lost updates"] + figures["partial writes"])
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
