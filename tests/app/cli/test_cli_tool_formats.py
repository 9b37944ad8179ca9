"""`mmad import-annotations` and `mmad export` with the ELAN, BORIS and Label Studio formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.project import Project
from app.cli.main import main

TOOLS = Path(__file__).resolve().parents[2] / "fixtures" / "formats" / "tools"


@pytest.fixture()
def proj(tmp_path: Path) -> Path:
    folder = tmp_path / "p"
    assert main(["init", str(folder)]) == 0
    return folder


def test_boris_then_each_label_studio_annotator_then_elan_out(proj: Path, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"actions": {"nod": "nodding"}}))
    assert main(["import-annotations", str(proj), str(TOOLS / "aggregated_events.tsv"), "--format",
                 "boris-aggregated", "--mapping", str(mapping), "--ground-truth"]) == 0
    assert "instances imported:         2" in capsys.readouterr().out
    for name in ("label-studio-user-2", "li@lab.example"):
        assert main(["add-user", str(proj), name, "--role", "annotator"]) == 0
    assert main(["import-annotations", str(proj), str(TOOLS / "label_studio.json"), "--format",
                 "label-studio-json", "--annotators-from-file"]) == 0
    out = capsys.readouterr().out
    assert f"imported {TOOLS / 'label_studio.json'} as label-studio-user-2" in out
    assert f"imported {TOOLS / 'label_studio.json'} as li@lab.example" in out
    assert main(["export", str(proj), str(tmp_path / "out"), "--format", "elan-eaf",
                 "--source", "annotator:li@lab.example"]) == 0
    eaf = (tmp_path / "out" / "elan" / "196_01_0005_L.eaf").read_text()
    assert 'ANNOTATOR="li@lab.example"' in eaf and 'TIER_ID="li@lab.example/head"' in eaf
    assert main(["export", str(proj), str(tmp_path / "out"), "--format", "boris-aggregated",
                 "--source", "ground-truth"]) == 0
    rows = (tmp_path / "out" / "boris_aggregated.tsv").read_text().splitlines()
    assert len(rows) == 3 and "\tnodding\thead\tSTATE\t0.501\t1.502\t" in rows[1]  # frames 15, 45 at 29.97 fps


def test_unknown_value_exits_2_and_stores_nothing(proj: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["import-annotations", str(proj), str(TOOLS / "project.boris"), "--format", "boris-project",
                 "--ground-truth"])
    assert code == 2
    assert "unknown value 'nod'" in capsys.readouterr().err
    store = Project.open(proj).open_store()
    try:
        assert store.clips() == []
    finally:
        store.close()


def test_import_clips_reencode_flag(proj: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "phone"
    folder.mkdir()
    data = Path(__file__).resolve().parents[2] / "data"
    (folder / "7_vfr.mp4").write_bytes((data / "vfr_carphone.mp4").read_bytes())
    assert main(["import-clips", str(proj), str(folder), "--min-seconds", "2"]) == 2  # nothing imported
    assert "files skipped: 1" in capsys.readouterr().out  # without the flag: refused, as before
    assert main(["import-clips", str(proj), str(folder), "--min-seconds", "2", "--reencode"]) == 0
    out = capsys.readouterr().out
    assert "clips created: 1" in out and "re-encoded to constant-rate H.264: 1" in out
    assert f"re-encoded {folder / '7_vfr.mp4'} (variable frame rate" in out
