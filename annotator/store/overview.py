"""Whole-project reads for queues and commands, one query each: what the merge stands by is counted
from ids and states, not from whole instances and segments (a 6,000-clip project opens at once)."""

from __future__ import annotations

from sqlalchemy import func, select

from annotator.store import convert
from annotator.store.api import MergedOutline
from annotator.store.core import StoreCore
from annotator.store.orm import ClipRow, MergedRow, MergedSegmentRow, SegmentRow


class OverviewMixin(StoreCore):
    """merged_outline, live_segment_ids and segment_counts."""

    def merged_outline(self) -> dict[int, list[MergedOutline]]:
        """Every clip's merged instances (id, status, segments), in stored order, as merged_by_clip
        sees them (an annotator: finalised clips only)."""
        query = select(MergedRow.id, MergedRow.clip_id, MergedRow.status).order_by(MergedRow.clip_id, MergedRow.id)
        links = select(MergedSegmentRow.merged_id, MergedSegmentRow.segment_id).order_by(
            MergedSegmentRow.merged_id, MergedSegmentRow.position)
        if not self.access.privileged:
            finalised = select(ClipRow.id).where(ClipRow.finalised.is_(True))
            query = query.where(MergedRow.clip_id.in_(finalised))
            links = links.join(MergedRow, MergedRow.id == MergedSegmentRow.merged_id).where(
                MergedRow.clip_id.in_(finalised))
        with self._connect() as conn:
            by_merged: dict[int, list[int]] = {}
            for merged_id, segment_id in conn.execute(links):
                by_merged.setdefault(merged_id, []).append(segment_id)
            out: dict[int, list[MergedOutline]] = {}
            for mid, cid, status in conn.execute(query):
                out.setdefault(cid, []).append(MergedOutline(mid, cid, convert.MERGED_STATES[status], tuple(by_merged.get(mid, ()))))
        return out

    def live_segment_ids(self) -> set[int]:
        """Ids of every segment not deleted, of every author (reviewer or owner)."""
        self.access.require_privileged("read every annotator's segments")
        with self._connect() as conn:
            return set(conn.scalars(select(SegmentRow.id).where(SegmentRow.deleted.is_(False))))

    def segment_counts(self, author: str | None = None) -> dict[tuple[int, str], int]:
        """(clip id, author) -> live segments the author has on the clip, for every pair that has some:
        every author's (reviewer or owner), or one author's (an annotator: their own only)."""
        if author is None or author != self.access.name:
            self.access.require_privileged("read every annotator's segments")
        query = select(SegmentRow.clip_id, SegmentRow.author, func.count()).where(
            SegmentRow.deleted.is_(False)).group_by(SegmentRow.clip_id, SegmentRow.author)
        if author is not None:
            query = query.where(SegmentRow.author == author)
        with self._connect() as conn:
            return {(cid, who): n for cid, who, n in conn.execute(query)}
