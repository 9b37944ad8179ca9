"""Issue 25, item 5: exit codes and messages that misled, each pinned."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.model import AssignmentState, Role, Segment
from annotator.project import Project
from annotator.store.api import NewClip
from app.cli.main import main

HEAD = "id,video_id,start_frame,end_frame,class,total_frames,fps\n"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def proj(tmp_path: Path, new_sqlite_project: Callable[[Path, str], Project]) -> Path:
    return new_sqlite_project(tmp_path / "proj", "proj").path


def _csv(tmp_path: Path, text: str, name: str = "gt.csv") -> str:
    (tmp_path / name).write_text(text, "utf-8")
    return str(tmp_path / name)


def test_import_clips_from_an_empty_folder_or_with_every_file_skipped_exits_2(
        proj: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty").mkdir()
    assert main(["import-clips", str(proj), str(tmp_path / "empty")]) == 2
    err = capfd.readouterr().err
    assert "no files to import in this folder" in err
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "broken.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 500)
    assert main(["import-clips", str(proj), str(tmp_path / "bad")]) == 2
    captured = capfd.readouterr()
    assert "every file was skipped (1); nothing imported" in captured.err
    assert "moov atom" not in captured.err and "moov atom" not in captured.out  # FFmpeg's own lines stay quiet


def test_ids_without_a_subject_part_are_reported_with_a_warning(proj: Path, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    rows = "".join(f"{k},train{k:04d},0,30,9,168,30.0\n" for k in range(3))
    code, out, _ = run(["import-annotations", str(proj), _csv(tmp_path, HEAD + rows), "--format", "mma52-csv",
                        "--ground-truth"], capsys)
    assert code == 0
    assert "subjects from clip ids:     3 clips, 3 subjects (--subject-regex ^([^_]+))" in out
    assert "warning: every new clip is its own subject" in out


def test_ids_with_a_subject_part_are_reported_without_a_warning(proj: Path, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    rows = "0,S01_01,0,30,9,168,30.0\n1,S01_02,0,30,9,168,30.0\n2,S02_01,0,30,9,168,30.0\n"
    code, out, _ = run(["import-annotations", str(proj), _csv(tmp_path, HEAD + rows), "--format", "mma52-csv",
                        "--ground-truth"], capsys)
    assert code == 0 and "3 clips, 2 subjects" in out and "warning" not in out


def test_split_asks_for_replace_before_changing_imported_subsets(proj: Path, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    rows = "".join(f"{k},S{k:02d}_01,0,30,9,168,30.0\n" for k in range(4))
    assert main(["import-annotations", str(proj), _csv(tmp_path, HEAD + rows), "--format", "mma52-csv",
                 "--ground-truth", "--subset", "train"]) == 0
    capsys.readouterr()
    code, _, err = run(["split", str(proj), "--ratios", "0.5,0.5,0"], capsys)
    assert code == 2 and "4 train" in err and "--replace" in err
    store = Project.open(proj).open_store()
    try:
        assert {str(c.subset) for c in store.clips()} == {"train"}
    finally:
        store.close()
    assert main(["split", str(proj), "--ratios", "0.5,0.5,0", "--replace"]) == 0


def test_import_as_an_unknown_annotator_is_refused_like_assign(proj: Path, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["import-annotations", str(proj), _csv(tmp_path, HEAD + "0,S01_01,0,30,9,168,30.0\n"),
                        "--format", "mma52-csv", "--annotator", "ghost"], capsys)
    assert code == 2 and "no user 'ghost' in the project" in err and "mmad add-user" in err
    store = Project.open(proj).open_store()
    try:
        assert store.annotators() == [] and store.clips() == []
    finally:
        store.close()


def test_a_header_only_csv_is_refused_and_logs_nothing(proj: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    store = Project.open(proj).open_store()
    before = store.audit_log(limit=100)
    store.close()
    code, _, err = run(["import-annotations", str(proj), _csv(tmp_path, HEAD), "--format", "mma52-csv",
                        "--ground-truth"], capsys)
    assert code == 2 and "nothing to import" in err
    store = Project.open(proj).open_store()
    try:
        assert store.audit_log(limit=100) == before
    finally:
        store.close()


def test_join_help_says_as_is_required(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["join", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "default: the project's owner" not in text and "the project user who joins" in text
    with pytest.raises(SystemExit):
        main(["join", "postgresql://x@127.0.0.1:1/db", "folder"])
    assert "--as" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["demo", "pose"])
def test_demo_and_pose_describe_themselves(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main([command, "--help"])
    out = capsys.readouterr().out
    description = out.split("\n\n")[1]
    assert not description.startswith(("positional", "options")), out


def test_negative_ratios_get_our_message_not_argparse_s(proj: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["split", str(proj), "--ratios", "-1,1,1"], capsys)
    assert code == 2 and "expected one argument" not in err and "non-negative shares" in err


def test_demo_size_names_the_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["demo", str(tmp_path / "d"), "--size", "7x5"], capsys)
    assert code == 2 and "--size" in err and "generate_dataset" not in err and "(7, 5)" not in err


def test_a_fake_checkpoint_is_one_short_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "fake.pt").write_bytes(b"\x80\x02not a checkpoint at all")
    (tmp_path / "v.mp4").write_bytes(b"")
    code, _, err = run(["predict", str(tmp_path / "v.mp4"), "--checkpoint", str(tmp_path / "fake.pt"),
                        "--out", str(tmp_path / "p.json")], capsys)
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1 and len(lines[0]) < 300 and "fake.pt" in lines[0]


@pytest.fixture
def merged_project(proj: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    store = Project.open(proj).open_store()
    try:
        for name in ("a1", "a2"):
            store.add_annotator(name, Role.ANNOTATOR)
        store.add_annotator("boss", Role.REVIEWER)
        (clip,) = store.add_clips([NewClip("c0", "s1", 30.0, 300)])
        for name, (s, e) in (("a1", (10, 60)), ("a2", (11, 60))):
            store.assign(clip.id, name)
            store.as_user(name).add_segment(Segment(None, clip.id, name, s, e, 9))
            store.set_assignment_state(clip.id, name, AssignmentState.DONE)
    finally:
        store.close()
    assert main(["merge", str(proj)]) == 0
    capsys.readouterr()
    return proj


def test_an_annotators_merged_stats_do_not_call_merged_clips_unfinished(merged_project: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["stats", str(merged_project), "--source", "merged", "--as", "a1"], capsys)
    assert code == 0
    assert "not finished by all its annotators" not in out
    assert "an annotator sees a clip's merged result once it is finalised" in out


def test_stats_out_names_every_file_it_wrote(merged_project: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["stats", str(merged_project), "--source", "merged", "--include-unresolved",
                        "--out", str(tmp_path / "st")], capsys)
    assert code == 0
    wrote = [line for line in err.splitlines() if line.startswith("wrote ")]
    assert {Path(line.removeprefix("wrote ")).name for line in wrote} >= {"stats.json", "stats.md"}
    assert all(line.startswith("wrote ") for line in err.splitlines() if line.endswith(".png"))


def test_agreement_summary_is_rounded(merged_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["agreement", str(merged_project)], capsys)
    assert code == 0
    assert "1 clip compared (0 not ready)" in out
    share = out.split("reliable share ")[1].split(",")[0]
    assert share == "n/a" or len(share.split(".")[1]) == 3


def test_a_driver_message_is_one_line_without_literal_escapes(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["join", "postgresql://x@127.0.0.1:1/db", str(tmp_path / "desk"), "--as", "x"], capsys)
    line = err.strip()
    assert code == 2 and len(line.splitlines()) == 1 and "cannot open the database" in line
    assert "\\n" not in line and "\\t" not in line
    assert not (tmp_path / "desk").exists()
