# ruff: noqa: F811  -- test functions take the imported pytest fixtures as arguments
"""One clip's assignments in one read (the review window opens a clip without reading the project's)."""

from __future__ import annotations

from annotator.model import AssignmentState, Role
from annotator.store.api import NewClip
from annotator.store.store import Store
from tests.annotator.store.db import db_url, project, store  # noqa: F401  (pytest fixtures)


def test_assignments_of_one_clip(store: Store) -> None:
    for name in ("ann1", "ann2", "ann3"):
        store.add_annotator(name, Role.ANNOTATOR)
    a, b = (c.id for c in store.add_clips([NewClip("s1_a", "s1", 30.0, 300), NewClip("s2_b", "s2", 30.0, 300)]))
    store.assign_many([a], ["ann1", "ann3"])
    store.assign_many([b], ["ann2", "ann3"])
    store.set_assignment_state(b, "ann3", AssignmentState.DONE)
    names = {p.id: p.name for p in store.annotators()}
    got = store.assignments(None, clip_id=b)
    assert [(x.clip_id, names[x.annotator_id], x.state) for x in got] == [
        (b, "ann2", AssignmentState.TODO), (b, "ann3", AssignmentState.DONE)]
    assert [(x.clip_id, names[x.annotator_id]) for x in store.assignments("ann3", clip_id=a)] == [(a, "ann3")]
    assert store.assignments("ann2", clip_id=a) == []
    assert store.assignments(None, clip_id=a) + got == store.assignments(None)
