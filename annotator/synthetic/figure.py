"""The seated figure: per-subject look, background, joint positions from pose tracks, drawing.

Coordinates are in figure units u with y pointing down and the origin at the centre of
the hips; shoulders sit 0.95 u above the hips. The subject faces the camera, so the
subject's right ("r") is drawn on the image's left (x < 0). Drawing uses OpenCV filled
shapes with 4 bits of sub-pixel precision and anti-aliasing, so sub-pixel motion shows.
"""

from __future__ import annotations

import colorsys
from collections.abc import Mapping
from dataclasses import dataclass

import cv2
import numpy as np

POSE_FIELDS: tuple[str, ...] = (
    "torso_dx", "torso_dy", "shoulder_dy",
    "head_pitch", "head_yaw", "head_roll", "head_dy",
    "r_w", "r_anchor", "r_tx", "r_ty", "r_fist",
    "l_w", "l_anchor", "l_tx", "l_ty", "l_fist",
    "r_knee_dx", "r_knee_dy", "r_ankle_dx", "r_heel",
    "l_knee_dx", "l_knee_dy", "l_ankle_dx", "l_heel",
    "cross",
)
ANCHOR_TORSO, ANCHOR_HEAD, ANCHOR_HIPS = 0, 1, 2

SHIFT = 4  # OpenCV sub-pixel bits
ONE = 1 << SHIFT
AA = cv2.LINE_AA

Color = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class SubjectLook:
    """How one subject looks and moves when idle; drawn from a seed, fixed across clips."""

    skin: Color
    hair: Color
    shirt: Color
    trousers: Color
    shoes: Color
    chair: Color
    wall: Color
    floor: Color
    long_sleeves: bool
    build: float  # torso width factor
    scale: float  # u as a share of the frame height
    offset_x: float  # figure centre shift, share of the width
    offset_y: float  # hip height shift, share of the height
    texture: int  # 0 plain, 1 stripes, 2 tiles, 3 gradient
    texture_seed: int
    light_amp: float  # lighting drift: relative gain amplitude
    light_period: float  # seconds
    noise_sd: float  # camera noise, grey levels
    idle: float  # idle motion strength


def _bgr(h: float, s: float, v: float) -> Color:
    r, g, b = colorsys.hsv_to_rgb(h % 1.0, min(max(s, 0.0), 1.0), min(max(v, 0.0), 1.0))
    return int(b * 255), int(g * 255), int(r * 255)


SKIN_TONES: tuple[Color, ...] = (
    (189, 208, 246), (160, 190, 232), (130, 165, 215), (105, 140, 190), (80, 110, 160), (60, 80, 120),
)


def make_look(rng: np.random.Generator) -> SubjectLook:
    """A random but plausible look for one subject."""
    skin = SKIN_TONES[int(rng.integers(len(SKIN_TONES)))]
    return SubjectLook(
        skin=tuple(int(np.clip(c + rng.integers(-8, 9), 0, 255)) for c in skin),  # type: ignore[arg-type]
        hair=_bgr(rng.uniform(0.02, 0.12), rng.uniform(0.3, 0.8), rng.uniform(0.05, 0.45)),
        shirt=_bgr(rng.uniform(), rng.uniform(0.25, 0.85), rng.uniform(0.3, 0.9)),
        trousers=_bgr(rng.uniform(0.55, 0.7), rng.uniform(0.1, 0.6), rng.uniform(0.15, 0.5)),
        shoes=_bgr(rng.uniform(0.0, 0.1), rng.uniform(0.2, 0.6), rng.uniform(0.05, 0.3)),
        chair=_bgr(rng.uniform(0.0, 0.15), rng.uniform(0.2, 0.7), rng.uniform(0.2, 0.6)),
        wall=_bgr(rng.uniform(), rng.uniform(0.05, 0.35), rng.uniform(0.55, 0.92)),
        floor=_bgr(rng.uniform(0.05, 0.12), rng.uniform(0.2, 0.5), rng.uniform(0.3, 0.6)),
        long_sleeves=bool(rng.random() < 0.6),
        build=float(rng.uniform(0.88, 1.15)),
        scale=float(rng.uniform(0.26, 0.31)),
        offset_x=float(rng.uniform(-0.1, 0.1)),
        offset_y=float(rng.uniform(-0.03, 0.03)),
        texture=int(rng.integers(4)),
        texture_seed=int(rng.integers(2**31)),
        light_amp=float(rng.uniform(0.02, 0.08)),
        light_period=float(rng.uniform(3.0, 10.0)),
        noise_sd=float(rng.uniform(1.0, 3.5)),
        idle=float(rng.uniform(0.6, 1.4)),
    )


