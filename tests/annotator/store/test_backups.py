# ruff: noqa: F811  -- test functions take the imported pytest fixtures as arguments
"""Issue 25, item 4: rotating online backups of a SQLite project, `mmad backup` / `mmad restore`,
and a damaged file that says which backup to restore."""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import tomli_w

from annotator.app_hold import hold_open
from annotator.errors import DamagedDatabase, InputError
from annotator.model import GROUND_TRUTH
from annotator.project import Project
from annotator.store import backups
from app.cli.main import main
from tests.annotator.store.db import db_url  # noqa: F401  (pytest fixture)

CSV = "id,video_id,start_frame,end_frame,class,total_frames,fps\n0,S01_01,0,30,9,168,30.0\n"


@pytest.fixture
def project(tmp_path: Path, new_sqlite_project: Callable[[Path, str], Project]) -> Project:
    return new_sqlite_project(tmp_path / "p", "p")


def _import(project: Project, tmp_path: Path, name: str = "S01_01") -> None:
    (tmp_path / f"{name}.csv").write_text(CSV.replace("S01_01", name), "utf-8")
    assert main(["import-annotations", str(project.path), str(tmp_path / f"{name}.csv"), "--format", "mma52-csv",
                 "--ground-truth"]) == 0


def _clip_names(project: Project) -> set[str]:
    store = project.open_store()
    try:
        return {c.name for c in store.clips()}
    finally:
        store.close()


def test_open_backs_up_when_due_and_not_again_within_the_interval(project: Project) -> None:
    assert backups.list_backups(project.backup_dir) == []
    project.open_store().close()
    first = backups.list_backups(project.backup_dir)
    assert len(first) == 1
    project.open_store().close()
    assert backups.list_backups(project.backup_dir) == first
    old = time.time() - 7 * 3600  # older than the default 6 hours
    os.utime(first[0], (old, old))
    project.open_store().close()
    assert len(backups.list_backups(project.backup_dir)) == 2


def test_import_and_merge_back_up_and_rotation_keeps_the_configured_count(project: Project, tmp_path: Path) -> None:
    toml = project.path / "project.toml"
    settings = {"project": {"name": "p", "taxonomy": "mma52", "media_root": "media"}, "backups": {"keep": 3}}
    toml.write_text(tomli_w.dumps(settings), "utf-8")
    for k in range(5):
        _import(project, tmp_path, f"S0{k}_01")
    kept = backups.list_backups(project.backup_dir)
    assert len(kept) == 3
    newest = sqlite3.connect(kept[0])
    try:  # the newest copy holds the last import: it was made after it
        names = {r[0] for r in newest.execute("SELECT name FROM clips")}
    finally:
        newest.close()
    assert names == {f"S0{k}_01" for k in range(5)}


