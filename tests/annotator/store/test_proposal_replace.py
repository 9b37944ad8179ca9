"""Storing a model version's proposals again replaces its unanswered ones; answered ones stay."""
# ruff: noqa: F811  -- test functions take the imported pytest fixtures as arguments

from __future__ import annotations

from annotator.model import Proposal, ProposalStatus, Role
from annotator.store.api import NewClip
from annotator.store.store import Store
from tests.annotator.store.db import db_url, project, store  # noqa: F401  (pytest fixtures)


def _clip(store: Store) -> int:
    store.add_annotator("ann1", Role.ANNOTATOR)
    (clip,) = store.add_clips([NewClip("s1_a", "s1", 30.0, 300)])
    store.assign_many([clip.id], ["ann1"])
    return clip.id


def _run(clip: int, version: str = "v1") -> list[Proposal]:
    return [Proposal(None, clip, version, 0, 20, 5, 0.9), Proposal(None, clip, version, 40, 60, 7, 0.6),
            Proposal(None, clip, version, 100, 150, 9, 0.4)]


def _key(p: Proposal) -> tuple[int, int, int, str]:
    return p.start_frame, p.end_frame, p.action_id, p.status.value


def test_predicting_twice_leaves_the_proposals_as_they_were(store: Store) -> None:
    clip = _clip(store)
    store.add_proposals(clip, "v1", _run(clip))
    store.add_proposals(clip, "v1", _run(clip))
    assert len(store.proposals(clip, "v1")) == 3


def test_decided_proposals_stay_and_are_not_proposed_again(store: Store) -> None:
    clip = _clip(store)
    first, second, _ = store.add_proposals(clip, "v1", _run(clip))
    ann = store.as_user("ann1")
    seg, _ = ann.accept_proposal(first.id or 0, "ann1")
    ann.set_proposal_status(second.id or 0, ProposalStatus.REJECTED)
    store.add_proposals(clip, "v1", _run(clip))
    after = store.proposals(clip, "v1", author="ann1")
    assert sorted(map(_key, after)) == [(0, 20, 5, "accepted"), (40, 60, 7, "rejected"), (100, 150, 9, "pending")]
    assert {p.id for p in after} >= {first.id, second.id}  # the decided rows themselves, not copies
    assert ann.segments(clip, "ann1") == [seg]


def test_a_new_run_with_fewer_detections_drops_the_stale_pending_ones(store: Store) -> None:
    clip = _clip(store)
    store.add_proposals(clip, "v1", _run(clip))
    store.add_proposals(clip, "v2", _run(clip, "v2"))
    store.add_proposals(clip, "v1", _run(clip)[:1])
    assert [_key(p) for p in store.proposals(clip, "v1")] == [(0, 20, 5, "pending")]
    assert len(store.proposals(clip, "v2")) == 3  # another model version is left alone

