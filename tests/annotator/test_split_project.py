"""mmad split stratifies on the instances the export writes: the finalised merge, else ground truth."""
# ruff: noqa: F811  -- test functions take the imported pytest fixtures as arguments

from __future__ import annotations

from collections import Counter

import pytest

from annotator.errors import InputError
from annotator.exporting import MERGED, select_export, split_project
from annotator.model import GROUND_TRUTH, MergedInstance, MergedStatus, MergeRule, Segment, Subset
from annotator.splits import check_no_leakage, split_by_subject
from annotator.store.api import NewClip, StoreAPI
from annotator.store.store import Store
from tests.annotator.store.db import db_url, project, store  # noqa: F401  (pytest fixtures)

RATIOS = (0.5, 0.25, 0.25)
COMMON, RARE = 3, 7
SUBJECTS = 16
RARE_SUBJECTS = {"s02", "s05", "s11", "s14"}  # a quarter of the subjects: 2/1/1 is a perfect share


def add_labelled_project(store: StoreAPI, where: str) -> None:
    """SUBJECTS one-clip subjects, two COMMON instances each and one RARE in RARE_SUBJECTS, stored
    only as finalised merged instances (where="merged") or only as imported ground truth."""
    names = [f"s{i:02d}" for i in range(SUBJECTS)]
    clips = store.add_clips([NewClip(f"{n}_clip", n, 30.0, 300) for n in names])
    for clip in clips:
        labels = [COMMON, COMMON] + ([RARE] if clip.subject in RARE_SUBJECTS else [])
        if where == GROUND_TRUTH:
            for k, label in enumerate(labels):
                store.add_segment(Segment(None, clip.id, GROUND_TRUTH, 40 * k, 40 * k + 30, label))
            continue
        store.replace_unresolved_merged(clip.id, [
            MergedInstance(None, clip.id, 40 * k, 40 * k + 30, label, (), MergeRule.SINGLE, True, MergedStatus.RELIABLE)
            for k, label in enumerate(labels)])
        store.finalise_clip(clip.id)


def _rare_per_subset(store: StoreAPI) -> Counter[Subset | None]:
    return Counter(c.subset for c in store.clips() if c.subject in RARE_SUBJECTS)


@pytest.mark.parametrize("where", [MERGED, GROUND_TRUTH])
def test_split_is_stratified_on_the_labels_the_export_writes(store: Store, where: str) -> None:
    add_labelled_project(store, where)
    assert not store.segments_by_clip(GROUND_TRUTH) or where == GROUND_TRUTH  # merged: no ground truth at all
    for seed in range(4):
        summary = split_project(store, RATIOS, seed)
        assert summary.source == where  # the export's default source: merged once any clip is finalised
        clips = store.clips()
        check_no_leakage({c.name: c.subset for c in clips}, {c.name: c.subject for c in clips})
        assert _rare_per_subset(store) == {Subset.TRAIN: 2, Subset.VAL: 1, Subset.TEST: 1}, seed
        assert summary.clips == {"train": 8, "val": 4, "test": 4}
        written = select_export(store, where).annotations
        by_subset = Counter(written.videos[i.video_id].subset for i in written.instances)
        assert summary.instances == dict(by_subset) == {"train": 18, "val": 9, "test": 9}
        assert summary.balance.max_share_diff == pytest.approx(0.0)  # every subset 2 rare in 18
        assert summary.balance.instance_ratios[Subset.TRAIN] == pytest.approx(0.5)
        assert summary.lines()[-1].startswith(f"stratified on source {where}: 36 instances")


def test_a_label_blind_split_misplaces_the_rare_label() -> None:
    """The control: without the labels, some of the seeds above put the rare subjects unevenly."""
    subject_of = {f"s{i:02d}_clip": f"s{i:02d}" for i in range(SUBJECTS)}
    uneven = 0
    for seed in range(4):
        split = split_by_subject(subject_of, {}, 52, RATIOS, seed)
        rare = Counter(split[f"{s}_clip"] for s in RARE_SUBJECTS)
        uneven += rare != {Subset.TRAIN: 2, Subset.VAL: 1, Subset.TEST: 1}
    assert uneven


def test_an_explicit_source_is_used_and_no_labels_is_said(store: Store) -> None:
    add_labelled_project(store, MERGED)
    summary = split_project(store, RATIOS, 0, source=GROUND_TRUTH)  # no ground truth: videos only
    assert summary.source == GROUND_TRUTH and sum(summary.instances.values()) == 0
    assert summary.balance.worst is None
    assert "no instances yet, so on video counts only" in summary.lines()[-1]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"source": "people"}, "unknown source 'people'"),
    ({"source": "annotator:nobody"}, "no annotator named 'nobody'"),
    ({"ratios": (0.5, -0.5, 1.0)}, "ratios must be three non-negative numbers"),
])
def test_bad_input_is_one_message_and_leaves_the_split(store: Store, kwargs: dict[str, object],
                                                       message: str) -> None:
    add_labelled_project(store, MERGED)
    split_project(store, RATIOS, 1)
    before = [(c.name, c.subset) for c in store.clips()]
    with pytest.raises(InputError, match=message) as info:
        split_project(store, **kwargs)  # type: ignore[arg-type]
    assert len(str(info.value).splitlines()) == 1
    assert [(c.name, c.subset) for c in store.clips()] == before


def test_a_split_on_one_finalised_instance_says_it_had_too_little(store: Store) -> None:
    names = [f"s{i:02d}" for i in range(6)]
    clips = store.add_clips([NewClip(f"{n}_clip", n, 30.0, 300) for n in names])
    store.replace_unresolved_merged(clips[0].id, [
        MergedInstance(None, clips[0].id, 10, 40, COMMON, (), MergeRule.SINGLE, True, MergedStatus.RELIABLE)])
    store.finalise_clip(clips[0].id)
    summary = split_project(store, RATIOS, 0)
    assert sum(summary.instances.values()) == 1 and summary.labelled_subjects == 1
    assert len(summary.starved()) == 2  # the one labelled subject feeds one subset only
    assert summary.lines()[-1].startswith("warning: too little data to balance on (1 instance from 1 subject)")
    assert split_project(store, (1.0, 0.0, 0.0), 0).starved() == []  # only train asked for: it has data
