"""The open-clip model without Qt: previews on top of the store's rows, commits, refusals, temporary ids."""

from __future__ import annotations

from dataclasses import replace

from annotator.clip_model import ClipModel
from annotator.commands import AddSegment, Change, EditSegment
from annotator.model import Segment
from annotator.versions import VersionBook


def _bounds(model: ClipModel) -> list[tuple[int, int]]:
    return [(s.start_frame, s.end_frame) for s in model.segments()]


def test_previews_show_at_once_and_a_commit_swaps_the_temporary_id_for_the_stored_one() -> None:
    book = VersionBook()
    model = ClipModel(book)
    model.load(1, [Segment(5, 1, "ann", 0, 20, 9)])
    add = AddSegment(Segment(None, 1, "ann", 30, 60, 9))
    model.preview(1, add.preview(book))
    shown = model.segments()[1]
    assert shown.id == add.temp_id
    model.preview(2, EditSegment(shown, end_frame=70).preview(book))  # made on the row not stored yet
    assert _bounds(model) == [(0, 20), (30, 70)]
    book.bind(add.temp_id, 41)
    model.committed(1, Change(1, segments=(replace(shown, id=41),), bound=((add.temp_id, 41),)))
    assert _bounds(model) == [(0, 20), (30, 70)]  # the edit still on its way stays on top of the stored row
    assert [s.id for s in model.segments()] == [5, 41]


def test_a_refusal_drops_the_previews_and_shows_the_store_again() -> None:
    book = VersionBook()
    model = ClipModel(book)
    seg = Segment(5, 1, "ann", 0, 20, 9)
    model.load(1, [seg])
    model.preview(1, EditSegment(seg, end_frame=40).preview(book))
    model.preview(2, EditSegment(replace(seg, end_frame=40), start_frame=10).preview(book))
    assert _bounds(model) == [(10, 40)]
    model.dropped({1, 2})
    assert _bounds(model) == [(0, 20)]
