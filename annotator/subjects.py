"""Subject ids (the person filmed) from clip or video names."""

from __future__ import annotations

import re
from functools import lru_cache

DEFAULT_SUBJECT_REGEX = r"^([^_]+)"  # first `_`-separated field: 196_01_0005_L -> 196


@lru_cache(maxsize=32)
def _compiled(regex: str) -> re.Pattern[str]:
    try:
        pattern = re.compile(regex)
    except re.error as exc:
        raise ValueError(f"subject regex {regex!r} is not a valid regular expression: {exc}") from None
    if pattern.groups < 1:
        raise ValueError(f"subject regex {regex!r} has no group: put the subject id in ( )")
    return pattern


def subject_from_name(name: str, regex: str = DEFAULT_SUBJECT_REGEX) -> str:
    """The subject id in `name`: the first group of `regex` searched in it (a file's
    extension is not removed first; the default regex stops at the first `_`)."""
    match = _compiled(regex).search(name)
    if match is None or not match.group(1):
        raise ValueError(f"name {name!r} does not match the subject regex {regex!r}")
    return match.group(1)
