"""Build a ready demo project: synthetic clips with media, ground truth kept aside, three
annotators' simulated work on part of the clips, and one reviewer."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from annotator.formats import write_annotations
from annotator.formats.records import AnnotationSet
from annotator.model import GROUND_TRUTH, AssignmentState, Role
from annotator.progress import CancelToken, Progress, no_progress
from annotator.project import Project
from annotator.store.api import BulkImport, NewClip, NewSegment
from annotator.synthetic.dataset import GROUND_TRUTH_FILE, ground_truth, plan_dataset, render_dataset
from annotator.synthetic.simulate import NOISE_LEVELS, simulate_annotators

ANNOTATORS = ("annotator1", "annotator2", "annotator3")
REVIEWER = "reviewer"
# Share of clips in each state of work: done by all three, by two (third half-way), by one
# (one half-way, one not started), untouched.
WORK_SHARES = (("all", 0.4), ("two", 0.25), ("one", 0.15), ("none", 0.2))


@dataclass(frozen=True, slots=True)
class DemoReport:
    """What `build_demo` made, with its wall time and size on disk."""

    project: Path
    subjects: int
    clips: int
    instances: int
    done: dict[str, int]  # clips each annotator has finished
    in_progress: dict[str, int]
    seconds: float
    bytes_on_disk: int

    def lines(self) -> list[str]:
        """A short human summary."""
        done = ", ".join(f"{n} {self.done[n]} done/{self.in_progress[n]} in progress" for n in ANNOTATORS)
        return [
            f"demo project {self.project}: {self.subjects} subjects, {self.clips} clips, "
            f"{self.instances} ground-truth instances",
            f"annotators: {done}; reviewer: {REVIEWER}",
            f"built in {self.seconds:.1f} s, {self.bytes_on_disk / 2**20:.1f} MiB on disk",
        ]


def work_plan(n_clips: int, seed: int) -> dict[str, dict[int, AssignmentState]]:
    """For each annotator, the state of each clip index it has touched (absent: todo)."""
    rng = np.random.default_rng([seed, 77])
    order = rng.permutation(n_clips)
    counts = [int(round(share * n_clips)) for _, share in WORK_SHARES]
    plan: dict[str, dict[int, AssignmentState]] = {name: {} for name in ANNOTATORS}
    start = 0
    for (kind, _), count in zip(WORK_SHARES, counts, strict=True):
        for clip in order[start:start + count].tolist():
            who = list(rng.permutation(ANNOTATORS))
            if kind == "all":
                states = [AssignmentState.DONE] * 3
            elif kind == "two":
                states = [AssignmentState.DONE, AssignmentState.DONE, AssignmentState.IN_PROGRESS]
            elif kind == "one":
                states = [AssignmentState.DONE, AssignmentState.IN_PROGRESS, AssignmentState.TODO]
            else:
                states = [AssignmentState.TODO] * 3
            for name, state in zip(who, states, strict=True):
                if state != AssignmentState.TODO:
                    plan[str(name)][clip] = state
        start += count
    return plan


def _segments(work: AnnotationSet, names: Sequence[str], half: dict[str, int] | None = None) -> list[NewSegment]:
    """The work's segments on the named clips; with `half`, only those starting in the first half."""
    wanted = set(names)
    return [NewSegment(i.video_id, i.start_frame, i.end_frame, i.action_id) for i in work.instances
            if i.video_id in wanted and (half is None or i.start_frame < half[i.video_id])]


def _disk_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def build_demo(path: Path, subjects: int = 6, clips_per_subject: int = 4, seed: int = 0,
               size: tuple[int, int] = (320, 240), *, noise: str = "medium",
               progress: Progress = no_progress, cancel: CancelToken | None = None) -> DemoReport:
    """Create a demo project at `path` (refused if a project exists there) and fill it."""
    started = time.perf_counter()
    specs = plan_dataset(subjects, clips_per_subject, seed, size)
    project = Project.create(path, name=Path(path).name)
    render_dataset(project.media_dir, specs, lambda f, m: progress(0.9 * f, m), cancel)
    truth = ground_truth(specs)
    write_annotations(truth, project.path / GROUND_TRUTH_FILE, "mma52-csv", project.taxonomy)
    progress(0.92, "writing the project database")
    works = simulate_annotators(truth, project.taxonomy, NOISE_LEVELS[noise], seed)
    plan = work_plan(len(specs), seed)
    names = [s.video_id for s in specs]
    half = {s.video_id: s.frame_count // 2 for s in specs}
    store = project.open_store()
    try:
        for name in ANNOTATORS:
            store.add_annotator(name, Role.ANNOTATOR)
        store.add_annotator(REVIEWER, Role.REVIEWER)
        store.import_bulk(BulkImport(
            author=GROUND_TRUTH, subsets={}, clip_names=names,
            new_clips=[NewClip(s.video_id, s.subject, s.fps, s.frame_count, s.width, s.height,
                               media_path=f"{s.video_id}.mp4") for s in specs],
            segments=_segments(truth, names), note={"source": "synthetic demo", "seed": seed}))
        ids = {c.name: c.id for c in store.clips()}
        store.assign_many(list(ids.values()), list(ANNOTATORS))
        for (name, states), work in zip(plan.items(), works, strict=True):
            done = [names[k] for k, st in sorted(states.items()) if st == AssignmentState.DONE]
            going = [names[k] for k, st in sorted(states.items()) if st == AssignmentState.IN_PROGRESS]
            note = {"source": f"simulated annotator ({noise} noise)", "seed": seed}
            if done:
                store.import_bulk(BulkImport(author=name, new_clips=[], subsets={}, clip_names=done,
                                             segments=_segments(work, done), mark_done_for=name, note=note))
            if going:
                store.import_bulk(BulkImport(author=name, new_clips=[], subsets={}, clip_names=going,
                                             segments=_segments(work, going, half), note=note))
                for clip_name in going:
                    store.set_assignment_state(ids[clip_name], name, AssignmentState.IN_PROGRESS)
    finally:
        store.close()
    progress(1.0, "demo project ready")
    return DemoReport(
        project=project.path, subjects=subjects, clips=len(specs), instances=len(truth.instances),
        done={n: sum(st == AssignmentState.DONE for st in plan[n].values()) for n in ANNOTATORS},
        in_progress={n: sum(st == AssignmentState.IN_PROGRESS for st in plan[n].values()) for n in ANNOTATORS},
        seconds=time.perf_counter() - started, bytes_on_disk=_disk_bytes(project.path))
