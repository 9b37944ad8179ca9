"""AdaTAD's training augmentation, in numpy and OpenCV so that DataLoader workers can run it.

Spatial (one draw per clip, the same for all its frames): frames stored at short side
182/160 of the input size -> random resized crop -> input size, horizontal flip with
probability 0.5, mmaction's ImgAug "default" (RandAugment: two of fifteen operations at
magnitude 9 of 10), colour jitter. Temporal: a random truncation that keeps the instances lying
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


LEVEL = 9 / 10  # mmaction's RandAugment magnitude 9 of 10
RANDAUGMENT_OPS = ("shear_x", "shear_y", "translate_x", "translate_y", "rotate", "posterize", "solarize", "colour",
                   "contrast", "brightness", "sharpness", "autocontrast", "equalize", "invert", "cutout")
RANDAUGMENT_N = 2  # operations drawn per clip, applied in the list's order (imgaug's SomeOf)
ENHANCE = 1.8 * LEVEL + 0.1  # PIL-style enhancement factor of colour, contrast, brightness, sharpness
CUTOUT_GREY = 128  # imgaug Cutout's fill


def _warp(frames: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """Every frame through one 2x3 affine matrix, black outside (imgaug's constant mode)."""
    h, w = frames.shape[1:3]
    return np.stack([cv2.warpAffine(f, matrix, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                                    borderValue=(0, 0, 0)) for f in frames])


def _blend(frames: np.ndarray, other: np.ndarray, factor: float) -> np.ndarray:
    """PIL's ImageEnhance: other + factor * (frames - other), saturated to uint8."""
    out = other.astype(np.float32) + factor * (frames.astype(np.float32) - other.astype(np.float32))
    return np.clip(out, 0, 255).astype(np.uint8)


def _grey(frames: np.ndarray) -> np.ndarray:
    g = (frames.astype(np.float32) @ np.array([0.299, 0.587, 0.114], np.float32))[..., None]
    return np.repeat(np.clip(g, 0, 255).astype(np.uint8), 3, axis=-1)


def randaugment_op(frames: np.ndarray, op: str, rng: np.random.Generator) -> np.ndarray:
    """One RandAugment operation, drawn once and applied alike to every frame [T, H, W, 3] uint8."""
    h, w = frames.shape[1:3]
    sign = 1.0 if rng.random() < 0.5 else -1.0  # (mmaction fixes each sign once per process)
    if op in ("shear_x", "shear_y"):
        t = np.tan(np.radians(17.19 * LEVEL)) * sign
        m = np.array([[1, t, -t * h / 2], [0, 1, 0]] if op == "shear_x" else [[1, 0, 0], [t, 1, -t * w / 2]],
                     np.float32)
        return _warp(frames, m)
    if op in ("translate_x", "translate_y"):
        dx, dy = (0.2 * LEVEL * sign * w, 0.0) if op == "translate_x" else (0.0, 0.2 * LEVEL * sign * h)
        return _warp(frames, np.array([[1, 0, dx], [0, 1, dy]], np.float32))
    if op == "rotate":
        return _warp(frames, cv2.getRotationMatrix2D((w / 2, h / 2), 30 * LEVEL * sign, 1.0))
    if op == "posterize":
        bits = max(1, int(4 * LEVEL))
        return frames & np.uint8((0xFF << (8 - bits)) & 0xFF)
    if op == "solarize":
        return np.where(frames >= 256 * LEVEL, 255 - frames, frames).astype(np.uint8)
    if op == "colour":
        return _blend(frames, _grey(frames), ENHANCE)
    if op == "contrast":
        return _blend(frames, np.full_like(frames, int(_grey(frames)[..., 0].mean() + 0.5)), ENHANCE)
    if op == "brightness":
        return _blend(frames, np.zeros_like(frames), ENHANCE)
    if op == "sharpness":  # PIL's SMOOTH kernel, borders kept
        kernel = np.array([[1, 1, 1], [1, 5, 1], [1, 1, 1]], np.float32) / 13
        smooth = np.stack([cv2.filter2D(f, -1, kernel, borderType=cv2.BORDER_REPLICATE) for f in frames])
        return _blend(frames, smooth, ENHANCE)
    if op == "autocontrast":  # each frame's channels stretched to the full range (PIL, cutoff 0)
        lo = frames.min(axis=(1, 2), keepdims=True).astype(np.float32)
        hi = frames.max(axis=(1, 2), keepdims=True).astype(np.float32)
        scale = np.where(hi > lo, 255 / np.maximum(hi - lo, 1), 1.0)
        stretched: np.ndarray = np.clip((frames - lo) * scale + np.where(hi > lo, 0, lo), 0, 255).astype(np.uint8)
        return stretched
    if op == "equalize":
        return np.stack([np.stack([cv2.equalizeHist(np.ascontiguousarray(f[..., c])) for c in range(3)], axis=-1)
                         for f in frames])
    if op == "invert":
        return (255 - frames).astype(np.uint8)
    if op == "cutout":
        side = max(1, round(0.2 * LEVEL * min(h, w)))
        top, left = int(rng.integers(0, h - side + 1)), int(rng.integers(0, w - side + 1))
        out = frames.copy()
        out[:, top : top + side, left : left + side] = CUTOUT_GREY
        return out
    raise ValueError(f"unknown RandAugment operation {op!r}")


def randaugment(frames: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """mmaction's ImgAug("default") on one clip: two operations drawn per clip, alike on every frame."""
    chosen = sorted(rng.choice(len(RANDAUGMENT_OPS), size=RANDAUGMENT_N, replace=False))
    for index in chosen:
        frames = randaugment_op(frames, RANDAUGMENT_OPS[int(index)], rng)
    return frames


def augment_frames(frames: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    """AdaTAD's spatial pipeline on one clip's frames [T, H, W, 3] uint8 -> [T, size, size, 3] uint8."""
    crop = draw_crop(frames.shape[1], frames.shape[2], rng)
    return colour_jitter(randaugment(apply_crop(frames, crop, size), rng), rng)
