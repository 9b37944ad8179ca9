"""Typed positions: frames and times, and the bad ones."""

import pytest

from app.player.goto import Position, parse_position


@pytest.mark.parametrize(("text", "expected"), [
    ("123", Position(frame=123)), (" 0 ", Position(frame=0)), ("12.5s", Position(seconds=12.5)),
    ("12.5 s", Position(seconds=12.5)), ("3s", Position(seconds=3.0)), ("1:02.5", Position(seconds=62.5)),
    ("0.5", Position(seconds=0.5)), ("2 sec", Position(seconds=2.0)),
])
def test_frames_and_times(text: str, expected: Position) -> None:
    assert parse_position(text) == expected


@pytest.mark.parametrize("text", ["", "abc", "-3", "12x", "1:2:3", "s"])
def test_bad_positions_say_what_is_expected(text: str) -> None:
    with pytest.raises(ValueError, match="neither a frame number"):
        parse_position(text)
