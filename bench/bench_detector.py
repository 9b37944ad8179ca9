"""Benchmark of the detector on this machine (run by hand; prints figures, asserts nothing).

1. Generates a synthetic set (annotator.synthetic.generate_dataset, ~20 subjects), splits it by
   subject, trains the tiny config with the DSTA, TIA and standard adapters for the same number
   of epochs (40 by default: 3-10 minutes in all on 2 CPU cores), and reports held-out-subject
   action- and body-level Detection-mAP side by side. No validation split is used for model
   selection: the final EMA weights are evaluated once on the held-out subjects.
2. Measures inference speed (frames per second) of VideoMAE-S + DSTA at 160x160 on the CPU.

    python bench/bench_detector.py [--epochs 40] [--subjects 20] [--clips 4] [--out DIR] [--pyramid conv]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402

from annotator.synthetic.dataset import generate_dataset  # noqa: E402
from annotator.taxonomy import load_taxonomy  # noqa: E402
from inference.checkpoint import load_detector  # noqa: E402
from inference.configs import TrainConfig, preset  # noqa: E402
from inference.data import find_videos, load_samples  # noqa: E402
from inference.model import Detector  # noqa: E402
from inference.train import BEST, train, validate  # noqa: E402

ADAPTERS = ("dsta", "tia", "standard")


def vit_s_fps(frames: int = 64, repeats: int = 2) -> float:
    """Frames per second of VideoMAE-S + DSTA + head at 160x160 (batch 1, float32, CPU)."""
    model = Detector(preset("vit-s", "dsta", window_frames=frames)).eval()
    video = torch.randint(0, 255, (1, frames, 160, 160, 3), dtype=torch.uint8)
    valid = torch.tensor([frames // 2])
    with torch.inference_mode():
        model(video, valid)  # warm-up
        start = time.perf_counter()
        for _ in range(repeats):
            model(video, valid)
        elapsed = time.perf_counter() - start
    return frames * repeats / elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=15.0, help="total budget, all three runs included")
    parser.add_argument("--subjects", type=int, default=20)
    parser.add_argument("--clips", type=int, default=4, help="clips per subject")
    parser.add_argument("--held-out", type=int, default=6, help="subjects kept for testing")
    parser.add_argument("--epochs", type=int, default=40,
                        help="epochs per adapter; 0: estimate from a timed epoch to fit --minutes (unreliable "
                             "on a shared machine, where an epoch's time varies tenfold)")
    parser.add_argument("--out", default=None, help="working folder (default: a temporary one)")
    parser.add_argument("--pyramid", choices=("transformer", "convformer", "conv"), default="transformer",
                        help="the head's pyramid (ActionFormer's local-attention transformer, or 1-D convolutions)")
    args = parser.parse_args()
    began = time.perf_counter()
    work = Path(args.out or tempfile.mkdtemp(prefix="bench_detector_"))
    taxonomy = load_taxonomy("mma52")
    torch.manual_seed(0)

    t0 = time.perf_counter()
    fps = vit_s_fps()
    print(f"VideoMAE-S + DSTA + head, 160x160, batch 1, float32, {torch.get_num_threads()} CPU threads: "
          f"{fps:.1f} frames/s ({time.perf_counter() - t0:.0f} s to measure)")

    t0 = time.perf_counter()
    aset = generate_dataset(work / "videos", args.subjects, args.clips, seed=0, size=(128, 96),
                            seconds=(5.0, 8.0))
    subjects = sorted({v.subject for v in aset.videos.values() if v.subject})
    test_subjects = set(subjects[-args.held_out:])
    train_ids = [v for v, r in aset.videos.items() if r.subject not in test_subjects]
    test_ids = [v for v, r in aset.videos.items() if r.subject in test_subjects]
    config = preset("tiny", "dsta", num_classes=len(taxonomy.actions))
    videos = find_videos(list(aset.videos), work / "videos")
    train_samples = load_samples(aset, videos, config, train_ids)
    test_samples = load_samples(aset, videos, config, test_ids)
    classes = sorted({i.action_id for i in aset.instances})
    print(f"synthetic set: {len(subjects)} subjects, {len(aset.videos)} clips, {len(aset.instances)} instances, "
          f"{len(classes)} actions; train {len(train_ids)} clips / test {len(test_ids)} clips of "
          f"{len(test_subjects)} held-out subjects ({time.perf_counter() - t0:.0f} s to generate and decode)")

    # the second of two timed DSTA epochs (the slowest adapter; the first epoch pays for warm-up)
    # sets the epoch count shared by all three runs
    remaining = args.minutes * 60 - (time.perf_counter() - began)
    if args.epochs:
        epochs = args.epochs
    else:
        marks: list[float] = []

        def mark(fraction: float, message: str) -> None:
            if message.startswith("epoch") and ":" in message:
                marks.append(time.perf_counter())

        t0 = time.perf_counter()
        probe = TrainConfig(epochs=2, batch_size=2, lr=1e-3)
        train(preset("tiny", "dsta", num_classes=52), probe, train_samples, [], taxonomy, work / "probe",
              device="cpu", progress=mark)
        epoch_s = marks[1] - marks[0]
        remaining -= time.perf_counter() - t0
        epochs = max(1, int(remaining / (3 * epoch_s * 1.1) - 1))
        print(f"one DSTA epoch: {epoch_s:.1f} s -> {epochs} epochs per adapter")

    results = {}
    for adapter in ADAPTERS:
        t0 = time.perf_counter()
        config = preset("tiny", adapter, num_classes=52)
        config = replace(config, head=replace(config.head, pyramid=args.pyramid))
        recipe = TrainConfig(epochs=epochs, batch_size=2, lr=1e-3, warmup_epochs=min(2, epochs / 4),
                             ema_decay=0.99, eval_every=10**6, seed=0)
        train(config, recipe, train_samples, [], taxonomy, work / adapter, device="cpu")
        model, _, _ = load_detector(work / adapter / BEST)
        report = validate(model, test_samples, taxonomy)
        results[adapter] = report
        print(f"\n{adapter}: {epochs} epochs in {time.perf_counter() - t0:.0f} s; held-out Detection-mAP (%)")
        print(report.table())

    print(f"\nheld-out subjects, tiny config (64x64, 2 blocks of 64-d, {args.pyramid} pyramid), "
          "average mAP over tIoU 0.1:0.9 (%)")
    print(f"{'adapter':<10}{'action':>8}{'body':>8}{'AVG':>8}{'action@0.5':>12}")
    for adapter, report in results.items():
        print(f"{adapter:<10}{100 * report.action.average:8.2f}{100 * report.body.average:8.2f}"
              f"{100 * report.avg:8.2f}{100 * report.action.at(0.5):12.2f}")
    (work / "bench_detector.json").write_text(json.dumps(
        {"vit_s_fps": fps, "epochs": epochs, **{a: r.to_json() for a, r in results.items()}}, indent=1))
    print(f"total {time.perf_counter() - began:.0f} s; figures in {work / 'bench_detector.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
