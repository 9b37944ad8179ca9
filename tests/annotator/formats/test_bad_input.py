"""Every malformed input is refused with one InputError naming the file, the place and the problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.errors import InputError
from annotator.formats import read_annotations, read_predictions
from annotator.taxonomy import Taxonomy

HEAD = "id,video_id,start_frame,end_frame,class,total_frames,fps\n"
OK_ROW = "0,v1,10,20,1,100,30.0\n"

CSV_CASES = [
    ("bad header", "id,video,start,end,class,total,fps\n" + OK_ROW, "line 1", "bad header"),
    ("too few columns", HEAD + "0,v1,10,20,1,100\n", "line 2", "6 columns, expected 7"),
    ("too many columns", HEAD + OK_ROW + "1,v1,10,20,1,100,30.0,x\n", "line 3", "8 columns"),
    ("non-integer start", HEAD + "0,v1,ten,20,1,100,30.0\n", "line 2", "start_frame must be an integer"),
    ("non-integer id", HEAD + "x,v1,10,20,1,100,30.0\n", "line 2", "id must be an integer"),
    ("bad fps", HEAD + "0,v1,10,20,1,100,fast\n", "line 2", "fps must be a number"),
    ("zero fps", HEAD + "0,v1,10,20,1,100,0\n", "line 2", "fps must be a positive number"),
    ("nan fps", HEAD + "0,v1,10,20,1,100,nan\n", "line 2", "fps must be finite"),
    (
        "end before start",
        HEAD + OK_ROW + "1,v1,30,20,1,100,30.0\n",
        "line 3",
        "end_frame 20 is not after start_frame 30",
    ),
    ("empty instance", HEAD + "0,v1,20,20,1,100,30.0\n", "line 2", "not after"),
    ("negative start", HEAD + "0,v1,-1,20,1,100,30.0\n", "line 2", "negative start_frame -1"),
    ("end at total_frames", HEAD + "0,v1,10,100,1,100,30.0\n", "line 2", "last 0-based frame is 99"),
    ("end past total", HEAD + "0,v1,10,500,1,100,30.0\n", "line 2", "end_frame 500 is out of range"),
    ("zero total", HEAD + "0,v1,0,1,1,0,30.0\n", "line 2", "total_frames must be positive"),
    ("unknown class", HEAD + "0,v1,10,20,52,100,30.0\n", "line 2", "unknown class id 52"),
    ("negative class", HEAD + "0,v1,10,20,-1,100,30.0\n", "line 2", "unknown class id -1"),
    ("total differs", HEAD + OK_ROW + "1,v1,10,20,1,101,30.0\n", "line 3", "given at line 2"),
    ("fps differs", HEAD + OK_ROW + "1,v1,10,20,1,100,29.0\n", "line 3", "differ from"),
    ("empty video id", HEAD + "0,,10,20,1,100,30.0\n", "line 2", "empty video id"),
]


@pytest.mark.parametrize(
    ("text", "place", "problem"), [c[1:] for c in CSV_CASES], ids=[c[0] for c in CSV_CASES]
)
def test_bad_csv_is_refused(text: str, place: str, problem: str, mma52: Taxonomy, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(InputError) as info:
        read_annotations(path, "mma52-csv", mma52)
    assert info.value.file == str(path)
    assert info.value.place == place
    assert problem in info.value.problem
    assert str(path) in str(info.value)


@pytest.mark.parametrize("fmt", ["mma52-csv", "opentad-json", "pointtad-json"])
def test_empty_missing_and_non_utf8_files(fmt: str, mma52: Taxonomy, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.write_bytes(b"  \n")
    with pytest.raises(InputError, match="empty file"):
        read_annotations(empty, fmt, mma52)
    with pytest.raises(InputError, match="file not found"):
        read_annotations(tmp_path / "nope", fmt, mma52)
    latin = tmp_path / "latin"
    latin.write_bytes(HEAD.encode() + "0,vidé,10,20,1,100,30.0\n".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8") as info:
        read_annotations(latin, fmt, mma52)
    assert info.value.place is not None and info.value.place.startswith("line 2")


def test_csv_without_fps_column_needs_fps(mma52: Taxonomy, tmp_path: Path) -> None:
    path = tmp_path / "nofps.csv"
    path.write_text("id,video_id,start_frame,end_frame,class,total_frames\n0,v1,10,20,1,100\n")
    with pytest.raises(InputError, match="no fps column"):
        read_annotations(path, "mma52-csv", mma52)
    aset = read_annotations(path, "mma52-csv", mma52, fps=29.0)
    assert aset.videos["v1"].fps == 29.0


def test_header_only_csv_is_an_empty_set(mma52: Taxonomy, tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text(HEAD)
    aset = read_annotations(path, "mma52-csv", mma52)
    assert aset.videos == {} and aset.instances == []


GOOD_VIDEO = '"duration": 10.0, "frame": 300, "fps": 30.0, "subset": "training"'
OPENTAD_CASES = [
    ("truncated", '{"database": {"v1": {' + GOOD_VIDEO, "line 1 column", "invalid JSON"),
    ("array top", "[1, 2]", "top level", "expected an object, got an array"),
    ("no database", '{"data": {}}', "top level", "missing key 'database'"),
    ("database not object", '{"database": []}', "database", "expected an object"),
    ("video not object", '{"database": {"v1": 3}}', "database.v1", "expected an object, got a number"),
    (
        "bad subset",
        '{"database": {"v1": {"duration": 10.0, "fps": 30.0, "subset": "train"}}}',
        "database.v1.subset",
        "unknown subset 'train'",
    ),
    ("no duration", '{"database": {"v1": {"fps": 30.0}}}', "database.v1", "missing key 'duration'"),
    (
        "string duration",
        '{"database": {"v1": {"duration": "10", "fps": 30.0}}}',
        "database.v1.duration",
        "expected a number",
    ),
    (
        "annotations not list",
        '{"database": {"v1": {' + GOOD_VIDEO + ', "annotations": {}}}}',
        "database.v1.annotations",
        "expected an array",
    ),
    (
        "unknown label",
        '{"database": {"v1": {'
        + GOOD_VIDEO
        + ', "annotations": [{"label": "dancing", "segment": [1, 2]}]}}}',
        "database.v1.annotations[0].label",
        "unknown label name 'dancing'",
    ),
    (
        "label and id disagree",
        '{"database": {"v1": {'
        + GOOD_VIDEO
        + ', "annotations": [{"label": "nodding", "label_id": 3, "segment": [1, 2]}]}}}',
        "database.v1.annotations[0]",
        "is id 9 but label_id says 3",
    ),
    (
        "segment of three",
        '{"database": {"v1": {'
        + GOOD_VIDEO
        + ', "annotations": [{"label": "nodding", "segment": [1, 2, 3]}]}}}',
        "database.v1.annotations[0].segment",
        "expected [start, end]",
    ),
    (
        "no segment",
        '{"database": {"v1": {' + GOOD_VIDEO + ', "annotations": [{"label": "nodding"}]}}}',
        "database.v1.annotations[0]",
        "missing key 'segment'",
    ),
    (
        "segment reversed",
        '{"database": {"v1": {'
        + GOOD_VIDEO
        + ', "annotations": [{"label": "nodding", "segment": [2, 1]}]}}}',
        "database.v1.annotations[0].segment",
        "not after start_frame",
    ),
    (
        "segment past end",
        '{"database": {"v1": {'
        + GOOD_VIDEO
        + ', "annotations": [{"label": "nodding", "segment": [2, 10.0]}]}}}',
        "database.v1.annotations[0].segment",
        "out of range",
    ),
    ("no fps at all", '{"database": {"v1": {"duration": 10.0}}}', "database.v1", "no fps"),
]


@pytest.mark.parametrize(
    ("text", "place", "problem"), [c[1:] for c in OPENTAD_CASES], ids=[c[0] for c in OPENTAD_CASES]
)
def test_bad_opentad_json_is_refused(
    text: str, place: str, problem: str, mma52: Taxonomy, tmp_path: Path
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(InputError) as info:
        read_annotations(path, "opentad-json", mma52)
    assert info.value.file == str(path)
    assert info.value.place is not None and info.value.place.startswith(place)
    assert problem in info.value.problem


POINTTAD_CASES = [
    (
        "truncated",
        '{"v1": {"subset": "train", "duration": 10.0, "actions": [[1, 0.5,',
        "line 1 column",
        "invalid JSON",
    ),
    ("top array", "[]", "top level", "expected an object"),
    (
        "bad subset",
        '{"v1": {"subset": "training", "duration": 10.0, "fps": 30.0}}',
        "v1.subset",
        "unknown subset",
    ),
    ("no fps", '{"v1": {"subset": "train", "duration": 10.0, "actions": []}}', "v1", "no 'fps' key"),
    (
        "pair not triple",
        '{"v1": {"duration": 10.0, "fps": 30.0, "actions": [[1, 0.5]]}}',
        "v1.actions[0]",
        "expected [class_id, start, end]",
    ),
    (
        "float class",
        '{"v1": {"duration": 10.0, "fps": 30.0, "actions": [[1.5, 0.5, 1.0]]}}',
        "v1.actions[0][0]",
        "expected an integer",
    ),
    (
        "unknown class",
        '{"v1": {"duration": 10.0, "fps": 30.0, "actions": [[60, 0.5, 1.0]]}}',
        "v1.actions[0]",
        "unknown class id 60",
    ),
    (
        "negative start",
        '{"v1": {"duration": 10.0, "fps": 30.0, "actions": [[1, -0.5, 1.0]]}}',
        "v1.actions[0]",
        "negative start_frame",
    ),
]


@pytest.mark.parametrize(
    ("text", "place", "problem"), [c[1:] for c in POINTTAD_CASES], ids=[c[0] for c in POINTTAD_CASES]
)
def test_bad_pointtad_json_is_refused(
    text: str, place: str, problem: str, mma52: Taxonomy, tmp_path: Path
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(InputError) as info:
        read_annotations(path, "pointtad-json", mma52)
    assert info.value.place is not None and info.value.place.startswith(place)
    assert problem in info.value.problem


def test_pointtad_without_fps_key_takes_fps_argument(mma52: Taxonomy, tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text('{"v1": {"subset": "val", "duration": 10.0, "actions": [[9, 0.5, 1.0]]}}')
    aset = read_annotations(path, "pointtad-json", mma52, fps=30.0)
    assert aset.videos["v1"].total_frames == 300
    assert (aset.instances[0].start_frame, aset.instances[0].end_frame) == (15, 30)


def test_unknown_format_is_a_value_error(mma52: Taxonomy, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        read_annotations(tmp_path / "x", "xml", mma52)
    with pytest.raises(ValueError, match="unknown format"):
        read_predictions(tmp_path / "x", "mma52-csv", mma52)
