"""Chance-corrected agreement on frame slices: Fleiss' κ and Krippendorff's α (nominal).

Every frame slice t of a clip ([t/fps, (t+1)/fps]) is one subject (unit); each of the clip's
K annotators rates it, per body part, "present" when one of their segments of that body
part covers it (start ≤ t < end), else "absent". Both statistics are computed from the
per-clip sums S1 = Σ_t n_t and S2 = Σ_t n_t², n_t = annotators rating t present, so any
pooling (per clip, per body part, overall) is a sum of these sums.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from merging.table import SegmentTable
from merging.tiou import FloatArray, IntArray


@dataclass(frozen=True, slots=True)
class FrameSums:
    """Per (clip, body part): frames F, raters K, S1 = Σ n_t, S2 = Σ n_t²."""

    frames: IntArray  # (C,)
    raters: IntArray  # (C,)
    s1: IntArray  # (C, B)
    s2: IntArray  # (C, B)


def frame_sums(table: SegmentTable, body_of_action: IntArray, n_body: int) -> FrameSums:
    """Count, per clip and body part, the presence ratings of all frame slices."""
    frames = table.frame_count
    offset = np.concatenate([[0], np.cumsum(frames)])
    total = int(offset[-1])
    k = max(table.max_annotators, 1)
    body = body_of_action[table.action]
    s1 = np.zeros((len(frames), n_body), np.int64)
    s2 = np.zeros((len(frames), n_body), np.int64)
    for b in range(n_body):
        rows = np.flatnonzero(body == b)
        base = table.pos[rows] * (total + 1) + offset[table.clip[rows]]
        size = k * (total + 1)
        diff = (np.bincount(base + table.start[rows], minlength=size)
                - np.bincount(base + table.end[rows], minlength=size))
        present = (np.cumsum(diff.reshape(k, total + 1), axis=1)[:, :total] > 0).sum(axis=0)
        c1 = np.concatenate([[0], np.cumsum(present)])
        c2 = np.concatenate([[0], np.cumsum(present * present)])
        s1[:, b] = c1[offset[1:]] - c1[offset[:-1]]
        s2[:, b] = c2[offset[1:]] - c2[offset[:-1]]
    return FrameSums(frames=frames, raters=table.n_annotators, s1=s1, s2=s2)


def fleiss_kappa(frames: IntArray, raters: IntArray, s1: IntArray, s2: IntArray) -> float | None:
    """Fleiss' κ pooled over the given clips (1-D arrays, one entry per clip), two categories.

    P_t = Σ_c n_tc(n_tc − 1) / (K(K − 1)); P̄ = mean P_t; p_c = Σ n_tc / Σ K;
    κ = (P̄ − Σ p_c²) / (1 − Σ p_c²). None when undefined (fewer than two raters or
    one category only). Clips may differ in K (each frame uses its own K).
    """
    use = (raters >= 2) & (frames > 0)
    f, k, a, b = (x[use].astype(np.float64) for x in (frames, raters, s1, s2))
    if f.sum() == 0:
        return None
    agree = (2 * b - 2 * k * a + f * k * k - f * k) / (k * (k - 1))  # Σ_t P_t per clip
    p_bar = agree.sum() / f.sum()
    p1 = a.sum() / (f * k).sum()
    p_e = p1 * p1 + (1 - p1) * (1 - p1)
    if p_e >= 1.0 - 1e-12:
        return None
    return float((p_bar - p_e) / (1 - p_e))


def krippendorff_alpha(frames: IntArray, raters: IntArray, s1: IntArray, s2: IntArray) -> float | None:
    """Krippendorff's α (nominal, two values) pooled over the given clips.

    α = 1 − D_o / D_e with D_o = (1/n) Σ_u 2 n_u1 n_u0 / (m_u − 1) and
    D_e = 2 n_1 n_0 / (n (n − 1)), n = Σ_u m_u pairable values. None when undefined.
    """
    use = (raters >= 2) & (frames > 0)
    f, k, a, b = (x[use].astype(np.float64) for x in (frames, raters, s1, s2))
    n = (f * k).sum()
    n1 = a.sum()
    n0 = n - n1
    if n < 2 or n1 == 0 or n0 == 0:
        return None
    observed = ((2 * k * a - 2 * b) / (k - 1)).sum() / n  # Σ_t 2 n1 n0 = 2K·S1 − 2·S2
    expected = 2 * n1 * n0 / (n * (n - 1))
    return float(1 - observed / expected)


def pooled(sums: FrameSums, clips: IntArray | None, bodies: IntArray | None) -> tuple[float | None, float | None]:
    """(κ, α) over the chosen clips and body parts (None = all), each (clip, body) a unit set."""
    c = np.arange(len(sums.frames)) if clips is None else clips
    b = np.arange(sums.s1.shape[1]) if bodies is None else bodies
    cc, bb = np.meshgrid(c, b, indexing="ij")
    args = (sums.frames[cc].ravel(), sums.raters[cc].ravel(), sums.s1[cc, bb].ravel(), sums.s2[cc, bb].ravel())
    return fleiss_kappa(*args), krippendorff_alpha(*args)


def per_clip(sums: FrameSums) -> tuple[FloatArray, FloatArray]:
    """(κ, α) of each clip over all its body parts (units: frame × body part), NaN where undefined."""
    k = sums.raters.astype(np.float64)
    f = sums.frames.astype(np.float64) * sums.s1.shape[1]
    a = sums.s1.sum(axis=1).astype(np.float64)
    b = sums.s2.sum(axis=1).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        p_bar = (2 * b - 2 * k * a + f * k * k - f * k) / (k * (k - 1)) / f
        p1 = a / (f * k)
        p_e = p1 * p1 + (1 - p1) * (1 - p1)
        kappa = (p_bar - p_e) / (1 - p_e)
        n = f * k
        alpha = 1 - ((2 * k * a - 2 * b) / (k - 1) / n) / (2 * a * (n - a) / (n * (n - 1)))
    defined = (k >= 2) & (f > 0)
    kappa = np.where(defined & (p_e < 1.0 - 1e-12), kappa, np.nan)
    alpha = np.where(defined & (a > 0) & (a < n), alpha, np.nan)
    return kappa, alpha
