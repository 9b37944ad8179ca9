"""Issue 25, item 1: every command error is one line naming the file or value, exit 2 for bad input
and 1 for a failed operation, with nothing changed on disk or in the database."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.model import GROUND_TRUTH, Role
from annotator.project import Project
from app.cli.main import main

CSV = ("id,video_id,start_frame,end_frame,class,total_frames,fps\n"
       "0,196_01_0005_L,0,30,9,168,30.0\n1,201_02_0001_R,10,100,21,300,29.0\n")


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


@pytest.fixture
def proj(tmp_path: Path, new_sqlite_project: Callable[[Path, str], Project]) -> Path:
    """A project with two ground-truth clips, split into train and val."""
    project = new_sqlite_project(tmp_path / "proj", "proj")
    (tmp_path / "gt.csv").write_text(CSV, "utf-8")
    assert main(["import-annotations", str(project.path), str(tmp_path / "gt.csv"), "--format", "mma52-csv",
                 "--ground-truth", "--subset", "train"]) == 0
    return project.path


@pytest.fixture
def afile(tmp_path: Path) -> Path:
    path = tmp_path / "afile"
    path.write_text("x", "utf-8")
    return path


def files_under(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*")}


@pytest.mark.parametrize("sub", ["", "sub"])
def test_init_on_a_file_is_one_line(afile: Path, sub: str, capsys: pytest.CaptureFixture[str]) -> None:
    target = afile / sub if sub else afile
    code, _, err = run(["init", str(target)], capsys)
    assert code == 2
    line = one_line(err)
    assert str(afile) in line and "is a file, not a folder" in line
    assert afile.read_text("utf-8") == "x"


@pytest.mark.parametrize("command", [
    ["export", "{proj}", "{out}", "--format", "mma52-csv", "--source", "ground-truth"],
    ["stats", "{proj}", "--out", "{out}"],
    ["agreement", "{proj}", "--out", "{out}"],
    ["train", "{proj}", "--out", "{out}", "--config", "tiny"],
])
@pytest.mark.parametrize("where", ["afile", "afile/sub"])
def test_an_output_folder_under_or_at_a_file_is_one_line_and_writes_nothing(
        proj: Path, afile: Path, tmp_path: Path, command: list[str], where: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    before = files_under(tmp_path)
    out = tmp_path / where
    args = [a.format(proj=proj, out=out) for a in command]
    code, _, err = run(args, capsys)
    assert code == 2, err
    line = one_line(err)
    assert str(afile) in line and "is a file, not a folder" in line
    assert files_under(tmp_path) == before


def test_export_into_proc_is_one_line(proj: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["export", str(proj), "/proc/nope", "--format", "mma52-csv", "--source", "ground-truth"],
                       capsys)
    assert code in (1, 2)
    assert "/proc/nope" in one_line(err)


def test_predict_with_a_bad_out_fails_before_anything_is_stored(proj: Path, afile: Path, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    store = Project.open(proj).open_store()
    before = store.audit_log(limit=1000)
    store.close()
    code, _, err = run(["predict", str(proj), "--checkpoint", str(tmp_path / "none.pt"), "--store",
                        "--out", str(afile / "x.json")], capsys)
    assert code == 2
    assert str(afile) in one_line(err)  # said before the checkpoint is even read
    store = Project.open(proj).open_store()
    try:
        assert store.audit_log(limit=1000) == before
    finally:
        store.close()


def test_agreement_with_no_ready_clip_is_one_line_exit_1(proj: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    store = Project.open(proj).open_store()
    store.add_annotator("a1", Role.ANNOTATOR)
    store.add_annotator("a2", Role.ANNOTATOR)
    store.close()
    assert main(["assign", str(proj), "--annotators", "a1,a2"]) == 0
    capsys.readouterr()
    code, out, err = run(["agreement", str(proj), "--out", str(tmp_path / "rep")], capsys)
    assert code == 1 and out == ""
    assert "no clip to compare" in one_line(err) and "2 not ready" in err
    assert not (tmp_path / "rep").exists()


def test_agreement_on_imported_ground_truth_only_is_one_line(proj: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["agreement", str(proj), "--json"], capsys)
    assert code == 1 and "no clip to compare" in one_line(err)


def test_doubled_command_prefix_is_said_once(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(["predict", "v.mp4", "--checkpoint", str(tmp_path / "c.pt")], capsys)
    assert code == 2
    line = one_line(err)
    assert line.startswith("mmad predict: error: ") and line.count("mmad predict") == 1


def test_a_damaged_database_names_the_file_and_the_newest_backup(proj: Path, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["backup", str(proj)]) == 0
    newest = sorted((proj / "backups").glob("project-*.sqlite"))[-1]
    db = proj / "project.sqlite"
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])  # a truncated copy, as a failed network copy leaves it
    for side in ("-wal", "-shm"):
        (proj / f"project.sqlite{side}").unlink(missing_ok=True)
    capsys.readouterr()
    for command in (["stats", str(proj)], ["export", str(proj), str(tmp_path / "o"), "--format", "mma52-csv"],
                    ["merge", str(proj)]):
        code, _, err = run(command, capsys)
        assert code == 1, err
        line = one_line(err)
        assert str(db) in line and "damaged" in line and newest.name in line and "mmad restore" in line
    assert sorted((proj / "backups").glob("project-*.sqlite"))[-1] == newest  # no damaged copy rotated in
    assert main(["restore", str(proj)]) == 0
    store = Project.open(proj).open_store()
    try:
        assert {c.name for c in store.clips()} == {"196_01_0005_L", "201_02_0001_R"}
        assert len([s for segs in store.segments_by_clip(GROUND_TRUTH).values() for s in segs]) == 2
    finally:
        store.close()


def test_an_os_error_mid_command_is_one_line_exit_1(proj: Path, monkeypatch: pytest.MonkeyPatch,
                                                    tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import annotator.exporting as exporting

    def full_disk(*_: object, **__: object) -> list[Path]:
        raise OSError(28, "No space left on device", str(tmp_path / "out" / "all.csv"))

    monkeypatch.setattr(exporting, "write_export", full_disk)
    code, _, err = run(["export", str(proj), str(tmp_path / "out"), "--format", "mma52-csv",
                        "--source", "ground-truth"], capsys)
    assert code == 1
    assert one_line(err) == f"mmad export: error: {tmp_path / 'out' / 'all.csv'}: No space left on device"



def test_merge_pairwise_with_no_ready_clip_is_no_traceback(proj: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["merge", str(proj), "--crosscheck", "pairwise"], capsys)  # found by the CLI fuzz
    assert code == 0 and "merged 0 clip" in out
