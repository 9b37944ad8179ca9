"""Whole-dataset commands and window opening on an MMA-52-sized project (issue 23's figures).

    python bench/bench_scale.py [--backends sqlite,pg,pg40] [--limit N] [--work DIR] [--no-windows]

The project (annotator.synthetic.scale): the real MMA-52 train and validation ids and ground
truth (6,016 clips), three simulated annotators who finished every clip (low noise: 906 clips all reliable), one
reviewer; no media. Backends: sqlite (the project's file), pg (a fresh schema on the local
PostgreSQL, 127.0.0.1:5432/test), pg40 (the same server behind bench/tcp_proxy.py, 20 ms each
way: a 40 ms round trip). Each command runs in this process as `mmad` would (app.cli.main), in
the order a project lives them: build (four bulk imports), merge, agreement, finalise
--all-reliable, import-annotations (val.csv as a fourth annotator's work), assign, split,
export --format all, stats; then the reviewer's and an annotator's window, each opened by a
fresh process as main.py starts (bench_player's measure, offscreen), with the project's modules
compiled (compile_project).

Round trips: every statement the driver sends (SQLAlchemy's before_cursor_execute, one per
batch of an executemany) plus every commit and rollback, plus, on PostgreSQL, each ping of a
connection that lay idle in the pool (annotator.store.engine.ping_when_idle). The fixed cost of opening a project (migration
check, taxonomy snapshot, user lookup) is part of every command's count. Each figure comes with
the CPU seconds it used (this process's, or the window's child process's): on a machine shared
with other work they say more than the wall clock.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import resource
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

from sqlalchemy import create_engine, event, text  # noqa: E402
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

from annotator.synthetic.demo import ANNOTATORS, REVIEWER  # noqa: E402
from annotator.synthetic.scale import build_scale_project  # noqa: E402
from app.cli.main import main as mmad  # noqa: E402

Row = tuple[str, float, float, int]  # command, wall s, CPU s, round trips (-1: not counted)
DATA = BENCH.parents[1] / "shared" / "data" / "mma52"
PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


class RoundTrips:
    """Counts what goes to the database: statements, commits, rollbacks, pings of idle connections."""

    def __init__(self) -> None:
        self.count = 0
        event.listen(Engine, "before_cursor_execute", self._one)
        event.listen(Engine, "commit", self._one)
        event.listen(Engine, "rollback", self._one)
        real_ping = PGDialect_psycopg.do_ping

        def counted_ping(dialect: PGDialect_psycopg, dbapi_connection: object) -> bool:
            self.count += 1  # engine.ping_when_idle pings a connection idle for a while at checkout
            return bool(real_ping(dialect, dbapi_connection))

        PGDialect_psycopg.do_ping = counted_ping  # type: ignore[method-assign]

    def _one(self, *_args: object, **_kw: object) -> None:
        self.count += 1


TRIPS = RoundTrips()


def cpu_s(who: int = resource.RUSAGE_SELF) -> float:
    """CPU seconds (user + system) used so far by this process, or by its finished children."""
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


@contextlib.contextmanager
def measured(name: str, rows: list[Row]) -> Iterator[None]:
    """Time and count the block; print and keep its figures (wall and CPU seconds: on a loaded
    machine the CPU seconds say more about the work than the wall clock does)."""
    TRIPS.count = 0
    t0, c0 = time.perf_counter(), cpu_s()
    yield
    seconds, cpu = time.perf_counter() - t0, cpu_s() - c0
    rows.append((name, seconds, cpu, TRIPS.count))
    print(f"  {name:<40} {seconds:8.2f} s {cpu:8.2f} CPU s {TRIPS.count:8d} round trips", flush=True)


def run_cli(argv: list[str]) -> str:
    """One `mmad` command in this process; its output (a failure stops the bench)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = mmad(argv)
    if code not in (0, 1):
        raise RuntimeError(f"mmad {' '.join(argv)} exited {code}: {out.getvalue()[-500:]}")
    return out.getvalue()


