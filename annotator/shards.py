"""`--shard K/N`: a stable split of a project's clips between N machines that never talk.

A clip belongs to shard `sha256(name) mod N`: the split depends on the clip's name alone, so
every machine computes the same one from the same clip list, a clip added later falls into
one shard without moving any other, and the order of the list does not matter.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from annotator.errors import InputError

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Shard:
    """Part `index` of `count` (0-based, as SLURM's array task ids)."""

    index: int = 0
    count: int = 1

    def holds(self, name: str) -> bool:
        """Whether the clip of this name is this shard's."""
        return self.count == 1 or shard_of(name, self.count) == self.index

    def pick(self, items: Iterable[T], name: Callable[[T], str]) -> list[T]:
        """The items whose name falls in this shard, in their given order."""
        return [item for item in items if self.holds(name(item))]

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


WHOLE = Shard()


def shard_of(name: str, count: int) -> int:
    """Which of `count` shards holds the clip `name`."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count


def parse_shard(text: str) -> Shard:
    """'K/N' with 0 <= K < N; InputError names what is wrong."""
    parts = text.split("/")
    try:
        index, count = (int(p) for p in parts) if len(parts) == 2 else (None, None)
    except ValueError:
        index, count = None, None
    if index is None or count is None:
        raise InputError("--shard", text, "expected K/N, e.g. 3/16 for the 4th of 16 parts (K counts from 0)")
    if count < 1 or not 0 <= index < count:
        raise InputError("--shard", text, f"K must be 0 to N-1 and N at least 1 (here K={index}, N={count})")
    return Shard(index, count)
