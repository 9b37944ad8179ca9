"""Benchmark of the pose detector against the tiny VideoMAE+DSTA detector (run by hand).

1. Generates one synthetic set (annotator.synthetic.generate_dataset), splits it by subject
   (the last --held-out subjects are only tested on), extracts pose once (ms per frame
   reported), and trains the pose detector and the tiny DSTA detector for the same number of
   epochs with the same recipe. For each: training time, held-out action / body / AVG
   Detection-mAP, and the recall at tIoU 0.5 of the proposals scoring at least the app's
   threshold (app.proposals.proposal_controller.DEFAULT_THRESHOLD, as `mmad predict --store`).
2. The event-loop delay of the annotation app while pose is extracted for the open clip: the
   lateness of a 10 ms QTimer (median, 99th percentile, max) while PoseController's background
   extraction runs on a freshly built one-clip demo project (offscreen Qt).

    OMP_NUM_THREADS=1 python bench/bench_pose.py [--epochs 30] [--subjects 8] [--clips 3] [--out DIR] [--reuse]

(One torch thread: on a loaded 2-core machine two threads were 30x slower per step.)
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from annotator.formats.records import PredictionRecord  # noqa: E402
from annotator.synthetic.dataset import generate_dataset, ground_truth, plan_dataset  # noqa: E402
from annotator.taxonomy import load_taxonomy  # noqa: E402
from inference.checkpoint import load_detector  # noqa: E402
from inference.configs import ModelConfig, TrainConfig, pose_preset, preset  # noqa: E402
from inference.data import ClipSample, find_videos, load_samples  # noqa: E402
from inference.evaluate import EvaluationReport, evaluate, tiou  # noqa: E402
from inference.pose.cache import cache_key, cache_path, load_cached  # noqa: E402
from inference.pose.data import load_pose_samples  # noqa: E402
from inference.predict import predict_frames  # noqa: E402
from inference.train import BEST, train  # noqa: E402

APP_THRESHOLD = 0.3  # app.proposals.proposal_controller.DEFAULT_THRESHOLD (not imported: no Qt here)


def recall_at(samples: list[ClipSample], preds: list[PredictionRecord], threshold: float, t: float = 0.5) -> float:
    """Share of ground-truth instances matched (same action, tIoU >= t) by a proposal scoring >= threshold."""
    found = total = 0
    for s in samples:
        mine = [p for p in preds if p.video_id == s.video_id and p.score >= threshold]
        for g in s.ground_truth():
            total += 1
            segs = np.array([(p.t_start, p.t_end) for p in mine if p.action_id == g.label]).reshape(-1, 2)
            found += bool(segs.size and tiou((g.t_start, g.t_end), segs).max() >= t)
    return found / max(total, 1)


def run(name: str, config: ModelConfig, recipe: TrainConfig, train_s: list[ClipSample],
        test_s: list[ClipSample], work: Path, reuse: bool) -> dict[str, float]:
    """Train, then evaluate the final EMA weights on the held-out clips."""
    taxonomy = load_taxonomy("mma52")
    timing = work / name / "train_seconds.txt"
    if reuse and timing.is_file() and (work / name / BEST).is_file():
        seconds = float(timing.read_text())  # trained by an earlier run of this bench on this set
    else:
        t0 = time.perf_counter()
        train(config, recipe, train_s, [], taxonomy, work / name, device="cpu", resume=False)
        seconds = time.perf_counter() - t0
        timing.write_text(f"{seconds:.1f}\n")
    model, _, _ = load_detector(work / name / BEST)
    preds = [p for s in test_s for p in predict_frames(model, s.video_id, s.frames, s.fps, s.total_frames)]
    report: EvaluationReport = evaluate([g for s in test_s for g in s.ground_truth()], preds, taxonomy)
    print(f"\n{name}: {recipe.epochs} epochs in {seconds:.0f} s; held-out Detection-mAP (%)\n{report.table()}")
    return {"train_s": seconds, "action": report.action.average, "body": report.body.average, "avg": report.avg,
            "recall@0.5": recall_at(test_s, preds, APP_THRESHOLD),
            "max_score": max((p.score for p in preds), default=0.0)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subjects", type=int, default=8)
    parser.add_argument("--clips", type=int, default=3, help="clips per subject")
    parser.add_argument("--held-out", type=int, default=2, help="subjects kept for testing")
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--out", default=None, help="working folder (default: a temporary one)")
    parser.add_argument("--reuse", action="store_true",
                        help="evaluate runs an earlier call left in --out (best.pt, train_seconds.txt) again")
    args = parser.parse_args()
    work = Path(args.out or tempfile.mkdtemp(prefix="bench_pose_"))
    taxonomy = load_taxonomy("mma52")
    if (work / "videos" / "ground_truth.csv").is_file():  # rendered by an earlier call: same plan, same clips
        aset = ground_truth(plan_dataset(args.subjects, args.clips, 0, (320, 240), seconds=(5.0, 8.0)))
    else:
        aset = generate_dataset(work / "videos", args.subjects, args.clips, seed=0, size=(320, 240),
                                seconds=(5.0, 8.0))
    subjects = sorted({v.subject for v in aset.videos.values() if v.subject})
    held = set(subjects[-args.held_out:])
    train_ids = [v for v, r in aset.videos.items() if r.subject not in held]
    test_ids = [v for v, r in aset.videos.items() if r.subject in held]
    videos = find_videos(list(aset.videos), work / "videos")
    print(f"synthetic set: {len(subjects)} subjects, {len(aset.videos)} clips, {len(aset.instances)} instances; "
          f"train {len(train_ids)} clips, test {len(test_ids)} clips of held-out subjects {sorted(held)}")

    pose = pose_preset(num_classes=len(taxonomy.actions))
    t0 = time.perf_counter()
    pose_train = load_pose_samples(aset, videos, pose, train_ids, work)
    pose_test = load_pose_samples(aset, videos, pose, test_ids, work)
    tracks = [load_cached(cache_path(work, v), cache_key(videos[v])) for v in aset.videos]
    ms = [t.ms_per_frame for t in tracks if t is not None]
    present = np.mean([t.present.mean() for t in tracks if t is not None])
    print(f"pose: {time.perf_counter() - t0:.0f} s for the set (0 when cached); ms per frame median "
          f"{np.median(ms):.1f} (range {min(ms):.1f}-{max(ms):.1f}); person found in {100 * present:.1f}% of frames")

    recipe = TrainConfig(epochs=args.epochs, batch_size=2, lr=1e-3, warmup_epochs=min(2, args.epochs / 4),
                         ema_decay=0.99, eval_every=10**6, seed=0)
    results = {"pose": run("pose-detector", pose, recipe, pose_train, pose_test, work, args.reuse)}
    tiny = preset("tiny", "dsta", num_classes=len(taxonomy.actions))
    results["tiny-dsta"] = run("tiny-dsta", tiny, recipe, load_samples(aset, videos, tiny, train_ids),
                               load_samples(aset, videos, tiny, test_ids), work, args.reuse)
    print(f"\nheld-out subjects, {args.epochs} epochs each; mAP averaged over tIoU 0.1:0.9 (%); "
          f"recall at tIoU 0.5 of proposals scoring >= {APP_THRESHOLD}")
    print(f"{'detector':<11}{'action':>8}{'body':>8}{'AVG':>8}{'train s':>9}{'recall':>8}{'max score':>10}")
    for name, r in results.items():
        print(f"{name:<11}{100 * r['action']:8.2f}{100 * r['body']:8.2f}{100 * r['avg']:8.2f}{r['train_s']:9.0f}"
              f"{100 * r['recall@0.5']:8.1f}{r['max_score']:10.2f}")
    p, d = results["pose"], results["tiny-dsta"]
    print(f"pose/DSTA: AVG mAP x{p['avg'] / max(d['avg'], 1e-9):.1f}, training time x{p['train_s'] / d['train_s']:.2f}")
    loop = event_loop_delay(work / "app")
    print(f"event-loop lateness during extraction ({loop['frames']} frames, {loop['seconds']:.0f} s): median "
          f"{loop['median_ms']:.1f} ms, p99 {loop['p99_ms']:.1f} ms, max {loop['max_ms']:.1f} ms")
    (work / "bench_pose.json").write_text(json.dumps({"ms_per_frame": ms, **results, "event_loop": loop},
                                                     indent=1))
    return 0


def event_loop_delay(folder: Path) -> dict[str, float]:
    """Open a one-clip demo project in the app and time a 10 ms timer while its pose is extracted."""
    import os
    import shutil

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    from annotator.project import Project
    from annotator.synthetic.demo import build_demo
    from app.event_loop_probe import LatenessProbe
    from app.launch import build_window
    from app.settings import AppSettings

    shutil.rmtree(folder, ignore_errors=True)
    build_demo(folder, subjects=1, clips_per_subject=1)
    app = QApplication.instance() or QApplication([])
    window = build_window(Project.open(folder), "annotator1", AppSettings(str(folder / "settings.ini")))
    window.show()
    probe = LatenessProbe()
    done = QEventLoop()
    window.pose.poseReady.connect(lambda _t: done.quit())  # type: ignore[union-attr]
    began = time.perf_counter()
    probe.start()
    store = Project.open(folder).open_store()
    clip_id = store.clips()[0].id
    store.close()
    window.open_clip_id(clip_id)  # type: ignore[arg-type]
    done.exec()
    probe.stop()
    seconds = time.perf_counter() - began
    frames = window.pose.track.frames  # type: ignore[union-attr]
    window.close()
    app.processEvents()
    ms = np.array(probe.late_ms[1:])
    return {"frames": frames, "seconds": seconds, "median_ms": float(np.median(ms)),
            "p99_ms": float(np.percentile(ms, 99)), "max_ms": float(ms.max())}


if __name__ == "__main__":
    sys.exit(main())
