"""A project three annotators have finished, ready for the reviewer 'rev'."""

import atexit
import shutil
import tempfile
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
import tomli_w

from tests.app.conftest import CLIP_FPS, CLIP_FRAMES, CLIP_SIZE, write_test_clip

ANNOTATORS = ("a1", "a2", "a3")
NOD, LEGS, NOSE = 9, 24, 43  # nodding, shaking legs, touching nose
WORK = {  # per annotator: (start, end, action); see the expected outcomes in the docstring below
    "a1": [(2, 20, NOD), (30, 45, LEGS)],
    "a2": [(3, 21, NOD), (31, 46, LEGS)],
    "a3": [(2, 22, NOD), (40, 55, NOSE)],
}


_BUILT: dict[bool, Path] = {}  # merge -> a project built by _build_review_project, copied by each call


def build_review_project(folder: Path, merge: bool = True) -> None:
    """Clip 'S01_rev' marked by a1..a3 and merged (unless merge=False), plus reviewer 'rev'.

    Expected merge: nodding by all three (joint tIoU 18/20 = 0.9, not > 0.9: needs review,
    majority keep); shaking legs by two of three (keep); touching nose by one (delete).
    Built once per session (and per `merge`) and copied: only project.toml names the folder,
    and it is given this folder's name as Project.create would.
    """
    if merge not in _BUILT:
        root = Path(tempfile.mkdtemp(prefix="mmad-test-review-"))
        atexit.register(shutil.rmtree, root, ignore_errors=True)
        _build_review_project(root / "template", merge)
        _BUILT[merge] = root / "template"
    if (folder / "project.toml").exists():
        raise FileExistsError(folder / "project.toml")
    shutil.copytree(_BUILT[merge], folder, dirs_exist_ok=True)
    settings = tomllib.loads((folder / "project.toml").read_text("utf-8"))
    settings["project"]["name"] = folder.resolve().name
    (folder / "project.toml").write_text(tomli_w.dumps(settings), "utf-8")


def _build_review_project(folder: Path, merge: bool) -> None:
    """What build_review_project copies, made through the store as the app makes it."""
    from annotator.model import AssignmentState, Role, Segment
    from annotator.project import Project
    from annotator.store.api import NewClip
    from merging.workflow import run_merge

    project = Project.create(folder)
    owner = project.open_store()
    try:
        owner.add_annotator("rev", Role.REVIEWER)
        for name in ANNOTATORS:
            owner.add_annotator(name, Role.ANNOTATOR)
        for clip_name in ("S01_rev", "S02_wait"):
            write_test_clip(project.media_dir / f"{clip_name}.mp4")
            (clip,) = owner.add_clips([NewClip(name=clip_name, subject=clip_name[:3], fps=CLIP_FPS,
                                               frame_count=CLIP_FRAMES)])
            owner.attach_media(clip.id, f"{clip_name}.mp4", CLIP_FPS, CLIP_FRAMES, *CLIP_SIZE)
            for name in ANNOTATORS:
                owner.assign(clip.id, name)
        rev = owner.clip_by_name("S01_rev")
        assert rev is not None
        for name, segs in WORK.items():
            for start, end, action in segs:
                owner.add_segment(Segment(None, rev.id, name, start, end, action))
            owner.set_assignment_state(rev.id, name, AssignmentState.DONE)
        if merge:
            run_merge(owner)
    finally:
        owner.close()


@pytest.fixture
def review_project(tmp_path: Path) -> Iterator[Path]:
    """The merged review project's folder."""
    folder = tmp_path / "review_proj"
    build_review_project(folder)
    yield folder


@pytest.fixture(autouse=True)
def reviewer_says_yes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl+Enter asks before finalising: these tests answer yes (test_reviewer_keys checks the question)."""
    from app.window_common import ClipWindow

    monkeypatch.setattr(ClipWindow, "confirm", lambda _self, _question: True)
