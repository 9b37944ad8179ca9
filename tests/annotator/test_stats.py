"""Dataset statistics (Table 1 columns), JSON, Markdown and plots."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.formats import InstanceRecord, VideoRecord, read_annotations
from annotator.model import Subset
from annotator.stats import dataset_statistics, stats_json, stats_markdown, write_stats_plots
from annotator.taxonomy import Taxonomy, load_taxonomy


@pytest.fixture(scope="module")
def mma52() -> Taxonomy:
    return load_taxonomy("mma52")


VIDEOS = [
    VideoRecord("1_a", 30.0, 300, Subset.TRAIN, "1"),
    VideoRecord("1_b", 30.0, 150, Subset.TRAIN, "1"),
    VideoRecord("2_a", 29.0, 290, Subset.VAL, "2"),
    VideoRecord("3_a", 30.0, 600, None, None),
]
INSTANCES = [
    InstanceRecord("1_a", 0, 30, 9),
    InstanceRecord("1_a", 30, 90, 9),
    InstanceRecord("1_b", 0, 60, 0),
    InstanceRecord("2_a", 0, 290 - 1, 51),
]


def test_table_one_figures(mma52: Taxonomy) -> None:
    stats = dataset_statistics(VIDEOS, INSTANCES, mma52)
    assert list(stats.subsets) == ["train", "val", "unassigned", "all"]
    train, all_ = stats.subsets["train"], stats.subsets["all"]
    assert (train.videos, train.instances, train.subjects) == (2, 3, 1)
    assert train.total_duration == pytest.approx(15.0)
    assert train.avg_video_length == pytest.approx(7.5)
    assert train.avg_instance_length == pytest.approx((1 + 2 + 2) / 3)
    assert (all_.videos, all_.instances, all_.subjects) == (4, 4, 2)
    assert all_.total_duration == pytest.approx(10 + 5 + 10 + 20)
    assert stats.subsets["unassigned"].subjects is None
    assert stats.subsets["unassigned"].avg_instance_length == 0.0
    nodding = stats.classes[9]
    assert nodding.counts == {"train": 2, "val": 0, "unassigned": 0, "all": 2}
    assert nodding.durations["all"] == pytest.approx(3.0)
    assert stats.classes[51].durations["val"] == pytest.approx(289 / 29)


def test_json_and_markdown(mma52: Taxonomy) -> None:
    stats = dataset_statistics(VIDEOS, INSTANCES, mma52)
    data = json.loads(json.dumps(stats_json(stats)))
    assert data["subsets"]["all"]["total_duration_s"] == pytest.approx(45.0)
    assert data["classes"][9]["instances"]["train"] == 2
    text = stats_markdown(stats)
    assert "| train | 2 | 3 | 0.00 | 7.50 | 1.67 | 1 |" in text
    assert "| unassigned | 1 | 0 | 0.01 | 20.00 | 0.00 | — |" in text
    assert "| 9 | B1 | nodding | head | 2 | 0 | 0 | 2 | 3.0 | 1.50 |" in text


def test_unknown_video_or_class_is_refused(mma52: Taxonomy) -> None:
    with pytest.raises(ValueError, match="unknown video 'zz'"):
        dataset_statistics(VIDEOS, [InstanceRecord("zz", 0, 1, 0)], mma52)
    with pytest.raises(KeyError):
        dataset_statistics(VIDEOS, [InstanceRecord("1_a", 0, 1, 99)], mma52)


def test_plots_are_written(mma52: Taxonomy, tmp_path: Path) -> None:
    paths = write_stats_plots(dataset_statistics(VIDEOS, INSTANCES, mma52), tmp_path / "plots")
    assert [p.name for p in paths] == ["instances_per_class.png", "duration_per_class.png"]
    for p in paths:
        assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and p.stat().st_size > 10_000


@pytest.mark.realdata
def test_real_files_table(mma52_dir: Path, mma52: Taxonomy) -> None:
    videos, instances = [], []
    for name, subset in (("train.csv", Subset.TRAIN), ("val.csv", Subset.VAL)):
        aset = read_annotations(mma52_dir / name, "mma52-csv", mma52)
        videos += [VideoRecord(v.video_id, v.fps, v.total_frames, subset) for v in aset.videos.values()]
        instances += aset.instances
    stats = dataset_statistics(videos, instances, mma52)
    assert (stats.subsets["train"].videos, stats.subsets["train"].instances) == (4534, 13698)
    assert (stats.subsets["val"].videos, stats.subsets["val"].instances) == (1475, 4735)
    assert stats.subsets["all"].instances == 18433
    assert sum(c.counts["all"] for c in stats.classes) == 18433
