"""Random `mmad` command lines run in-process, for bench/bench_fuzz.py --cli and the CLI fuzz test.

Each invocation picks a subcommand, fills its positionals and a random set of its options with
values drawn from pools of paths (a project, files, folders, missing paths, a file where a
folder is wanted, names with spaces and non-ASCII, an unwritable folder) and values (numbers at
and past their limits, empty text, control characters, path escapes), sometimes drops a
required argument or adds an unknown one, then calls app.cli.main.main(argv). An exit through
SystemExit (argparse) or a return code is an outcome; any other exception is a traceback. The
calls run in a folder of the workspace, so a relative value used as a path lands there.

Left out, because they do long real work whatever their input: `demo` (renders videos),
`model-info` (builds ViT-L), and train's `--nproc` (starts torchrun).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import shutil
import stat
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from app.cli.main import build_parser, main

SKIPPED_COMMANDS = ("demo", "model-info")
SKIPPED_OPTIONS = ("--nproc", "--password-prompt", "--help", "-h")
CSV = ("id,video_id,start_frame,end_frame,class,total_frames,fps\n"
       "0,S01_01_0001_R,0,30,9,168,30.0\n1,S02_01_0001_L,10,100,21,300,29.0\n")
OPENTAD = ('{"database": {"S01_01_0001_R": {"subset": "training", "duration": 5.6, "fps": 30.0, '
           '"annotations": [{"label": "nodding", "segment": [0.5, 1.5]}]}}}')
TEXT_VALUES = ["", " ", "0", "-1", "1", "2", "0.5", "1.5", "-0.5", "nan", "inf", "1e308", str(2**64), "abc",
               "a,b", ",", "a1", "a1,a2", "ghost", "../../etc/passwd", "a/b", "tab\there", "line\nbreak",
               "ünïcødé", "名字", "with space", "x" * 300, "0.69,0.23,0.08", "-1,1,1", "1,0,0", "320x240",
               "7x5", "0x0", "ground-truth", "merged", "annotator:a1", "annotator:", "train", "mma52", "mma82",
               "all", "--", "-x", "S01_01_0001_R", "[^_]+", "(", "(x)", "postgresql://nobody@127.0.0.1:5432/test",
               "sqlite:///", "garbage://x"]


@dataclass
class Outcomes:
    """Counts of what the invocations did, and the traceback signatures."""

    codes: Counter[str] = field(default_factory=Counter)
    signatures: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)
    not_one_line: Counter[str] = field(default_factory=Counter)

    @property
    def tracebacks(self) -> int:
        return self.codes["traceback"]

    @property
    def total(self) -> int:
        return sum(self.codes.values())


class CliWorkspace:
    """A folder of paths the fuzzer names: a project (restored from a template before each call,
    so no call sees another's leftovers), files, folders and paths that cannot be used."""

    def __init__(self, folder: Path) -> None:
        from annotator.project import Project

        self.root = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.template = folder / "template"
        Project.create(self.template, name="fuzz")
        main(["import-annotations", str(self.template), str(self._write("gt.csv", CSV)), "--format",
              "mma52-csv", "--ground-truth", "--subset", "train"])
        main(["add-user", str(self.template), "a1", "--role", "annotator"])
        main(["add-user", str(self.template), "rev", "--role", "reviewer"])
        self.project = folder / "proj"
        self.paths = self._pool()

    def _write(self, name: str, text: str | bytes) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, "utf-8")
        return path

    def _pool(self) -> list[str]:
        afile = self._write("afile", "x")
        locked = self.root / "locked"
        locked.mkdir(exist_ok=True)
        (self.root / "adir").mkdir(exist_ok=True)
        (self.root / "dir with space").mkdir(exist_ok=True)
        (self.root / "vids").mkdir(exist_ok=True)
        (self.root / "cwd").mkdir(exist_ok=True)
        paths = [self.project, afile, afile / "sub", self.root / "adir", self.root / "missing",
                 self.root / "missing" / "deeper", self.root / "dir with space" / "out", self.root / "ünïcødé",
                 locked / "out", self._write("gt.csv", CSV), self._write("ünï cødé.csv", CSV),
                 self._write("header.csv", CSV.splitlines()[0] + "\n"), self._write("data.json", OPENTAD),
                 self._write("bad.json", "{"), self._write("empty.csv", ""),
                 self._write("fake.pt", b"\x80\x02not a checkpoint"), self._write("pred.json", '{"results": {}}'),
                 self._write("x.json.out/placeholder", "x").parent / "x.json", self.root / "out.csv",
                 self.root / "vids", self._write("vids/a..b.mp4", b"\x00" * 64), Path("/proc/nope"),
                 Path("/nonexistent/x")]
        return [str(p) for p in paths]

    def reset(self) -> None:
        """The project as the template holds it; the locked folder unwritable again."""
        if self.project.exists():
            shutil.rmtree(self.project)
        shutil.copytree(self.template, self.project)
        os.chmod(self.root / "locked", stat.S_IRUSR | stat.S_IXUSR)

    def close(self) -> None:
        os.chmod(self.root / "locked", stat.S_IRWXU)


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {name: p for name, p in action.choices.items() if name not in SKIPPED_COMMANDS}


