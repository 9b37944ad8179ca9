"""The proposals aggregate: a model's suggestions and the answers to them."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator import rules
from annotator.errors import ConflictError, RuleViolation
from annotator.model import Origin, Proposal, ProposalStatus, Segment
from annotator.store import convert
from annotator.store.orm import ProposalRow, SegmentRow
from annotator.store.segments import SegmentsMixin, segment_values


class ProposalsMixin(SegmentsMixin):
    """Proposals; accepting one writes a segment, so this builds on the segments aggregate."""

    def add_proposals(self, clip_id: int, model_version: str, proposals: Iterable[Proposal]) -> list[Proposal]:
        """Store a model version's proposals for a clip (pending)."""
        with self._tx() as s:
            clip_row = self._clip_row(s, clip_id)
            rows = []
            for p in proposals:
                rules.validate_action(p.action_id, self.taxonomy)
                if not 0 <= p.start_frame < p.end_frame < clip_row.frame_count:
                    raise RuleViolation(f"proposal {p.start_frame}-{p.end_frame} is outside clip {clip_row.name!r}")
                rows.append(ProposalRow(clip_id=clip_id, model_version=model_version, start_frame=p.start_frame,
                                        end_frame=p.end_frame, action_id=p.action_id, score=p.score,
                                        status=str(ProposalStatus.PENDING)))
            s.add_all(rows)
            s.flush()
            self._audit(s, "add", "proposals", clip_id, None, {"model": model_version, "count": len(rows)})
            return [convert.proposal(r) for r in rows]

    def proposals(self, clip_id: int, model_version: str | None = None) -> list[Proposal]:
        """A clip's proposals, optionally of one model version."""
        with self._read() as s:
            query = select(ProposalRow).where(ProposalRow.clip_id == clip_id).order_by(ProposalRow.id)
            if model_version is not None:
                query = query.where(ProposalRow.model_version == model_version)
            return [convert.proposal(r) for r in s.scalars(query)]

    def set_proposal_status(self, proposal_id: int, status: ProposalStatus) -> Proposal:
        """Record an annotator's answer to a proposal."""
        with self._tx() as s:
            row = s.get(ProposalRow, proposal_id)
            if row is None:
                raise ConflictError(f"proposal {proposal_id} does not exist")
            old, row.status = row.status, str(ProposalStatus(status))
            self._audit(s, "set_status", "proposal", proposal_id, {"status": old}, {"status": str(status)})
            return convert.proposal(row)

    def accept_proposal(self, proposal_id: int, author: str, segment_id: int | None = None) -> tuple[Segment, Proposal]:
        """Turn a pending proposal into `author`'s segment (origin proposal-accepted) in ONE transaction.

        `segment_id` names the segment an earlier acceptance made and unaccept_proposal deleted
        (redo): it is restored under its id instead of making a new one.
        """
        with self._tx() as s:
            row = _proposal_row(s, proposal_id, ProposalStatus.PENDING)
            clip_row = self._clip_row(s, row.clip_id)
            self._check_write(clip_row, author)
            if segment_id is None:
                seg = self._insert_segment(s, clip_row, Segment(
                    None, row.clip_id, author, row.start_frame, row.end_frame, row.action_id,
                    origin=Origin.PROPOSAL_ACCEPTED, confidence=row.score))
            else:
                seg = self._restore_accepted(s, segment_id, row, author)
            row.status = str(ProposalStatus.ACCEPTED)
            self._audit(s, "accept", "proposal", proposal_id, {"status": str(ProposalStatus.PENDING)},
                        {"status": row.status, "segment_id": seg.id, "author": author})
            return seg, convert.proposal(row)

    def unaccept_proposal(self, proposal_id: int, segment_id: int, version: int) -> Proposal:
        """Undo accept_proposal in ONE transaction: soft-delete its segment, the proposal back to pending."""
        with self._tx() as s:
            row = _proposal_row(s, proposal_id, ProposalStatus.ACCEPTED)
            seg = self._live_segment_for_write(s, segment_id)
            if seg.clip_id != row.clip_id:
                raise RuleViolation(f"segment {segment_id} is not on the clip of proposal {proposal_id}")
            self._write_segment(s, segment_id, version, deleted=True)
            row.status = str(ProposalStatus.PENDING)
            self._audit(s, "unaccept", "proposal", proposal_id, {"status": str(ProposalStatus.ACCEPTED),
                                                                 "segment_id": segment_id},
                        {"status": row.status})
            return convert.proposal(row)

    def _restore_accepted(self, s: Session, segment_id: int, proposal: ProposalRow, author: str) -> Segment:
        seg = s.get(SegmentRow, segment_id)
        if seg is None or seg.clip_id != proposal.clip_id or seg.author != author:
            raise ConflictError(f"segment {segment_id} is not {author}'s segment on the proposal's clip")
        if not seg.deleted:
            raise ConflictError(f"segment {segment_id} is not deleted (someone restored it already)")
        self._write_segment(s, segment_id, seg.version, deleted=False)
        s.refresh(seg)
        self._audit(s, "restore", "segment", segment_id, None, segment_values(convert.segment(seg)))
        return convert.segment(seg)


def _proposal_row(s: Session, proposal_id: int, expected: ProposalStatus) -> ProposalRow:
    row = s.get(ProposalRow, proposal_id)
    if row is None:
        raise ConflictError(f"proposal {proposal_id} does not exist")
    if row.status != str(expected):
        raise ConflictError(f"proposal {proposal_id} is {row.status}, not {expected} (answered elsewhere?); reload")
    return row
