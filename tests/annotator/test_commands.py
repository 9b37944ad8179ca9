"""Undo/redo of every edit command, without Qt, on SQLite and PostgreSQL."""
# ruff: noqa: F811  -- test functions take the imported pytest fixtures as arguments

from __future__ import annotations

from dataclasses import replace

import pytest

from annotator.commands import (
    AddSegment,
    Change,
    DeleteSegment,
    EditSegment,
    JoinSegments,
    SplitSegment,
    book_of,
)
from annotator.errors import ConflictError, RuleViolation
from annotator.model import Origin, Role, Segment
from annotator.store.api import NewClip
from annotator.store.store import Store
from tests.annotator.history import UndoHistory
from tests.annotator.store.db import db_url, project, store  # noqa: F401  (pytest fixtures)


@pytest.fixture
def setup(store: Store) -> tuple[Store, int]:
    clip = store.add_clips([NewClip("s1_a", "s1", 30.0, 300)])[0]
    store.add_annotator("ann1", Role.ANNOTATOR)
    store.assign_many([clip.id], ["ann1"])  # an annotator edits only the clips assigned to them
    return store.as_user("ann1"), clip.id


def _bounds(store: Store, clip_id: int) -> list[tuple[int, int, int]]:
    return sorted((s.start_frame, s.end_frame, s.action_id) for s in store.segments(clip_id, "ann1"))


def test_add_edit_delete_undo_redo(setup: tuple[Store, int]) -> None:
    ann, clip_id = setup
    history = UndoHistory(ann)
    add = AddSegment(Segment(None, clip_id, "ann1", 10, 40, 3))
    change = history.push(add)
    assert add.segment is not None and change == Change(clip_id, segments=(add.segment,),
                                                        bound=((add.temp_id, add.segment.id or 0),))
    history.push(EditSegment(add.segment, end_frame=60, action_id=4))
    assert _bounds(ann, clip_id) == [(10, 60, 4)]
    current = ann.segments(clip_id, "ann1")[0]
    history.push(DeleteSegment(current))
    assert _bounds(ann, clip_id) == []
    states = [[(10, 60, 4)], [(10, 40, 3)], []]
    for expected in states:
        history.undo()
        assert _bounds(ann, clip_id) == expected
    assert history.undo() is None and not history.can_undo
    for expected in reversed([[], *states[:-1]]):
        history.redo()
        assert _bounds(ann, clip_id) == expected
    assert history.redo() is None and not history.can_redo
    history.undo()  # the delete again: the very same row comes back
    assert [s.id for s in ann.segments(clip_id, "ann1")] == [add.segment.id]


def test_redo_keeps_the_same_segment_id(setup: tuple[Store, int]) -> None:
    ann, clip_id = setup
    history = UndoHistory(ann)
    add = AddSegment(Segment(None, clip_id, "ann1", 10, 40, 3))
    history.push(add)
    first_id = ann.segments(clip_id, "ann1")[0].id
    history.undo()
    history.redo()
    assert [s.id for s in ann.segments(clip_id, "ann1")] == [first_id]


def test_split_and_join_round_trip(setup: tuple[Store, int]) -> None:
    ann, clip_id = setup
    history = UndoHistory(ann)
    seg = history.push(AddSegment(Segment(None, clip_id, "ann1", 10, 70, 3)))
    original = ann.segments(clip_id, "ann1")[0]
    change = history.push(SplitSegment(original, 40, fps=30.0))
    first, second = change.segments  # the rows as they now are: the cut original and the new tail
    assert (first.id, first.end_frame, second.start_frame) == (original.id, 40, 40) and len(change.bound) == 1
    assert _bounds(ann, clip_id) == [(10, 40, 3), (40, 70, 3)]
    left, right = sorted(ann.segments(clip_id, "ann1"), key=lambda s: s.start_frame)
    history.push(JoinSegments(left, right))
    assert _bounds(ann, clip_id) == [(10, 70, 3)]
    history.undo()
    assert _bounds(ann, clip_id) == [(10, 40, 3), (40, 70, 3)]
    history.undo()
    assert _bounds(ann, clip_id) == [(10, 70, 3)]
    history.redo()
    history.redo()
    assert _bounds(ann, clip_id) == [(10, 70, 3)]
    assert seg.clip_id == clip_id


