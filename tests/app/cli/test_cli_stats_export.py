"""`mmad stats` counts exactly what `mmad export` writes, for every source."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from annotator.model import GROUND_TRUTH, Segment
from annotator.project import Project
from app.cli.main import main
from tests.annotator.test_export_selection import _project

SOURCES = ("ground-truth", "merged", "annotator:a1", "annotator:a3")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project every test here reads, made once (each test gets a copy: `folder`)."""
    project = Project.create(tmp_path_factory.mktemp("stats") / "p")
    store = project.open_store()
    try:
        ids = _project(store)
        for name, start in (("reviewed", 0), ("reviewed", 50), ("alone", 10)):
            store.add_segment(Segment(None, ids[name], GROUND_TRUTH, start, start + 30, 7))
    finally:
        store.close()
    return project.path


@pytest.fixture
def folder(built: Path, tmp_path: Path) -> Path:
    """A copy of the built project for one test."""
    shutil.copytree(built, tmp_path / "p")
    return tmp_path / "p"


def _exported(out: Path) -> dict[str, tuple[int, int]]:
    """(videos, instances) per subset and "all", read back from the OpenTAD files; the CSV and
    PointTAD files must hold the same instances."""
    counts: dict[str, tuple[int, int]] = {}
    for path in out.glob("mmad_opentad*.json"):
        database = json.loads(path.read_text("utf-8"))["database"]
        key = path.stem.removeprefix("mmad_opentad").lstrip("_") or "all"
        counts[key] = (len(database), sum(len(v["annotations"]) for v in database.values()))
        csv_name = f"{key}.csv"
        with (out / csv_name).open(newline="", encoding="utf-8") as handle:
            assert len(list(csv.reader(handle))) - 1 == counts[key][1]
        pointtad = json.loads((out / ("mmad.json" if key == "all" else f"mmad_{key}.json")).read_text("utf-8"))
        assert (len(pointtad), sum(len(v["actions"]) for v in pointtad.values())) == counts[key]
    return counts


@pytest.mark.parametrize("source", SOURCES)
def test_stats_counts_equal_the_exported_files(folder: Path, tmp_path: Path, source: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", str(folder), "--source", source, "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert main(["export", str(folder), str(tmp_path / "out"), "--format", "all", "--source", source]) == 0
    assert f"source {source}:" in capsys.readouterr().out
    exported = _exported(tmp_path / "out")
    counted = {name: (row["videos"], row["instances"]) for name, row in stats["subsets"].items()}
    assert counted == exported
    assert stats["export"]["source"] == source
    meta = json.loads((tmp_path / "out" / "mmad_export.json").read_text("utf-8"))
    assert meta == stats["export"]


def test_default_source_is_merged_once_a_clip_is_finalised(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", str(folder), "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["export"]["source"] == "merged" and stats["subsets"]["all"]["videos"] == 1


def test_export_with_nothing_finalised_exits_1_naming_what_is_left_out(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    project = Project.create(tmp_path / "p")
    store = project.open_store()
    try:
        _project(store, finalise=False)
    finally:
        store.close()
    assert main(["export", str(project.path), str(tmp_path / "out"), "--format", "all", "--source", "merged"]) == 1
    err = capsys.readouterr().err
    assert "nothing to export, nothing written" in err
    assert "left out 1 clip, merged, instances still to review: in_review_1 (1 to review)" in err
    assert not (tmp_path / "out").exists()
