"""The worker process: `python -m app.model_loop.worker JOB_FILE` runs one job and reports on stdout.

The job file is JSON with "job": "propose" | "train" | "pose" (app.model_loop.records). Every report is a protocol line; the
last one is "result", "error" (one clear line) or "cancelled". Reading "cancel" (or the end
of input) on stdin cancels the job at its next check.

`python -m app.model_loop.worker --warm` is the prewarmed form (app/model_loop/warm.py starts
it while the window is idle): it imports torch and the job modules first, at low priority,
says "ready", then reads the job file's path as its first stdin line, answers "accepted" and
runs that one job as above. End of input before a job ends it quietly.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import threading
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from annotator.errors import Cancelled, InputError
from annotator.progress import CancelToken, Progress
from app.model_loop import protocol

if TYPE_CHECKING:
    from app.model_loop.records import PoseSpec

JOBS = ("propose", "train", "pose")
# What the jobs import before any work (torch and MediaPipe among them): about 3 s of a cold start.
WARM_MODULES = ("app.model_loop.jobs", "app.model_loop.proposing", "inference.checkpoint", "inference.predict", "inference.train",
                "inference.configs", "inference.data", "inference.pose.data", "inference.calibration",
                "inference.evaluate", "inference.pose.extract", "mediapipe.tasks.python.vision")
WARM_NICE = 19  # the imports run while the user works in the window: they yield to it


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

    def progress(fraction: float, message: str) -> None:
        emit(protocol.PROGRESS, fraction=fraction, message=message)

    try:
        emit(protocol.RESULT, data=_work(job, progress, lambda record: emit(protocol.EPOCH, record=record), cancel))
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


def _work(job: dict[str, Any], progress: Any, on_epoch: Any, cancel: CancelToken) -> dict[str, Any]:
    """Run the job the record names; its result as plain data."""
    from app.model_loop import records  # no torch: the job modules import it inside their functions

    kind = job.get("job")
    if kind == records.TRAIN:
        from app.model_loop.jobs import train_version  # torch comes in with the work

        spec = records.TrainSpec.from_json(job)
        return train_version(spec, progress, cancel, on_epoch=on_epoch,
                             say=lambda line: progress(0.0, line)).to_json()
    if kind == records.PROPOSE:
        from app.model_loop.proposing import propose_clips

        ask = records.ProposeSpec.from_json(job)
        return propose_clips(ask.checkpoint, ask.version, ask.clips, device=ask.device,
                             pose_cache=Path(ask.project) if ask.project else None, progress=progress,
                             cancel=cancel).to_json()
    if kind == records.POSE:
        return _pose(records.PoseSpec.from_json(job), progress, cancel)
    raise InputError("job", "job", f"unknown job {kind!r} (one of {', '.join(JOBS)})")


def _pose(ask: PoseSpec, progress: Progress, cancel: CancelToken) -> dict[str, Any]:
    """The pose job: each clip's landmarks from the cache or extracted into it; per clip, its frames
    and the share of them with a person (the window reads the track from the cache), or with
    keep_going its one-line error."""
    from inference.pose.cache import pose_for_clip
    from inference.pose.model_file import POSE_TASK

    if ask.niceness > 0 and hasattr(os, "nice"):
        os.nice(ask.niceness)  # this process runs this one job: the window and its decoders go first
    done: list[dict[str, Any]] = []
    count = len(ask.clips)
    for i, (name, media) in enumerate(ask.clips):
        def part(fraction: float, message: str, i: int = i) -> None:
            progress((i + fraction) / count, message)

        try:
            track = pose_for_clip(ask.cache_dir, name, media, ask.model or POSE_TASK, progress=part, cancel=cancel)
        except (InputError, OSError) as exc:
            if not ask.keep_going:
                raise
            done.append({"clip": name, "error": str(exc)})
            continue
        done.append({"clip": name, "frames": int(track.frames), "present": float(track.present.mean()) if track.frames else 0.0})
    return {"clips": done}


def import_quietly(modules: tuple[str, ...] = WARM_MODULES) -> None:
    """Import `modules` on a thread of the lowest priority; raises what an import raised."""
    failed: list[BaseException] = []

    def load() -> None:
        try:
            if sys.platform == "linux":  # Linux keeps a nice value per thread: the job (main thread) runs at normal priority
                os.setpriority(os.PRIO_PROCESS, 0, WARM_NICE)
            for name in modules:
                importlib.import_module(name)
        except BaseException as exc:  # noqa: BLE001 - re-raised on the main thread
            failed.append(exc)

    thread = threading.Thread(target=load, name="warm-imports")
    thread.start()
    thread.join()
    if failed:
        raise failed[0]


def warm_main() -> int:
    """`worker --warm`: import first, then run the job whose file path is the first stdin line."""
    import_quietly()  # an import that fails ends the process: the window then starts the job cold
    sys.stdout.write(protocol.encode(protocol.READY))
    sys.stdout.flush()
    path = sys.stdin.readline().strip()
    if not path:
        return 0  # end of input: the window stopped its spare worker, or went away
    sys.stdout.write(protocol.encode(protocol.ACCEPTED))
    sys.stdout.flush()
    return main([path])


def main(argv: list[str]) -> int:
    """Entry point of the worker process."""
    if argv == ["--warm"]:
        return warm_main()
    if len(argv) != 1:
        print("usage: python -m app.model_loop.worker JOB_FILE | --warm", file=sys.stderr)
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
    code = main(sys.argv[1:])
    sys.stdout.flush()
    sys.stderr.flush()
    # Every line is written and every file closed: skip the interpreter's teardown with torch and
    # MediaPipe loaded (a second or more on a busy machine), which a window closing waits for.
    os._exit(code)
