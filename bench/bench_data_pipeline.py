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

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.formats.records import AnnotationSet, InstanceRecord, VideoRecord  # noqa: E402
from inference.configs import TrainConfig, preset  # noqa: E402
from inference.data import ClipSample, load_samples  # noqa: E402
from inference.loader import TrainWindows, make_loader  # noqa: E402
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


def epoch_rate(samples: list[ClipSample], windows: TrainWindows, config: TrainConfig, epochs: int) -> list[float]:
    """Clips per second of each epoch (a fresh loader per epoch, as training makes one)."""
    rates = []
    for epoch in range(epochs):
        windows.epoch = epoch
        start = time.perf_counter()
        n = sum(len(batch[1]) for batch in make_loader(windows, config))
        rates.append(n / (time.perf_counter() - start))
    return rates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", type=int, default=6)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()
    model, train = apply_recipe("adatad", preset("vit-s", "dsta"), TrainConfig(batch_size=2))
    frames = int(args.seconds * FPS)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rng = np.random.default_rng(0)
        names = [f"clip{i}" for i in range(args.clips)]
        t = time.perf_counter()
        for name in names:
            write_clip(folder / f"{name}.mp4", frames, rng)
        print(f"{args.clips} synthetic clips, 1920x1080, {frames} frames each, written in "
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

        cache = folder / "cache"
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
            rates = epoch_rate(cached, windows, config, args.epochs)
            print(f"from cache, {workers} workers: median {statistics.median(rates):.2f} clips/s "
                  f"(epochs: {', '.join(f'{r:.2f}' for r in rates)})")


if __name__ == "__main__":
    main()
