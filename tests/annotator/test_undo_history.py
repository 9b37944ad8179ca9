"""Which undo entries stay after a refusal: the refused, what depends on them and nothing else."""

from __future__ import annotations

from annotator.commands import AddSegment, DeleteSegment, EditSegment, JoinSegments
from annotator.model import Segment
from annotator.undo_history import still_undoable, touched
from annotator.versions import VersionBook


def _seg(sid: int, start: int, end: int) -> Segment:
    return Segment(sid, 1, "ann", start, end, 9, version=1)


def test_a_refused_undo_takes_the_older_entries_of_its_rows_and_nothing_else() -> None:
    book = VersionBook()
    a, b, c = _seg(1, 10, 30), _seg(2, 100, 140), _seg(3, 200, 240)
    edit_a, edit_b, delete_c = EditSegment(a, end_frame=35), EditSegment(b, end_frame=150), DeleteSegment(c)
    join = JoinSegments(b, _seg(4, 140, 160))
    done = [edit_a, edit_b, delete_c, join]
    assert touched(join, book) == {("segment", 2), ("segment", 4)}
    assert still_undoable(done, [(join, True)], book) == [True, False, True, False]  # b's older edit goes
    assert still_undoable(done, [(join, False)], book) == [True, True, True, False]  # a refused do: it alone
    assert still_undoable(done, [(delete_c, True)], book) == [True, True, False, True]  # the newer join stays


def test_dependence_follows_rows_through_a_dropped_entry_and_temporary_ids() -> None:
    book = VersionBook()
    add = AddSegment(Segment(None, 1, "ann", 10, 30, 9))
    new = Segment(add.temp_id, 1, "ann", 10, 30, 9)
    other = _seg(5, 50, 60)
    join = JoinSegments(new, other)  # pins the new segment and 5
    edit_other = EditSegment(other, end_frame=70)
    assert still_undoable([edit_other, add, join], [(join, True)], book) == [False, False, False]
    book.bind(add.temp_id, 42)  # stored meanwhile: the same row under its real id
    assert touched(add, book) == {("segment", 42)}
    assert still_undoable([add, EditSegment(_seg(42, 10, 30), end_frame=31)],
                          [(EditSegment(_seg(42, 10, 30), start_frame=12), True)], book) == [False, False]