WINDOW_CHILD = """
import sys, time
from app.collector import collect_later
collect_later()
from app.warm_start import reserve_early
argv = {argv!r}
reserve_early(argv)
import app.launch as launch
from app.quitting import exit_now
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
def shown():
    w = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    print('SHOWN', time.time(), bool(w), flush=True)
    poll = QTimer(a)
    def ready():  # the queue read (off the UI thread for the reviewer) and the start clip open
        if not w or not getattr(w[0], '_queue_pending', False):  # the start clip opens as the queue is shown
            print('READY', time.time(), flush=True)
            QApplication.instance().quit()
    poll.timeout.connect(ready)
    poll.start(5)
a = QApplication([sys.argv[0]])
QTimer.singleShot(0, shown)
exit_now(launch.main(argv))
"""


def compile_project() -> None:
    """Write the project's .pyc files as installing it does. Where PYTHONDONTWRITEBYTECODE is set (as
    on the shared build machine) an editable install has none, and each window process compiled
    some 700 modules from source before its first paint (about 0.15 s), which no user's does."""
    import compileall

    for package in ("app", "annotator", "merging", "inference", "resources"):
        compileall.compile_dir(str(BENCH.parent / package), quiet=1)


def window_open_s(folder: Path, user: str, settings: Path) -> tuple[float, float, float]:
    """Seconds from starting a process as main.py starts to the window shown (bench_player's measure),
    the CPU seconds of that process (to its exit), and the seconds to the queue read and the start
    clip open (the reviewer's queue is read off the UI thread after the window is shown)."""
    import subprocess

    code = WINDOW_CHILD.format(argv=[str(folder), "--as", user, "--settings", str(settings)])
    c0 = cpu_s(resource.RUSAGE_CHILDREN)
    start = time.time()
    done = subprocess.run([sys.executable, "-c", code], cwd=BENCH.parent, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("SHOWN")), "")
    ready = next((ln for ln in done.stdout.splitlines() if ln.startswith("READY")), "")
    if not line or line.split()[2] != "True" or not ready:
        raise RuntimeError(f"the window did not open: {done.stderr[-800:]}")
    return (float(line.split()[1]) - start, cpu_s(resource.RUSAGE_CHILDREN) - c0,
            float(ready.split()[1]) - start)


