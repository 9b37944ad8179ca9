"""Undoable answers to a model proposal, in the shape of annotator.commands (do/undo → Change).

Accepting is one store transaction (StoreAPI.accept_proposal): the annotator's own segment
(origin proposal-accepted, the score kept as its confidence) and the proposal's status are
written together, so a crash can never leave one without the other. Editing that segment
later stores origin proposal-edited (the store enforces it). Undo is the matching single
transaction (unaccept_proposal); redo restores the same segment row under its id.
"""

from __future__ import annotations

from dataclasses import replace

from annotator.commands import Change
from annotator.model import Proposal, ProposalStatus, Segment
from annotator.store.api import StoreAPI


class AcceptProposal:
    """Turn a proposal into a segment of `author`."""

    def __init__(self, proposal: Proposal, author: str) -> None:
        self.text = "Accept proposal"
        self.proposal = proposal
        self.author = author
        self._segment: Segment | None = None

    @property
    def segment(self) -> Segment | None:
        """The created segment once done."""
        return self._segment

    def _proposal_id(self) -> int:
        assert self.proposal.id is not None, "a proposal must be stored before it is answered"
        return self.proposal.id

    def do(self, store: StoreAPI) -> Change:
        """Create (or, on redo, restore) the segment and mark the proposal accepted, atomically."""
        earlier = None if self._segment is None else self._segment.id
        self._segment, self.proposal = store.accept_proposal(self._proposal_id(), self.author, earlier)
        assert self._segment.id is not None
        return Change(self._segment.clip_id, added=(self._segment.id,))

    def undo(self, store: StoreAPI) -> Change:
        """Remove the segment and put the proposal back to pending, atomically."""
        seg = self._segment
        assert seg is not None and seg.id is not None, "undo before do"
        written = store.written_version(seg.id)  # edits later in the history (now undone) moved it on
        version = seg.version if written is None else max(written, seg.version)
        self.proposal = store.unaccept_proposal(self._proposal_id(), seg.id, version)
        self._segment = replace(seg, version=version + 1)
        return Change(seg.clip_id, removed=(seg.id,))


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
