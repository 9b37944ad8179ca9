"""The segments aggregate: each author's labelled instances, soft-deleted, version-checked."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator import rules
from annotator.errors import ConflictError, RuleViolation
from annotator.model import Origin, Segment
from annotator.store import convert
from annotator.store.core import StoreCore
from annotator.store.orm import ClipRow, SegmentRow
from annotator.store.versioned import versioned_update


def segment_values(seg: Segment) -> dict[str, Any]:
    """The editable fields of a segment, as stored and audited."""
    return {"start_frame": seg.start_frame, "end_frame": seg.end_frame, "action_id": seg.action_id,
            "origin": str(seg.origin), "confidence": seg.confidence}


def _edited_origin(current: SegmentRow, new: Segment) -> Segment:
    """An accepted proposal whose bounds or label change is stored as proposal-edited,
    whatever the caller sent (the data layer keeps the provenance honest)."""
    changed = (new.start_frame, new.end_frame, new.action_id) != (current.start_frame, current.end_frame,
                                                                  current.action_id)
    if changed and current.origin == str(Origin.PROPOSAL_ACCEPTED) and new.origin == Origin.PROPOSAL_ACCEPTED:
        return replace(new, origin=Origin.PROPOSAL_EDITED)
    return new


class SegmentsMixin(StoreCore):
    """Segments: read under blind mode, written under the access policy and optimistic locking."""

    def segments(self, clip_id: int, author: str) -> list[Segment]:
        """One author's live segments on a clip, in stored order (blind mode applies)."""
        with self._read() as s:
            self._check_read(self._clip_row(s, clip_id), author)
            rows = s.scalars(select(SegmentRow).where(
                SegmentRow.clip_id == clip_id, SegmentRow.author == author, SegmentRow.deleted.is_(False)
            ).order_by(SegmentRow.id))
            return [convert.segment(r) for r in rows]

    def segments_by_clip(self, author: str) -> dict[int, list[Segment]]:
        """One author's live segments on every clip; an annotator gets others' only on finalised clips."""
        table = SegmentRow.__table__
        query = select(*(table.c[name] for name in convert.SEGMENT_FIELDS)).where(
            table.c.author == author, table.c.deleted.is_(False))
        if not self.access.privileged and author != self.access.name:
            finalised = select(ClipRow.id).where(ClipRow.finalised.is_(True))
            query = query.where(table.c.clip_id.in_(finalised))
        out: dict[int, list[Segment]] = {}
        with self._connect() as conn:
            rows = conn.execute(query.order_by(table.c.clip_id, table.c.id)).all()  # one fetchall, not a fetch per row
        for row in rows:
            out.setdefault(row[1], []).append(convert.segment_of(row))
        return out

    def add_segment(self, segment: Segment) -> Segment:
        """Store a new segment after checking the rules and the user's rights."""
        with self._tx() as s:
            clip_row = self._clip_row(s, segment.clip_id)
            self._check_segment_write(s, clip_row, segment.author)
            self.access.check_origin(str(segment.origin), None)
            return self._insert_segment(s, clip_row, segment)

    def _insert_segment(self, s: Session, clip_row: ClipRow, segment: Segment) -> Segment:
        rules.validate_segment(segment, convert.clip(clip_row), self.taxonomy)
        stamp = convert.now()
        row = SegmentRow(clip_id=segment.clip_id, author=segment.author, start_frame=segment.start_frame,
                         end_frame=segment.end_frame, action_id=segment.action_id,
                         origin=str(segment.origin), confidence=segment.confidence, version=1,
                         created_at=stamp, updated_at=stamp, deleted=False)
        s.add(row)
        s.flush()
        self._audit(s, "add", "segment", row.id, None, {"author": segment.author, **segment_values(segment)})
        return convert.segment(row)

    def update_segment(self, segment: Segment) -> Segment:
        """Change a segment's bounds, action or origin; refused if its version moved on."""
        if segment.id is None:
            raise RuleViolation("cannot update a segment that was never stored")
        with self._tx() as s:
            current = self._live_segment_for_write(s, segment.id)
            if current.author != segment.author or current.clip_id != segment.clip_id:
                raise RuleViolation(f"segment {segment.id} cannot change its author or clip")
            rules.validate_segment(segment, convert.clip(self._clip_row(s, current.clip_id)), self.taxonomy)
            segment = _edited_origin(current, segment)
            self.access.check_origin(str(segment.origin), current.origin)
            old = segment_values(convert.segment(current))
            self._write_segment(s, segment.id or 0, segment.version, **segment_values(segment))
            self._audit(s, "update", "segment", segment.id, old, segment_values(segment))
            row = s.get(SegmentRow, segment.id, populate_existing=True)
            assert row is not None
            return convert.segment(row)

    def delete_segment(self, segment_id: int, version: int) -> None:
        """Soft-delete a segment (it stays in the database; restore_segment undoes it)."""
        with self._tx() as s:
            current = self._live_segment_for_write(s, segment_id)
            old = segment_values(convert.segment(current))
            self._write_segment(s, segment_id, version, deleted=True)
            self._audit(s, "delete", "segment", segment_id, old, None)

    def restore_segment(self, segment_id: int) -> Segment:
        """Bring back a soft-deleted segment (the undo of delete_segment)."""
        with self._tx() as s:
            row = s.get(SegmentRow, segment_id)
            if row is None:
                raise ConflictError(f"segment {segment_id} does not exist")
            self._check_segment_write(s, self._clip_row(s, row.clip_id), row.author)
            if not row.deleted:
                raise ConflictError(f"segment {segment_id} is not deleted (someone restored it already)")
            self._write_segment(s, segment_id, row.version, deleted=False)
            self._audit(s, "restore", "segment", segment_id, None, segment_values(convert.segment(row)))
            s.refresh(row)
            return convert.segment(row)

    def _live_segment_for_write(self, s: Session, segment_id: int) -> SegmentRow:
        row = s.get(SegmentRow, segment_id)
        if row is None:
            raise ConflictError(f"segment {segment_id} does not exist")
        self._check_segment_write(s, self._clip_row(s, row.clip_id), row.author)
        if row.deleted:
            raise ConflictError(f"segment {segment_id} was deleted by another user; reload the clip")
        return row

    def _write_segment(self, s: Session, segment_id: int, version: int, **values: Any) -> None:
        versioned_update(s, SegmentRow, segment_id, version, f"segment {segment_id}",
                                                     updated_at=convert.now(), **values)
