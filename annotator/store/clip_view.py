"""Everything the annotation screen (clip_view) or the review screen (review_view) shows of one clip,
read in one snapshot and (PostgreSQL) one round trip.

The clip, the author's assignment state, their live segments, the clip's proposals, the
user's answers and, on a finalised clip, its merged instances and their segments (the final
result lane) are seven queries. On PostgreSQL they go out together in psycopg's pipeline
mode inside one REPEATABLE READ, READ ONLY transaction (BEGIN, the seven, COMMIT, one sync):
one round trip, plus the pool's liveness ping when the connection is checked out. On SQLite
(in process, no round trips) they run one after another in one read transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg
from psycopg.rows import namedtuple_row
from sqlalchemy import ColumnElement, Select, exists, or_, select

from annotator.errors import InputError
from annotator.model import AssignmentState, MergedInstance, Segment
from annotator.store import convert
from annotator.store.access import OWNER
from annotator.store.api import ClipView, ReviewView
from annotator.store.assignments import AssignmentsMixin
from annotator.store.clips import merge_problem_queries, merge_problems_from
from annotator.store.orm import (
    AnnotatorRow,
    AssignmentRow,
    ClipRow,
    MergedRow,
    MergedSegmentRow,
    ProposalAnswerRow,
    ProposalRow,
    SegmentRow,
)
from annotator.store.proposals import ProposalsMixin

SNAPSHOT = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"


class ClipViewMixin(AssignmentsMixin, ProposalsMixin):
    """The open-clip reads of the annotation and review screens."""

    def clip_view(self, clip_id: int, author: str) -> ClipView:
        """The clip, `author`'s assignment state (None: not assigned), their live segments and the
        clip's proposals with the user's answers (blind mode applies), all from one snapshot."""
        user = self.access.name
        clip_q = select(ClipRow.__table__).where(ClipRow.id == clip_id)
        state_q = select(AssignmentRow.state).join(AnnotatorRow, AnnotatorRow.id == AssignmentRow.annotator_id).where(
            AssignmentRow.clip_id == clip_id, AnnotatorRow.name == author)
        segments_q = select(SegmentRow.__table__).where(
            SegmentRow.clip_id == clip_id, SegmentRow.author == author, SegmentRow.deleted.is_(False)
        ).order_by(SegmentRow.id)
        proposals_q = select(ProposalRow.__table__).where(ProposalRow.clip_id == clip_id).order_by(ProposalRow.id)
        if not self.access.privileged and user != OWNER:  # blind mode: the shared proposals and the user's own
            proposals_q = proposals_q.where(or_(ProposalRow.requested_by.is_(None), ProposalRow.requested_by == user))
        answers_q = select(ProposalAnswerRow.proposal_id, ProposalAnswerRow.status).join(
            ProposalRow, ProposalRow.id == ProposalAnswerRow.proposal_id).where(
            ProposalRow.clip_id == clip_id, ProposalAnswerRow.author == user)
        finalised = exists().where(ClipRow.id == clip_id, ClipRow.finalised.is_(True))
        final_q, links_q = _merged_queries(clip_id, finalised)
        clips, states, segments, proposals, answers, final, links = self._read_together(
            [clip_q, state_q, segments_q, proposals_q, answers_q, final_q, links_q])
        if not clips:
            raise InputError("project", f"clip id {clip_id}", "no such clip")
        clip = convert.clip(clips[0])
        self.access.check_read(clip.name, clip.finalised, author)
        status = {row.proposal_id: row.status for row in answers}
        state = None if not states else AssignmentState(states[0].state)
        return ClipView(clip, state, [convert.segment(r) for r in segments],
                        [convert.proposal(r, status.get(r.id)) for r in proposals], _merged_of_rows(final, links))

    def review_view(self, clip_id: int) -> ReviewView:
        """The review screen's read of a clip: the clip, its assigned annotators, their live segments,
        its merged instances and its merge's problem (as merge_problems says it), from one snapshot
        (reviewer or owner)."""
        self.access.require_privileged("read every annotator's segments")
        clip_q = select(ClipRow.__table__).where(ClipRow.id == clip_id)
        assigned = select(AnnotatorRow.name).join(AssignmentRow, AssignmentRow.annotator_id == AnnotatorRow.id).where(
            AssignmentRow.clip_id == clip_id)
        people_q = assigned.order_by(AnnotatorRow.id)
        segments_q = select(SegmentRow.__table__).where(
            SegmentRow.clip_id == clip_id, SegmentRow.author.in_(assigned), SegmentRow.deleted.is_(False)
        ).order_by(SegmentRow.id)
        merged_q, links_q = _merged_queries(clip_id)
        unmerged_q, changed_q = merge_problem_queries([clip_id])
        clips, people, segments, merged, links, unmerged, changed = self._read_together(
            [clip_q, people_q, segments_q, merged_q, links_q, unmerged_q, changed_q])
        if not clips:
            raise InputError("project", f"clip id {clip_id}", "no such clip")
        clip = convert.clip(clips[0])
        problem = None if clip.finalised else merge_problems_from({clip_id: clip.name}, unmerged, changed).get(clip_id)
        names = [row.name for row in people]
        by_author: dict[str, list[Segment]] = {name: [] for name in names}
        for row in segments:
            by_author[row.author].append(convert.segment(row))
        return ReviewView(clip, names, by_author, _merged_of_rows(merged, links), problem)

    def _read_together(self, queries: Sequence[Select[*tuple[Any, ...]]]) -> list[list[Any]]:
        """The rows of each query (attribute access by column name), all from one snapshot."""
        if self._session is None and self._engine.dialect.name == "postgresql":
            try:
                return self._pipelined(queries)
            except psycopg.Error:
                pass  # read again below, where SQLAlchemy turns the error into the store's own (StoreBusy, ...)
        with self._read() as s:
            return [list(s.execute(q)) for q in queries]

    def _pipelined(self, queries: Sequence[Select[*tuple[Any, ...]]]) -> list[list[Any]]:
        """PostgreSQL: every query in one pipelined batch (one round trip), in one read-only snapshot."""
        with self._engine.connect() as conn:
            # AUTOCOMMIT is client-side in psycopg 3 (no round trip): the batch's own BEGIN/COMMIT
            # make the transaction, and SQLAlchemy's reset on return finds nothing to roll back.
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            # IN lists are expanded at execution; here the text goes to the driver as it is
            compiled = [q.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True}) for q in queries]
            raw: Any = conn.connection.driver_connection
            try:
                with raw.pipeline():
                    raw.execute(SNAPSHOT)
                    cursors = [raw.cursor(row_factory=namedtuple_row) for _ in compiled]
                    for cursor, c in zip(cursors, compiled, strict=True):
                        cursor.execute(str(c), c.params)
                    raw.execute("COMMIT")
                return [cursor.fetchall() for cursor in cursors]
            except BaseException:
                conn.invalidate()  # a batch cut short may leave the connection mid-transaction
                raise


def _merged_queries(clip_id: int, *where: ColumnElement[bool]) -> tuple[Select[Any], Select[int, int]]:
    """A clip's merged rows and their links to segments (in position order), both under `where`."""
    rows = select(MergedRow.__table__).where(MergedRow.clip_id == clip_id, *where).order_by(MergedRow.id)
    links = select(MergedSegmentRow.merged_id, MergedSegmentRow.segment_id).join(
        MergedRow, MergedRow.id == MergedSegmentRow.merged_id).where(
        MergedRow.clip_id == clip_id, *where).order_by(MergedSegmentRow.merged_id, MergedSegmentRow.position)
    return rows, links


def _merged_of_rows(rows: Sequence[Any], links: Sequence[Any]) -> list[MergedInstance]:
    """The instances of _merged_queries' rows, each with its segment ids."""
    members: dict[int, list[int]] = {}
    for link in links:
        members.setdefault(link.merged_id, []).append(link.segment_id)
    return [convert.merged(r, tuple(members.get(r.id, ()))) for r in rows]