def test_restore_puts_back_the_backup_and_keeps_the_replaced_file(project: Project, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    _import(project, tmp_path, "S01_01")
    assert main(["backup", str(project.path)]) == 0
    assert "backed up" in capsys.readouterr().out
    chosen = backups.newest_backup(project.backup_dir)
    assert chosen is not None
    _import(project, tmp_path, "S02_01")
    assert _clip_names(project) == {"S01_01", "S02_01"}
    assert main(["restore", str(project.path), chosen.name]) == 0
    assert "replaced" in capsys.readouterr().out
    assert _clip_names(Project.open(project.path)) == {"S01_01"}
    replaced = list(project.backup_dir.glob("replaced-*.sqlite"))
    assert len(replaced) == 1
    check = sqlite3.connect(replaced[0])
    try:
        assert {r[0] for r in check.execute("SELECT name FROM clips")} == {"S01_01", "S02_01"}
    finally:
        check.close()


def test_restore_is_refused_while_the_app_holds_the_project(project: Project, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    _import(project, tmp_path)
    hold = hold_open(project.path)
    assert hold is not None
    try:
        assert main(["restore", str(project.path)]) == 2
        assert "open in MMAD Studio" in capsys.readouterr().err
    finally:
        hold.close()
    assert main(["restore", str(project.path)]) == 0


def test_a_damaged_backup_is_not_restored(project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _import(project, tmp_path)
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"not a database at all" * 100)
    assert main(["restore", str(project.path), str(bad)]) == 2
    assert "damaged too" in capsys.readouterr().err
    assert _clip_names(project) == {"S01_01"}


def test_a_damaged_database_is_never_backed_up_over_good_copies(project: Project, tmp_path: Path) -> None:
    _import(project, tmp_path)
    good = backups.list_backups(project.backup_dir)
    db = project.path / "project.sqlite"
    data = bytearray(db.read_bytes())
    data[4096 * 2: 4096 * 4] = b"\xff" * 8192  # garbage over two pages
    db.write_bytes(bytes(data))
    with pytest.raises(DamagedDatabase) as info:
        backups.make_backup(db, project.backup_dir)
    assert str(db) in str(info.value) and good[0].name in str(info.value)
    assert backups.list_backups(project.backup_dir) == good


def test_restore_without_any_backup_says_so(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["restore", str(project.path)]) == 2
    assert "no backup to restore" in capsys.readouterr().err


def test_bad_backup_settings_are_one_line(project: Project) -> None:
    toml = project.path / "project.toml"
    toml.write_text(tomli_w.dumps({"project": {"name": "p", "taxonomy": "mma52"}, "backups": {"keep": 0}}), "utf-8")
    with pytest.raises(InputError, match="backups.keep"):
        Project.open(project.path)


def test_backup_on_postgresql_without_pg_dump_says_what_to_do(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    import app.cli.cmd_backup as cmd_backup

    monkeypatch.setattr(cmd_backup.shutil, "which", lambda _: None)
    with pytest.raises(InputError, match="apt install postgresql-client"):
        cmd_backup._pg_dump("postgresql://someone@127.0.0.1:5432/test", tmp_path / "b")
    assert not (tmp_path / "b").exists()


def test_backup_on_postgresql_runs_pg_dump_of_the_projects_schema(tmp_path: Path, db_url: str,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    if db_url.startswith("sqlite"):
        pytest.skip("pg_dump is PostgreSQL's")
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    Project.create(tmp_path / "pg", db_url=db_url)
    assert main(["backup", str(tmp_path / "pg")]) == 0
    assert "dumped" in capsys.readouterr().out
    dumps = list((tmp_path / "pg" / "backups").glob("project-*.dump"))
    assert len(dumps) == 1 and dumps[0].read_bytes()[:5] == b"PGDMP"


def test_ground_truth_survives_a_backup_restore_round_trip(project: Project, tmp_path: Path) -> None:
    _import(project, tmp_path)
    copy = project.backup()
    assert copy is not None
    db = project.path / "project.sqlite"
    db.write_bytes(db.read_bytes()[:1000])  # truncated
    for side in ("-wal", "-shm"):
        (project.path / f"project.sqlite{side}").unlink(missing_ok=True)
    with pytest.raises(DamagedDatabase, match=copy.name):
        project.open_store()
    backups.restore_backup(db, copy, project.path)
    store = project.open_store()
    try:
        assert sum(len(v) for v in store.segments_by_clip(GROUND_TRUTH).values()) == 1
    finally:
        store.close()


def test_the_real_mma52_val_set_is_backed_up_and_restored_whole(project: Project, mma52_dir: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import-annotations", str(project.path), str(mma52_dir / "val.csv"), "--format", "mma52-csv",
                 "--ground-truth", "--subset", "val"]) == 0
    store = project.open_store()
    try:
        before = (store.clips(), store.segments_by_clip(GROUND_TRUTH))
    finally:
        store.close()
    assert main(["backup", str(project.path)]) == 0
    db = project.path / "project.sqlite"
    with sqlite3.connect(db) as conn:  # a later bad write: every clip's subset lost
        conn.execute("UPDATE clips SET subset = NULL")
    conn.close()
    capsys.readouterr()
    assert main(["restore", str(project.path)]) == 0
    store = Project.open(project.path).open_store()
    try:
        assert (store.clips(), store.segments_by_clip(GROUND_TRUTH)) == before
        assert len(before[0]) == 1475
    finally:
        store.close()
