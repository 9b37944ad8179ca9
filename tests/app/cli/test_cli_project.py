"""The project subcommands of `mmad`, including every malformed input refused with nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.model import GROUND_TRUTH
from annotator.project import Project
from app.cli.main import main
from tests.annotator.media.video_files import truncated_copy

DATA = Path(__file__).resolve().parents[2] / "data"

HEADER = "id,video_id,start_frame,end_frame,class,total_frames,fps\n"
GOOD = HEADER + "0,196_01_0005_L,0,30,9,168,30.0\n1,201_02_0001_R,10,100,21,300,29.0\n"


def snapshot(folder: Path) -> tuple[object, ...]:
    store = Project.open(folder).open_store()
    try:
        return store.clips(), store.segments_by_clip(GROUND_TRUTH), store.annotators(), store.audit_log(limit=10_000)
    finally:
        store.close()


@pytest.fixture
def proj(tmp_path: Path) -> Path:
    folder = tmp_path / "proj"
    assert main(["init", str(folder), "--name", "cli"]) == 0
    return folder


def test_full_workflow(proj: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "gt.csv").write_text(GOOD, "utf-8")
    assert main(["import-annotations", str(proj), str(tmp_path / "gt.csv"), "--format", "mma52-csv",
                 "--ground-truth", "--subset", "train"]) == 0
    assert "instances imported:         2" in capsys.readouterr().out
    for name in ("a1", "a2", "a3"):
        assert main(["add-user", str(proj), name, "--role", "annotator"]) == 0
    assert main(["add-user", str(proj), "boss", "--role", "reviewer"]) == 0
    assert main(["assign", str(proj), "--annotators", "a1,a2,a3", "--clips", "train"]) == 0
    assert "assigned 2 clips to a1, a2, a3 (6 new assignments)" in capsys.readouterr().out
    assert main(["import-annotations", str(proj), str(tmp_path / "gt.csv"), "--format", "mma52-csv",
                 "--annotator", "a1"]) == 0
    assert main(["split", str(proj), "--ratios", "0.5,0.5,0", "--seed", "1", "--replace"]) == 0  # over --subset
    assert main(["export", str(proj), str(tmp_path / "out"), "--format", "opentad-json"]) == 0
    data = json.loads((tmp_path / "out" / "mmad_opentad.json").read_text("utf-8"))
    assert sorted(data["database"]) == ["196_01_0005_L", "201_02_0001_R"]
    assert (tmp_path / "out" / "category_idx.txt").exists()
    assert main(["export", str(proj), str(tmp_path / "a1"), "--format", "mma52-csv", "--source", "annotator:a1"]) == 0
    assert (tmp_path / "a1" / "all.csv").read_text("utf-8") == GOOD


def test_stats(proj: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("annotator.stats", reason="annotator/stats.py (engineer A) not present yet")
    (tmp_path / "gt.csv").write_text(GOOD, "utf-8")
    main(["import-annotations", str(proj), str(tmp_path / "gt.csv"), "--format", "mma52-csv", "--ground-truth",
          "--subset", "train"])
    capsys.readouterr()
    assert main(["stats", str(proj), "--json", "--out", str(tmp_path / "stats")]) == 0
    json.loads(capsys.readouterr().out)
    assert (tmp_path / "stats" / "stats.json").exists() and (tmp_path / "stats" / "stats.md").exists()


BAD_CSV = {
    "bad header": (HEADER.replace("class", "klass") + "0,v_1,0,30,9,168,30.0\n", "line 1"),
    "column count": (HEADER + "0,v_1,0,30,9,168\n", "line 2"),
    "end before start": (HEADER + "0,v_1,0,30,9,168,30.0\n1,v_1,50,40,9,168,30.0\n", "line 3"),
    "negative frame": (HEADER + "0,v_1,-5,30,9,168,30.0\n", "line 2"),
    "frame out of range": (HEADER + "0,v_1,100,168,9,168,30.0\n", "line 2"),
    "unknown class": (HEADER + "0,v_1,0,30,52,168,30.0\n", "line 2"),
    "shorter than 0.2 s": (HEADER + "0,v_1,0,30,9,168,30.0\n1,v_1,40,45,9,168,30.0\n",
                           "line 3: instance 40-45 of video 'v_1' (class 9) lasts 0.167 s (5 frames), "
                           "shorter than the minimum 0.2 s (6 frames at 30 fps)"),
    "empty file": ("", ""),
}


@pytest.mark.parametrize("case", list(BAD_CSV))
def test_malformed_csv_is_refused_with_nothing_written(proj: Path, tmp_path: Path, case: str,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    text, place = BAD_CSV[case]
    bad = tmp_path / "bad.csv"
    bad.write_text(GOOD, "utf-8")
    main(["import-annotations", str(proj), str(bad), "--format", "mma52-csv", "--ground-truth"])
    before = snapshot(proj)
    bad.write_text(text, "utf-8")
    capsys.readouterr()
    assert main(["import-annotations", str(proj), str(bad), "--format", "mma52-csv", "--annotator", "x"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and str(bad) in err and place in err, err
    assert snapshot(proj) == before


def test_non_utf8_and_truncated_json_are_refused(proj: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(proj)
    latin = tmp_path / "latin.csv"
    latin.write_bytes(HEADER.encode() + "0,caf\xe9_1,0,30,9,168,30.0\n".encode("latin-1"))
    assert main(["import-annotations", str(proj), str(latin), "--format", "mma52-csv", "--ground-truth"]) == 2
    assert "UTF-8" in capsys.readouterr().err
    cut = tmp_path / "cut.json"
    cut.write_text('{"database": {"v_1": {"duration": 5.6, "annotations": [{"label": "nodd', "utf-8")
    assert main(["import-annotations", str(proj), str(cut), "--format", "opentad-json", "--ground-truth"]) == 2
    err = capsys.readouterr().err.strip()
    assert "cut.json" in err and "line 1" in err and len(err.splitlines()) == 1
    assert snapshot(proj) == before


def test_a_locked_database_is_one_line_and_exit_75(proj: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from annotator.project import DEFAULT_DB_FILE
    from annotator.store import engine as store_engine
    from app.cli.main import EXIT_BUSY
    from tests.annotator.store.test_busy import write_lock

    monkeypatch.setattr(store_engine, "BUSY_TIMEOUT_S", 0.2)
    with write_lock(proj / DEFAULT_DB_FILE):
        assert main(["add-user", str(proj), "ann9", "--role", "annotator"]) == EXIT_BUSY == 75
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "locked by another program" in err and "nothing was changed" in err
    assert main(["add-user", str(proj), "ann9", "--role", "annotator"]) == 0


def test_bad_arguments_exit_2(proj: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["split", str(proj), "--ratios", "0.5,0.6"]) == 2
    assert "--ratios" in capsys.readouterr().err
    assert main(["export", str(proj), str(tmp_path), "--format", "mma52-csv", "--source", "who"]) == 2
    assert main(["add-user", str(tmp_path / "none"), "x", "--role", "annotator"]) == 2
    assert "no project.toml" in capsys.readouterr().err
    assert main(["init", str(proj)]) == 2
    assert main(["import-clips", str(proj), str(tmp_path / "novideos")]) == 2
    (tmp_path / "videos").mkdir()
    capsys.readouterr()
    assert main(["import-clips", str(proj), str(tmp_path / "videos"), "--min-seconds", "10"]) == 2
    assert "--min-seconds/--max-seconds: min 10 s must be at most half of max 15 s" in capsys.readouterr().err


def test_import_clips(proj: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.annotator.test_clips import make_video

    make_video(tmp_path / "vids" / "12_01_0001.avi", 9)
    assert main(["import-clips", str(proj), str(tmp_path / "vids")]) == 0
    assert "clips created: 1" in capsys.readouterr().out
    store = Project.open(proj).open_store()
    try:
        assert [(c.name, c.subject, c.frame_count) for c in store.clips()] == [("12_01_0001", "12", 9)]
    finally:
        store.close()


def test_init_on_postgresql(tmp_path: Path) -> None:
    from tests.annotator.store.db import require_postgresql

    require_postgresql()
    from sqlalchemy import create_engine, text

    from tests.annotator.store.db import SESSION
    from tests.conftest import PG_URL

    schema = f"mmad_cli_{SESSION}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = f"postgresql://postgres@127.0.0.1:5432/test?options=-csearch_path%3D{schema}"
        assert main(["init", str(tmp_path / "pg"), "--db", url]) == 0
        assert Project.open(tmp_path / "pg").database_url.startswith("postgresql+psycopg://")
        assert main(["add-user", str(tmp_path / "pg"), "rev", "--role", "reviewer", "--login", f"{schema}_rev"]) == 0
    finally:
        with admin.begin() as conn:
            if conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": f"{schema}_rev"}).scalar():
                conn.execute(text(f'DROP OWNED BY "{schema}_rev"'))
                conn.execute(text(f'DROP ROLE "{schema}_rev"'))
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_import_clips_cuts_long_recordings_and_refuses_vfr(proj: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    from tests.annotator.media.test_recordings import write_stamped_source

    data = Path(__file__).resolve().parents[2] / "data"
    videos = tmp_path / "videos"
    write_stamped_source(videos / "S01_01_0001_L.mp4", 20.0)  # 600 frames at 30 fps
    (videos / "S02_01_0001_L.mp4").write_bytes((data / "vfr_carphone.mp4").read_bytes())
    (videos / "S03_01_0001_L.mp4").write_bytes((data / "carphone_pristine.mp4").read_bytes())
    capsys.readouterr()
    assert main(["import-clips", str(proj), str(videos), "--max-seconds", "8", "--min-seconds", "4",
                 "--subject-regex", r"^S(\d+)_"]) == 0
    out = capsys.readouterr().out
    assert "clips created: 4" in out and "long recordings cut into clips: 1" in out
    assert f"cut {videos / 'S01_01_0001_L.mp4'} into 3 clips" in out
    assert f"skipped {videos / 'S02_01_0001_L.mp4'}: variable frame rate: frame gaps from 33.4 ms to 100.1 ms" in out
    assert "S03_01_0001_L.mp4: 4.00 s is shorter than the 4 s minimum" not in out  # 120 frames / 29.97 fps
    store = Project.open(proj).open_store()
    try:
        assert [(c.name, c.subject, c.frame_count, c.source_offset_frame) for c in store.clips()] == [
            ("S03_01_0001_L", "03", 120, None), ("S01_01_0001_L_part01", "01", 200, 0),
            ("S01_01_0001_L_part02", "01", 200, 200), ("S01_01_0001_L_part03", "01", 200, 400)]
    finally:
        store.close()


@pytest.mark.parametrize("name", ["merge", "ground-truth", "owner", "model:v1", "x" * 129, "a\x00b"])
def test_no_path_creates_a_reserved_or_bad_user(proj: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                name: str) -> None:
    (tmp_path / "gt.csv").write_text(GOOD, "utf-8")
    before = snapshot(proj)
    assert main(["add-user", str(proj), name, "--role", "annotator"]) == 2
    assert main(["import-annotations", str(proj), str(tmp_path / "gt.csv"), "--format", "mma52-csv",
                 "--annotator", name]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all("name" in line and "error" in line for line in err)
    assert ("reserved" in err[0]) == (name in ("merge", "ground-truth", "owner", "model:v1"))
    assert snapshot(proj) == before


def test_commands_run_as_a_named_user_with_their_rights(proj: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "gt.csv").write_text(GOOD, "utf-8")
    assert main(["import-annotations", str(proj), str(tmp_path / "gt.csv"), "--format", "mma52-csv",
                 "--ground-truth", "--subset", "train"]) == 0
    assert main(["add-user", str(proj), "a1", "--role", "annotator"]) == 0
    assert main(["add-user", str(proj), "rev", "--role", "reviewer"]) == 0
    capsys.readouterr()
    assert main(["add-user", str(proj), "a2", "--role", "annotator", "--as", "a1"]) == 2
    assert "only the owner may add users" in capsys.readouterr().err
    assert main(["assign", str(proj), "--annotators", "a1", "--as", "a1"]) == 2
    assert main(["import-annotations", str(proj), str(tmp_path / "gt.csv"), "--format", "mma52-csv",
                 "--annotator", "a1", "--as", "a1"]) == 2
    assert main(["merge", str(proj), "--as", "a1"]) == 2
    assert main(["merge", str(proj), "--as", "nobody"]) == 2
    assert "unknown user 'nobody'" in capsys.readouterr().err
    # blind mode holds on the command line: an annotator exports no one else's work
    assert main(["export", str(proj), str(tmp_path / "gt"), "--format", "mma52-csv", "--as", "a1"]) == 0
    assert main(["export", str(proj), str(tmp_path / "gt2"), "--format", "mma52-csv", "--as", "rev"]) == 0
    assert (tmp_path / "gt" / "all.csv").read_text("utf-8") != (tmp_path / "gt2" / "all.csv").read_text("utf-8")
    assert main(["assign", str(proj), "--annotators", "a1", "--as", "rev"]) == 0


def test_import_clips_reports_a_damaged_video_and_accepts_it_on_request(
        proj: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    damaged = truncated_copy(DATA / "carphone_pristine.mp4", tmp_path / "in" / "4_01_0001.mp4", 0.5)
    assert main(["import-clips", str(proj), str(damaged.parent)]) == 2  # every file skipped: nothing imported
    out = capsys.readouterr().out
    assert f"  skipped {damaged}: damaged: only 56 of the 120 frames its container declares could be read" in out
    assert main(["import-clips", str(proj), str(damaged.parent), "--accept-damaged"]) == 0
    assert "clips created: 1" in capsys.readouterr().out
    store = Project.open(proj).open_store()
    try:
        clip = store.clip_by_name("4_01_0001")
        assert clip is not None and clip.damaged
    finally:
        store.close()


def test_upgrade_migrates_an_older_sqlite_project_once(proj: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from sqlalchemy import create_engine

    from annotator.store.engine import HEAD_REVISION
    from tests.annotator.store.test_upgrade import _alembic

    engine = create_engine(Project.open(proj).database_url)
    try:
        _alembic(engine, "downgrade", "0005")
    finally:
        engine.dispose()
    capsys.readouterr()
    assert main(["upgrade", str(proj)]) == 0
    assert f"database schema at revision {HEAD_REVISION} (upgraded from 0005)" in capsys.readouterr().out
    assert main(["upgrade", str(proj)]) == 0 and "(already up to date)" in capsys.readouterr().out
    assert main(["upgrade", str(proj.parent / "nowhere")]) == 2  # not a project: one line


def test_a_project_of_a_newer_mmad_studio_is_one_line_and_exit_2(proj: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    from tests.annotator.store.test_migrate_fast_path import NEWER_MESSAGE, dump, newer_schema

    project = Project.open(proj)
    before = newer_schema(project)
    capsys.readouterr()
    for command in (["stats", str(proj)], ["upgrade", str(proj)], ["merge", str(proj)]):
        assert main(command) == 2, command
        err = capsys.readouterr().err.strip()
        assert err.endswith(NEWER_MESSAGE) and len(err.splitlines()) == 1, err
    assert dump(project) == before


def test_split_balances_the_finalised_merge_and_says_so(proj: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from annotator.exporting import MERGED
    from tests.annotator.test_split_project import RARE_SUBJECTS, add_labelled_project

    store = Project.open(proj).open_store()
    try:
        add_labelled_project(store, MERGED)  # labels only as finalised merged instances
    finally:
        store.close()
    capsys.readouterr()
    assert main(["split", str(proj), "--ratios", "0.5,0.25,0.25", "--seed", "2"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split() for line in out[:3]] == [
        ["train:", "8", "clips", "8", "subjects", "18", "instances"],
        ["val:", "4", "clips", "4", "subjects", "9", "instances"],
        ["test:", "4", "clips", "4", "subjects", "9", "instances"]]
    assert out[3] == "stratified on source merged: 36 instances; largest class-share gap 0.0 points"
    store = Project.open(proj).open_store()
    try:
        before = [(c.name, c.subset) for c in store.clips()]
        assert sorted(str(s) for n, s in before if n[:3] in RARE_SUBJECTS) == ["test", "train", "train", "val"]
    finally:
        store.close()
    assert main(["split", str(proj), "--source", "people", "--seed", "5", "--replace"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "unknown source 'people'" in err
    store = Project.open(proj).open_store()
    try:
        assert [(c.name, c.subset) for c in store.clips()] == before  # refused: the split stands
    finally:
        store.close()
    assert main(["split", str(proj), "--source", "ground-truth"]) == 2  # the split stands unless replaced
    assert "give --replace" in capsys.readouterr().err
    assert main(["split", str(proj), "--source", "ground-truth", "--replace"]) == 0
    assert "no instances yet, so on video counts only" in capsys.readouterr().out
    store = Project.open(proj).open_store()
    try:
        assert len({c.subset for c in store.clips()}) == 3  # the ground-truth split was stored
    finally:
        store.close()
