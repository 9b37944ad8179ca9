"""Subject-disjoint train/val/test splits with multi-label stratification over subjects.

Each subject is one indivisible item carrying a feature vector: its instance count per
class and its video count. A split j should hold r_j of every feature. The assignment
minimises a Pearson-style cost, sum over splits j and features f of
w_f (N_jf - r_j T_f)^2 / (r_j T_f), where N_jf is what split j holds and T_f the total;
the video column is weighted up so the video ratios are hit closely. It starts from a
greedy pass in the manner of Sechidis et al. (2011), items with the rarest classes first,
each to the split that lowers the cost most, then improves by single moves and pairwise
swaps of subjects until no move lowers the cost. Deterministic for a seed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from annotator.model import Subset

DEFAULT_RATIOS = (0.69, 0.23, 0.08)
SPLITS = (Subset.TRAIN, Subset.VAL, Subset.TEST)
VIDEO_WEIGHT = 20.0  # the video column counts as this many class columns
MAX_SWAP_SUBJECTS = 1500  # above this, pairwise swaps cost too much; moves alone suffice
MAX_ROUNDS = 5000

Matrix = npt.NDArray[np.float64]


class LeakageError(ValueError):
    """A subject has videos in two different subsets."""


@dataclass(frozen=True, slots=True)
class SplitBalance:
    """How well a split meets its targets."""

    video_ratios: dict[Subset, float]  # share of videos per subset
    instance_ratios: dict[Subset, float]  # share of instances per subset
    max_share_diff: float  # max over subsets and classes of |class share in subset - in whole|
    worst: tuple[Subset, int] | None  # where that maximum is (subset, class id)


def split_by_subject(
    subject_of: Mapping[str, str],
    labels_of: Mapping[str, Sequence[int]],
    n_classes: int,
    ratios: Sequence[float] = DEFAULT_RATIOS,
    seed: int = 0,
) -> dict[str, Subset]:
    """Assign every video of `subject_of` to a subset, whole subjects only.

    `labels_of` gives each video's instance class ids (repeats count; videos missing from it
    have no instances). `ratios` are the target shares of videos for train, val, test.
    """
    targets = check_ratios(ratios)
    subjects = sorted(set(subject_of.values()))
    if not subjects:
        return {}
    features = _subject_features(subjects, subject_of, labels_of, n_classes)
    assign = _greedy(features, targets, seed)
    assign = _improve(features, targets, assign)
    split_of_subject = {s: SPLITS[int(j)] for s, j in zip(subjects, assign, strict=True)}
    return {video: split_of_subject[subject] for video, subject in subject_of.items()}


def check_no_leakage(subset_of: Mapping[str, Subset | None], subject_of: Mapping[str, str]) -> None:
    """Raise LeakageError naming the subject, both subsets and a video of each, when a
    subject has videos in two subsets (videos without a subset are ignored)."""
    first: dict[str, tuple[Subset, str]] = {}
    for video in sorted(subset_of):
        subset = subset_of[video]
        if subset is None:
            continue
        subject = subject_of[video]
        seen = first.setdefault(subject, (subset, video))
        if seen[0] != subset:
            raise LeakageError(
                f"subject {subject!r} is in two subsets: {seen[0].value} (video {seen[1]}) "
                f"and {Subset(subset).value} (video {video})"
            )


def split_balance(
    subset_of: Mapping[str, Subset | None], labels_of: Mapping[str, Sequence[int]], n_classes: int
) -> SplitBalance:
    """Achieved video and instance ratios and the largest per-class share difference."""
    videos = {s: 0 for s in SPLITS}
    counts = {s: np.zeros(n_classes) for s in SPLITS}
    for video, subset in subset_of.items():
        if subset is None:
            continue
        videos[subset] += 1
        np.add.at(counts[subset], np.asarray(labels_of.get(video, ()), dtype=np.int64), 1.0)
    whole = sum(counts.values(), np.zeros(n_classes))
    n_videos, n_inst = max(sum(videos.values()), 1), max(float(whole.sum()), 1.0)
    worst, where = 0.0, None
    for subset in SPLITS:
        if counts[subset].sum() == 0:
            continue
        diff = np.abs(counts[subset] / counts[subset].sum() - whole / n_inst)
        if diff.max() > worst:
            worst, where = float(diff.max()), (subset, int(diff.argmax()))
    return SplitBalance(
        video_ratios={s: videos[s] / n_videos for s in SPLITS},
        instance_ratios={s: float(counts[s].sum()) / n_inst for s in SPLITS},
        max_share_diff=worst,
        worst=where,
    )


def check_ratios(ratios: Sequence[float]) -> Matrix:
    """The train/val/test ratios normalised to sum 1; ValueError unless three non-negative numbers."""
    values = np.asarray(list(ratios), dtype=np.float64)
    if values.shape != (3,) or not np.all(np.isfinite(values)) or np.any(values < 0) or values.sum() <= 0:
        raise ValueError(
            f"ratios must be three non-negative numbers for train, val, test, got {list(ratios)}"
        )
    normalised: Matrix = values / values.sum()
    return normalised


def _subject_features(
    subjects: list[str], subject_of: Mapping[str, str], labels_of: Mapping[str, Sequence[int]], n_classes: int
) -> Matrix:
    """(S, n_classes + 1): per-class instance counts, then the video count."""
    unknown = set(labels_of) - set(subject_of)
    if unknown:
        raise ValueError(f"videos with labels but no subject: {', '.join(sorted(unknown)[:5])}")
    row = {s: i for i, s in enumerate(subjects)}
    features = np.zeros((len(subjects), n_classes + 1))
    for video, subject in subject_of.items():
        labels = np.asarray(labels_of.get(video, ()), dtype=np.int64)
        if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
            raise ValueError(f"video {video}: class id out of range 0..{n_classes - 1}")
        np.add.at(features[row[subject]], labels, 1.0)
        features[row[subject], n_classes] += 1.0
    return features


def _weights(features: Matrix, targets: Matrix) -> tuple[Matrix, Matrix]:
    """Expected holdings E (3, F) and cost weights W (3, F)."""
    totals = features.sum(axis=0)
    expected = targets[:, None] * totals[None, :]
    column = np.ones(features.shape[1])
    column[-1] = VIDEO_WEIGHT
    weights = column[None, :] / np.maximum(expected, 1.0)
    return expected, weights


def _greedy(features: Matrix, targets: Matrix, seed: int) -> npt.NDArray[np.int64]:
    expected, weights = _weights(features, targets)
    class_totals = features[:, :-1].sum(axis=0)
    rarity = np.where(features[:, :-1] > 0, class_totals[None, :], np.inf).min(axis=1)
    tie_break = np.random.default_rng(seed).random(len(features))
    # rarest class first (Sechidis), then larger subjects first, then the seeded tie-break
    order = np.lexsort((tie_break, -features[:, -1], rarity))
    allowed = targets > 0
    held = np.zeros_like(expected)
    assign = np.zeros(len(features), dtype=np.int64)
    for s in order:
        f = features[s]
        delta = (weights * f * (f + 2 * (held - expected))).sum(axis=1)
        delta[~allowed] = np.inf
        j = int(np.argmin(delta))
        assign[s] = j
        held[j] += f
    return assign


def _improve(features: Matrix, targets: Matrix, assign: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Best single move or pairwise swap, repeated while one lowers the cost."""
    expected, weights = _weights(features, targets)
    allowed = np.flatnonzero(targets > 0)
    assign = assign.copy()
    squared = features**2
    use_swaps = len(features) <= MAX_SWAP_SUBJECTS
    for _ in range(MAX_ROUNDS):
        held = np.stack([features[assign == j].sum(axis=0) for j in range(3)])
        dev = held - expected
        best = _best_move(features, squared, weights, dev, assign, allowed)
        if use_swaps:
            swap = _best_swap(features, squared, weights, dev, assign, allowed)
            if swap[0] < best[0]:
                best = swap
        gain, changes = best
        if gain >= -1e-9:
            break
        for s, j in changes:
            assign[s] = j
    return assign


