"""The `mmad` command: one subcommand module per area, each adding its parsers.

The subcommand modules import their work inside the commands, so building the parser (and
`mmad --help`) loads no numpy-heavy, database or plotting package.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
from collections.abc import Sequence

from annotator.errors import Cancelled, ConflictError, InputError, PermissionDenied, RuleViolation, StoreBusy
from app.cli import cmd_demo, cmd_merge, cmd_model, cmd_models, cmd_pose, cmd_project, cmd_team
from app.logs import configure_logging

# Each module exposes register(subparsers); a parser sets `func(args) -> int`.
COMMAND_MODULES = (cmd_project, cmd_team, cmd_demo, cmd_merge, cmd_model, cmd_models, cmd_pose)
EXIT_INPUT = 2  # bad input or a refused edit
EXIT_BUSY = 75  # the database stayed locked by another program (EX_TEMPFAIL: try again)
URL_PASSWORD = re.compile(r"(://[^:/@\s]*:)\S*@")  # a password inside a database URL
QUERY_PASSWORD = re.compile(r"([?&]password=)[^&\s]*", re.IGNORECASE)  # libpq's ?password=


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="mmad", description="MMAD Studio command line")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand; bad input exits 2, a locked database 75, each with one line on stderr;
    a closed pipe (`mmad … | head`) ends quietly."""
    try:
        try:
            return _run(argv)
        finally:  # --help and argparse's exits too: a reader that left early fails here, not at exit
            sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        return 141  # as a shell reports a command ended by SIGPIPE


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a real file (tests capture it)
        pass
    finally:
        os.close(devnull)


def _run(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging()
    log = logging.getLogger("mmad.cli")
    log.info("mmad %s", without_passwords(" ".join(sys.argv[1:] if argv is None else argv)))
    _show_connection_notes()
    args.argv = list(argv) if argv is not None else sys.argv[1:]  # `train --nproc` hands it to torchrun
    try:
        return int(args.func(args) or 0)
    except (InputError, RuleViolation, PermissionDenied, ConflictError) as exc:
        log.warning("mmad %s: %s", args.command, exc)
        print(f"mmad {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except StoreBusy as exc:
        log.warning("mmad %s: %s", args.command, exc)
        print(f"mmad {args.command}: busy: {exc}", file=sys.stderr)
        return EXIT_BUSY
    except Cancelled:
        log.info("mmad %s: cancelled", args.command)
        print(f"mmad {args.command}: cancelled", file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        log.info("mmad %s: interrupted", args.command)
        print(f"mmad {args.command}: interrupted", file=sys.stderr)
        return 130


def without_passwords(line: str) -> str:
    """The command line as the log keeps it: a password in a database URL replaced by ***."""
    return QUERY_PASSWORD.sub(r"\1***", URL_PASSWORD.sub(r"\1***@", line))


def _show_connection_notes() -> None:
    """What annotator.store.pg_session says about TLS (once per process) goes to stderr too."""
    notes = logging.getLogger("mmad.connection")
    if not any(isinstance(h, _StderrNotes) for h in notes.handlers):
        notes.addHandler(_StderrNotes())


class _StderrNotes(logging.Handler):
    """Each record as `mmad: MESSAGE` on the current sys.stderr (looked up each time: tests swap it)."""

    def emit(self, record: logging.LogRecord) -> None:
        print(f"mmad: {record.getMessage()}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
