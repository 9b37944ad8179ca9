"""AdaTAD's training augmentation, in numpy and OpenCV so that DataLoader workers can run it.

Spatial (one draw per clip, the same for all its frames): frames stored at short side
182/160 of the input size -> random resized crop -> input size, horizontal flip with
probability 0.5, colour jitter. Temporal: a random truncation that keeps the instances lying
at least 75% inside it and drops the others (OpenTAD's random_trunc).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

TRAIN_SHORT_SIDE = 182 / 160  # AdaTAD: Resize short side 182 before cropping to 160
CROP_AREA = (0.08, 1.0)  # mmaction RandomResizedCrop: share of the frame's area
CROP_ASPECT = (3 / 4, 4 / 3)  # and aspect-ratio range (log-uniform)
JITTER = (0.5, 0.5, 0.5, 0.1)  # mmaction ColorJitter: brightness, contrast, saturation, hue
CROP_RATIO = (0.9, 1.0)  # AdaTAD: a clip shorter than the window is cut to 90-100% of its length
KEEP_INSIDE = 0.75  # AdaTAD: trunc_thresh, the share of an instance that must stay in the crop
TRIALS = 200  # OpenTAD's attempts at a crop holding at least one instance


def train_short_side(size: int) -> int:
    """Short side of the stored training frames for an input of size x size."""
    return round(size * TRAIN_SHORT_SIDE)


@dataclass(frozen=True)
class Crop:
    """A crop box in pixels and whether it is mirrored."""

    top: int
    left: int
    height: int
    width: int
    flip: bool


def kept_inside(segments: np.ndarray, lo: float, hi: float, keep: float) -> tuple[np.ndarray, np.ndarray]:
    """Segments [N, 2] clipped to [lo, hi] and the mask of those with at least `keep` of their length inside."""
    clipped = np.clip(segments, lo, hi)
    length = np.maximum(segments[:, 1] - segments[:, 0], 1e-6)
    inside = (clipped[:, 1] - clipped[:, 0]) / length
    return clipped, inside >= keep


def temporal_crop(length: int, window: int, segments: np.ndarray, rng: np.random.Generator,
                  ratio: tuple[float, float] = CROP_RATIO, keep: float = KEEP_INSIDE) -> tuple[int, int]:
    """(start, stop) of a random crop of `length` sampled frames; segments [N, 2] in sampled frames.

    A clip longer than the window is cut to the window; a shorter one to a random 90-100% of its
    length. Up to TRIALS starts are drawn until one keeps an instance `keep` inside.
    """
    span = window
    if length <= window:
        low = max(round(ratio[0] * length), 1)
        span = int(rng.integers(low, min(round(ratio[1] * length), length) + 1))
        if span == length:
            return 0, length
    start = 0
    for _ in range(TRIALS):
        start = int(rng.integers(0, length - span + 1))
        if not len(segments) or kept_inside(segments, start, start + span, keep)[1].any():
            break
    return start, start + span


def random_resized_crop(height: int, width: int, rng: np.random.Generator) -> tuple[int, int, int, int]:
    """mmaction's RandomResizedCrop box (top, left, h, w); the centred largest square after 10 misses."""
    area = height * width
    for _ in range(10):
        target = area * rng.uniform(*CROP_AREA)
        aspect = np.exp(rng.uniform(np.log(CROP_ASPECT[0]), np.log(CROP_ASPECT[1])))
        w, h = round(np.sqrt(target * aspect)), round(np.sqrt(target / aspect))
        if 0 < w <= width and 0 < h <= height:
            return int(rng.integers(0, height - h + 1)), int(rng.integers(0, width - w + 1)), h, w
    side = min(height, width)
    return (height - side) // 2, (width - side) // 2, side, side


def draw_crop(height: int, width: int, rng: np.random.Generator) -> Crop:
    """One clip's crop box and flip."""
    top, left, h, w = random_resized_crop(height, width, rng)
    return Crop(top, left, h, w, bool(rng.random() < 0.5))


def apply_crop(frames: np.ndarray, crop: Crop, size: int) -> np.ndarray:
    """frames [T, H, W, 3] uint8 -> the box resized to [T, size, size, 3], mirrored when asked."""
    box = frames[:, crop.top : crop.top + crop.height, crop.left : crop.left + crop.width]
    out = np.stack([cv2.resize(f, (size, size), interpolation=cv2.INTER_LINEAR) for f in box])
    return np.ascontiguousarray(out[:, :, ::-1]) if crop.flip else out


def colour_jitter(frames: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """mmaction's ColorJitter: brightness, contrast, saturation and hue in a random order, one draw per clip.

    Done in uint8 with OpenCV's saturating blends on the frames stacked as one tall image (a
    float pipeline took 0.5 s a window in a worker; this one a few milliseconds).
    """
    b, c, s, h = JITTER
    factors = {"brightness": rng.uniform(1 - b, 1 + b), "contrast": rng.uniform(1 - c, 1 + c),
               "saturation": rng.uniform(1 - s, 1 + s), "hue": rng.uniform(-h, h)}
    x = np.ascontiguousarray(frames).reshape(-1, frames.shape[2], 3)  # [T*H, W, 3]
    for name in rng.permutation(list(factors)):
        f = float(factors[name])
        if name == "brightness":
            x = cv2.addWeighted(x, f, x, 0.0, 0.0)
        elif name == "contrast":  # towards the mean grey of the whole clip
            mean = float(cv2.cvtColor(x, cv2.COLOR_RGB2GRAY).mean())
            x = cv2.addWeighted(x, f, x, 0.0, mean * (1 - f))
        elif name == "saturation":  # towards each pixel's grey
            grey = cv2.cvtColor(cv2.cvtColor(x, cv2.COLOR_RGB2GRAY), cv2.COLOR_GRAY2RGB)
            x = cv2.addWeighted(x, f, grey, 1 - f, 0.0)
        else:
            hsv = cv2.cvtColor(x, cv2.COLOR_RGB2HSV_FULL)
            hsv[..., 0] += np.uint8(round(f * 256) % 256)  # hue is a full turn in 256 steps; wraps
            x = cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB_FULL)
    out: np.ndarray = x.reshape(frames.shape)
    return out


def augment_frames(frames: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    """AdaTAD's spatial pipeline on one clip's frames [T, H, W, 3] uint8 -> [T, size, size, 3] uint8."""
    crop = draw_crop(frames.shape[1], frames.shape[2], rng)
    return colour_jitter(apply_crop(frames, crop, size), rng)