def _best_move(
    features: Matrix,
    squared: Matrix,
    weights: Matrix,
    dev: Matrix,
    assign: npt.NDArray[np.int64],
    allowed: npt.NDArray[np.int64],
) -> tuple[float, list[tuple[int, int]]]:
    # cost change of taking s out of its split a and putting it into split b
    out = (squared * weights[assign]).sum(axis=1) - 2 * (features * weights[assign] * dev[assign]).sum(axis=1)
    into = squared @ weights.T + 2 * features @ (weights * dev).T  # (S, 3)
    delta = out[:, None] + into
    delta[np.arange(len(features)), assign] = np.inf
    mask = np.full(3, True)
    mask[allowed] = False
    delta[:, mask] = np.inf
    s, j = np.unravel_index(int(np.argmin(delta)), delta.shape)
    return float(delta[s, j]), [(int(s), int(j))]


def _best_swap(
    features: Matrix,
    squared: Matrix,
    weights: Matrix,
    dev: Matrix,
    assign: npt.NDArray[np.int64],
    allowed: npt.NDArray[np.int64],
) -> tuple[float, list[tuple[int, int]]]:
    best: tuple[float, list[tuple[int, int]]] = (np.inf, [])
    for ia, a in enumerate(allowed):
        for b in allowed[ia + 1 :]:
            in_a, in_b = np.flatnonzero(assign == a), np.flatnonzero(assign == b)
            if not len(in_a) or not len(in_b):
                continue
            fa, fb = features[in_a], features[in_b]
            w = weights[a] + weights[b]
            u = weights[a] * dev[a] - weights[b] * dev[b]
            # g = f_t - f_s moves into a and out of b: delta = sum w g^2 + 2 g.u
            quad = (squared[in_a] @ w)[:, None] + (squared[in_b] @ w)[None, :] - 2 * (fa * w) @ fb.T
            lin = 2 * ((fb @ u)[None, :] - (fa @ u)[:, None])
            delta = quad + lin
            i, k = np.unravel_index(int(np.argmin(delta)), delta.shape)
            if delta[i, k] < best[0]:
                best = (float(delta[i, k]), [(int(in_a[i]), int(b)), (int(in_b[k]), int(a))])
    return best
