"""An MMA-52-sized project for benchmarks and scale tests: the real train and validation ids and
ground truth, three simulated annotators who finished every clip, one reviewer; no media.

Built with four bulk imports (Store.import_bulk, one transaction each), so the 6,016 clips and
about 55,000 segments of the full size take seconds on SQLite or PostgreSQL. Subjects are made
up (40 clips each): the official files do not name them, and a split needs several.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path

from annotator.formats import read_annotations
from annotator.formats.records import AnnotationSet
from annotator.model import GROUND_TRUTH, Role, Subset
from annotator.progress import Progress, no_progress
from annotator.project import Project
from annotator.store.api import BulkImport, NewClip, NewSegment
from annotator.synthetic.demo import ANNOTATORS, REVIEWER
from annotator.synthetic.simulate import NOISE_LEVELS, simulate_annotators
from annotator.taxonomy import load_taxonomy

SPLITS = (("train.csv", Subset.TRAIN), ("val.csv", Subset.VAL))
CLIPS_PER_SUBJECT = 40


@dataclass(frozen=True, slots=True)
class ScaleReport:
    """What build_scale_project made."""

    project: Path
    clips: int
    truth_instances: int
    annotator_segments: int
    seconds: float


def mma52_truth(data_dir: Path, limit: int | None = None) -> AnnotationSet:
    """Train then validation ground truth of the real MMA-52 files, subsets set; the first `limit` clips."""
    taxonomy = load_taxonomy("mma52")
    out = AnnotationSet()
    for file_name, subset in SPLITS:
        part = read_annotations(data_dir / file_name, "mma52-csv", taxonomy)
        for name, video in part.videos.items():
            out.videos[name] = replace(video, subset=str(subset))
        out.instances.extend(part.instances)
    if limit is not None:
        keep = set(list(out.videos)[:limit])
        out.videos = {n: v for n, v in out.videos.items() if n in keep}
        out.instances = [i for i in out.instances if i.video_id in keep]
    return out


def _segments(aset: AnnotationSet) -> list[NewSegment]:
    return [NewSegment(i.video_id, i.start_frame, i.end_frame, i.action_id) for i in aset.instances]


def build_scale_project(path: Path, data_dir: Path, *, db_url: str | None = None, limit: int | None = None,
                        noise: str = "medium", seed: int = 1, progress: Progress = no_progress) -> ScaleReport:
    """Create the project at `path` (database: the folder's SQLite file, or `db_url`) and fill it."""
    started = time.perf_counter()
    truth = mma52_truth(data_dir, limit)
    project = Project.create(path, name=Path(path).name, db_url=db_url)
    works = simulate_annotators(truth, project.taxonomy, NOISE_LEVELS[noise], seed)
    names = list(truth.videos)
    clips = [NewClip(name, f"S{k // CLIPS_PER_SUBJECT:03d}", v.fps, v.total_frames,
                     subset=Subset(v.subset) if v.subset else None) for k, (name, v) in enumerate(truth.videos.items())]
    store = project.open_store()
    try:
        for name in ANNOTATORS:
            store.add_annotator(name, Role.ANNOTATOR)
        store.add_annotator(REVIEWER, Role.REVIEWER)
        progress(0.1, f"importing {len(clips)} clips and their ground truth")
        store.import_bulk(BulkImport(author=GROUND_TRUTH, new_clips=clips, subsets={}, clip_names=names,
                                     segments=_segments(truth), note={"source": "MMA-52 scale project"}))
        for k, (name, work) in enumerate(zip(ANNOTATORS, works, strict=True)):
            progress(0.3 + 0.2 * k, f"importing {name}'s work")
            store.import_bulk(BulkImport(author=name, new_clips=[], subsets={}, clip_names=names,
                                         segments=_segments(work), mark_done_for=name,
                                         note={"source": f"simulated annotator ({noise} noise)", "seed": seed}))
    finally:
        store.close()
    progress(1.0, "scale project ready")
    return ScaleReport(project.path, len(names), len(truth.instances), sum(len(w.instances) for w in works),
                       time.perf_counter() - started)
