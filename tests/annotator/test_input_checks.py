"""Hostile values in every reader: one InputError of one line naming file, place and problem,
and the project unchanged (issue 15's twelve traceback signatures, each pinned here)."""

# ruff: noqa: F811  -- test functions take the imported pytest fixtures as arguments
from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import String, create_engine

from annotator import input_checks
from annotator.errors import InputError, RuleViolation, one_line
from annotator.formats import read_annotations, read_predictions
from annotator.importing import import_annotations
from annotator.model import Role
from annotator.project import Project
from annotator.store.api import BulkImport, NewClip
from annotator.store.orm import ClipRow, SubjectRow
from annotator.store.store import Store
from annotator.taxonomy import load_taxonomy
from tests.annotator.formats.fuzz_inputs import assert_one_line, db_digest
from tests.annotator.store.db import db_url, project, store  # noqa: F401  (pytest fixtures)

HEAD = "id,video_id,start_frame,end_frame,class,total_frames,fps\n"
DEEP = "[" * 100_000 + "]" * 100_000


def _video(**extra: object) -> dict[str, object]:
    return {"duration": 10.0, "fps": 30.0, "annotations": [{"label": "nodding", "segment": [1.0, 2.0]}], **extra}


# (name, format, file text, place the message names, problem it states)
CASES = [
    ("csv field over 131,072 characters", "mma52-csv", HEAD + "0,9_01," + "x" * 131_073 + ",20,9,100,30\n",
     "line 2", "unreadable CSV row: field larger than field limit"),
    ("csv total_frames beyond 64 bits", "mma52-csv", HEAD + f"0,9_01,0,20,9,{2**64},30\n", "line 2",
     "total_frames 18446744073709551616 is out of range"),
    ("csv total_frames beyond 32 bits", "mma52-csv", HEAD + f"0,9_01,0,20,9,{2**31},30\n", "line 2",
     "out of range (the limit is 2,147,483,647)"),
    ("csv video id of 300 characters", "mma52-csv", HEAD + f"0,9_{'v' * 298},0,20,9,100,30\n", "line 2",
     "is 300 characters long; the limit is 255"),
    ("csv fps of 1e308", "mma52-csv", HEAD + "0,9_01,0,20,9,100,1e308\n", "line 2", "fps must be a positive number"),
    ("opentad nested 100,000 deep", "opentad-json", '{"database": {"9_01": ' + DEEP + "}}", "line 1 column 85",
     "JSON nested more than 64 levels deep"),
    ("opentad duration 1e308", "opentad-json", json.dumps({"database": {"9_01": _video(duration=1e308)}}),
     "database.9_01.duration", "out of range"),
    ("opentad segment 1e308", "opentad-json",
     json.dumps({"database": {"9_01": _video(annotations=[{"label": "nodding", "segment": [1.0, 1e308]}])}}),
     "database.9_01.annotations[0].segment[1]", "1e+308 s is out of range"),
    ("opentad lone surrogate in a video id", "opentad-json", '{"database": {"9_\\ud800": ' + json.dumps(_video()) + "}}",
     "database.9_\\ud800", "a lone surrogate that is not valid Unicode text"),
    ("opentad NUL in a video id", "opentad-json", '{"database": {"9_\\u0000x": ' + json.dumps(_video()) + "}}",
     "database.9_\\x00x", "holds the control character '\\x00'"),
    ("opentad NUL in a subject", "opentad-json", json.dumps({"database": {"9_01": _video(subject="a\x00")}}),
     "database.9_01", "subject 'a\\x00' holds the control character"),
    ("opentad subject of 200 characters", "opentad-json", json.dumps({"database": {"9_01": _video(subject="s" * 200)}}),
     "database.9_01", "200 characters long; the limit is 128"),
    ("opentad frame count beyond 64 bits", "opentad-json", json.dumps({"database": {"9_01": _video(frame=2**70)}}),
     "database.9_01.frame", "out of range"),
    ("opentad a 4,000-digit number", "opentad-json", json.dumps({"database": {"9_01": _video(duration=10**4000)}}),
     "database.9_01.duration", "expected a finite number"),
    ("pointtad nested 100,000 deep", "pointtad-json", '{"9_01": {"fps": 30, "duration": 10, "actions": ' + DEEP + "}}",
     "line 1 column 111", "JSON nested more than 64 levels deep"),
    ("pointtad time 1e308", "pointtad-json", json.dumps({"9_01": {"fps": 30, "duration": 10, "actions": [[9, 1, 1e308]]}}),
     "9_01.actions[0][2]", "out of range"),
    ("pointtad duration -1e308", "pointtad-json", json.dumps({"9_01": {"fps": 30, "duration": -1e308}}),
     "9_01.duration", "out of range"),
]


