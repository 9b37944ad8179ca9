"""Subject-disjoint stratified splits and the leakage check."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from annotator.formats import read_annotations
from annotator.model import Subset
from annotator.splits import LeakageError, check_no_leakage, split_balance, split_by_subject
from annotator.subjects import subject_from_name
from annotator.taxonomy import load_taxonomy


def _synthetic(n_subjects: int, seed: int) -> tuple[dict[str, str], dict[str, list[int]]]:
    rng = random.Random(seed)
    subject_of: dict[str, str] = {}
    labels_of: dict[str, list[int]] = {}
    for s in range(n_subjects):
        habit = rng.sample(range(10), 3)  # each person favours a few actions
        for c in range(rng.randint(5, 30)):
            name = f"{s:03d}_01_{c:04d}_L"
            subject_of[name] = subject_from_name(name)
            labels_of[name] = [
                rng.choice(habit) if rng.random() < 0.7 else rng.randrange(10)
                for _ in range(rng.randint(0, 5))
            ]
    return subject_of, labels_of


def test_whole_subjects_ratios_and_determinism() -> None:
    subject_of, labels_of = _synthetic(120, 1)
    split = split_by_subject(subject_of, labels_of, 10, seed=3)
    assert set(split) == set(subject_of)
    check_no_leakage(split, subject_of)
    assert split == split_by_subject(subject_of, labels_of, 10, seed=3)
    balance = split_balance(split, labels_of, 10)
    for subset, target in zip((Subset.TRAIN, Subset.VAL, Subset.TEST), (0.69, 0.23, 0.08), strict=True):
        assert abs(balance.video_ratios[subset] - target) < 0.01
    assert balance.max_share_diff < 0.03


def test_zero_ratio_gets_no_subject() -> None:
    subject_of, labels_of = _synthetic(40, 2)
    split = split_by_subject(subject_of, labels_of, 10, ratios=(0.8, 0.2, 0.0))
    assert Subset.TEST not in set(split.values())
    assert abs(split_balance(split, labels_of, 10).video_ratios[Subset.TRAIN] - 0.8) < 0.03


def test_videos_without_labels_and_tiny_input() -> None:
    split = split_by_subject({"a_1": "a", "b_1": "b", "c_1": "c"}, {}, 5)
    check_no_leakage(split, {"a_1": "a", "b_1": "b", "c_1": "c"})
    assert split["a_1"] in set(Subset) and len(split) == 3
    assert split_by_subject({}, {}, 5) == {}


@pytest.mark.parametrize(
    ("ratios", "labels", "message"),
    [
        ((0.5, 0.5), {}, "three non-negative"),
        ((1.0, -0.1, 0.1), {}, "three non-negative"),
        ((0.0, 0.0, 0.0), {}, "three non-negative"),
        ((0.7, 0.2, 0.1), {"x": [1]}, "no subject: x"),
        ((0.7, 0.2, 0.1), {"a_1": [7]}, "class id out of range"),
    ],
)
def test_bad_arguments(ratios: tuple[float, ...], labels: dict[str, list[int]], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        split_by_subject({"a_1": "a"}, labels, 5, ratios=ratios)


def test_leakage_names_subject_and_both_subsets() -> None:
    subject_of = {"196_a": "196", "196_b": "196", "200_a": "200"}
    check_no_leakage({"196_a": Subset.TRAIN, "196_b": None, "200_a": Subset.VAL}, subject_of)
    with pytest.raises(
        LeakageError, match=r"subject '196' is in two subsets: train \(video 196_a\) and test \(video 196_b\)"
    ):
        check_no_leakage({"196_a": Subset.TRAIN, "196_b": Subset.TEST, "200_a": Subset.VAL}, subject_of)
    assert issubclass(LeakageError, ValueError)


@pytest.mark.realdata
def test_real_files_split_by_real_format_subjects(mma52_dir: Path) -> None:
    """Real videos get real-format ids (~156 subjects in contiguous runs of 15-65 clips)."""
    tax = load_taxonomy("mma52")
    labels: dict[str, list[int]] = {}
    videos: list[str] = []
    for name in ("train.csv", "val.csv"):
        aset = read_annotations(mma52_dir / name, "mma52-csv", tax)
        videos += list(aset.videos)
        for inst in aset.instances:
            labels.setdefault(inst.video_id, []).append(inst.action_id)
    rng, renamed, start, person = random.Random(52), {}, 0, 100
    while start < len(videos):
        run = rng.randint(15, 65)
        for j, video in enumerate(videos[start : start + run]):
            renamed[video] = f"{person}_{j // 20 + 1:02d}_{j:04d}_{'LR'[j % 2]}"
        start, person = start + run, person + 1
    subject_of = {renamed[v]: subject_from_name(renamed[v]) for v in videos}
    labels_of = {renamed[v]: labels.get(v, []) for v in videos}
    split = split_by_subject(subject_of, labels_of, 52, seed=0)
    check_no_leakage(split, subject_of)
    balance = split_balance(split, labels_of, 52)
    assert len(set(subject_of.values())) == 156
    for subset, target in zip((Subset.TRAIN, Subset.VAL, Subset.TEST), (0.69, 0.23, 0.08), strict=True):
        assert abs(balance.video_ratios[subset] - target) < 0.005
    assert balance.max_share_diff < 0.02  # measured 0.85 points
