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

from annotator.errors import (
    Cancelled,
    ConflictError,
    DamagedDatabase,
    InputError,
    PermissionDenied,
    RuleViolation,
    StoreBusy,
    one_line,
)
from app.cli import cmd_backup, cmd_demo, cmd_merge, cmd_model, cmd_models, cmd_pose, cmd_project, cmd_team
from app.collector import collect_less
from app.logs import configure_logging

# Each module exposes register(subparsers); a parser sets `func(args) -> int`.
COMMAND_MODULES = (cmd_project, cmd_team, cmd_demo, cmd_merge, cmd_model, cmd_models, cmd_pose, cmd_backup)
EXIT_FAILED = 1  # the operation failed: a file the system refused, a damaged database
EXIT_INPUT = 2  # bad input or a refused edit
MESSAGE_LIMIT = 1500  # characters of one error line (InputError's parts are bounded already)
EXIT_BUSY = 75  # the database stayed locked by another program (EX_TEMPFAIL: try again)
URL_PASSWORD = re.compile(r"(://[^:/@\s]*:)\S*@")  # a password inside a database URL
QUERY_PASSWORD = re.compile(r"([?&]password=)[^&\s]*", re.IGNORECASE)  # libpq's ?password=
_NEGATIVE_VALUE = re.compile(r"^-[\d.]")  # a value such as -1,1,1 or -.5, never an option's name


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="mmad", description="MMAD Studio command line")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand; bad input exits 2, a failed operation 1, a locked database 75, each with
    one line on stderr; a closed pipe (`mmad … | head`) ends quietly."""
    try:
        try:
            with collect_less():  # a whole-project command makes many objects at once
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


def _valued_options(parser: argparse.ArgumentParser) -> set[str]:
    """Every option string of every subcommand that takes a value (not a flag)."""
    subparsers = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    found: set[str] = set()
    for command in (p for action in subparsers for p in action.choices.values()):
        found.update(s for a in command._actions if a.option_strings and a.nargs != 0 for s in a.option_strings)
    return found


def _glue_negative_values(argv: list[str], valued: set[str]) -> list[str]:
    """`--ratios -1,1,1` as `--ratios=-1,1,1`: argparse takes a value starting with '-' (other than a
    plain negative number) for an option and says "expected one argument" instead of checking it."""
    out: list[str] = []
    for word in argv:
        if out and out[-1] in valued and _NEGATIVE_VALUE.match(word):
            out[-1] = f"{out[-1]}={word}"
        else:
            out.append(word)
    return out


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(_glue_negative_values(list(sys.argv[1:] if argv is None else argv),
                                                   _valued_options(parser)))
    configure_logging()
    log = logging.getLogger("mmad.cli")
    log.info("mmad %s", without_passwords(" ".join(sys.argv[1:] if argv is None else argv)))
    _show_connection_notes()
    args.argv = list(argv) if argv is not None else sys.argv[1:]  # `train --nproc` hands it to torchrun
    try:
        return int(args.func(args) or 0)
    except DamagedDatabase as exc:
        return _fail(log, args.command, "error", exc, EXIT_FAILED)
    except (InputError, RuleViolation, PermissionDenied, ConflictError) as exc:
        return _fail(log, args.command, "error", exc, EXIT_INPUT)
    except StoreBusy as exc:
        return _fail(log, args.command, "busy", exc, EXIT_BUSY)
    except Cancelled:
        log.info("mmad %s: cancelled", args.command)
        print(f"mmad {args.command}: cancelled", file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        log.info("mmad %s: interrupted", args.command)
        print(f"mmad {args.command}: interrupted", file=sys.stderr)
        return 130
    except OSError as exc:  # a file or folder the system refused mid-way (disk full, /proc, a lost mount)
        log.exception("mmad %s failed", args.command)
        return _fail(log, args.command, "error", _os_error_line(exc), EXIT_FAILED)
    except Exception as exc:
        damaged = _damaged(args, exc)
        if damaged is None:
            raise
        return _fail(log, args.command, "error", damaged, EXIT_FAILED)


def _fail(log: logging.Logger, command: str, kind: str, exc: BaseException | str, code: int) -> int:
    """Log and print the one line of a failed command; a message already naming the command
    (`InputError("mmad predict", …)`) is not prefixed twice."""
    prefix = f"mmad {command}: "
    message = one_line(str(exc), MESSAGE_LIMIT).removeprefix(prefix)  # an OS's file name may hold a line break
    log.warning("%s%s", prefix, message)
    print(f"{prefix}{kind}: {message}", file=sys.stderr)
    return code


def _os_error_line(exc: OSError) -> str:
    """'FILE: problem' for an OSError (its own words when it names no file)."""
    problem = exc.strerror or str(exc) or type(exc).__name__
    return f"{exc.filename}: {problem}" if exc.filename else problem


def _damaged(args: argparse.Namespace, exc: Exception) -> DamagedDatabase | None:
    """A damaged-database error for an exception the database driver raised mid-command (None: another)."""
    from annotator.store.backups import damaged_database  # only on this path: --help loads no database code

    project = getattr(args, "project", None)
    return damaged_database(exc, project if isinstance(project, str | os.PathLike) else None)


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
