"""Opening a clip of one's queue is recorded in the audit log (for the time per clip)."""

from __future__ import annotations

import json
from pathlib import Path

from annotator.model import AssignmentState, Role
from annotator.project import Project
from annotator.store.api import NewClip


def test_open_is_audited_until_the_clip_is_done(tmp_path: Path) -> None:
    project = Project.create(tmp_path / "p")
    owner = project.open_store()
    owner.add_annotator("ann", Role.ANNOTATOR)
    (clip,) = owner.add_clips([NewClip("c", "S1", 30.0, 90)])
    owner.assign(clip.id, "ann")
    owner.close()
    store = project.open_store("ann")
    try:
        store.note_opened(clip.id)
        store.set_assignment_state(clip.id, "ann", AssignmentState.DONE)
        store.note_opened(clip.id)  # done: looking again is not working time
        opens = [e for e in store.audit_log(10, entity="assignment") if e.action == "open"]
        assert len(opens) == 1 and opens[0].entity_id == clip.id
        assert json.loads(opens[0].new or "{}") == {"annotator": "ann", "state": "todo"}
    finally:
        store.close()
    owner = project.open_store()
    try:
        owner.note_opened(clip.id)  # the owner has no queue: nothing recorded
        assert len([e for e in owner.audit_log(10, entity="assignment") if e.action == "open"]) == 1
    finally:
        owner.close()
