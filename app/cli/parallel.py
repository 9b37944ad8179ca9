"""`--workers N` and `--shard K/N`, shared by `mmad pose`, `mmad predict` and `mmad import-clips`."""

from __future__ import annotations

import argparse
from pathlib import Path

from annotator.app_hold import open_in_app_here
from annotator.errors import InputError
from annotator.shards import Shard, parse_shard
from annotator.work_pool import cores

WORKERS_HELP = ("worker processes (default: this machine's cores, one fewer while the app has the project "
                "open here)")
SHARD_HELP = ("do only part K of N (K from 0): a clip's part follows from its name, so N machines sharing the "
              "project each run one part with no other coordination, e.g. --shard $SLURM_ARRAY_TASK_ID/16")


def add_parallel_options(parser: argparse.ArgumentParser) -> None:
    """Add --workers and --shard."""
    parser.add_argument("--workers", type=int, default=None, metavar="N", help=WORKERS_HELP)
    parser.add_argument("--shard", default="0/1", metavar="K/N", help=SHARD_HELP)


def shard_of_args(args: argparse.Namespace) -> Shard:
    """The --shard the command was given (InputError when it is not K/N)."""
    return parse_shard(str(args.shard))


def workers_of_args(args: argparse.Namespace, project_dir: str | Path | None) -> int:
    """--workers, or the default: every core, less one while the app has the project open here."""
    if args.workers is not None:
        if args.workers < 1:
            raise InputError("--workers", str(args.workers), "give at least 1 worker")
        return int(args.workers)
    spare = 1 if project_dir is not None and open_in_app_here(project_dir) else 0
    return max(cores() - spare, 1)


def describe(done: int, shard: Shard, total: int, workers: int) -> str:
    """'24 clips (shard 3/16 of 390) with 4 workers'."""
    part = f" (shard {shard} of {total})" if shard.count > 1 else ""
    return f"{done} clips{part} with {workers} worker{'s' if workers != 1 else ''}"
