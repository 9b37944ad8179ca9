"""Lossless round trips through every annotation format, on fixtures, real files and random sets."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.formats import (
    ANNOTATION_FORMATS,
    TOOL_FORMATS,
    AnnotationSet,
    InstanceRecord,
    VideoRecord,
    read_annotations,
    write_annotations,
)
from annotator.formats.label_names import read_category_idx, read_label_names
from annotator.model import Subset
from annotator.taxonomy import Taxonomy

JSON_FORMATS = ("opentad-json", "pointtad-json")


def _through(aset: AnnotationSet, fmt: str, tax: Taxonomy, tmp: Path) -> AnnotationSet:
    written = write_annotations(aset, tmp / f"out.{fmt}", fmt, tax)
    # ELAN writes a folder of files; the other tools' files group instances by video (and ELAN by
    # tier), so their order comes back canonical: sorted here, as the original is for comparing.
    back = read_annotations(tmp / f"out.{fmt}" if fmt == "elan-eaf" else written[0], fmt, tax)
    if fmt in TOOL_FORMATS:
        back.instances.sort(key=_order)
    return back


def _order(inst: InstanceRecord) -> tuple[str, int, int, int]:
    return inst.video_id, inst.start_frame, inst.end_frame, inst.action_id


def _canonical(aset: AnnotationSet, fmt: str) -> list[InstanceRecord]:
    return sorted(aset.instances, key=_order) if fmt in TOOL_FORMATS else aset.instances


def test_small_csv_reads_what_it_holds(fixtures: Path, mma52: Taxonomy) -> None:
    aset = read_annotations(fixtures / "small.csv", "mma52-csv", mma52)
    assert list(aset.videos) == ["196_01_0005_L", "201_02_0001_R"]
    assert aset.videos["201_02_0001_R"] == VideoRecord("201_02_0001_R", 29.0, 290)
    assert aset.instances[0] == InstanceRecord("196_01_0005_L", 23, 71, 9)
    assert len(aset.instances) == 5
    assert aset.same_action_overlaps == 1  # rows 0 and 2: class 9, 23-71 and 30-80
    assert aset.short_instances == 1  # row 4: 2 frames at 29 fps
    assert aset.duplicates == []


def test_small_csv_writes_back_byte_for_byte(fixtures: Path, mma52: Taxonomy, tmp_path: Path) -> None:
    aset = read_annotations(fixtures / "small.csv", "mma52-csv", mma52)
    [out] = write_annotations(aset, tmp_path / "x.csv", "mma52-csv", mma52)
    assert out.read_bytes() == (fixtures / "small.csv").read_bytes()


def test_duplicates_reported_and_kept_once(fixtures: Path, mma52: Taxonomy, tmp_path: Path) -> None:
    aset = read_annotations(fixtures / "duplicates.csv", "mma52-csv", mma52)
    assert aset.duplicates == [InstanceRecord("v1", 10, 20, 1)]
    assert [i.start_frame for i in aset.instances] == [10, 30]
    [out] = write_annotations(aset, tmp_path / "x.csv", "mma52-csv", mma52)
    assert out.read_text().splitlines()[1:] == ["0,v1,10,20,1,100,30.0", "1,v1,30,40,2,100,30.0"]


@pytest.mark.parametrize("fmt", JSON_FORMATS)
def test_json_keeps_videos_without_instances_subsets_and_subjects(
    fmt: str, mma52: Taxonomy, tmp_path: Path
) -> None:
    aset = AnnotationSet(
        videos={
            "a": VideoRecord("a", 29.0, 290, Subset.TRAIN, "196"),
            "b": VideoRecord("b", 30.0, 150, Subset.TEST),
        },
        instances=[InstanceRecord("a", 0, 289, 51)],
    )
    back = _through(aset, fmt, mma52, tmp_path)
    assert back.videos == aset.videos
    assert back.instances == aset.instances


@pytest.mark.parametrize("fmt", JSON_FORMATS)
def test_a_clip_no_split_placed_is_written_unassigned_and_read_back_without_a_subset(
    fmt: str, mma52: Taxonomy, tmp_path: Path
) -> None:
    aset = AnnotationSet(videos={"a": VideoRecord("a", 30.0, 150, None)}, instances=[InstanceRecord("a", 3, 40, 7)])
    written = write_annotations(aset, tmp_path / f"out.{fmt}", fmt, mma52)
    entry = json.loads(written[0].read_text("utf-8"))
    videos = entry["database"] if fmt == "opentad-json" else entry
    assert videos["a"]["subset"] == "unassigned"  # the loaders of OpenTAD and PointTAD read the key of every entry
    assert read_annotations(written[0], fmt, mma52).videos["a"].subset is None


def test_opentad_writes_category_idx_and_names(mma52: Taxonomy, tmp_path: Path) -> None:
    aset = AnnotationSet(videos={"a": VideoRecord("a", 30.0, 300)}, instances=[InstanceRecord("a", 3, 9, 9)])
    paths = write_annotations(aset, tmp_path / "anno.json", "opentad-json", mma52)
    assert paths == [tmp_path / "anno.json", tmp_path / "category_idx.txt"]
    assert read_category_idx(paths[1]) == mma52.action_names
    assert paths[1].read_text().endswith("scratching feet\n")
    assert '"label": "nodding"' in paths[0].read_text()


def test_opentad_foreign_file_without_fps(fixtures: Path, mma52: Taxonomy) -> None:
    aset = read_annotations(fixtures / "opentad_foreign.json", "opentad-json", mma52)
    assert aset.videos["v_a"].total_frames == 168
    assert aset.videos["v_a"].subset == Subset.VAL
    assert aset.videos["v_b"].subset == Subset.TEST and aset.videos["v_b"].fps == 30.0
    assert aset.instances == [InstanceRecord("v_a", 23, 71, 9)]


def test_label_name_file_matches_taxonomy(mma52_dir: Path, mma52: Taxonomy) -> None:
    assert read_label_names(mma52_dir / "label_name.txt") == mma52.action_names


@pytest.mark.realdata
@pytest.mark.parametrize("name", ["train.csv", "val.csv"])
def test_real_files_round_trip_in_every_format(
    name: str, mma52_dir: Path, mma52: Taxonomy, tmp_path: Path
) -> None:
    original = (mma52_dir / name).read_bytes()
    aset = read_annotations(mma52_dir / name, "mma52-csv", mma52)
    for fmt in ANNOTATION_FORMATS:
        if fmt == "elan-eaf" and name == "train.csv":
            continue  # a file per video: val's 1,475 files make the point at a third of the time
        back = _through(aset, fmt, mma52, tmp_path)
        if fmt in TOOL_FORMATS:  # instances grouped by video and tier: the same set, to the frame
            assert (back.instances, back.videos) == (_canonical(aset, fmt), aset.videos), fmt
            continue
        [csv_out] = write_annotations(back, tmp_path / f"back-{fmt}.csv", "mma52-csv", mma52)
        assert csv_out.read_bytes() == original, fmt


@pytest.mark.realdata
def test_real_file_figures(mma52_dir: Path, mma52: Taxonomy) -> None:
    train = read_annotations(mma52_dir / "train.csv", "mma52-csv", mma52)
    val = read_annotations(mma52_dir / "val.csv", "mma52-csv", mma52)
    assert (len(train.videos), len(train.instances)) == (4534, 13698)
    assert (len(val.videos), len(val.instances)) == (1475, 4735)
    assert (train.same_action_overlaps, val.same_action_overlaps) == (40, 45)
    assert (train.duplicates, val.duplicates) == ([], [])
    assert (train.short_instances, val.short_instances) == (0, 0)
    assert {v.fps for v in train.videos.values()} == {29.0, 30.0}


FPS = st.sampled_from([29.0, 30.0, 25.0, 29.97, 59.94, 24.0])


@st.composite
def annotation_sets(draw: st.DrawFn) -> AnnotationSet:
    """Random valid sets; every video has an instance so the CSV can hold them all."""
    videos: dict[str, VideoRecord] = {}
    instances: list[InstanceRecord] = []
    seen: set[InstanceRecord] = set()
    for v in range(draw(st.integers(1, 4))):
        total = draw(st.integers(2, 2000))
        video = VideoRecord(f"{v:03d}_01_{v:04d}_L", draw(FPS), total)
        videos[video.video_id] = video
        for _ in range(draw(st.integers(1, 6))):
            start = draw(st.integers(0, total - 2))
            inst = InstanceRecord(
                video.video_id, start, draw(st.integers(start + 1, total - 1)), draw(st.integers(0, 51))
            )
            if inst not in seen:
                seen.add(inst)
                instances.append(inst)
    return AnnotationSet(videos=videos, instances=instances)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(aset=annotation_sets())
def test_random_sets_round_trip_through_every_format(aset: AnnotationSet, mma52: Taxonomy) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in ANNOTATION_FORMATS:
            back = _through(aset, fmt, mma52, Path(tmp))
            assert back.instances == _canonical(aset, fmt), fmt
            assert back.videos == aset.videos, fmt
