"""Issue 25, item 2: ids that would name a path elsewhere are refused once, in
annotator.input_checks.check_id, on every reader and argument that takes them, and every path
built from an id stays under its folder."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.errors import InputError, RuleViolation
from annotator.formats import read_annotations
from annotator.input_checks import MAX_CLIP_NAME, check_id, path_under
from annotator.model import Role
from annotator.project import Project
from annotator.taxonomy import load_taxonomy
from app.cli.main import main

MMA52 = load_taxonomy("mma52")
HEAD = "id,video_id,start_frame,end_frame,class,total_frames,fps\n"
ESCAPES = ["../../etc/passwd", "a/b", "a\\b", "..", ".", "x..y", "tab\there", "nul\x00", "x" * (MAX_CLIP_NAME + 1)]


@pytest.mark.parametrize("name", ESCAPES)
def test_check_id_refuses_separators_dots_controls_and_long_names(name: str) -> None:
    with pytest.raises(InputError) as info:
        check_id(name, "f.csv", "line 2", "video id", MAX_CLIP_NAME)
    assert str(info.value).startswith("f.csv, line 2: ") and "\n" not in str(info.value)


@pytest.mark.parametrize("name", ["S01_01_0001_R", "train0000", "196_01_0005_L", "名字", "a.b", "with space"])
def test_check_id_takes_ordinary_ids(name: str) -> None:
    assert check_id(name, "f", None, "video id", MAX_CLIP_NAME) == name


def test_path_under_stays_in_its_folder(tmp_path: Path) -> None:
    assert path_under(tmp_path, "S01_01", ".npz") == tmp_path / "S01_01.npz"
    for name in ("../escape", "a/b", ".."):
        with pytest.raises(InputError):
            path_under(tmp_path, name, ".npz")
    with pytest.raises(InputError, match="leaves the folder"):
        path_under(tmp_path, "x", "/../../y")


def _opentad(vid: str) -> str:
    return json.dumps({"database": {vid: {"subset": "training", "duration": 5.0, "fps": 30.0,
                                          "annotations": [{"label": "nodding", "segment": [1.0, 2.0]}]}}})


def _pointtad(vid: str) -> str:
    return json.dumps({vid: {"subset": "train", "duration": 5.0, "fps": 30.0, "frame_num": 150,
                             "annotations": [{"label": "nodding", "segment": [1.0, 2.0]}]}})


@pytest.mark.parametrize(("fmt", "suffix", "text"), [
    ("mma52-csv", ".csv", HEAD + "0,../../etc/passwd,0,30,9,168,30.0\n"),
    ("opentad-json", ".json", _opentad("../../escape/S01_01_0001_R")),
    ("pointtad-json", ".json", _pointtad("../../escape/S01_01_0001_R")),
])
def test_every_reader_refuses_an_id_that_escapes(tmp_path: Path, fmt: str, suffix: str, text: str) -> None:
    path = tmp_path / f"bad{suffix}"
    path.write_text(text, "utf-8")
    with pytest.raises(InputError, match="ids cannot name other folders"):
        read_annotations(path, fmt, MMA52)


def test_import_refuses_an_escaping_csv_id_and_stores_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                              new_sqlite_project: Callable[[Path, str], Project]
                                                              ) -> None:
    project = new_sqlite_project(tmp_path / "p", "p")
    (tmp_path / "bad.csv").write_text(HEAD + "0,S01_01,0,30,9,168,30.0\n1,../../etc/passwd,0,30,9,168,30.0\n",
                                      "utf-8")
    assert main(["import-annotations", str(project.path), str(tmp_path / "bad.csv"), "--format", "mma52-csv",
                 "--ground-truth"]) == 2
    err = capsys.readouterr().err
    assert "line 3" in err and "'../../etc/passwd'" in err and len(err.strip().splitlines()) == 1
    store = project.open_store()
    try:
        assert store.clips() == []
    finally:
        store.close()


def test_train_data_with_escaping_ids_reads_and_writes_nothing_outside(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "data.json").write_text(_opentad("../../escape/S01_01_0001_R"), "utf-8")
    (tmp_path / "vids" / "sub").mkdir(parents=True)
    code = main(["train", "--data", str(tmp_path / "data.json"), "--videos", str(tmp_path / "vids" / "sub"),
                 "--out", str(tmp_path / "runs" / "t2"), "--backbone", "pose"])
    assert code == 2
    assert "ids cannot name other folders" in capsys.readouterr().err
    assert not (tmp_path / "runs").exists() and not (tmp_path / "escape").exists()


def test_video_lookup_and_pose_cache_build_paths_through_the_check(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    from inference.data import find_videos
    from inference.pose.cache import cache_path

    with pytest.raises(InputError):
        find_videos(["../x"], tmp_path)
    with pytest.raises(InputError):
        cache_path(tmp_path, "../../escape")
    assert cache_path(tmp_path, "c1").parent == tmp_path / "pose"


@pytest.mark.parametrize("name", ["../x", "a/b", "bad\nname"])
def test_user_names_are_ids(tmp_path: Path, name: str, new_sqlite_project: Callable[[Path, str], Project]) -> None:
    store = new_sqlite_project(tmp_path / "p", "p").open_store()
    try:
        with pytest.raises((InputError, RuleViolation)):
            store.add_annotator(name, Role.ANNOTATOR)
    finally:
        store.close()


def test_import_clips_skips_a_file_whose_name_is_not_an_id(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                           new_sqlite_project: Callable[[Path, str], Project]) -> None:
    from tests.annotator.test_clips import make_video

    project = new_sqlite_project(tmp_path / "p", "p")
    make_video(tmp_path / "vids" / "a..b.avi", 9)
    main(["import-clips", str(project.path), str(tmp_path / "vids")])
    out = capsys.readouterr().out
    assert "'..'" in out and "clips created: 0" in out
