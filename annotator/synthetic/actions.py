"""One motion function per synthetic MMA-52 action, and the per-frame pose tracks they build.

A pose track is a dict of float arrays, one value per frame, named by POSE_FIELDS. Every
action adds `envelope × pattern` to the fields of its body part; the envelope is > 0 on
exactly the instance's frames [start_frame, end_frame] and 0 elsewhere, and every action
has at least one component that never crosses zero inside the instance, so the frames on
which the figure is moved by an action are exactly its ground-truth frames.

Sides are the subject's own: "r" is the subject's right, drawn on the image's left (x < 0).
Lengths are in figure units u (shoulder height ≈ 0.95 u above the hips).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from annotator.synthetic.figure import ANCHOR_HEAD, ANCHOR_HIPS, ANCHOR_TORSO, POSE_FIELDS

FloatArray = np.ndarray
Tracks = dict[str, FloatArray]

ENVELOPE_FLOOR = 0.15  # share of the full pose already reached on an instance's first frame
RAMP_SECONDS = 0.25

# Limb resources: two instances that share one may not overlap in time.
HEAD, TORSO, ARM_R, ARM_L, LEGS = "head", "torso", "arm_r", "arm_l", "legs"


@dataclass(frozen=True, slots=True)
class InstanceSpec:
    """One action instance of a clip, in 0-based inclusive frames, with its motion variation."""

    action_id: int
    start_frame: int
    end_frame: int
    amplitude: float = 1.0  # scales the motion (0.7–1.3 in generated data)
    frequency: float = 1.0  # scales oscillation speed
    sign: float = 1.0  # direction of one-sided motions (turn left / right)


@dataclass(frozen=True, slots=True)
class MotionContext:
    """What a motion function sees: time since start, the envelope and the variation."""

    t: FloatArray  # (n,) seconds since the instance's first frame
    env: FloatArray  # (n,) envelope in (0, 1]
    amp: float
    freq: float
    sign: float


MotionFn = Callable[[MotionContext], Tracks]


@dataclass(frozen=True, slots=True)
class ActionMotion:
    """A renderable action: its MMA-52 id, limb resources, typical length and motion."""

    action_id: int
    name: str
    resources: frozenset[str]
    seconds: tuple[float, float]  # typical length range
    motion: MotionFn


def envelope(n_frames: int, fps: float) -> FloatArray:
    """Activity profile of an instance of n frames: ramps up and down, > 0 on every frame."""
    k = np.arange(n_frames, dtype=np.float64)
    ramp = max(1.0, min(RAMP_SECONDS * fps, n_frames / 3.0))
    up = np.clip((k + 1.0) / (ramp + 1.0), 0.0, 1.0)
    down = np.clip((n_frames - k) / (ramp + 1.0), 0.0, 1.0)
    x = np.minimum(up, down)
    smooth = x * x * (3.0 - 2.0 * x)
    return ENVELOPE_FLOOR + (1.0 - ENVELOPE_FLOOR) * smooth


def _wave(c: MotionContext, hz: float, phase: float = 0.0) -> FloatArray:
    return np.sin(2.0 * np.pi * hz * c.freq * c.t + phase)


def _pulse(c: MotionContext, hz: float) -> FloatArray:
    """0 → 1 → 0 bumps at hz, starting at 0."""
    return 0.5 - 0.5 * np.cos(2.0 * np.pi * hz * c.freq * c.t)


def _reach(side: str, c: MotionContext, anchor: int, x: float, y: float,
           dx: FloatArray | float = 0.0, dy: FloatArray | float = 0.0) -> Tracks:
    """Move one hand from its rest place to (x, y) relative to an anchor, plus an offset."""
    n = c.t.shape[0]
    return {
        f"{side}_w": c.env,
        f"{side}_anchor": np.full(n, float(anchor)),
        f"{side}_tx": np.full(n, x) + dx,
        f"{side}_ty": np.full(n, y) + dy,
    }


# --- body (A) -------------------------------------------------------------------------

def shaking_body(c: MotionContext) -> Tracks:
    """Torso sways side to side while slumping a little."""
    return {"torso_dx": c.env * c.amp * 0.09 * _wave(c, 1.6), "torso_dy": c.env * c.amp * 0.03}


def shrugging(c: MotionContext) -> Tracks:
    """Shoulders go up, pulse, and come down; the head follows a little."""
    lift = c.env * c.amp * (0.09 + 0.03 * _pulse(c, 1.2))
    return {"shoulder_dy": -lift, "head_dy": -0.4 * lift}


# --- head (B) -------------------------------------------------------------------------

def bowing_head(c: MotionContext) -> Tracks:
    """Head pitches down and stays down."""
    return {"head_pitch": c.env * c.amp * 0.9, "head_dy": c.env * c.amp * 0.03}


def head_up(c: MotionContext) -> Tracks:
    """Head pitches up and stays up."""
    return {"head_pitch": -c.env * c.amp * 0.8, "head_dy": -c.env * c.amp * 0.02}


def tilting_head(c: MotionContext) -> Tracks:
    """Head rolls toward one shoulder."""
    return {"head_roll": c.env * c.amp * c.sign * 14.0, "head_yaw": c.env * c.sign * 0.1}


def turning_head(c: MotionContext) -> Tracks:
    """Head turns to one side and holds."""
    return {"head_yaw": c.env * c.amp * c.sign * 0.85}


def nodding(c: MotionContext) -> Tracks:
    """Repeated small down-up pitches of the head."""
    return {"head_pitch": c.env * c.amp * (0.2 + 0.6 * _pulse(c, 2.0))}


def shaking_head(c: MotionContext) -> Tracks:
    """Head turns left-right repeatedly, slightly lowered."""
    return {"head_yaw": c.env * c.amp * 0.6 * _wave(c, 2.2), "head_pitch": c.env * 0.15}


# --- upper limb (C) -------------------------------------------------------------------

def rubbing_hands(c: MotionContext) -> Tracks:
    """Both hands meet in front of the belly and rub up and down against each other."""
    rub = 0.05 * c.amp * _wave(c, 3.0)
    out = _reach("r", c, ANCHOR_TORSO, -0.04, -0.35, dy=rub)
    out.update(_reach("l", c, ANCHOR_TORSO, 0.04, -0.35, dy=-rub))
    return out


def clenching_fist(c: MotionContext) -> Tracks:
    """Right hand lifts in front of the torso and closes into a fist, repeatedly."""
    out = _reach("r", c, ANCHOR_TORSO, -0.24, -0.3)
    out["r_fist"] = c.env * (0.65 + 0.35 * _wave(c, 1.3))
    return out


def stretching_arms(c: MotionContext) -> Tracks:
    """Both arms stretch out sideways and up."""
    lift = -0.06 * c.amp * _pulse(c, 0.8)
    out = _reach("r", c, ANCHOR_TORSO, -0.95, -0.85, dy=lift)
    out.update(_reach("l", c, ANCHOR_TORSO, 0.95, -0.85, dy=lift))
    return out


def waving(c: MotionContext) -> Tracks:
    """Right hand raised beside the head, waving side to side."""
    return _reach("r", c, ANCHOR_TORSO, -0.58, -1.3, dx=0.12 * c.amp * _wave(c, 2.5))


# --- lower limb (D) -------------------------------------------------------------------

def shaking_legs(c: MotionContext) -> Tracks:
    """Knees bounce side to side quickly, heels slightly raised."""
    shake = c.env * c.amp * 0.05 * _wave(c, 4.0)
    lift = c.env * c.amp * 0.025
    return {
        "r_knee_dx": -shake, "l_knee_dx": shake,
        "r_ankle_dx": -0.3 * shake, "l_ankle_dx": 0.3 * shake,
        "r_heel": lift, "l_heel": lift,
    }


def crossing_legs(c: MotionContext) -> Tracks:
    """Right leg lifts and crosses over the left knee."""
    return {"cross": c.env}


def tiptoe(c: MotionContext) -> Tracks:
    """Both heels rise; the feet stand on their toes."""
    lift = c.env * c.amp * (0.1 + 0.02 * _pulse(c, 1.0))
    return {"r_heel": lift, "l_heel": lift}


# --- body-hand (E) --------------------------------------------------------------------

def touching_neck(c: MotionContext) -> Tracks:
    """Right hand goes to the side of the neck and scratches."""
    return _reach("r", c, ANCHOR_HEAD, -0.1, 0.33, dy=0.03 * c.amp * _wave(c, 4.0))


def arms_akimbo(c: MotionContext) -> Tracks:
    """Both hands go to the hips, elbows out."""
    out = _reach("r", c, ANCHOR_TORSO, -0.36, -0.22)
    out.update(_reach("l", c, ANCHOR_TORSO, 0.36, -0.22))
    return out


# --- head-hand (F) --------------------------------------------------------------------

def touching_forehead(c: MotionContext) -> Tracks:
    """Left hand goes to the forehead and scratches side to side."""
    return _reach("l", c, ANCHOR_HEAD, 0.03, -0.15, dx=0.04 * c.amp * _wave(c, 3.5))


def touching_nose(c: MotionContext) -> Tracks:
    """Right hand goes to the nose and rubs it lightly."""
    return _reach("r", c, ANCHOR_HEAD, -0.01, 0.02, dy=0.015 * c.amp * _wave(c, 3.0))


# --- leg-hand (G) ---------------------------------------------------------------------

def patting_legs(c: MotionContext) -> Tracks:
    """Right hand pats the right thigh: lifts and drops repeatedly."""
    return _reach("r", c, ANCHOR_HIPS, -0.2, 0.02, dy=-0.12 * c.amp * _pulse(c, 2.5))


def touching_legs(c: MotionContext) -> Tracks:
    """Left hand goes to the left knee and rubs it."""
    return _reach("l", c, ANCHOR_HIPS, 0.25, 0.2, dx=0.06 * c.amp * _wave(c, 1.5))


_A = ActionMotion
MOTIONS: dict[int, ActionMotion] = {m.action_id: m for m in (
    _A(0, "shaking body", frozenset({TORSO}), (2.5, 11.0), shaking_body),
    _A(2, "shrugging", frozenset({TORSO}), (0.5, 3.5), shrugging),
    _A(5, "bowing head", frozenset({HEAD}), (2.0, 9.0), bowing_head),
    _A(6, "head up", frozenset({HEAD}), (2.0, 7.0), head_up),
    _A(7, "tilting head", frozenset({HEAD}), (2.0, 9.0), tilting_head),
    _A(8, "turning head", frozenset({HEAD}), (1.5, 7.0), turning_head),
    _A(9, "nodding", frozenset({HEAD}), (1.0, 5.5), nodding),
    _A(10, "shaking head", frozenset({HEAD}), (1.0, 5.5), shaking_head),
    _A(14, "rubbing hands", frozenset({ARM_R, ARM_L}), (2.5, 11.0), rubbing_hands),
    _A(16, "clenching fist", frozenset({ARM_R}), (2.0, 7.0), clenching_fist),
    _A(17, "stretching arms", frozenset({ARM_R, ARM_L}), (2.5, 9.0), stretching_arms),
    _A(19, "waving", frozenset({ARM_R}), (2.0, 7.0), waving),
    _A(24, "shaking legs", frozenset({LEGS}), (3.5, 12.0), shaking_legs),
    _A(28, "crossing legs", frozenset({LEGS}), (2.5, 11.0), crossing_legs),
    _A(31, "tiptoe", frozenset({LEGS}), (1.0, 5.5), tiptoe),
    _A(32, "scratching or touching neck", frozenset({ARM_R}), (2.0, 9.0), touching_neck),
    _A(36, "arms akimbo", frozenset({ARM_R, ARM_L}), (3.5, 12.0), arms_akimbo),
    _A(40, "scratching or touching forehead", frozenset({ARM_L}), (2.0, 9.0), touching_forehead),
    _A(43, "touching nose", frozenset({ARM_R}), (1.0, 5.5), touching_nose),
    _A(48, "patting legs", frozenset({ARM_R}), (2.0, 9.0), patting_legs),
    _A(49, "touching legs", frozenset({ARM_L}), (2.0, 11.0), touching_legs),
)}


def empty_tracks(n_frames: int) -> Tracks:
    """All pose fields at rest (zero) for n frames."""
    return {name: np.zeros(n_frames) for name in POSE_FIELDS}


def add_instance(tracks: Tracks, inst: InstanceSpec, fps: float) -> FloatArray:
    """Add one instance's motion to the tracks; returns its envelope over the whole clip."""
    n_frames = next(iter(tracks.values())).shape[0]
    if not 0 <= inst.start_frame <= inst.end_frame < n_frames:
        raise ValueError(f"instance frames [{inst.start_frame}, {inst.end_frame}] outside 0..{n_frames - 1}")
    n = inst.end_frame - inst.start_frame + 1
    env = envelope(n, fps)
    ctx = MotionContext(np.arange(n) / fps, env, inst.amplitude, inst.frequency, inst.sign)
    span = slice(inst.start_frame, inst.end_frame + 1)
    for name, values in MOTIONS[inst.action_id].motion(ctx).items():
        tracks[name][span] += values
    full = np.zeros(n_frames)
    full[span] = env
    return full


def action_tracks(instances: Sequence[InstanceSpec], n_frames: int, fps: float) -> tuple[Tracks, FloatArray]:
    """Pose tracks of all instances and their activity (n_instances, n_frames) envelopes."""
    tracks = empty_tracks(n_frames)
    activity = np.zeros((len(instances), n_frames))
    for i, inst in enumerate(instances):
        activity[i] = add_instance(tracks, inst, fps)
    return tracks, activity