def test_split_and_join_refuse_bad_requests(setup: tuple[Store, int]) -> None:
    ann, clip_id = setup
    seg = ann.add_segment(Segment(None, clip_id, "ann1", 10, 30, 3))
    other = ann.add_segment(Segment(None, clip_id, "ann1", 20, 50, 4))
    with pytest.raises(RuleViolation, match="shorter"):
        SplitSegment(seg, 12, fps=30.0)
    with pytest.raises(RuleViolation, match="not inside"):
        SplitSegment(seg, 30, fps=30.0)
    with pytest.raises(RuleViolation, match="same clip, author and action"):
        JoinSegments(seg, other)


def test_editing_an_accepted_proposal_marks_it_edited(setup: tuple[Store, int]) -> None:
    ann, clip_id = setup
    seg = ann.add_segment(Segment(None, clip_id, "ann1", 10, 40, 3, origin=Origin.PROPOSAL_ACCEPTED))
    history = UndoHistory(ann)
    history.push(EditSegment(seg, start_frame=12))
    assert ann.segments(clip_id, "ann1")[0].origin == Origin.PROPOSAL_EDITED
    history.undo()
    assert ann.segments(clip_id, "ann1")[0].origin == Origin.PROPOSAL_ACCEPTED


def test_invalid_edit_changes_nothing(setup: tuple[Store, int]) -> None:
    ann, clip_id = setup
    seg = ann.add_segment(Segment(None, clip_id, "ann1", 10, 40, 3))
    history = UndoHistory(ann)
    with pytest.raises(RuleViolation):
        history.push(EditSegment(seg, end_frame=12))
    assert not history.can_undo and _bounds(ann, clip_id) == [(10, 40, 3)]


def test_undo_refuses_to_overwrite_another_desktop(setup: tuple[Store, int], store: Store) -> None:
    ann, clip_id = setup
    history = UndoHistory(ann)
    history.push(AddSegment(Segment(None, clip_id, "ann1", 10, 40, 3)))
    seg = ann.segments(clip_id, "ann1")[0]
    history.push(EditSegment(seg, end_frame=50))
    theirs = store.segments(clip_id, "ann1")[0]
    store.update_segment(replace(theirs, end_frame=80))
    with pytest.raises(ConflictError):
        history.undo()


def test_a_refused_join_leaves_no_part_of_it(setup: tuple[Store, int], store: Store) -> None:
    ann, clip_id = setup
    first = ann.add_segment(Segment(None, clip_id, "ann1", 10, 40, 3))
    second = ann.add_segment(Segment(None, clip_id, "ann1", 40, 70, 3))
    store.update_segment(replace(second, end_frame=75))  # another desktop moves the second one
    join = JoinSegments(first, second)
    with pytest.raises(ConflictError):
        join.do(ann)  # its first step (widen the first segment) would have succeeded alone
    assert _bounds(ann, clip_id) == [(10, 40, 3), (40, 75, 3)]
    assert ann.segments(clip_id, "ann1")[0].version == 1
    assert book_of(ann).version("segment", first.id or 0, 1) == 1  # the rolled-back write is not booked


def test_a_refused_split_undo_leaves_both_parts(setup: tuple[Store, int], store: Store) -> None:
    ann, clip_id = setup
    history = UndoHistory(ann)
    history.push(AddSegment(Segment(None, clip_id, "ann1", 10, 70, 3)))
    history.push(SplitSegment(ann.segments(clip_id, "ann1")[0], 40, fps=30.0))
    left = min(store.segments(clip_id, "ann1"), key=lambda s: s.start_frame)
    store.update_segment(replace(left, action_id=4))  # the undo's second step will conflict
    with pytest.raises(ConflictError):
        history.undo()  # its first step (delete the tail) is rolled back with it
    assert _bounds(ann, clip_id) == [(10, 40, 4), (40, 70, 3)]
