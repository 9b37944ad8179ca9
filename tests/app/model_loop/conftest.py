"""A small demo project split by subject, with one model version trained on it (once per module)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.exporting import split_project
from annotator.progress import CancelToken
from annotator.project import Project
from annotator.synthetic.demo import build_demo


@pytest.fixture(scope="module")
def trained_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Demo (3 subjects × 2 clips, 160×120) split one subject per subset, with v1 (VideoMAE tiny) trained for 1 epoch."""
    from app.model_loop.jobs import train_version
    from app.model_loop.records import Guards, TrainSpec

    folder = tmp_path_factory.mktemp("loop") / "demo"
    build_demo(folder, subjects=3, clips_per_subject=2, size=(160, 120))
    store = Project.open(folder).open_store()
    try:
        split_project(store, (0.34, 0.33, 0.33), seed=0)
    finally:
        store.close()
    # VideoMAE tiny: no landmarks to extract for six clips (tests/app/model_loop/test_pose_propose.py
    # covers the pose path)
    train_version(TrainSpec(project=str(folder), source="ground-truth", epochs=1, device="cpu",
                            backbone="videomae-tiny", guards=Guards(train_anyway=True)), cancel=CancelToken())
    return folder


@pytest.fixture
def demo(trained_demo: Path, tmp_path: Path) -> Iterator[Path]:
    """A fresh copy of the trained demo for one test."""
    folder = tmp_path / "demo"
    shutil.copytree(trained_demo, folder)
    yield folder
