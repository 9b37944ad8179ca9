"""Small builders for merge tests."""

from __future__ import annotations

from annotator.model import Annotator, Role, Segment
from merging.table import ClipWork


def people(n: int) -> tuple[Annotator, ...]:
    """Annotators a1..an with ids 1..n."""
    return tuple(Annotator(i, f"a{i}", Role.ANNOTATOR) for i in range(1, n + 1))


def work(per_annotator: list[list[tuple[int, int, int]]], frames: int = 300, clip_id: int = 1,
         who: tuple[Annotator, ...] | None = None, first_id: int = 1) -> ClipWork:
    """A clip from (start, end, action) lists, one per annotator; segment ids count up."""
    who = who or people(len(per_annotator))
    next_id = first_id
    lists = []
    for person, items in zip(who, per_annotator, strict=True):
        segs = []
        for s, e, a in items:
            segs.append(Segment(next_id, clip_id, person.name, s, e, a))
            next_id += 1
        lists.append(tuple(segs))
    return ClipWork(clip_id, frames, who, tuple(lists))