@dataclass(frozen=True, slots=True)
class Frame:
    """Where the figure stands in a frame of a given size: pixels per u and the hip centre."""

    width: int
    height: int
    unit: float
    cx: float
    cy: float


def place(look: SubjectLook, width: int, height: int) -> Frame:
    """Pixel placement of the figure in a width × height frame."""
    unit = min(height * look.scale, width * look.scale * 1.25)
    return Frame(width, height, unit, width * (0.5 + look.offset_x), height * (0.6 + look.offset_y))


def make_background(look: SubjectLook, frame: Frame) -> np.ndarray:
    """The subject's room: a textured wall, a floor and a picture frame (uint8 BGR)."""
    rng = np.random.default_rng(look.texture_seed)
    h, w = frame.height, frame.width
    img = np.empty((h, w, 3), np.float32)
    img[:] = look.wall
    floor_y = int(frame.cy + 0.7 * frame.unit)
    img[floor_y:] = look.floor
    light = cv2.resize(rng.normal(0, 1, (6, 8)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
    tint = cv2.resize(rng.normal(0, 1, (3, 4, 3)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
    img += 12.0 * light[:, :, None] + 4.0 * tint
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    period = max(4.0, frame.unit * rng.uniform(0.15, 0.4))
    if look.texture == 1:
        img[:floor_y] += (10.0 * np.sign(np.sin(2 * np.pi * xx / period)))[:floor_y, :, None]
    elif look.texture == 2:
        grid = ((xx % period) < 1.5) | ((yy % period) < 1.5)
        img[grid] -= 18.0
    elif look.texture == 3:
        img += (25.0 * (xx / w - 0.5))[:, :, None]
    px = int(rng.uniform(0.05, 0.3) * w) if rng.random() < 0.5 else int(rng.uniform(0.65, 0.85) * w)
    py, size = int(0.12 * h), max(3, int(frame.unit * rng.uniform(0.3, 0.6)))
    frame_color = np.array(_bgr(rng.uniform(), 0.5, 0.4), np.float32)
    img[py:py + size, px:px + int(size * 1.3)] = frame_color
    return np.clip(img, 0, 255).astype(np.uint8)


def _rot(x: np.ndarray, y: np.ndarray, deg: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    a = np.deg2rad(deg)
    c, s = np.cos(a), np.sin(a)
    return c * x - s * y, s * x + c * y


def _elbow(sx: np.ndarray, sy: np.ndarray, hx: np.ndarray, hy: np.ndarray,
           outward: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Two-link IK (0.5 u + 0.5 u): elbow bent outward and down; the hand is pulled in if out of reach."""
    upper = fore = 0.5
    dx, dy = hx - sx, hy - sy
    d = np.hypot(dx, dy)
    reach = np.clip(d, 1e-3, upper + fore - 1e-3)
    hx, hy = sx + dx * reach / np.maximum(d, 1e-9), sy + dy * reach / np.maximum(d, 1e-9)
    base = np.arctan2(hy - sy, hx - sx)
    bend = np.arccos(np.clip((upper**2 + reach**2 - fore**2) / (2 * upper * reach), -1.0, 1.0))
    candidates = []
    for sgn in (1.0, -1.0):
        ex, ey = sx + upper * np.cos(base + sgn * bend), sy + upper * np.sin(base + sgn * bend)
        candidates.append((ex, ey, outward * ex + 1.5 * ey))
    pick = candidates[0][2] >= candidates[1][2]
    ex = np.where(pick, candidates[0][0], candidates[1][0])
    ey = np.where(pick, candidates[0][1], candidates[1][1])
    return ex, ey, hx, hy


def joints(tracks: Mapping[str, np.ndarray], look: SubjectLook) -> dict[str, np.ndarray]:
    """Joint positions in u for every frame, from pose tracks (each (n,))."""
    t = tracks
    b = look.build
    j: dict[str, np.ndarray] = {}
    sh_y = -0.95 + t["torso_dy"] + t["shoulder_dy"]
    j["sh_r_x"], j["sh_l_x"] = t["torso_dx"] - 0.3 * b, t["torso_dx"] + 0.3 * b
    j["sh_y"] = sh_y
    j["neck_x"] = t["torso_dx"]
    j["neck_y"] = -0.95 + t["torso_dy"] + 0.3 * t["shoulder_dy"]
    j["head_x"] = t["torso_dx"] * 1.1
    j["head_y"] = j["neck_y"] - 0.36 + t["head_dy"] + 0.04 * t["head_pitch"]
    anchors_x = (t["torso_dx"] * 0.4, j["head_x"], np.zeros_like(sh_y))
    anchors_y = (t["torso_dy"], j["head_y"], np.zeros_like(sh_y))
    for side, out, rest_x in (("r", -1.0, -0.2 * b), ("l", 1.0, 0.2 * b)):
        a = t[f"{side}_anchor"].round().astype(int).clip(0, 2)
        ax = np.choose(a, anchors_x) + t[f"{side}_tx"]
        ay = np.choose(a, anchors_y) + t[f"{side}_ty"]
        w = t[f"{side}_w"]
        hx = rest_x + w * (ax - rest_x)
        hy = -0.02 + w * (ay + 0.02)
        sx = j[f"sh_{side}_x"]
        j[f"el_{side}_x"], j[f"el_{side}_y"], j[f"ha_{side}_x"], j[f"ha_{side}_y"] = _elbow(sx, sh_y, hx, hy, out)
        heel = t[f"{side}_heel"]
        j[f"kn_{side}_x"] = out * 0.21 + t[f"{side}_knee_dx"]
        j[f"kn_{side}_y"] = 0.12 + t[f"{side}_knee_dy"] - 0.5 * heel
        j[f"an_{side}_x"] = out * 0.23 + t[f"{side}_ankle_dx"]
        j[f"an_{side}_y"] = 0.8 - heel
    for side in ("r", "l"):
        j[f"fist_{side}"] = t[f"{side}_fist"]
        j[f"heel_{side}"] = t[f"{side}_heel"]
    for name in ("head_pitch", "head_yaw", "head_roll"):
        j[name] = t[name]
    c = t["cross"]  # the right leg crosses over the left knee
    j["kn_r_x"] = (1 - c) * j["kn_r_x"] + c * 0.05
    j["kn_r_y"] = (1 - c) * j["kn_r_y"] + c * -0.02
    j["an_r_x"] = (1 - c) * j["an_r_x"] + c * 0.2
    j["an_r_y"] = (1 - c) * j["an_r_y"] + c * 0.45
    return j


def _p(frame: Frame, x: float, y: float) -> tuple[int, int]:
    return int(round((frame.cx + x * frame.unit) * ONE)), int(round((frame.cy + y * frame.unit) * ONE))


def _len(frame: Frame, v: float) -> int:
    return max(1, int(round(v * frame.unit * ONE)))


def _thick(frame: Frame, v: float) -> int:
    return max(1, int(round(v * frame.unit)))


def _ellipse(img: np.ndarray, frame: Frame, x: float, y: float, rx: float, ry: float,
             angle: float, color: Color) -> None:
    cv2.ellipse(img, _p(frame, x, y), (_len(frame, rx), _len(frame, ry)), angle, 0, 360, color, -1, AA, SHIFT)


def _limb(img: np.ndarray, frame: Frame, x0: float, y0: float, x1: float, y1: float,
          width: float, color: Color) -> None:
    cv2.line(img, _p(frame, x0, y0), _p(frame, x1, y1), color, _thick(frame, width), AA, SHIFT)
    for x, y in ((x0, y0), (x1, y1)):
        cv2.circle(img, _p(frame, x, y), _len(frame, width / 2), color, -1, AA, SHIFT)


def _poly(img: np.ndarray, frame: Frame, pts: list[tuple[float, float]], color: Color) -> None:
    arr = np.array([_p(frame, x, y) for x, y in pts], np.int32)
    cv2.fillConvexPoly(img, arr, color, AA, SHIFT)


def _shade(color: Color, k: float) -> Color:
    return tuple(int(min(255, max(0, c * k))) for c in color)  # type: ignore[return-value]


def draw_chair(img: np.ndarray, frame: Frame, look: SubjectLook) -> None:
    """The chair behind the subject: backrest, seat and legs."""
    dark = _shade(look.chair, 0.7)
    for x in (-0.47, 0.47):
        _limb(img, frame, x, 0.08, x * 1.04, 0.9, 0.05, dark)
    _poly(img, frame, [(-0.44, -1.08), (0.44, -1.08), (0.44, 0.0), (-0.44, 0.0)], look.chair)
    _poly(img, frame, [(-0.52, -0.03), (0.52, -0.03), (0.52, 0.1), (-0.52, 0.1)], dark)


def draw_figure(img: np.ndarray, frame: Frame, look: SubjectLook, j: Mapping[str, np.ndarray], i: int) -> None:
    """Draw the figure's pose at frame i of the joint arrays onto img (in place)."""
    def g(name: str) -> float:
        return float(j[name][i])

    b = look.build
    draw_chair(img, frame, look)
    shy, nx, ny = g("sh_y"), g("neck_x"), g("neck_y")
    _poly(img, frame, [(g("sh_r_x") - 0.04, shy + 0.03), (g("sh_l_x") + 0.04, shy + 0.03),
                       (0.27 * b, 0.03), (-0.27 * b, 0.03)], look.shirt)
    _limb(img, frame, g("sh_r_x"), shy + 0.03, g("sh_l_x"), shy + 0.03, 0.1, look.shirt)
    _limb(img, frame, nx, ny, g("head_x"), g("head_y") + 0.1, 0.13, _shade(look.skin, 0.9))
    _draw_head(img, frame, look, j, i)
    _draw_legs(img, frame, look, j, i)
    sleeve = look.shirt
    fore = look.shirt if look.long_sleeves else look.skin
    for side in ("r", "l"):
        sx, ex, ey = g(f"sh_{side}_x"), g(f"el_{side}_x"), g(f"el_{side}_y")
        hx, hy = g(f"ha_{side}_x"), g(f"ha_{side}_y")
        _limb(img, frame, sx, shy + 0.04, ex, ey, 0.13, _shade(sleeve, 0.92))
        _limb(img, frame, ex, ey, hx, hy, 0.11, fore)
        _draw_hand(img, frame, look, ex, ey, hx, hy, float(np.clip(j_fist(j, side, i), 0.0, 1.0)))


def j_fist(j: Mapping[str, np.ndarray], side: str, i: int) -> float:
    """How closed a hand is at frame i (0 open, 1 fist)."""
    return float(j[f"fist_{side}"][i]) if f"fist_{side}" in j else 0.0


def _draw_hand(img: np.ndarray, frame: Frame, look: SubjectLook, ex: float, ey: float,
               hx: float, hy: float, fist: float) -> None:
    d = np.hypot(hx - ex, hy - ey) or 1.0
    ux, uy = (hx - ex) / d, (hy - ey) / d
    angle = float(np.degrees(np.arctan2(uy, ux)))
    finger = 0.075 * (1.0 - 0.85 * fist)
    _ellipse(img, frame, hx + ux * finger * 0.8, hy + uy * finger * 0.8, finger + 0.01, 0.045, angle,
             _shade(look.skin, 0.95))
    radius = 0.065 - 0.012 * fist
    _ellipse(img, frame, hx, hy, radius, radius, 0.0, _shade(look.skin, 1.0 - 0.25 * fist))


def _draw_head(img: np.ndarray, frame: Frame, look: SubjectLook, j: Mapping[str, np.ndarray], i: int) -> None:
    hx, hy = float(j["head_x"][i]), float(j["head_y"][i])
    pitch, yaw, roll = float(j["head_pitch"][i]), float(j["head_yaw"][i]), float(j["head_roll"][i])

    def at(x: float, y: float) -> tuple[float, float]:
        rx, ry = _rot(np.array(x), np.array(y), np.array(roll))
        return hx + float(rx), hy + float(ry)

    rx_head = 0.19 - 0.015 * abs(yaw)
    for side in (-1.0, 1.0):
        ex, ey = at(side * (rx_head - 0.005) - 0.05 * yaw, 0.02 + 0.05 * pitch)
        _ellipse(img, frame, ex, ey, 0.035, 0.055, roll, _shade(look.skin, 0.85))
    _ellipse(img, frame, hx, hy, rx_head, 0.24, roll, look.skin)
    cap_x, cap_y = at(-0.03 * yaw, -0.14 + 0.09 * pitch)
    _ellipse(img, frame, cap_x, cap_y, rx_head + 0.012, 0.115 + 0.05 * max(pitch, 0.0), roll, look.hair)
    fx, fy = 0.13 * yaw, 0.1 * pitch
    eye_h = 0.018 * (1.0 - 0.6 * min(max(pitch, 0.0), 1.0))
    for side in (-1.0, 1.0):
        near = 1.0 - 0.35 * max(0.0, side * yaw)
        x, y = at(side * 0.075 * (1 - 0.3 * abs(yaw)) + fx, 0.0 + fy)
        _ellipse(img, frame, x, y, 0.028 * near, eye_h, roll, (40, 40, 40))
    x, y = at(fx * 1.15, 0.07 + fy)
    _ellipse(img, frame, x, y, 0.022, 0.04, roll, _shade(look.skin, 0.78))
    x, y = at(fx, 0.145 + fy * 0.9)
    _ellipse(img, frame, x, y, 0.055, 0.014, roll, (60, 60, 150))


def _draw_legs(img: np.ndarray, frame: Frame, look: SubjectLook, j: Mapping[str, np.ndarray], i: int) -> None:
    order = ("l", "r")  # the right leg last, so a crossed right leg lies on top
    for side in order:
        out = -1.0 if side == "r" else 1.0
        kx, ky = float(j[f"kn_{side}_x"][i]), float(j[f"kn_{side}_y"][i])
        ax, ay = float(j[f"an_{side}_x"][i]), float(j[f"an_{side}_y"][i])
        heel = float(j[f"heel_{side}"][i]) if f"heel_{side}" in j else 0.0
        _limb(img, frame, out * 0.14, 0.0, kx, ky, 0.24, look.trousers)
        _limb(img, frame, kx, ky, ax, ay, 0.17, _shade(look.trousers, 0.9))
        _ellipse(img, frame, ax + out * 0.02, ay + 0.07 + 0.3 * heel, 0.1, 0.045 + 0.5 * heel, 0.0, look.shoes)
