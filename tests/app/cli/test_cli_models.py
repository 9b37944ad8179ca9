"""`mmad models`: list the registry, as JSON, and choose the active version."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.model import GROUND_TRUTH
from annotator.models_registry import ModelVersion, Scores, add_version, load_registry
from annotator.project import Project
from app.cli.main import main


def _project(tmp_path: Path) -> Path:
    folder = Project.create(tmp_path / "p").path
    for n, name in ((1, "videomae-tiny-dsta@aaaa1111"), (2, "videomae-tiny-dsta@bbbb2222")):
        add_version(folder, ModelVersion(n, name, f"2026-01-0{n}T10:00:00+00:00", f"models/{n}/best.pt",
                                         "videomae-tiny", "dsta", GROUND_TRUTH, {"train": 4, "val": 2, "test": 2},
                                         "0ec06ce3285c", 10, Scores(0.1, 0.3, 0.2), None, 0.25, 0.4))
    return folder


def test_models_lists_versions_with_the_active_one_marked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _project(tmp_path)
    assert main(["models", str(folder)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["version", "created", "model", "trained", "on", "data", "val", "mAP", "%", "test", "mAP",
                              "%", "threshold"]
    assert "4 clips / ? inst" in out[1]  # the training data's size (instances unknown to this old entry)
    assert out[2].startswith("*") and "v2 videomae-tiny-dsta@bbbb2222" in out[2]
    assert "8 clips, ground-truth, #0ec06ce3285c" in out[1] and "10.0/30.0/20.0" in out[1] and "0.25" in out[1]
    assert main(["models", str(folder), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["active"] == 2 and [v["number"] for v in data["versions"]] == [1, 2]


def test_activate_a_version_and_refuse_an_unknown_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _project(tmp_path)
    assert main(["models", str(folder), "--activate", "v1"]) == 0
    assert "active model: v1 videomae-tiny-dsta@aaaa1111" in capsys.readouterr().out
    assert load_registry(folder).active == 1
    assert main(["models", str(folder), "--activate", "7"]) == 2
    err = capsys.readouterr().err
    assert "registry.json, version '7': no such model version" in err and len(err.strip().splitlines()) == 1
    assert load_registry(folder).active == 1


def test_no_model_yet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = Project.create(tmp_path / "p").path
    assert main(["models", str(folder)]) == 0
    assert "no trained model yet" in capsys.readouterr().out
