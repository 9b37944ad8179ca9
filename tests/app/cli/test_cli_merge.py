"""`mmad merge` and `mmad agreement` end to end on a small SQLite project."""

import json

import pytest

from annotator.model import AssignmentState, Role, Segment
from annotator.project import Project
from annotator.store.api import NewClip
from app.cli.main import main


@pytest.fixture
def project_dir(tmp_path):
    p = Project.create(tmp_path / "proj")
    store = p.open_store()
    for name in ("a1", "a2", "a3"):
        store.add_annotator(name, Role.ANNOTATOR)
    clips = store.add_clips([NewClip("c0", "s1", 30.0, 300), NewClip("c1", "s1", 30.0, 300)])
    for clip in clips:
        for name in ("a1", "a2", "a3"):
            store.assign(clip.id, name)
    for name, (s, e) in zip(("a1", "a2", "a3"), ((10, 60), (12, 60), (10, 58)), strict=True):
        store.as_user(name).add_segment(Segment(None, clips[0].id, name, s, e, 9))
        store.set_assignment_state(clips[0].id, name, AssignmentState.DONE)
    store.close()
    return p.path


def test_merge_command(project_dir, capsys):
    assert main(["merge", str(project_dir), "--threshold", "0.95"]) == 0
    out = capsys.readouterr().out
    assert "merged 1 clip(s): 1 instances, 0 reliable, 1 need review" in out
    assert "skipped c1: not done" in out


def test_merge_bad_input(project_dir, capsys, tmp_path):
    assert main(["merge", str(project_dir), "--clips", "zz"]) == 2
    assert "no clip of that name" in capsys.readouterr().err
    assert main(["merge", str(tmp_path / "nowhere")]) == 2
    with pytest.raises(SystemExit):
        main(["merge", str(project_dir), "--threshold", "1.5"])


def test_agreement_command(project_dir, capsys, tmp_path):
    assert main(["agreement", str(project_dir), "--json", "--out", str(tmp_path / "rep")]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["overall"]["f1"]["0.5"] == 1.0
    assert (tmp_path / "rep" / "offsets.png").exists()
