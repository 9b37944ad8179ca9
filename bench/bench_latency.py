"""How long the annotation and review screens wait for PostgreSQL at 0, 10, 40 and 100 ms round trip.

PostgreSQL (PG_URL, default the test server) is reached through bench/tcp_proxy.py, which
holds every packet back half the round trip each way and counts the client's requests
(round trips). Each edit goes through the screens' own controllers (ClipSession,
ReviewSession, offscreen) the way a key press does. Per operation:
  key ms     key press → model updated and its signals handled (the session alone: no widget is
             attached, so painting is not in it; bench_timeline/bench_player time the paint)
  commit ms  key press → the edit committed in the database (the background writer done)
  trips      round trips to commit it (counted at the proxy; whatever else runs meanwhile counts too:
             add on a clip still todo also stores its "in progress", a second edit)
Opening a clip: time and round trips until the screen has what it shows (the audit note that
the annotator opened it, written on a thread of its own, is waited for and left out of the count).

    .venv/bin/python bench/bench_latency.py [--rtt 0,10,40,100] [--repeat 5] [--foreground]

--foreground commits on the UI thread, as every edit did before issue 22.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text  # noqa: E402

from bench.tcp_proxy import DelayProxy  # noqa: E402

PG_URL = os.environ.get("MMAD_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
NOD, SHAKE = 9, 10


def _project(schema: str, folder: Path) -> Any:
    """A PostgreSQL project: annotator 'ann', reviewer 'rev', clips with proposals and merged instances."""
    from annotator.decisions import KEEP
    from annotator.model import MergedInstance, MergedStatus, MergeRule, Proposal, Role, Segment
    from annotator.project import Project
    from annotator.store.api import NewClip

    project = Project.create(folder, name="bench", db_url=f"{PG_URL}?options=-csearch_path%3D{schema}")
    owner = project.open_store()
    owner.add_annotator("ann", Role.ANNOTATOR)
    owner.add_annotator("rev", Role.REVIEWER)
    clips = owner.add_clips([NewClip(name=f"S01_c{i}", subject="S01", fps=30.0, frame_count=900) for i in range(8)])
    for clip in clips:
        owner.assign(clip.id, "ann")
        owner.add_proposals(clip.id, "m1", [Proposal(None, clip.id, "m1", 30 * k, 30 * k + 20, NOD, 0.9)
                                            for k in range(10)])
        marked = [owner.add_segment(Segment(None, clip.id, "ann", 600 + 25 * k, 620 + 25 * k, SHAKE))
                  for k in range(10)]
        owner.replace_unresolved_merged(clip.id, [
            MergedInstance(None, clip.id, s.start_frame, s.end_frame, SHAKE, (s.id or 0,), MergeRule.SINGLE, False,
                           MergedStatus.NEEDS_REVIEW, majority=KEEP) for s in marked])
    owner.close()
    return project


def _timed(app: Any, session: Any, action: Callable[[], object], proxy: DelayProxy,
           paint: Callable[[], None]) -> tuple[float, float, int]:
    """(key ms, commit ms, round trips) of one edit."""
    wait = getattr(session, "wait_saved", None)
    if wait is not None:
        wait(30.0)
    before = proxy.round_trips
    t0 = time.perf_counter()
    action()
    app.processEvents()
    paint()
    key = (time.perf_counter() - t0) * 1000
    if wait is not None:
        wait(30.0)
    commit = (time.perf_counter() - t0) * 1000
    return key, commit, proxy.round_trips - before


def _one_round(app: Any, session: Any, review: Any, store: Any, clip: Any, base: int, proxy: DelayProxy,
               note: Callable[[str, tuple[float, float, int]], None]) -> None:
    """Open a clip, then add, nudge, split, join, undo, accept a proposal, mark done and decide once, each timed."""
    from annotator.commands import AcceptProposal

    def nothing() -> None:
        return None

    later: list[Callable[[Any], object]] = []
    setattr(session.pipeline, "read_in_background", later.append)  # noqa: B010 -- the audit note waits
    before = proxy.round_trips
    t0 = time.perf_counter()
    session.open_clip(clip)
    app.processEvents()
    took = (time.perf_counter() - t0) * 1000
    note("open a clip", (took, took, proxy.round_trips - before))
    delattr(session.pipeline, "read_in_background")
    for read in later:
        session.pipeline.read_in_background(read)
    session.pipeline.wait_reads()  # not the next edit's trips
    note("add", _timed(app, session, lambda: session.add(base, base + 20, NOD), proxy, nothing))
    seg_id = session.selected
    note("nudge", _timed(app, session, lambda: session.nudge(seg_id, "end", 1), proxy, nothing))
    note("split", _timed(app, session, lambda: session.split(seg_id, base + 10), proxy, nothing))
    first = min((s for s in session.segments if s.start_frame == base), key=lambda s: s.id or 0)
    note("join", _timed(app, session, lambda: session.join(first.id), proxy, nothing))
    note("undo", _timed(app, session, session.undo, proxy, nothing))
    pending = [p for p in session.proposals if p.status.value == "pending"]
    note("accept a proposal", _timed(app, session, lambda: session.run(AcceptProposal(pending[0], "ann")),
                                     proxy, nothing))
    note("mark done", _timed(app, session, session.mark_done, proxy, nothing))
    review.open_clip(clip)
    note("review decision", _timed(app, review, review.keep, proxy, nothing))


def run(rtts: list[int], repeat: int, background: bool) -> list[tuple[int, str, float, float, float]]:
    """Rows (rtt ms, operation, key ms, commit ms, round trips), medians over `repeat`."""
    from PySide6.QtWidgets import QApplication

    from annotator.project import Project
    from annotator.store.store import Store
    from app.controllers.clip_session import ClipSession
    from app.review.review_session import ReviewSession

    app = QApplication.instance() or QApplication([])
    schema = f"mmad_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    rows: list[tuple[int, str, float, float, float]] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            taxonomy = _project(schema, Path(tmp) / "proj").taxonomy
            assert Project.open(Path(tmp) / "proj") is not None
            for n, rtt in enumerate(rtts):
                proxy = DelayProxy("127.0.0.1", 5432, rtt / 2000)
                url = f"postgresql+psycopg://postgres@127.0.0.1:{proxy.port}/test?options=-csearch_path%3D{schema}"
                store = Store.open(url, taxonomy, "ann")
                review_store = store.as_user("rev")
                session = ClipSession(store, "ann")
                review = ReviewSession(review_store)
                if background:
                    session.go_live(None)
                    review.go_live(None)
                clips = store.clips()
                samples: dict[str, list[tuple[float, float, int]]] = {}
                for r in range(repeat):
                    _one_round(app, session, review, store, clips[(n * repeat + r) % len(clips)], 300 + 40 * r,
                               proxy, lambda name, got, into=samples: into.setdefault(name, []).append(got))
                for name, got in samples.items():
                    rows.append((rtt, name, statistics.median(g[0] for g in got),
                                 statistics.median(g[1] for g in got), statistics.median(g[2] for g in got)))
                session.close()
                review.close()
                store.close()
                proxy.close()
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
    return rows


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rtt", default="0,10,40,100", help="round trips to test, ms, comma-separated")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--foreground", action="store_true", help="commit on the UI thread (as before #22)")
    args = parser.parse_args()
    rows = run([int(x) for x in args.rtt.split(",")], args.repeat, background=not args.foreground)
    print(f"{'rtt ms':>6}  {'operation':<18} {'key ms':>8} {'commit ms':>10} {'trips':>6}")
    for rtt, name, key, commit, trips in rows:
        print(f"{rtt:>6}  {name:<18} {key:>8.1f} {commit:>10.1f} {trips:>6.0f}")


if __name__ == "__main__":
    main()
