"""Edits through the commands the app uses, for the kill loop, the 4-writer test and bench/.

Shared counters: every worker moves the end of the same few segments one frame on
(EditSegment, version-checked); with no lost update, each counter's end has moved by
exactly the number of acknowledged moves. Private families: each worker splits and joins
its own segment (SplitSegment / JoinSegments and their undo), so a half-applied compound
edit shows as a gap or an overlap inside the family's 60 frames.
"""

from __future__ import annotations

import multiprocessing
import os
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from annotator.commands import AddSegment, EditSegment, JoinSegments, SplitSegment
from annotator.errors import ConflictError
from annotator.model import GROUND_TRUTH, Segment
from annotator.project import Project
from annotator.store.api import NewClip, StoreAPI

CLIP = "load_s1"
FRAMES = 400_000
COUNTERS = 8
COUNTER_START, COUNTER_LENGTH = 100, 30  # counter k spans [k*20_000 + 100, ... + 30 + moves]
FAMILY = 60  # frames of one private family: whole [s, s+60] or split at s+30
WHOLE = "whole"
SPLIT = "split"


def make_project(folder: Path, db_url: str | None = None) -> None:
    """A project with one long clip and the shared counter segments (owner's ground truth)."""
    project = Project.create(folder, db_url=db_url)
    store = project.open_store()
    try:
        (clip,) = store.add_clips([NewClip(CLIP, "s1", 30.0, FRAMES)])
        for k in range(COUNTERS):
            start = k * 20_000 + COUNTER_START
            store.add_segment(Segment(None, clip.id, GROUND_TRUTH, start, start + COUNTER_LENGTH, 3))
    finally:
        store.close()


def family_start(worker: int, family: int) -> int:
    """First frame of a worker's private family (clear of the counters and of other workers)."""
    return 160_000 + worker * 5_000 + family * (FAMILY + 10)


def family_bounds(start: int, state: str) -> list[tuple[int, int]]:
    """The live segments of a family in a state."""
    return [(start, start + FAMILY)] if state == WHOLE else [(start, start + 30), (start + 30, start + FAMILY)]


@dataclass
class Family:
    """One private segment split and joined back through the commands (and their undo)."""

    store: StoreAPI
    start: int
    clip_id: int
    state: str = WHOLE

    def __post_init__(self) -> None:
        add = AddSegment(Segment(None, self.clip_id, GROUND_TRUTH, self.start, self.start + FAMILY, 5))
        add.do(self.store)
        assert add.segment is not None
        self._whole = add.segment
        self._split: SplitSegment | None = None
        self._join: JoinSegments | None = None

    def step(self, n: int) -> str:
        """The n-th edit of the cycle split, join, undo join, redo join, undo join, undo split; the new state."""
        kind = n % 6
        if kind == 0:
            self._split = SplitSegment(self._whole, self.start + 30, fps=30.0)
            self._split.do(self.store)
        elif kind == 1:
            left, right = self._halves()
            self._join = JoinSegments(left, right)
            self._join.do(self.store)
        elif kind in (2, 4):
            assert self._join is not None
            self._join.undo(self.store)
        elif kind == 3:
            assert self._join is not None
            self._join.do(self.store)
        else:
            assert self._split is not None
            self._split.undo(self.store)
            self._whole = self._live()[0]
        self.state = SPLIT if kind in (0, 2, 4) else WHOLE
        return self.state

    def _live(self) -> list[Segment]:
        mine = [s for s in self.store.segments(self.clip_id, GROUND_TRUTH)
                if self.start <= s.start_frame < self.start + FAMILY]
        return sorted(mine, key=lambda s: s.start_frame)

    def _halves(self) -> tuple[Segment, Segment]:
        left, right = self._live()
        return left, right


def kill_child(folder: Path, worker: int, write_fd: int) -> None:
    """Forked child of the kill loop: families split and joined forever, one line per acknowledged edit."""
    store = Project.open(folder).open_store()
    clip = store.clip_by_name(CLIP)
    assert clip is not None
    out = os.fdopen(write_fd, "w", buffering=1)
    family = 0
    while True:
        fam = Family(store, family_start(worker, family), clip.id)
        out.write(f"{fam.start} {WHOLE}\n")
        for n in range(6):
            out.write(f"{fam.start} {fam.step(n)}\n")
        family += 1


def stored_families(store: StoreAPI) -> dict[int, list[tuple[int, int]]]:
    """Live private segments grouped by the family they start in."""
    clip = store.clip_by_name(CLIP)
    assert clip is not None
    out: dict[int, list[tuple[int, int]]] = {}
    for s in store.segments(clip.id, GROUND_TRUTH):
        if s.start_frame >= 160_000:
            base = 160_000 + (s.start_frame - 160_000) // 5_000 * 5_000
            fam = base + (s.start_frame - base) // (FAMILY + 10) * (FAMILY + 10)
            out.setdefault(fam, []).append((s.start_frame, s.end_frame))
    return {k: sorted(v) for k, v in out.items()}


@dataclass
class WorkerResult:
    """What one concurrent worker saw."""

    acknowledged: int = 0
    conflicts: int = 0
    failures: list[str] = field(default_factory=list)
    moves: Counter[int] = field(default_factory=Counter)  # counter index -> acknowledged moves
    families: dict[int, str] = field(default_factory=dict)  # family start -> last acknowledged state


def concurrent_worker(folder: str, worker: int, edits: int) -> WorkerResult:
    """`edits` edits: three in four move a shared counter's end, one in four splits or joins a family."""
    rng = random.Random(worker)
    result = WorkerResult()
    store = Project.open(folder).open_store()
    try:
        clip = store.clip_by_name(CLIP)
        assert clip is not None
        fam = Family(store, family_start(worker, 0), clip.id)
        result.families[fam.start] = WHOLE
        step = 0
        for n in range(edits):
            try:
                if n % 4 == 3:
                    result.families[fam.start] = fam.step(step)
                    step += 1
                else:
                    k = rng.randrange(COUNTERS)
                    _move_counter(store, clip.id, k)
                    result.moves[k] += 1
                result.acknowledged += 1
            except ConflictError:
                result.conflicts += 1
            except Exception as exc:  # noqa: BLE001 -- every other exception is a failure to report
                result.failures.append(f"{type(exc).__name__}: {exc}")
    finally:
        store.close()
    return result


def _move_counter(store: StoreAPI, clip_id: int, k: int) -> None:
    start = k * 20_000 + COUNTER_START
    seg = next(s for s in store.segments(clip_id, GROUND_TRUTH) if s.start_frame == start)
    EditSegment(seg, end_frame=seg.end_frame + 1).do(store)


def run_concurrently(folder: Path, workers: int, edits: int) -> list[WorkerResult]:
    """The workers as forked processes, all at once."""
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return pool.starmap(concurrent_worker, [(str(folder), w, edits) for w in range(workers)])


def counter_ends(store: StoreAPI) -> dict[int, int]:
    """Counter index -> how far its end moved."""
    clip = store.clip_by_name(CLIP)
    assert clip is not None
    ends = {s.start_frame: s.end_frame for s in store.segments(clip.id, GROUND_TRUTH)}
    return {k: ends[k * 20_000 + COUNTER_START] - (k * 20_000 + COUNTER_START + COUNTER_LENGTH)
            for k in range(COUNTERS)}