def bench_backend(label: str, folder: Path, db_url: str | None, windows: bool, limit: int | None,
                  runs: int, noise: str) -> list[Row]:
    """Every command once on a fresh project; the windows `runs` times each."""
    rows: list[Row] = []
    print(f"[{label}]", flush=True)
    with measured("build (4 bulk imports)", rows):
        report = build_scale_project(folder, DATA, db_url=db_url, limit=limit, noise=noise)
    print(f"  ({report.clips} clips, {report.truth_instances} truth instances, "
          f"{report.annotator_segments} annotators' segments)")
    p = str(folder)
    steps: list[tuple[str, Callable[[], str]]] = [
        ("merge", lambda: run_cli(["merge", p, "--as", REVIEWER])),
        ("merge again (decisions kept)", lambda: run_cli(["merge", p, "--as", REVIEWER])),
        ("agreement", lambda: run_cli(["agreement", p, "--as", REVIEWER])),
        ("finalise --all-reliable", lambda: run_cli(["finalise", p, "--all-reliable", "--as", REVIEWER])),
        ("add-user annotator4", lambda: run_cli(["add-user", p, "annotator4", "--role", "annotator"]
                                                + (["--login", bench_login(label)] if db_url else []))),
        ("import-annotations (val, 4th annotator)",
         lambda: run_cli(["import-annotations", p, str(DATA / "val.csv"), "--format", "mma52-csv",
                          "--annotator", "annotator4"])),
        ("assign (all clips, 3 annotators)", lambda: run_cli(["assign", p, "--annotators", ",".join(ANNOTATORS)])),
        ("split", lambda: run_cli(["split", p, "--replace"])),  # over the imported train/val subsets
        ("export --format all", lambda: run_cli(["export", p, str(folder.parent / f"{label}-export"),
                                                 "--format", "all"])),
        ("stats", lambda: run_cli(["stats", p])),
    ]
    for name, step in steps:
        with measured(name, rows):
            out = step()
        first = out.strip().splitlines()[:1]
        if first:
            print(f"    {first[0][:110]}")
    if windows:
        compile_project()
        settings = folder.parent / f"{label}-window.ini"
        for user in (REVIEWER, ANNOTATORS[0]):
            times = sorted(window_open_s(folder, user, settings) for _ in range(runs))
            median = times[len(times) // 2]
            rows.append((f"window open as {user}", median[0], median[1], -1))
            print(f"  window open as {user:<25} {median[0]:8.2f} s {median[1]:8.2f} CPU s (median of {runs}: "
                  + ", ".join(f"{t[0]:.2f}" for t in times) + "); queue read and start clip open: "
                  + ", ".join(f"{t[2]:.2f}" for t in times) + " s", flush=True)
    return rows


RUN_TAG = uuid.uuid4().hex[:8]


def bench_login(label: str) -> str:
    """The database login of add-user's annotator on a PostgreSQL backend: logins are the server's,
    not the schema's, so each run takes its own (pg_schema drops it)."""
    return f"mmad_bench_a4_{RUN_TAG}_{label}"


@contextlib.contextmanager
def pg_schema(label: str) -> Iterator[str]:
    """A fresh schema on the local server; dropped afterwards, with the run's login."""
    schema = f"mmad_bench_scale_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield schema
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            login = bench_login(label)
            if conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": login}).first():
                conn.execute(text(f'DROP OWNED BY "{login}"'))
                conn.execute(text(f'DROP ROLE "{login}"'))
        admin.dispose()


def main() -> int:
    """Build the project on each backend, run the commands, print the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backends", default="sqlite,pg,pg40")
    parser.add_argument("--limit", type=int, default=None, help="only the first N clips (default: all)")
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--no-windows", action="store_true")
    parser.add_argument("--runs", type=int, default=3, help="window opens per role (default 3)")
    parser.add_argument("--noise", default="low", help="simulated annotators' noise level (default low)")
    args = parser.parse_args()
    if not (DATA / "train.csv").exists():
        print(f"MMA-52 files not found at {DATA}")
        return 1
    work = args.work or Path(tempfile.mkdtemp(prefix="mmad_bench_scale_"))
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start; work folder {work}")
    table: dict[str, list[Row]] = {}
    for label in args.backends.split(","):
        folder = work / f"{label}-project"
        shutil.rmtree(folder, ignore_errors=True)
        if label == "sqlite":
            table[label] = bench_backend(label, folder, None, not args.no_windows, args.limit, args.runs, args.noise)
            continue
        proxy = None
        with pg_schema(label) as schema:
            url = f"{PG}?options=-csearch_path%3D{schema}"
            if label == "pg40":
                from tcp_proxy import start_proxy

                proxy, port = start_proxy("127.0.0.1:5432", 20.0)
                url = url.replace("127.0.0.1:5432", f"127.0.0.1:{port}")
            try:
                table[label] = bench_backend(label, folder, url, not args.no_windows, args.limit, args.runs, args.noise)
            finally:
                if proxy is not None:
                    proxy.terminate()
                    proxy.wait()
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")
    print("\n| command | " + " | ".join(f"{b} s | {b} CPU s | {b} round trips" for b in table) + " |")
    print("|---|" + "---|---|---|" * len(table))
    names = [row[0] for row in next(iter(table.values()))]
    for i, name in enumerate(names):
        cells = []
        for rows in table.values():
            _, seconds, cpu, trips = rows[i]
            cells += [f"{seconds:.2f}", f"{cpu:.2f}", "—" if trips < 0 else str(trips)]
        print(f"| {name} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
