"""Undoable answers to a model proposal, in the shape of annotator.commands (do/undo → Change).

Accepting creates the annotator's own segment (origin proposal-accepted, the score kept as
its confidence) and marks the proposal accepted; editing that segment later makes its
origin proposal-edited (annotator.commands.EditSegment does that). Undo puts the proposal
back to pending and soft-deletes the segment; redo restores the same segment row.
"""

from __future__ import annotations

from annotator.commands import AddSegment, Change
from annotator.model import Origin, Proposal, ProposalStatus, Segment
from annotator.store.api import StoreAPI


class AcceptProposal:
    """Turn a proposal into a segment of `author`."""

    def __init__(self, proposal: Proposal, author: str) -> None:
        self.text = "Accept proposal"
        self.proposal = proposal
        self._add = AddSegment(Segment(
            id=None, clip_id=proposal.clip_id, author=author, start_frame=proposal.start_frame,
            end_frame=proposal.end_frame, action_id=proposal.action_id, origin=Origin.PROPOSAL_ACCEPTED,
            confidence=proposal.score))

    @property
    def segment(self) -> Segment | None:
        """The created segment once done."""
        return self._add.segment

    def do(self, store: StoreAPI) -> Change:
        """Create (or restore) the segment, then mark the proposal accepted."""
        change = self._add.do(store)
        assert self.proposal.id is not None
        store.set_proposal_status(self.proposal.id, ProposalStatus.ACCEPTED)
        return change

    def undo(self, store: StoreAPI) -> Change:
        """Remove the segment and put the proposal back to pending."""
        change = self._add.undo(store)
        assert self.proposal.id is not None
        store.set_proposal_status(self.proposal.id, ProposalStatus.PENDING)
        return change


class RejectProposal:
    """Mark a proposal rejected (no segment is made)."""

    def __init__(self, proposal: Proposal) -> None:
        self.text = "Reject proposal"
        self.proposal = proposal

    def do(self, store: StoreAPI) -> Change:
        """Mark it rejected."""
        assert self.proposal.id is not None
        store.set_proposal_status(self.proposal.id, ProposalStatus.REJECTED)
        return Change(self.proposal.clip_id)

    def undo(self, store: StoreAPI) -> Change:
        """Put it back to pending."""
        assert self.proposal.id is not None
        store.set_proposal_status(self.proposal.id, ProposalStatus.PENDING)
        return Change(self.proposal.clip_id)
