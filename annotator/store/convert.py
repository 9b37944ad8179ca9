"""ORM rows to frozen domain records (the only way data leaves annotator/store/)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from annotator.decisions import parse_optional
from annotator.model import (
    Annotator,
    Assignment,
    AssignmentState,
    AuditEntry,
    Clip,
    MergedInstance,
    MergedStatus,
    MergeRule,
    Origin,
    Proposal,
    ProposalStatus,
    Role,
    Segment,
    Subset,
)
from annotator.store.orm import (
    AnnotatorRow,
    AssignmentRow,
    AuditRow,
    ClipRow,
    MergedRow,
    ProposalRow,
    SegmentRow,
)


def now() -> datetime:
    """The current time in UTC."""
    return datetime.now(UTC)


def aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; they were written in UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


SUBSETS = {str(s): s for s in Subset}  # a dict lookup, as ORIGINS below: 6,000 clips on MMA-52


def clip(row: ClipRow | Any) -> Clip:
    """A Clip from a row (ORM object or Core row with the same column names)."""
    return Clip(
        id=row.id, name=row.name, subject=row.subject_id, fps=row.fps, frame_count=row.frame_count,
        width=row.width, height=row.height, media_path=row.media_path,
        subset=SUBSETS[row.subset] if row.subset else None, source=row.source,
        source_offset_frame=row.source_offset_frame, finalised=bool(row.finalised), damaged=bool(row.damaged),
    )


def annotator(row: AnnotatorRow) -> Annotator:
    """An Annotator from its row."""
    return Annotator(id=row.id, name=row.name, role=Role(row.role))


STATES = {str(s): s for s in AssignmentState}  # a dict lookup, as ORIGINS: 18,000 assignments on MMA-52


def assignment(row: AssignmentRow | Any) -> Assignment:
    """An Assignment from its row."""
    return Assignment(clip_id=row.clip_id, annotator_id=row.annotator_id, state=STATES[row.state])


MERGED_STATES = {str(s): s for s in MergedStatus}  # the same: 20,000 merged instances on MMA-52
ORIGINS = {str(o): o for o in Origin}  # a dict lookup: Origin(text) costs microseconds, x 55,000 segments


SEGMENT_FIELDS = ("id", "clip_id", "author", "start_frame", "end_frame", "action_id", "origin", "confidence",
                  "version", "created_at", "updated_at")  # Segment's fields, in order: the columns segment_of reads


def segment(row: SegmentRow | Any) -> Segment:
    """A Segment from a row (ORM object or Core row)."""
    return segment_of(tuple(getattr(row, name) for name in SEGMENT_FIELDS))


def segment_of(values: Sequence[Any]) -> Segment:
    """A Segment from its columns' values in SEGMENT_FIELDS order (positional: 55,000 rows read at once)."""
    sid, clip_id, author, start, end, action_id, origin, confidence, version, created, updated = values
    return Segment(sid, clip_id, author, start, end, action_id, ORIGINS[origin], confidence, version,
                   aware(created), aware(updated))


def proposal(row: ProposalRow | Any, status: str | None = None) -> Proposal:
    """A Proposal from its row (ORM object or Core row) and one author's answer (None: pending)."""
    return Proposal(
        id=row.id, clip_id=row.clip_id, model_version=row.model_version, start_frame=row.start_frame,
        end_frame=row.end_frame, action_id=row.action_id, score=row.score,
        status=ProposalStatus(status) if status else ProposalStatus.PENDING, requested_by=row.requested_by,
    )


MERGED_FIELDS = ("id", "clip_id", "start_frame", "end_frame", "action_id", "rule", "reliable", "status",
                 "majority", "decision", "decided_by", "decided_at", "version")  # the columns merged_of reads
RULES = {str(r): r for r in MergeRule}


def merged(row: MergedRow | Any, segment_ids: tuple[int, ...]) -> MergedInstance:
    """A MergedInstance from its row (ORM object or Core row) and its contributing segment ids."""
    return merged_of(tuple(getattr(row, name) for name in MERGED_FIELDS), segment_ids)


def merged_of(values: Sequence[Any], segment_ids: tuple[int, ...]) -> MergedInstance:
    """A MergedInstance from its columns' values in MERGED_FIELDS order (positional: 20,000 rows read at once)."""
    mid, clip_id, start, end, action_id, rule, reliable, status, majority, decision, decided_by, decided_at, \
        version = values
    return MergedInstance(mid, clip_id, start, end, action_id, segment_ids, RULES[rule], bool(reliable),
                          MERGED_STATES[status], parse_optional(majority), parse_optional(decision), decided_by,
                          aware(decided_at), version)


def audit(row: AuditRow) -> AuditEntry:
    """An AuditEntry from its row."""
    at = aware(row.at)
    assert at is not None
    return AuditEntry(
        id=row.id, at=at, user=row.user, action=row.action, entity=row.entity,
        entity_id=row.entity_id, old=row.old, new=row.new,
    )
