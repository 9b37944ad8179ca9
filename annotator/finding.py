"""Find across the project: instances by action, body part or annotator; clips by disagreement.

Blind mode holds here too: an annotator only ever finds their own segments (the store would
also hide others' work on clips not finalised; this does not even ask for it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from annotator.model import MergedInstance, MergedStatus, Role
from annotator.store.api import MergedOutline, StoreAPI


@dataclass(frozen=True, slots=True)
class Query:
    """What to find; None means any."""

    action_id: int | None = None
    body_part_id: int | None = None
    annotator: str | None = None


@dataclass(frozen=True, slots=True)
class Hit:
    """One instance found: whose, on which clip, where, what."""

    clip_id: int
    clip_name: str
    author: str
    segment_id: int
    start_frame: int
    end_frame: int
    action_id: int


@dataclass(frozen=True, slots=True)
class Disagreement:
    """How much the annotators of one merged clip disagree."""

    clip_id: int
    clip_name: str
    instances: int
    disputed: int  # instances the cross-check did not find reliable (needs review, or decided)

    @property
    def share(self) -> float:
        """Disputed share of the clip's instances."""
        return self.disputed / self.instances if self.instances else 0.0


def searchable_authors(store: StoreAPI, user: str) -> list[str]:
    """Whose work `user` may search: only their own for an annotator, everyone's otherwise."""
    me = next((a for a in store.annotators() if a.name == user), None)
    if me is not None and me.role is Role.ANNOTATOR:
        return [user]
    return sorted(a.name for a in store.annotators() if a.role is Role.ANNOTATOR)


def find_instances(store: StoreAPI, user: str, query: Query) -> list[Hit]:
    """Every live segment matching `query` that `user` may see, by clip name then start."""
    authors = searchable_authors(store, user)
    if query.annotator is not None:
        authors = [a for a in authors if a == query.annotator]
    tax = store.taxonomy
    names = {c.id: c.name for c in store.clips()}
    hits = []
    for author in authors:
        for clip_id, segments in store.segments_by_clip(author).items():
            for s in segments:
                if query.action_id is not None and s.action_id != query.action_id:
                    continue
                if query.body_part_id is not None and tax.body_part_of(s.action_id).id != query.body_part_id:
                    continue
                assert s.id is not None
                hits.append(Hit(clip_id, names.get(clip_id, str(clip_id)), author, s.id,
                                s.start_frame, s.end_frame, s.action_id))
    return sorted(hits, key=lambda h: (h.clip_name, h.start_frame, h.author))


def disagreement(merged: Mapping[int, Sequence[MergedInstance | MergedOutline]],
                 clip_names: dict[int, str]) -> list[Disagreement]:
    """Merged clips, the most disputed first (by disputed share, then count)."""
    rows = [Disagreement(clip_id, clip_names.get(clip_id, str(clip_id)), len(found), _disputed(found))
            for clip_id, found in merged.items() if found]
    return sorted(rows, key=lambda d: (-d.share, -d.disputed, d.clip_name))


def _disputed(found: Sequence[MergedInstance | MergedOutline]) -> int:
    return sum(1 for m in found if m.status is not MergedStatus.RELIABLE)