def _value(rng: random.Random, work: CliWorkspace, action: argparse.Action) -> str:
    """A value for `action`: one of its choices, a path, or a text value (weighted by kind)."""
    roll = rng.random()
    if action.choices and roll < 0.7:
        return str(rng.choice(list(action.choices)))
    if roll < 0.55:
        return rng.choice(work.paths)
    return rng.choice(TEXT_VALUES)


def invocation(rng: random.Random, work: CliWorkspace, commands: dict[str, argparse.ArgumentParser]) -> list[str]:
    """One random command line."""
    name = rng.choice(sorted(commands))
    parser = commands[name]
    argv = [name]
    for action in parser._actions:
        if action.option_strings:
            continue
        if action.dest == "project" and rng.random() < 0.8:
            argv.append(str(work.project))
            continue
        count = 1 if action.nargs in (None, "?") else rng.randint(0, 3) if action.nargs == "*" else rng.randint(1, 3)
        if action.nargs == "?" and rng.random() < 0.4:
            count = 0
        if rng.random() < 0.05:
            count = 0  # a missing positional
        argv += [_value(rng, work, action) for _ in range(count)]
    options = [a for a in parser._actions if a.option_strings
               and not set(a.option_strings) & set(SKIPPED_OPTIONS)]
    for action in options:
        wanted = action.required and rng.random() > 0.05
        if not wanted and rng.random() > 0.35:
            continue
        flag = rng.choice(action.option_strings)
        if action.nargs == 0:
            argv.append(flag)
        else:
            argv += [flag, _value(rng, work, action)]
    if rng.random() < 0.03:
        argv.append("--no-such-option")
    return argv


def run_one(argv: list[str], outcomes: Outcomes) -> None:
    """Run one command line in-process and count what it did."""
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code: object = main(argv)
        kind = f"exit {code}"
    except SystemExit as exc:
        kind = f"argparse exit {exc.code}"
    except BaseException as exc:  # noqa: BLE001 -- counting every escape is the point
        frames = traceback.extract_tb(exc.__traceback__)
        frame = frames[-1] if frames else None
        where = f"{Path(frame.filename).name}:{frame.lineno}" if frame else "?"
        signature = f"{argv[0]}: {type(exc).__name__} at {where}: {str(exc)[:100]!r}"
        outcomes.signatures[signature] += 1
        outcomes.examples.setdefault(signature, argv)
        kind = "traceback"
    outcomes.codes[kind] += 1
    if kind in ("exit 1", "exit 2"):
        lines = [line for line in err.getvalue().splitlines() if line.strip() and f"mmad {argv[0]}" in line]
        if len(lines) > 1:
            outcomes.not_one_line[argv[0]] += 1


def campaign(count: int, seed: int, folder: Path) -> Outcomes:
    """`count` random invocations in a workspace under `folder`."""
    before = os.environ.get("MMAD_LOG_DIR")
    os.environ["MMAD_LOG_DIR"] = str(folder / "logs")  # the fuzz's log lines stay in its own folder
    work = CliWorkspace(folder)
    here = Path.cwd()
    os.chdir(work.root / "cwd")  # relative values ("abc", "a/b") name paths here, never in the caller's folder
    commands = _subcommands()
    rng = random.Random(seed)
    outcomes = Outcomes()
    try:
        for _ in range(count):
            argv = invocation(rng, work, commands)
            work.reset()
            run_one(argv, outcomes)
    finally:
        os.chdir(here)
        work.close()
        if before is None:
            os.environ.pop("MMAD_LOG_DIR", None)
        else:
            os.environ["MMAD_LOG_DIR"] = before
    return outcomes
