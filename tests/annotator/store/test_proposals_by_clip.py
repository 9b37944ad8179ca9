# ruff: noqa: F811  -- test functions take the imported pytest fixtures as arguments
"""proposals_by_clip reads what proposals() gives clip by clip, for every clip at once (both backends)."""

from __future__ import annotations

from annotator.model import Proposal, ProposalStatus, Role
from annotator.store.api import NewClip
from annotator.store.store import Store
from tests.annotator.store.db import db_url, project, store  # noqa: F401  (pytest fixtures)


def test_every_clips_proposals_in_one_read_as_clip_by_clip(store: Store) -> None:
    for name, role in (("ann1", Role.ANNOTATOR), ("ann2", Role.ANNOTATOR), ("rev", Role.REVIEWER)):
        store.add_annotator(name, role)
    clips = store.add_clips([NewClip(f"s1_{k}", "s1", 30.0, 300) for k in range(3)])
    store.assign_many([c.id for c in clips], ["ann1", "ann2"])
    ann1, rev = store.as_user("ann1"), store.as_user("rev")
    for k, clip in enumerate(clips[:2]):
        shared = rev.add_proposals(clip.id, "v1", [Proposal(None, clip.id, "v1", 10 * k, 10 * k + 30, 5, 0.5 + k / 10)])
        ann1.add_proposals(clip.id, "v2", [Proposal(None, clip.id, "v2", 100, 140, 7, 0.9)])
        ann1.set_proposal_status(shared[0].id or 0, ProposalStatus.REJECTED)
    ids = [c.id for c in clips]
    for user in (store, rev, ann1, store.as_user("ann2")):
        assert user.proposals_by_clip(ids) == {c: user.proposals(c) for c in ids}
    assert ann1.proposals_by_clip(ids)[clips[0].id][0].status is ProposalStatus.REJECTED
    assert len(rev.proposals_by_clip(ids)[clips[0].id]) == 2 and rev.proposals_by_clip(ids)[clips[2].id] == []
