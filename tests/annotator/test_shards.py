"""--shard K/N: every clip in exactly one part, the split stable when clips are added."""

from __future__ import annotations

import pytest

from annotator.errors import InputError
from annotator.shards import Shard, parse_shard, shard_of


def names(n: int, start: int = 0) -> list[str]:
    return [f"{s:02d}_{r:02d}_{c:04d}" for s, r, c in ((k % 37, k % 5, k) for k in range(start, start + n))]


@pytest.mark.parametrize("count", [1, 2, 3, 7, 16])
def test_every_clip_is_in_exactly_one_shard(count: int) -> None:
    clips = names(2000)
    parts = [Shard(k, count).pick(clips, str) for k in range(count)]
    assert sorted(c for part in parts for c in part) == sorted(clips)  # each once, none lost
    assert sum(len(p) for p in parts) == len(clips)
    assert min(len(p) for p in parts) > 0.8 * len(clips) / count  # an even split


def test_adding_clips_moves_no_clip_and_order_does_not_matter() -> None:
    before = names(500)
    after = names(200, start=500) + before[::-1]
    for count in (2, 16):
        for k in range(count):
            old = set(Shard(k, count).pick(before, str))
            new = set(Shard(k, count).pick(after, str))
            assert old == new & set(before)
    assert shard_of("12_01_0001", 16) == shard_of("12_01_0001", 16)


def test_parse_shard_and_its_bad_inputs() -> None:
    assert parse_shard("3/16") == Shard(3, 16) and str(parse_shard("0/1")) == "0/1"
    for bad in ("16/16", "-1/4", "1/0", "a/b", "3", "1/2/3"):
        with pytest.raises(InputError, match="--shard"):
            parse_shard(bad)
