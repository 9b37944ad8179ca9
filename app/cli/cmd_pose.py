"""`mmad pose PROJECT [CLIP …]`: MediaPipe landmarks of a project's clips, cached in the project.

mediapipe is imported only when a clip has to be computed, so `mmad --help` stays fast.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.errors import InputError
from app.cli.identity import add_as_option, open_store
from app.cli.parallel import add_parallel_options, describe, shard_of_args, workers_of_args
from app.cli.progress_bar import TerminalProgress

if TYPE_CHECKING:
    from annotator.project import Project  # imported in _run: `mmad --help` loads no database code


def _clips(project: Project, names: list[str], args: argparse.Namespace) -> list[tuple[str, Path]]:
    """(name, media path) of the named clips (default: all with media); InputError names an unknown one."""
    store = open_store(project, args)
    try:
        clips = {c.name: project.media_path(c) for c in store.clips()}
    finally:
        store.close()
    unknown = [n for n in names if n not in clips]
    if unknown:
        raise InputError(str(project.path), f"clip {unknown[0]!r}", "no such clip in the project")
    wanted = names or sorted(clips)
    return [(n, p) for n in wanted if (p := clips[n]) is not None]


def _run(args: argparse.Namespace) -> int:
    from annotator.project import Project
    from inference.pose.cache import ClipPose, pose_for_clips

    project = Project.open(args.project)
    shard = shard_of_args(args)
    every = _clips(project, list(args.clips), args)
    clips = shard.pick(every, lambda c: c[0])
    workers = workers_of_args(args, project.path)
    print(f"pose of {describe(len(clips), shard, len(every), workers)}", file=sys.stderr)
    bar = TerminalProgress()
    results: list[ClipPose] = []
    interrupted = False
    try:
        results.extend(pose_for_clips(project.path, clips, progress=bar, workers=workers))
    except KeyboardInterrupt:  # Ctrl+C: the pool stopped its workers; every finished clip is cached
        interrupted = True
    finally:
        bar.close()
    failed = 0
    for r in results:
        if not r.ok:
            failed += 1
            print(f"{r.clip_name}: error: {r.error}")
            continue
        source = "cached" if r.cached else f"{r.ms_per_frame:.1f} ms/frame"
        print(f"{r.clip_name}: {r.frames} frames, person in {100 * r.present_share:.0f}% ({source})")
    print(f"pose of {len(results) - failed} of {len(clips)} clips in {project.path / 'pose'}")
    if interrupted:
        print(f"mmad pose: interrupted; the {len(results) - failed} finished clips are kept, run it again "
              "for the rest", file=sys.stderr)
        return 130
    return 2 if failed else 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `mmad pose`."""
    p = sub.add_parser("pose", help="MediaPipe pose landmarks of a project's clips (cached in PROJECT/pose)",
                       description="MediaPipe pose landmarks of a project's clips, cached in PROJECT/pose for the "
                                   "pose backbone (mmad train --backbone pose) and the app's proposals; clips "
                                   "already cached are skipped.")
    p.add_argument("project", help="project folder")
    p.add_argument("clips", nargs="*", metavar="CLIP", help="clip names (default: every clip with media)")
    add_parallel_options(p)
    add_as_option(p)
    p.set_defaults(func=_run)
