"""Annotation rules (docs/ARCHITECTURE.md, "Data model and roles")."""

from __future__ import annotations

import pytest

from annotator.errors import RuleViolation
from annotator.model import Clip, Segment
from annotator.rules import (
    min_length_frames,
    overlapping_same_action,
    same_action_overlaps,
    validate_segment,
)
from annotator.taxonomy import load_taxonomy

MMA52 = load_taxonomy("mma52")
CLIP = Clip(1, "s1_a", "s1", 29.0, 290)


def seg(start: int, end: int, action: int = 3, sid: int | None = None, author: str = "a") -> Segment:
    return Segment(sid, 1, author, start, end, action)


def test_min_length_in_frames() -> None:
    assert min_length_frames(30.0) == 6
    assert min_length_frames(29.0) == 6  # 5.8 frames rounds up
    assert min_length_frames(25.0) == 5


@pytest.mark.parametrize(("start", "end", "action", "words"), [
    (10, 10, 3, "must be after"), (20, 10, 3, "must be after"), (-2, 10, 3, "before the first"),
    (100, 290, 3, "past the last frame \\(289\\)"), (10, 15, 3, "0.172 s, shorter than 0.2 s"),
    (10, 40, 52, "unknown action id 52"), (10, 40, -1, "unknown action"),
])
def test_bad_segments_are_refused(start: int, end: int, action: int, words: str) -> None:
    with pytest.raises(RuleViolation, match=words):
        validate_segment(seg(start, end, action), CLIP, MMA52)


def test_good_segment_passes() -> None:
    validate_segment(seg(0, 6), CLIP, MMA52)
    validate_segment(seg(283, 289), CLIP, MMA52)


def test_same_action_overlaps_of_one_author() -> None:
    segs = [seg(0, 30, 3, 1), seg(20, 50, 3, 2), seg(50, 80, 3, 3), seg(10, 20, 4, 4), seg(25, 35, 3, 5, "b")]
    pairs = same_action_overlaps(segs)
    assert [(a.id, b.id) for a, b in pairs] == [(1, 2)]  # touching 50|50 is not an overlap
    assert [s.id for s in overlapping_same_action(seg(25, 55, 3, 9), segs)] == [1, 2, 3]
