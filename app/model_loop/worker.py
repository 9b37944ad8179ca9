"""The worker process: `python -m app.model_loop.worker JOB_FILE` runs one job and reports on stdout.

The job file is JSON with "job": "propose" | "train". Every report is a protocol line; the
last one is "result", "error" (one clear line) or "cancelled". Reading "cancel" (or the end
of input) on stdin cancels the job at its next check.
"""

from __future__ import annotations

import json
import sys
import threading
import traceback
from pathlib import Path
from typing import Any, TextIO

from annotator.errors import Cancelled, InputError
from annotator.progress import CancelToken
from app.model_loop import protocol

JOBS = ("propose", "train")


def _listen(stream: TextIO, token: CancelToken) -> None:
    for line in stream:
        if line.strip() == protocol.CANCEL:
            break
    token.cancel()  # "cancel", or the window went away


def run_job(job: dict[str, Any], out: TextIO, cancel: CancelToken) -> int:
    """Run one job, writing protocol lines to `out`; the exit status (0 done, 1 failed, 3 cancelled)."""
    lock = threading.Lock()

    def emit(kind: str, **data: Any) -> None:
        with lock:
            out.write(protocol.encode(kind, **data))
            out.flush()

    from app.model_loop import jobs  # torch comes in here, after the window already has its answer pipe

    work = {"propose": jobs.propose, "train": jobs.train_version}.get(job.get("job", ""))
    try:
        if work is None:
            raise InputError("job", "job", f"unknown job {job.get('job')!r} (one of {', '.join(JOBS)})")
        emit(protocol.RESULT, data=work(job, emit, cancel))
    except Cancelled:
        emit(protocol.CANCELLED)
        return 3
    except (InputError, OSError, ValueError) as exc:
        emit(protocol.ERROR, message=str(exc))
        return 1
    except Exception as exc:  # noqa: BLE001 - the window shows every failure as one message
        traceback.print_exc(file=sys.stderr)
        emit(protocol.ERROR, message=f"{type(exc).__name__}: {exc}")
        return 1
    return 0


def main(argv: list[str]) -> int:
    """Entry point of the worker process."""
    if len(argv) != 1:
        print("usage: python -m app.model_loop.worker JOB_FILE", file=sys.stderr)
        return 2
    try:
        job = json.loads(Path(argv[0]).read_text("utf-8"))
    except (OSError, ValueError) as exc:
        sys.stdout.write(protocol.encode(protocol.ERROR, message=f"{argv[0]}: cannot read the job: {exc}"))
        return 1
    token = CancelToken()
    threading.Thread(target=_listen, args=(sys.stdin, token), daemon=True).start()
    return run_job(job, sys.stdout, token)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
