"""The proposals aggregate: a model's suggestions, and each author's own answer to them.

Reviewers and the owner add proposals to any clip, shared by every annotator of it
(requested_by NULL). An annotator's own desktop runs the model only for the clips assigned to
them and not finalised (the app's model loop): what it stores is private to that annotator
(requested_by: their name), so that no annotator can put "proposals" into the others' lanes,
and storing a version again replaces only the requester's own unanswered rows. An annotator
sees the shared proposals and their own; reviewers and the owner see all. An annotator's
accept or reject is theirs alone (a row of proposal_answers keyed by proposal and author): the
other annotators still see the proposal pending, and an acceptance makes a segment of that
author only. `Proposal.status` is the answer of the author asked about (default: the user's).
On PostgreSQL the policies of migration 0006 hold the same rules for any client.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import and_, delete, or_, select
from sqlalchemy.orm import Session

from annotator import rules
from annotator.errors import ConflictError, PermissionDenied, RuleViolation
from annotator.model import Origin, Proposal, ProposalStatus, Role, Segment
from annotator.store import convert
from annotator.store.access import OWNER
from annotator.store.answer_edits import accept_sql, status_sql, unaccept_sql
from annotator.store.orm import (
    AnnotatorRow,
    AssignmentRow,
    ClipRow,
    ProposalAnswerRow,
    ProposalRow,
    SegmentRow,
)
from annotator.store.segments import SegmentsMixin, segment_values


class ProposalsMixin(SegmentsMixin):
    """Proposals; accepting one writes a segment, so this builds on the segments aggregate."""

    def add_proposals(self, clip_id: int, model_version: str, proposals: Iterable[Proposal]) -> list[Proposal]:
        """Store a model version's proposals for a clip (pending for everyone who sees them), replacing the
        version's unanswered proposals of the clip that the same requester stored; answered ones stay, and
        are not proposed again (nor, for an annotator, any the shared ones already hold)."""
        with self._tx() as s:
            clip_row = self._clip_row(s, clip_id)
            self._check_may_propose(s, clip_row)
            requester = None if self.access.privileged else self.access.name
            version = (ProposalRow.clip_id == clip_id, ProposalRow.model_version == model_version)
            same = ProposalRow.requested_by.is_(None) if requester is None else ProposalRow.requested_by == requester
            answered = select(ProposalAnswerRow.proposal_id)
            kept = and_(same, ProposalRow.id.in_(answered))
            if requester is not None:  # an annotator also sees the shared ones: no private copies of them
                kept = or_(kept, ProposalRow.requested_by.is_(None))
            present = {tuple(r) for r in s.execute(select(
                ProposalRow.start_frame, ProposalRow.end_frame, ProposalRow.action_id).where(*version, kept))}
            rows = []
            for p in proposals:
                rules.validate_action(p.action_id, self.taxonomy)
                if not 0 <= p.start_frame < p.end_frame < clip_row.frame_count:
                    raise RuleViolation(f"proposal {p.start_frame}-{p.end_frame} is outside clip {clip_row.name!r}")
                if (p.start_frame, p.end_frame, p.action_id) not in present:
                    rows.append(ProposalRow(clip_id=clip_id, model_version=model_version, start_frame=p.start_frame,
                                            end_frame=p.end_frame, action_id=p.action_id, score=p.score,
                                            requested_by=requester))
            replaced = s.execute(delete(ProposalRow).where(*version, same, ProposalRow.id.not_in(answered)))
            s.add_all(rows)
            s.flush()
            self._audit(s, "add", "proposals", clip_id, None,
                        {"model": model_version, "count": len(rows), "requested_by": requester,
                         "replaced_pending": replaced.rowcount})  # type: ignore[attr-defined]
            return [convert.proposal(r) for r in rows]

    def _check_may_propose(self, s: Session, clip_row: ClipRow) -> None:
        if self.access.privileged:
            return
        assert self.user is not None
        if clip_row.finalised or s.get(AssignmentRow, (clip_row.id, self.user.id)) is None:
            raise PermissionDenied(f"{self.access.name} may add model proposals only to their own open clips, "
                                   f"not to {clip_row.name!r}: a reviewer proposes for the others")

    def proposals(self, clip_id: int, model_version: str | None = None, author: str | None = None) -> list[Proposal]:
        """The proposals of a clip that `author` (default: the user) sees, optionally of one model version,
        with `author`'s answers: an annotator sees the shared ones and their own, a reviewer or the owner all."""
        author = self.access.name if author is None else author
        with self._read() as s:
            self._check_read(self._clip_row(s, clip_id), author)
            query = select(ProposalRow).where(ProposalRow.clip_id == clip_id).order_by(ProposalRow.id)
            if model_version is not None:
                query = query.where(ProposalRow.model_version == model_version)
            if not self._sees_every_proposal(s, author):
                query = query.where(or_(ProposalRow.requested_by.is_(None), ProposalRow.requested_by == author))
            answered = select(ProposalAnswerRow.proposal_id, ProposalAnswerRow.status).join(
                ProposalRow, ProposalRow.id == ProposalAnswerRow.proposal_id).where(
                ProposalRow.clip_id == clip_id, ProposalAnswerRow.author == author)
            answers = {pid: status for pid, status in s.execute(answered)}
            return [convert.proposal(r, answers.get(r.id)) for r in s.scalars(query)]

    def proposals_by_clip(self, clip_ids: Sequence[int]) -> dict[int, list[Proposal]]:
        """proposals(clip) of the user for each of `clip_ids` (every clip listed), in two queries per chunk."""
        out: dict[int, list[Proposal]] = {cid: [] for cid in clip_ids}
        author = self.access.name
        with self._read() as s:
            every = self._sees_every_proposal(s, author)
            for k in range(0, len(clip_ids), 2000):
                part = clip_ids[k:k + 2000]
                for clip_row in s.scalars(select(ClipRow).where(ClipRow.id.in_(part))):
                    self._check_read(clip_row, author)
                query = select(ProposalRow).where(ProposalRow.clip_id.in_(part)).order_by(ProposalRow.id)
                if not every:
                    query = query.where(or_(ProposalRow.requested_by.is_(None), ProposalRow.requested_by == author))
                answers = {pid: status for pid, status in s.execute(
                    select(ProposalAnswerRow.proposal_id, ProposalAnswerRow.status).join(
                        ProposalRow, ProposalRow.id == ProposalAnswerRow.proposal_id).where(
                        ProposalRow.clip_id.in_(part), ProposalAnswerRow.author == author))}
                for r in s.scalars(query):
                    out[r.clip_id].append(convert.proposal(r, answers.get(r.id)))
        return out

    def _sees_every_proposal(self, s: Session, author: str) -> bool:
        """Whether `author` sees every annotator's private proposals: the owner and reviewers do."""
        if author == self.access.name:
            return self.access.privileged
        if author == OWNER:
            return True
        row = s.scalar(select(AnnotatorRow).where(AnnotatorRow.name == author))
        return row is not None and row.role == str(Role.REVIEWER)

    def _check_sees(self, s: Session, row: ProposalRow, author: str) -> None:
        """Refuse an answer to another annotator's private proposal (blind mode)."""
        if row.requested_by not in (None, author) and not self._sees_every_proposal(s, author):
            raise PermissionDenied(f"proposal {row.id} is another annotator's own: {author} may not answer it")

    def set_proposal_status(self, proposal_id: int, status: ProposalStatus, author: str | None = None) -> Proposal:
        """Record `author`'s answer (default: the user's); PENDING takes it back. Not for accepting."""
        author = self.access.name if author is None else author
        status = ProposalStatus(status)
        if status is ProposalStatus.ACCEPTED:
            raise RuleViolation("accepting a proposal makes a segment: use accept_proposal")
        if self._one_statement_writes and author == self.access.name:
            ctes, final, params = status_sql(proposal_id, status)
            rows = self._one_statement(ctes, final, {**params, **self._rights()})
            if rows is not None:
                return convert.proposal(rows[0], None if status is ProposalStatus.PENDING else str(status))
        with self._tx() as s:  # SQLite, another author's answer, or a refusal: these checks say why
            row = _proposal(s, proposal_id)
            self._check_write(self._clip_row(s, row.clip_id), author)
            self._check_sees(s, row, author)
            answer = s.get(ProposalAnswerRow, (proposal_id, author))
            if answer is not None and answer.status == str(ProposalStatus.ACCEPTED):
                raise ConflictError(f"proposal {proposal_id} is accepted by {author}: undo the acceptance instead")
            old = answer.status if answer is not None else str(ProposalStatus.PENDING)
            if answer is not None:
                s.delete(answer)
                s.flush()
            if status is ProposalStatus.REJECTED:
                s.add(ProposalAnswerRow(proposal_id=proposal_id, author=author, status=str(status),
                                        answered_at=convert.now()))
            self._audit(s, "set_status", "proposal", proposal_id, {"status": old, "author": author},
                        {"status": str(status), "author": author})
            return convert.proposal(row, None if status is ProposalStatus.PENDING else str(status))

    def accept_proposal(self, proposal_id: int, author: str, segment_id: int | None = None) -> tuple[Segment, Proposal]:
        """Turn a proposal pending for `author` into their segment (origin proposal-accepted), ONE transaction.

        `segment_id` names the segment an earlier acceptance made and unaccept_proposal deleted
        (redo): it is restored under its id instead of making a new one.
        """
        if self._one_statement_writes and author == self.access.name:
            done = self._accept_in_one(proposal_id, segment_id)
            if done is not None:
                return done
        with self._tx() as s:  # SQLite, another author's answer, or a refusal: these checks say why
            row = _proposal(s, proposal_id)
            _pending_for(s, proposal_id, author)
            clip_row = self._clip_row(s, row.clip_id)
            self._check_segment_write(s, clip_row, author)
            self._check_sees(s, row, author)
            if segment_id is None:
                seg = self._insert_segment(s, clip_row, Segment(
                    None, row.clip_id, author, row.start_frame, row.end_frame, row.action_id,
                    origin=Origin.PROPOSAL_ACCEPTED, confidence=row.score))
            else:
                seg = self._restore_accepted(s, segment_id, row, author)
            s.add(ProposalAnswerRow(proposal_id=proposal_id, author=author, status=str(ProposalStatus.ACCEPTED),
                                    segment_id=seg.id, answered_at=convert.now()))
            self._audit(s, "accept", "proposal", proposal_id, {"status": str(ProposalStatus.PENDING)},
                        {"status": str(ProposalStatus.ACCEPTED), "segment_id": seg.id, "author": author})
            return seg, convert.proposal(row, str(ProposalStatus.ACCEPTED))

    def _rights(self) -> dict[str, Any]:
        """The parameters naming the user and their rights in the statements of annotator.store.answer_edits."""
        return {"me": self.access.name, "me_json": json.dumps(self.access.name),
                "uid": self.user.id if self.user else None, "priv": self.access.privileged}

    def _accept_in_one(self, proposal_id: int, segment_id: int | None) -> tuple[Segment, Proposal] | None:
        """accept_proposal of the user's own, as one statement (answer_edits.accept_sql); None: refused."""
        ctes, final, params = accept_sql(proposal_id, len(self.taxonomy.actions), segment_id)
        rows = self._one_statement(ctes, final, {**params, **self._rights()})
        if rows is None:
            return None
        r = rows[0]
        return convert.segment(r), Proposal(r.p_id, r.clip_id, r.model_version, r.p_start, r.p_end, r.p_action,
                                            r.score, ProposalStatus.ACCEPTED, r.requested_by)

    def unaccept_proposal(self, proposal_id: int, segment_id: int, version: int) -> Proposal:
        """Undo accept_proposal in ONE transaction: soft-delete its segment, the author's answer back to pending."""
        if self._one_statement_writes:
            ctes, final, params = unaccept_sql(proposal_id, segment_id, version)
            rows = self._one_statement(ctes, final, {**params, **self._rights()})
            if rows is not None:
                return convert.proposal(rows[0])
        with self._tx() as s:  # SQLite, or a refusal: these checks say why
            row = _proposal(s, proposal_id)
            seg = self._live_segment_for_write(s, segment_id)
            answer = s.get(ProposalAnswerRow, (proposal_id, seg.author))
            if answer is None or answer.status != str(ProposalStatus.ACCEPTED) or answer.segment_id != segment_id:
                raise ConflictError(f"proposal {proposal_id} is not accepted by {seg.author} as segment {segment_id} "
                                    "(answered elsewhere?); reload")
            self._write_segment(s, segment_id, version, deleted=True)
            s.execute(delete(ProposalAnswerRow).where(ProposalAnswerRow.proposal_id == proposal_id,
                                                      ProposalAnswerRow.author == seg.author))
            self._audit(s, "unaccept", "proposal", proposal_id, {"status": str(ProposalStatus.ACCEPTED),
                                                                 "segment_id": segment_id, "author": seg.author},
                        {"status": str(ProposalStatus.PENDING)})
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


def _proposal(s: Session, proposal_id: int) -> ProposalRow:
    row = s.get(ProposalRow, proposal_id)
    if row is None:
        raise ConflictError(f"proposal {proposal_id} does not exist")
    return row


def _pending_for(s: Session, proposal_id: int, author: str) -> None:
    answer = s.get(ProposalAnswerRow, (proposal_id, author))
    if answer is not None:
        raise ConflictError(f"proposal {proposal_id} is {answer.status}, not pending, for {author} "
                            "(answered elsewhere?); reload")
