"""What proposals do to the annotations, on the demo: the with/without-proposals table.

Builds a demo project, splits it by subject, trains a model version (the app's worker job,
run in this process), proposes for every clip, then simulates three annotators labelling every
clip of a fresh study project: on control clips (a share per clip, as the app draws them)
they see nothing; elsewhere they see the version's proposals at its calibrated threshold and
accept those within --tolerance frames, fix the others (annotator.synthetic.assisted). Prints
`mmad agreement`'s table. Time per clip is not simulated (the store records it in the app).

    .venv/bin/python bench/bench_proposal_effect.py [--backbone pose] [--epochs 20] [--control 0.5]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from annotator.exporting import split_project  # noqa: E402
from annotator.model import GROUND_TRUTH, AssignmentState, Proposal, Role, Segment  # noqa: E402
from annotator.models_registry import REGISTRY_DIR, load_registry  # noqa: E402
from annotator.progress import CancelToken  # noqa: E402
from annotator.project import Project  # noqa: E402
from annotator.proposal_control import ControlSetting, set_control_setting  # noqa: E402
from annotator.store.api import BulkImport, NewClip, NewSegment  # noqa: E402
from annotator.synthetic.assisted import assisted_work, edge_moves  # noqa: E402
from annotator.synthetic.demo import ANNOTATORS, build_demo  # noqa: E402
from annotator.synthetic.simulate import NOISE_LEVELS, simulate_annotators  # noqa: E402
from app.cli.main import main as mmad  # noqa: E402
from app.model_loop.jobs import train_version  # noqa: E402
from app.model_loop.proposing import clip_ref, propose_clips  # noqa: E402
from app.model_loop.records import Guards, TrainSpec  # noqa: E402


def demo_with_model(folder: Path, args: argparse.Namespace) -> Project:
    """The demo project, split, with one trained version (the app's train job)."""
    build_demo(folder, subjects=args.subjects, clips_per_subject=args.clips, seed=args.seed)
    project = Project.open(folder)
    store = project.open_store()
    try:
        split_project(store, (0.5, 0.25, 0.25), seed=args.seed)
    finally:
        store.close()
    started = time.perf_counter()
    train_version(TrainSpec(project=str(folder), source=GROUND_TRUTH, backbone=args.backbone, epochs=args.epochs,
                            device="cpu", guards=Guards(train_anyway=True)), cancel=CancelToken())
    version = load_registry(folder).active_version()
    assert version is not None
    print(f"trained {version.label} in {time.perf_counter() - started:.0f} s: val mAP action/body/AVG "
          f"{version.val}, threshold {version.threshold:.3f} (F1 {version.threshold_f1})")
    return project


def study(demo: Project, folder: Path, args: argparse.Namespace) -> Path:
    """A fresh project over the demo's clips, every clip labelled by three simulated annotators."""
    version = load_registry(demo.path).active_version()
    assert version is not None
    src = demo.open_store()
    try:
        clips = src.clips()
        truth_segs = src.segments_by_clip(GROUND_TRUTH)
        jobs = [clip_ref(c, demo.media_path(c)) for c in clips]  # type: ignore[arg-type]
    finally:
        src.close()
    result = propose_clips(demo.path / version.checkpoint, version.name, jobs, pose_cache=demo.path).to_json()
    project = Project.create(folder, media_root=str(demo.media_dir.resolve()))
    shutil.copytree(demo.path / REGISTRY_DIR, folder / REGISTRY_DIR)
    setting = ControlSetting(args.control, args.seed)
    set_control_setting(folder, setting)
    store = project.open_store()
    try:
        for name in ANNOTATORS:
            store.add_annotator(name, Role.ANNOTATOR)
        names = [c.name for c in clips]
        store.import_bulk(BulkImport(GROUND_TRUTH, [NewClip(c.name, c.subject, c.fps, c.frame_count, c.width, c.height,
                                                            c.media_path, c.subset) for c in clips], {},
                                     [NewSegment(c.name, s.start_frame, s.end_frame, s.action_id)
                                      for c in clips for s in truth_segs.get(c.id, [])], clip_names=names))
        ids = {c.name: c.id for c in store.clips()}
        old_id = {c.name: c.id for c in clips}
        store.assign_many(list(ids.values()), list(ANNOTATORS))
        shown: dict[str, list[tuple[int, int, int]]] = {}
        for name in names:
            rows = result["proposals"].get(str(old_id[name]), [])
            store.add_proposals(ids[name], version.name, [Proposal(None, ids[name], version.name, s, e, a, p)
                                                          for s, e, a, p in rows])
            if not setting.is_control(name):
                shown[name] = [(s, e, a) for s, e, a, p in rows if p >= version.threshold]
        from annotator.exporting import export_set

        truth = export_set(store, GROUND_TRUTH)
        works = simulate_annotators(truth, store.taxonomy, NOISE_LEVELS[args.noise], args.seed)
        for who, own in zip(ANNOTATORS, works, strict=True):
            assisted = assisted_work(own, truth, shown, args.tolerance)
            for inst in assisted:
                store.add_segment(Segment(None, ids[inst.video_id], who, inst.start_frame, inst.end_frame,
                                          inst.action_id, inst.origin))
            for name in names:
                store.set_assignment_state(ids[name], who, AssignmentState.DONE)
            moves = edge_moves(assisted, shown)
            print(f"{who}: {len(assisted)} instances, edited ones moved {moves.mean() if len(moves) else 0:.1f} frames")
        control = sum(setting.is_control(n) for n in names)
        print(f"{len(names)} clips, {control} control; {sum(map(len, shown.values()))} proposals shown "
              f"at threshold {version.threshold:.3f}")
    finally:
        store.close()
    return folder


def main() -> int:
    """Build, train, simulate, report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backbone", default="videomae-tiny")
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--subjects", type=int, default=6)
    parser.add_argument("--clips", type=int, default=4, help="clips per subject")
    parser.add_argument("--control", type=float, default=0.5, help="share of control clips")
    parser.add_argument("--tolerance", type=int, default=3, help="frames within which a proposal is taken as is")
    parser.add_argument("--noise", default="medium", choices=list(NOISE_LEVELS))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", type=Path, default=None, help="build in this folder and keep it")
    parser.add_argument("--demo", type=Path, default=None,
                        help="a demo project that already has an active model version (skips building and training)")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="mmad-effect-"))
    root.mkdir(parents=True, exist_ok=True)
    demo = Project.open(args.demo) if args.demo else demo_with_model(root / "demo", args)
    folder = study(demo, root / "study", args)
    return mmad(["agreement", str(folder)])


if __name__ == "__main__":
    sys.exit(main())