def test_hostile_values_are_refused_in_one_line_and_nothing_changes(
        store: Store, project: Project, tmp_path: Path) -> None:
    store.add_annotator("alice", Role.ANNOTATOR)
    engine = create_engine(project.database_url)
    before = db_digest(engine)
    for name, fmt, text, place, problem in CASES:
        path = tmp_path / ("in.csv" if fmt.endswith("csv") else "in.json")
        path.write_text(text, "utf-8")
        with pytest.raises(InputError) as caught:
            import_annotations(store, path, fmt, annotator="alice")
        assert_one_line(str(caught.value), path)
        assert (caught.value.place, problem in caught.value.problem) == (place, True), (name, str(caught.value))
        assert db_digest(engine) == before, name
    engine.dispose()


UNSTORABLE = [NewClip("a\x00b", "s", 30.0, 100), NewClip("x" * 300, "s", 30.0, 100), NewClip("big", "s", 30.0, 2**64),
              NewClip("bad\ud800", "s", 30.0, 100), NewClip("long_subject", "s" * 200, 30.0, 100)]


def test_database_refusals_become_one_line(store: Store, db_url: str) -> None:
    """The net behind the readers' checks: whatever either database (or its driver) refuses is
    one RuleViolation line, and the store keeps nothing of the batch. SQLite takes NUL and
    long names, so there some writes pass; each must then be whole."""
    for clip in UNSTORABLE:
        before = [c.name for c in store.clips()]
        try:
            store.import_bulk(BulkImport("ground-truth", [clip], {}, [], clip_names=[clip.name]))
        except RuleViolation as exc:
            assert str(exc).startswith("the database refused the import: ") and one_line(str(exc), 1000) == str(exc)
            assert [c.name for c in store.clips()] == before
            with pytest.raises(RuleViolation, match="^the database refused the clips: "):
                store.add_clips([clip])
            assert [c.name for c in store.clips()] == before
        else:
            assert db_url.startswith("sqlite") and [c.name for c in store.clips()] == [*before, clip.name]
    refused = {"sqlite": 2, "postgresql": 5}["sqlite" if db_url.startswith("sqlite") else "postgresql"]
    assert len(store.clips()) == len(UNSTORABLE) - refused


def test_limits_match_the_store_columns() -> None:
    for column, limit in ((ClipRow.name, input_checks.MAX_CLIP_NAME), (SubjectRow.id, input_checks.MAX_SUBJECT)):
        assert isinstance(column.type, String) and column.type.length == limit


def test_deep_taxonomy_and_project_files_are_refused(tmp_path: Path) -> None:
    taxonomy = tmp_path / "tax.json"
    taxonomy.write_text('{"name": "x", "body_parts": ' + DEEP + "}", "utf-8")
    with pytest.raises(InputError, match="line 1 column 92: JSON nested more than 64 levels deep"):
        load_taxonomy(taxonomy)
    with pytest.raises(InputError, match="is a folder, not a file"):
        load_taxonomy(tmp_path)
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "project.toml").write_text('[project]\nname = "p"\ntaxonomy = "mma52"\nx = ' + DEEP + "\n", "utf-8")
    with pytest.raises(InputError, match="nested too deeply"):
        Project.open(folder)
    (folder / "project.toml").write_text('[project]\nname = "p"\ntaxonomy = "mma52"\nmedia_root = "a\\u0000"\n')
    with pytest.raises(InputError, match="project.media_root: media_root 'a\\\\x00' holds the control character"):
        Project.open(folder)
    (folder / "project.toml").write_text('[project]\nname = "p"\ntaxonomy = "gone.json"\n')
    with pytest.raises(InputError, match="project.taxonomy: no taxonomy file 'gone.json' in the project folder"):
        Project.open(folder)


def test_prediction_times_and_huge_numbers_are_refused(tmp_path: Path) -> None:
    mma52 = load_taxonomy("mma52")
    csv_path = tmp_path / "p.csv"
    csv_path.write_text(",video_id,t_start,t_end,class,score\n0,v,0,1e300,9,0.5\n")
    with pytest.raises(InputError, match="line 2: t_end 1e\\+300 s is out of range"):
        read_predictions(csv_path, "submission-csv", mma52)
    json_path = tmp_path / "p.json"
    json_path.write_text('{"results": {"v": [{"segment": [0, 1], "label": "nodding", "score": ' + "9" * 4000 + "}]}}")
    with pytest.raises(InputError, match=r"results.v\[0\].score: expected a finite number, got 9999"):
        read_predictions(json_path, "opentad-results", mma52)
    json_path.write_text('{"results": {"v": [{"segment": [0, ' + "9" * 5000 + "]}]}}")
    with pytest.raises(InputError, match="line 1 column 36: invalid JSON: a number with more than 4,300 digits"):
        read_predictions(json_path, "opentad-results", mma52)


def test_a_message_is_one_printable_line_of_bounded_length(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_text(json.dumps({"database": {"v\n" + "w" * 1000: {"duration": "x" * 10_000}}}))
    with pytest.raises(InputError) as caught:
        read_annotations(path, "opentad-json", load_taxonomy("mma52"))
    message = str(caught.value)
    assert_one_line(message, path)
    assert "database.v\\nwww" in message and "…" in message and len(message) < 1300
