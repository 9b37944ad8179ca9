"""Subject ids from names."""

from __future__ import annotations

import pytest

from annotator.subjects import DEFAULT_SUBJECT_REGEX, subject_from_name


def test_default_takes_first_underscore_field() -> None:
    assert subject_from_name("196_01_0005_L") == "196"
    assert subject_from_name("train0000") == "train0000"
    assert DEFAULT_SUBJECT_REGEX == r"^([^_]+)"


def test_custom_regex_uses_first_group() -> None:
    assert subject_from_name("clip-P07-s2.mp4", r"-(P\d+)-") == "P07"


@pytest.mark.parametrize(
    ("name", "regex", "message"),
    [
        ("_leading", DEFAULT_SUBJECT_REGEX, "does not match"),
        ("clip.mp4", r"(P\d+)", "does not match"),
        ("x", r"x", "has no group"),
        ("x", r"(", "not a valid regular expression"),
    ],
)
def test_clear_value_errors(name: str, regex: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        subject_from_name(name, regex)
