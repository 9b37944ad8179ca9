"""Simulated annotators: each error model checked statistically over many instances."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from annotator.formats import read_annotations
from annotator.formats.records import AnnotationSet, InstanceRecord, VideoRecord
from annotator.synthetic.simulate import NOISE_LEVELS, ErrorModel, simulate_annotators
from annotator.taxonomy import load_taxonomy

TAXONOMY = load_taxonomy("mma52")
N = 4000


def _truth(spans: tuple[tuple[int, int], ...] = ((200, 400),), same_action: bool = False) -> AnnotationSet:
    rng = np.random.default_rng(0)
    aset = AnnotationSet()
    for v in range(N):
        name = f"S{v % 40:02d}_01_{v:04d}_L"
        aset.videos[name] = VideoRecord(name, 30.0 if v % 4 else 29.0, 600)
        action = int(rng.integers(52))
        for s, e in spans:
            aset.instances.append(InstanceRecord(name, s, e, action if same_action else int(rng.integers(52))))
    return aset


def _one(model: ErrorModel, truth: AnnotationSet | None = None, seed: int = 0) -> AnnotationSet:
    return simulate_annotators(truth or _truth(), TAXONOMY, [model], seed)[0]


def test_no_error_reproduces_the_truth() -> None:
    truth = _truth()
    assert _one(ErrorModel(), truth).instances == truth.instances


def test_jitter_has_zero_mean_and_the_set_spread_per_side() -> None:
    truth = _truth()
    out = _one(ErrorModel(jitter_sd_frames=4.0), truth)
    start = np.array([o.start_frame - t.start_frame for o, t in zip(out.instances, truth.instances, strict=True)])
    end = np.array([o.end_frame - t.end_frame for o, t in zip(out.instances, truth.instances, strict=True)])
    for d in (start, end):
        assert abs(d.mean()) < 0.3
        assert 3.8 < d.std() < 4.25  # 4 frames, plus the rounding's 1/12 frame² variance
    assert abs(np.corrcoef(start, end)[0, 1]) < 0.06  # sides jitter independently


def test_lag_delays_both_boundaries() -> None:
    truth = _truth()
    out = _one(ErrorModel(lag_frames=5.0), truth)
    assert all(o.start_frame - t.start_frame == 5 and o.end_frame - t.end_frame == 5
               for o, t in zip(out.instances, truth.instances, strict=True))


def test_miss_rate() -> None:
    out = _one(ErrorModel(miss_rate=0.2))
    assert abs(len(out.instances) / N - 0.8) < 0.025
    assert len(out.videos) == N  # videos with every instance missed stay


def test_spurious_rate_adds_valid_instances() -> None:
    truth = _truth()
    out = _one(ErrorModel(spurious_rate=0.1), truth)
    assert abs(len(out.instances) - 1.1 * N) < 4 * np.sqrt(0.1 * N)
    extra = set(out.instances) - set(truth.instances)
    assert len(extra) > 0.08 * N
    assert len({i.action_id for i in extra}) > 40


def test_confusion_stays_inside_the_body_part() -> None:
    truth = _truth()
    out = _one(ErrorModel(confusion_rate=0.3), truth)
    changed = 0
    for o, t in zip(out.instances, truth.instances, strict=True):
        assert (o.start_frame, o.end_frame) == (t.start_frame, t.end_frame)
        if o.action_id != t.action_id:
            changed += 1
            assert TAXONOMY.body_part_of(o.action_id) == TAXONOMY.body_part_of(t.action_id)
    assert abs(changed / N - 0.3) < 0.03


def test_split_rate_and_pieces_inside_the_original() -> None:
    out = _one(ErrorModel(split_rate=0.25))
    assert abs(len(out.instances) / N - 1.25) < 0.03
    by_video: dict[str, list[InstanceRecord]] = {}
    for inst in out.instances:
        by_video.setdefault(inst.video_id, []).append(inst)
    for pieces in by_video.values():
        assert 200 <= pieces[0].start_frame and pieces[-1].end_frame <= 400
        if len(pieces) == 2:
            assert pieces[0].end_frame + 3 == pieces[1].start_frame
            assert pieces[0].action_id == pieces[1].action_id


def test_merge_rate_joins_consecutive_same_action_instances() -> None:
    truth = _truth(((100, 200), (260, 360)), same_action=True)
    out = _one(ErrorModel(merge_rate=0.5), truth)
    merged = [i for i in out.instances if (i.start_frame, i.end_frame) == (100, 360)]
    assert abs(len(merged) / N - 0.5) < 0.03
    assert len(out.instances) == 2 * N - len(merged)


@pytest.mark.parametrize("level", sorted(NOISE_LEVELS))
def test_every_output_is_valid_and_deterministic(level: str) -> None:
    truth = _truth(((0, 3), (590, 599), (300, 302)))
    outs = simulate_annotators(truth, TAXONOMY, NOISE_LEVELS[level], seed=3)
    assert len(outs) == 3
    for out in outs:
        for i in out.instances:
            fps = out.videos[i.video_id].fps
            assert 0 <= i.start_frame < i.end_frame <= 599
            assert (i.end_frame - i.start_frame) / fps >= 0.2 - 1e-9
    again = simulate_annotators(truth, TAXONOMY, NOISE_LEVELS[level], seed=3)
    assert [o.instances for o in outs] == [o.instances for o in again]


def test_the_three_annotators_of_a_level_differ() -> None:
    outs = simulate_annotators(_truth(), TAXONOMY, NOISE_LEVELS["medium"], seed=0)
    assert outs[0].instances != outs[1].instances != outs[2].instances


@pytest.mark.parametrize("field, value", [("miss_rate", 1.5), ("jitter_sd_frames", -1.0),
                                          ("spurious_rate", float("nan"))])
def test_bad_error_models_are_refused(field: str, value: float) -> None:
    with pytest.raises(ValueError, match=field):
        ErrorModel(**{field: value})


@pytest.mark.realdata
def test_real_mma52_train_file_is_simulated_within_bounds(mma52_dir: Path) -> None:
    # its speed (about 0.1 s for all three) is a bench figure, not a timed test: shared CI
    # machines made a time limit here flaky
    truth = read_annotations(mma52_dir / "train.csv", "mma52-csv", TAXONOMY)
    outs = simulate_annotators(truth, TAXONOMY, NOISE_LEVELS["high"], seed=0)
    for out in outs:
        assert 0.8 * len(truth.instances) < len(out.instances) < 1.2 * len(truth.instances)
        for i in out.instances:
            assert 0 <= i.start_frame < i.end_frame < out.videos[i.video_id].total_frames
