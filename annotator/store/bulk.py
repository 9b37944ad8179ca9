"""The bulk-import aggregate: one annotation file's clips, subsets, segments and assignments."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from annotator.errors import RuleViolation
from annotator.model import AssignmentState, Origin, Role
from annotator.progress import NEVER, CancelToken
from annotator.store import convert
from annotator.store.access import check_user_name
from annotator.store.api import BulkImport
from annotator.store.clips import insert_clips, write_subsets
from annotator.store.core import REFUSED_VALUES, StoreCore, refusal
from annotator.store.orm import AnnotatorRow, AssignmentRow, ClipRow, SegmentRow


class BulkImportMixin(StoreCore):
    """import_bulk: everything one file adds, in one transaction."""

    def import_bulk(self, batch: BulkImport, cancel: CancelToken = NEVER) -> dict[str, int]:
        """Write one annotation file's clips, subsets, segments and assignments atomically."""
        self.access.require_owner("import annotations")
        if batch.mark_done_for is not None:
            check_user_name(batch.mark_done_for)
        try:
            return self._import_bulk(batch, cancel)
        except REFUSED_VALUES as exc:
            raise refusal("the import", exc) from None

    def _import_bulk(self, batch: BulkImport, cancel: CancelToken) -> dict[str, int]:
        with self._tx() as s:
            insert_clips(s, batch.new_clips)
            cancel.check()
            ids: dict[str, int] = {name: cid for name, cid in s.execute(select(ClipRow.name, ClipRow.id))}
            named = set(batch.clip_names) | set(batch.subsets) | {g.clip_name for g in batch.segments}
            unknown = sorted(named - ids.keys())
            if unknown:
                raise RuleViolation(f"clip {unknown[0]!r} is not in the project")
            file_clip_ids = sorted(ids[name] for name in named)
            _refuse_existing_work(s, batch.author, file_clip_ids, ids)
            if batch.subsets:
                write_subsets(s, {ids[n]: sub for n, sub in batch.subsets.items()})
            cancel.check()
            stamp = convert.now()
            if batch.segments:
                s.execute(insert(SegmentRow), [
                    {"clip_id": ids[g.clip_name], "author": batch.author, "start_frame": g.start_frame,
                     "end_frame": g.end_frame, "action_id": g.action_id, "origin": str(Origin.IMPORTED),
                     "confidence": None, "version": 1, "created_at": stamp, "updated_at": stamp,
                     "deleted": False}
                    for g in batch.segments
                ])
            cancel.check()
            if batch.mark_done_for is not None:
                _mark_done(s, batch.mark_done_for, file_clip_ids, stamp)
            counts = {"clips_created": len(batch.new_clips), "clips_in_file": len(file_clip_ids),
                      "segments": len(batch.segments)}
            self._audit(s, "import", "segments", None, None,
                        {"author": batch.author, **counts, **dict(batch.note or {})})
            cancel.check()  # last chance: a cancel here still rolls everything back
            return counts


def _refuse_existing_work(s: Session, author: str, clip_ids: list[int], ids: dict[str, int]) -> None:
    existing = s.execute(
        select(SegmentRow.clip_id, func.count()).where(
            SegmentRow.author == author, SegmentRow.deleted.is_(False), SegmentRow.clip_id.in_(clip_ids)
        ).group_by(SegmentRow.clip_id).order_by(SegmentRow.clip_id).limit(1)
    ).first()
    if existing is not None:
        name = next(n for n, i in ids.items() if i == existing[0])
        raise RuleViolation(f"{author!r} already has segments on clip {name!r}: importing again would duplicate them")


def _mark_done(s: Session, name: str, clip_ids: list[int], stamp: datetime) -> None:
    row = s.scalar(select(AnnotatorRow).where(AnnotatorRow.name == name))
    if row is None:
        row = AnnotatorRow(name=name, role=str(Role.ANNOTATOR))
        s.add(row)
        s.flush()
    s.execute(delete(AssignmentRow).where(AssignmentRow.annotator_id == row.id, AssignmentRow.clip_id.in_(clip_ids)))
    if clip_ids:
        s.execute(insert(AssignmentRow), [
            {"clip_id": cid, "annotator_id": row.id, "state": str(AssignmentState.DONE), "updated_at": stamp}
            for cid in clip_ids
        ])
