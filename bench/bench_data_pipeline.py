"""The training data pipeline alone (no model): clips per second from the on-disk frame cache with
0, 1 and 2 DataLoader workers, against decoding the videos directly, on synthetic 1080p clips;
and the one-off cost of building the cache.

    .venv/bin/python bench/bench_data_pipeline.py [--clips 6] [--seconds 8] [--epochs 3]

Settings are the vit-s AdaTAD recipe's: every 4th frame, frames stored at short side 182,
random resized crop to 160x160, flip, colour jitter, windows of the model's length.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.formats.records import AnnotationSet, InstanceRecord, VideoRecord  # noqa: E402
from inference.configs import TrainConfig, preset  # noqa: E402
from inference.data import load_samples  # noqa: E402
from inference.loader import TrainWindows, make_loader  # noqa: E402
from inference.nms import batched_soft_nms, soft_nms_1d  # noqa: E402
from inference.recipe import apply_recipe  # noqa: E402

FPS = 30.0


def write_clip(path: Path, frames: int, rng: np.random.Generator) -> None:
    """A 1920x1080 mp4v clip: a moving gradient with noise, so that it does not compress to nothing."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), FPS, (1920, 1080))
    base = np.linspace(0, 255, 1920, dtype=np.float32)[None, :, None].repeat(1080, 0).repeat(3, 2)
    noise = rng.integers(0, 40, (1080, 1920, 3), dtype=np.uint8)
    for f in range(frames):
        frame = (np.roll(base, 8 * f, axis=1) * 0.8).astype(np.uint8) + noise
        cv2.rectangle(frame, (200 + 4 * f, 300), (500 + 4 * f, 700), (255, 255, 255), -1)
        writer.write(frame)
    writer.release()


def annotations(names: list[str], frames: int) -> AnnotationSet:
    """Two instances per clip."""
    aset = AnnotationSet()
    for name in names:
        aset.videos[name] = VideoRecord(name, FPS, frames, "train", name)
        aset.instances += [InstanceRecord(name, 10, frames // 3, 0), InstanceRecord(name, frames // 2, frames - 10, 1)]
    return aset


def epoch_rates(windows: TrainWindows, config: TrainConfig, epochs: int) -> tuple[float, list[float]]:
    """Seconds to the first batch (workers starting), then clips per second of each epoch after
    that, through one loader kept for the run as training keeps it."""
    loader = make_loader(windows, config)
    start = time.perf_counter()
    batches = iter(loader)
    next(batches)
    startup = time.perf_counter() - start
    for _ in batches:
        pass
    rates = []
    for epoch in range(1, epochs + 1):
        loader.sampler.set_epoch(epoch)  # type: ignore[attr-defined]
        start = time.perf_counter()
        n = sum(len(batch[1]) for batch in loader)
        rates.append(n / (time.perf_counter() - start))
    return startup, rates


def nms_seconds(repeats: int = 5) -> tuple[float, float]:
    """Median seconds of soft-NMS over one clip's 2000 candidates in 52 classes: all classes at once,
    and one class at a time (as validation did before)."""
    g = torch.Generator().manual_seed(0)
    start = torch.rand(2000, generator=g) * 200
    segs = torch.stack([start, start + torch.rand(2000, generator=g) * 30 + 1], 1)
    scores, labels = torch.rand(2000, generator=g), torch.randint(0, 52, (2000,), generator=g)
    together, apart = [], []
    for _ in range(repeats):
        t = time.perf_counter()
        batched_soft_nms(segs, scores, labels)
        together.append(time.perf_counter() - t)
        t = time.perf_counter()
        for label in torch.unique(labels):
            soft_nms_1d(segs[labels == label], scores[labels == label])
        apart.append(time.perf_counter() - t)
    return statistics.median(together), statistics.median(apart)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", type=int, default=6)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--dir", default=None, help="keep the synthetic clips here (reused when present)")
    args = parser.parse_args()
    together, apart = nms_seconds()
    print(f"validation soft-NMS, one clip (2000 candidates, 52 classes, {torch.get_num_threads()} threads): "
          f"all classes at once {1000 * together:.0f} ms, one class at a time {1000 * apart:.0f} ms")
    model, train = apply_recipe("adatad", preset("vit-s", "dsta"), TrainConfig(batch_size=2))
    frames = int(args.seconds * FPS)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.dir or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        rng = np.random.default_rng(0)
        names = [f"clip{i}" for i in range(args.clips)]
        t = time.perf_counter()
        for name in names:
            if not (folder / f"{name}.mp4").is_file():
                write_clip(folder / f"{name}.mp4", frames, rng)
        print(f"{args.clips} synthetic clips, 1920x1080, {frames} frames each, ready (written or reused) in "
              f"{time.perf_counter() - t:.1f} s; window {model.window_frames} sampled frames, stride "
              f"{model.frame_stride}, {model.backbone.img_size}x{model.backbone.img_size}")
        aset = annotations(names, frames)
        videos = {n: folder / f"{n}.mp4" for n in names}

        t = time.perf_counter()
        direct = load_samples(aset, videos, model, names, training=True)
        decode_s = time.perf_counter() - t
        windows = TrainWindows(direct, model, augment=True, seed=0)
        t = time.perf_counter()
        for i in range(len(direct)):
            windows[i]
        augment_s = time.perf_counter() - t
        print(f"decoding directly (+ augmentation, one process): {args.clips / (decode_s + augment_s):.2f} clips/s "
              f"(decode {decode_s / args.clips:.2f} s/clip, augment {augment_s / args.clips:.3f} s/clip)")

        cache = Path(tmp) / "cache"
        t = time.perf_counter()
        cached = load_samples(aset, videos, model, names, cache_dir=cache, training=True)
        build_s = time.perf_counter() - t
        size = sum(p.stat().st_size for p in cache.glob("*.npy"))
        print(f"cache build (one-off): {build_s:.1f} s for {args.clips} clips ({build_s / args.clips:.2f} s/clip), "
              f"{size / 2**20:.1f} MiB on disk ({size / args.clips / 2**20:.2f} MiB/clip)")
        t = time.perf_counter()
        load_samples(aset, videos, model, names, cache_dir=cache, training=True)
        print(f"cache reopen (hit): {time.perf_counter() - t:.3f} s")

        windows = TrainWindows(cached, model, augment=True, seed=0)
        for workers in (0, 1, 2):
            config = TrainConfig(batch_size=2, workers=workers, seed=0)
            startup, rates = epoch_rates(windows, config, args.epochs)
            print(f"from cache, {workers} workers: median {statistics.median(rates):.2f} clips/s "
                  f"(epochs: {', '.join(f'{r:.2f}' for r in rates)}; first batch after {startup:.1f} s)")


if __name__ == "__main__":
    main()
