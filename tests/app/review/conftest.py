"""A project three annotators have finished, ready for the reviewer 'rev'."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.app.conftest import CLIP_FPS, CLIP_FRAMES, CLIP_SIZE, write_test_clip

ANNOTATORS = ("a1", "a2", "a3")
NOD, LEGS, NOSE = 9, 24, 43  # nodding, shaking legs, touching nose
WORK = {  # per annotator: (start, end, action); see the expected outcomes in the docstring below
    "a1": [(2, 20, NOD), (30, 45, LEGS)],
    "a2": [(3, 21, NOD), (31, 46, LEGS)],
    "a3": [(2, 22, NOD), (40, 55, NOSE)],
}


def build_review_project(folder: Path, merge: bool = True) -> None:
    """Clip 'S01_rev' marked by a1..a3 and merged (unless merge=False), plus reviewer 'rev'.

    Expected merge: nodding by all three (joint tIoU 18/20 = 0.9, not > 0.9: needs review,
    majority keep); shaking legs by two of three (keep); touching nose by one (delete).
    """
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
