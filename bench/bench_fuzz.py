"""Benchmark: a fuzz campaign over every reader (issue 15). Reports the inputs tried, how many
were accepted and refused, the tracebacks (target 0) with their signatures, and the time to
refuse the largest malformed inputs: the largest fuzzed one, and big files damaged at their end.

Run: .venv/bin/python bench/bench_fuzz.py [INPUTS]   (default 10,000, shared over the readers)

With --cli (issue 25) it fuzzes the `mmad` command line instead: random subcommands, flags, paths
(files, folders, missing, unwritable, with spaces and non-ASCII) and values, each invocation run
in-process through app.cli.main.main (tests/app/cli/cli_fuzz.py); it reports the outcomes by exit
code and every traceback's signature with one command line that raised it.

Run: .venv/bin/python bench/bench_fuzz.py --cli [INVOCATIONS] [SEED]   (default 10,000, seed 0)
"""

from __future__ import annotations

import collections
import sys
import tempfile
import time
import traceback
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the fuzz inputs live with the tests

from annotator.errors import InputError  # noqa: E402
from annotator.formats import read_annotations, write_annotations  # noqa: E402
from tests.annotator.formats.fuzz_inputs import MMA52, TARGETS, Target, Workspace, check  # noqa: E402

MMA52_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "mma52"


def campaign(target: Target, examples: int, folder: Path) -> dict[str, object]:
    """Run `examples` inputs through one target; outcome counts, traceback signatures, largest refusal."""
    work = Workspace(folder)
    outcomes: collections.Counter[str] = collections.Counter()
    signatures: collections.Counter[str] = collections.Counter()
    largest = (0, 0.0)

    @settings(max_examples=examples, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(target.documents)
    def run(data: bytes) -> None:
        nonlocal largest
        start = time.perf_counter()
        try:
            outcome = check(target, data, work)
        except BaseException as exc:  # noqa: BLE001 -- counting every escape is the point
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            signatures[f"{type(exc).__name__} at {Path(frame.filename).name}:{frame.lineno}: {str(exc)[:80]!r}"] += 1
            outcome = "traceback"
        outcomes[outcome] += 1
        if outcome == "refused" and len(data) > largest[0]:
            largest = (len(data), time.perf_counter() - start)

    try:
        run()
    finally:
        work.close()
    return {"outcomes": outcomes, "signatures": signatures, "largest": largest}


def big_refusals(folder: Path) -> list[tuple[str, int, float, str]]:
    """Big files damaged at their very end: (what, bytes, seconds to refuse, message)."""
    cases: list[tuple[str, Path]] = []
    csv_text = (MMA52_DIR / "train.csv").read_text("utf-8")
    big_csv = folder / "train_x20_bad_last_line.csv"
    body = "".join(csv_text.splitlines(keepends=True)[1:])
    lines = csv_text.splitlines(keepends=True)[:1] + [body] * 20
    big_csv.write_text("".join(lines) + "999,v_last,0,30,9,1e308,30.0\n", "utf-8")
    cases.append(("MMA-52 train.csv x20, bad last line", big_csv))
    aset = read_annotations(MMA52_DIR / "train.csv", "mma52-csv", MMA52)
    good_json = folder / "train.json"
    write_annotations(aset, good_json, "opentad-json", MMA52)
    text = good_json.read_text("utf-8")
    deep = folder / "train_deep_at_end.json"
    deep.write_text(text[:-2] + ', "zz": ' + "[" * 100_000 + "]" * 100_000 + "}}", "utf-8")
    cases.append(("MMA-52 train as OpenTAD JSON, 100,000-deep value at the end", deep))
    out = []
    for what, path in cases:
        times = []
        message = ""
        for _ in range(5):
            start = time.perf_counter()
            try:
                read_annotations(path, "opentad-json" if path.suffix == ".json" else "mma52-csv", MMA52)
            except InputError as exc:
                message = str(exc)
            times.append(time.perf_counter() - start)
        out.append((what, path.stat().st_size, sorted(times)[len(times) // 2], message))
    return out


def cli_main(args: list[str]) -> None:
    """Fuzz the command line: outcomes by exit code, tracebacks (target 0) with their signatures."""
    import contextlib
    import io

    from tests.app.cli.cli_fuzz import campaign as cli_campaign

    count = int(args[0]) if args else 10_000
    seed = int(args[1]) if len(args) > 1 else 0
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):  # the workspace's own set-up output
            outcomes = cli_campaign(count, seed, Path(tmp))
        seconds = time.perf_counter() - start
    print(f"mmad invocations: {outcomes.total:,} (seed {seed}) in {seconds:.0f} s, "
          f"{1000 * seconds / max(outcomes.total, 1):.0f} ms each")
    for kind, n in sorted(outcomes.codes.items()):
        print(f"  {kind:<20}{n:>7,}")
    print(f"tracebacks: {outcomes.tracebacks} (target 0)")
    for signature, n in outcomes.signatures.most_common():
        print(f"    {n} x {signature}\n      e.g. mmad {' '.join(outcomes.examples[signature])}")
    if outcomes.not_one_line:
        print(f"errors of more than one line: {dict(outcomes.not_one_line)}")


def main() -> None:
    """Print per-target counts, the traceback signatures, and the refusal times."""
    if sys.argv[1:2] == ["--cli"]:
        cli_main(sys.argv[2:])
        return
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    per_target = max(1, total // len(TARGETS))
    tried = tracebacks = 0
    slowest = (0, 0.0, "")
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'reader':<26}{'tried':>7}{'accepted':>10}{'refused':>9}{'tracebacks':>12}{'seconds':>9}")
        for i, target in enumerate(TARGETS):
            start = time.perf_counter()
            result = campaign(target, per_target, Path(tmp) / f"t{i}")
            outcomes = result["outcomes"]
            assert isinstance(outcomes, collections.Counter)
            n = sum(outcomes.values())
            tried += n
            tracebacks += outcomes["traceback"]
            print(f"{target.name:<26}{n:>7}{outcomes['accepted']:>10}{outcomes['refused']:>9}"
                  f"{outcomes['traceback']:>12}{time.perf_counter() - start:>9.1f}")
            signatures = result["signatures"]
            assert isinstance(signatures, collections.Counter)
            for signature, count in signatures.most_common():
                print(f"    {count} x {signature}")
            size, seconds = result["largest"]  # type: ignore[misc]
            if size > slowest[0]:
                slowest = (size, seconds, target.name)
        print(f"\ninputs tried: {tried}, tracebacks: {tracebacks} (target 0)")
        print(f"largest fuzzed input refused: {slowest[0]:,} bytes ({slowest[2]}) in {slowest[1] * 1000:.1f} ms")
        if (MMA52_DIR / "train.csv").exists():
            for what, size, seconds, message in big_refusals(Path(tmp)):
                print(f"{what}: {size:,} bytes refused in {seconds * 1000:.0f} ms (median of 5): {message[-110:]}")


if __name__ == "__main__":
    main()
