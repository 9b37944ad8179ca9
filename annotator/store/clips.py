"""The clips aggregate: clips, their subjects, media, subsets and finalising."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Select, Subquery, Table, bindparam, exists, func, insert, or_, select, update
from sqlalchemy.orm import Session

from annotator.errors import InputError, RuleViolation
from annotator.model import Clip, MergedStatus, Subset
from annotator.store import convert
from annotator.store.api import NewClip
from annotator.store.core import REFUSED_VALUES, StoreCore, refusal
from annotator.store.orm import (
    AnnotatorRow,
    AssignmentRow,
    AuditRow,
    ClipRow,
    MergedRow,
    MergedSegmentRow,
    SegmentRow,
    SubjectRow,
)

CLIPS = cast(Table, ClipRow.__table__)


def insert_clips(s: Session, clips: Sequence[NewClip]) -> None:
    """Insert new clips and the subjects not yet known (no checks: callers make them)."""
    if not clips:
        return
    known = set(s.scalars(select(SubjectRow.id)))
    new_subjects = sorted({c.subject for c in clips} - known)
    if new_subjects:
        s.execute(insert(SubjectRow), [{"id": sub} for sub in new_subjects])
    s.execute(insert(ClipRow), [
        {"name": c.name, "subject_id": c.subject, "fps": c.fps, "frame_count": c.frame_count,
         "width": c.width, "height": c.height, "media_path": c.media_path,
         "subset": str(c.subset) if c.subset else None, "source": c.source,
         "source_offset_frame": c.source_offset_frame, "finalised": False, "damaged": c.damaged}
        for c in clips
    ])


def write_subsets(s: Session, subsets: Mapping[int, Subset | None]) -> None:
    """clip id -> subset, one executemany."""
    s.connection().execute(update(CLIPS).where(CLIPS.c.id == bindparam("cid")),
                           [{"cid": cid, "subset": str(sub) if sub else None} for cid, sub in subsets.items()])


class ClipsMixin(StoreCore):
    """Clips, subjects, media and finalising."""

    def add_clips(self, clips: Sequence[NewClip]) -> list[Clip]:
        """Create clips (and their subjects) in one transaction; names must be new."""
        self.access.require_owner("add clips")
        try:
            return self._add_clips(clips)
        except REFUSED_VALUES as exc:
            raise refusal("the clips", exc) from None

    def _add_clips(self, clips: Sequence[NewClip]) -> list[Clip]:
        with self._tx() as s:
            names = [c.name for c in clips]
            taken = set(s.scalars(select(ClipRow.name).where(ClipRow.name.in_(names))))
            if taken or len(set(names)) != len(names):
                dup = sorted(taken) or sorted({n for n in names if names.count(n) > 1})
                raise RuleViolation(f"clip {dup[0]!r} already exists")
            insert_clips(s, clips)
            rows = s.scalars(select(ClipRow).where(ClipRow.name.in_(names)).order_by(ClipRow.id)).all()
            self._audit(s, "add", "clips", None, None, {"count": len(rows), "first": names[:1]})
            return [convert.clip(r) for r in rows]

    def clips(self, subset: Subset | None = None) -> list[Clip]:
        """Every clip in stored order, or those of one subset."""
        with self._read() as s:  # Core rows: a whole project's clips without ORM objects
            query = select(CLIPS).order_by(CLIPS.c.id)
            if subset is not None:
                query = query.where(CLIPS.c.subset == str(subset))
            return [convert.clip(r) for r in s.execute(query)]

    def clip(self, clip_id: int) -> Clip:
        """One clip by id."""
        with self._read() as s:
            return convert.clip(self._clip_row(s, clip_id))

    def clip_by_name(self, name: str) -> Clip | None:
        """One clip by name, or None."""
        with self._read() as s:
            row = s.scalar(select(ClipRow).where(ClipRow.name == name))
            return convert.clip(row) if row else None

    def attach_media(self, clip_id: int, media_path: str, fps: float, frame_count: int,
                     width: int, height: int, *, damaged: bool = False) -> Clip:
        """Give a clip its video file and the figures probed from it."""
        self.access.require_privileged("attach media")
        with self._tx() as s:
            row = self._clip_row(s, clip_id)
            old = {"media_path": row.media_path, "fps": row.fps, "frame_count": row.frame_count,
                   "damaged": row.damaged}
            row.media_path, row.fps, row.frame_count = media_path, fps, frame_count
            row.width, row.height, row.damaged = width, height, damaged
            self._audit(s, "attach_media", "clip", clip_id, old,
                        {"media_path": media_path, "fps": fps, "frame_count": frame_count, "damaged": damaged})
            return convert.clip(row)

    def set_subsets(self, subsets: Mapping[int, Subset | None]) -> None:
        """Store a split: clip id -> subset (one transaction, one audit row)."""
        self.access.require_privileged("change splits")
        if not subsets:
            return
        with self._tx() as s:
            write_subsets(s, subsets)
            counts: dict[str, int] = {}
            for sub in subsets.values():
                counts[str(sub)] = counts.get(str(sub), 0) + 1
            self._audit(s, "split", "clips", None, None, counts)

    def finalise_clip(self, clip_id: int) -> Clip:
        """Mark a clip final (reviewer only); refused while merged instances await review, and when the
        merge is missing or older than the annotators' last change to their segments."""
        self.access.require_privileged("finalise clips")
        with self._tx() as s:
            row = self._clip_row(s, clip_id)
            problem = None if row.finalised else merge_problems_of(s, [row]).get(clip_id)  # final: cannot change
            if problem is not None:
                raise RuleViolation(problem)
            pending = s.scalar(select(func.count()).select_from(MergedRow).where(
                MergedRow.clip_id == clip_id, MergedRow.status == str(MergedStatus.NEEDS_REVIEW)))
            if pending:
                raise RuleViolation(f"clip {row.name!r} still has {pending} merged instance(s) to review")
            row.finalised = True
            self._audit(s, "finalise", "clip", clip_id, {"finalised": False}, {"finalised": True})
            return convert.clip(row)

    def unfinalise_clip(self, clip_id: int) -> Clip:
        """Open a finalised clip for review again (reviewer only); its decisions stay as they are."""
        self.access.require_privileged("un-finalise clips")
        with self._tx() as s:
            row = self._clip_row(s, clip_id)
            if row.finalised:
                row.finalised = False
                self._audit(s, "unfinalise", "clip", clip_id, {"finalised": True}, {"finalised": False})
            return convert.clip(row)

    def merge_problems(self, clip_ids: Sequence[int]) -> dict[int, str]:
        """Clip id -> why finalise_clip would refuse that clip on its merge (missing, or older than its
        annotators' work), for the clips not yet finalised; reviewer or owner only, unknown ids refused."""
        self.access.require_privileged("check merges")
        with self._read() as s:
            wanted = sorted(set(clip_ids))
            rows = [r for k in range(0, len(wanted), 5000) for r in s.execute(  # Core rows: id, name, finalised
                select(CLIPS.c.id, CLIPS.c.name, CLIPS.c.finalised).where(CLIPS.c.id.in_(wanted[k:k + 5000])))]
            missing = sorted(set(wanted) - {r.id for r in rows})
            if missing:
                raise InputError("project", f"clip id {missing[0]}", "no such clip")
            return merge_problems_of(s, [r for r in rows if not r.finalised])


def merge_problems_of(s: Session, clips: Sequence[Any]) -> dict[int, str]:  # ClipRows or Core rows (id, name)
    """Why each of these clips cannot be finalised on its merge: never merged over its annotators'
    segments, or its annotators changed their segments after the last merge (the truth would not be
    their work). Clips whose merge is current are left out.

    The merge's moment is its audit row (written in the merge's transaction); a change is a
    segment's updated_at (set by every add, edit, delete and restore). The segments that count are
    those the merge reads (the assigned annotators') and those the merge linked. One set of
    queries for every clip: finalise_clip asks about one, the review queue about all it lists
    (and the review screen's review_view sends the same reads in its batch, merge_problem_queries).
    """
    ids = [c.id for c in clips]
    if not ids:
        return {}
    merged = set(s.scalars(select(_last_merge(ids).c.clip_id)))
    unmerged = [i for i in ids if i not in merged]  # usually none: the costly test runs only for these
    with_segments: Iterable[Any] = s.execute(_with_segments(unmerged)) if unmerged else ()
    changed: Iterable[Any] = s.execute(_changed(sorted(merged))) if merged else ()
    return merge_problems_from({c.id: c.name for c in clips}, with_segments, changed)


def merge_problem_queries(ids: Sequence[int]) -> tuple[Select[int], Select[int, str, datetime]]:
    """merge_problems_of's reads for a few clips as two queries that need no answer first (the
    review screen's batch): the clips never merged that hold assigned annotators' live segments,
    and each (clip, author, last change) changed after the clip's merge."""
    never_merged = ~exists().where(*_MERGE_ROW, AuditRow.entity_id == SegmentRow.clip_id)
    return _with_segments(ids).where(never_merged), _changed(ids)


_MERGE_ROW = (AuditRow.action == "merge", AuditRow.entity == "clip")  # the audit row a merge writes per clip
_BY_ASSIGNED = exists().where(AssignmentRow.clip_id == SegmentRow.clip_id, AnnotatorRow.id == AssignmentRow.annotator_id,
                              AnnotatorRow.name == SegmentRow.author)  # a segment the merge reads


def _last_merge(ids: Sequence[int]) -> Subquery:
    """(clip_id, at) of each clip's last merge."""
    return (select(AuditRow.entity_id.label("clip_id"), func.max(AuditRow.at).label("at"))
            .where(*_MERGE_ROW, AuditRow.entity_id.in_(ids)).group_by(AuditRow.entity_id).subquery())


def _with_segments(ids: Sequence[int]) -> Select[int]:
    """The clips of `ids` that hold assigned annotators' live segments."""
    return select(SegmentRow.clip_id).where(
        SegmentRow.clip_id.in_(ids), SegmentRow.deleted.is_(False), _BY_ASSIGNED).distinct()


def _changed(ids: Sequence[int]) -> Select[int, str, datetime]:
    """(clip, author, last change) of the authors whose segments (assigned, or linked by the merge)
    changed after the clip's last merge; clips never merged give none."""
    last_merge = _last_merge(ids)
    linked = (select(MergedSegmentRow.segment_id).join(MergedRow, MergedRow.id == MergedSegmentRow.merged_id)
              .where(MergedRow.clip_id.in_(ids)))
    # compared in the database (both columns hold UTC moments): only the authors who changed come back
    last_change = func.max(SegmentRow.updated_at)
    return (select(SegmentRow.clip_id, SegmentRow.author, last_change)
            .join(last_merge, last_merge.c.clip_id == SegmentRow.clip_id)
            .where(or_(_BY_ASSIGNED, SegmentRow.id.in_(linked)))
            .group_by(SegmentRow.clip_id, SegmentRow.author)
            .having(last_change > func.max(last_merge.c.at)))


def merge_problems_from(names: Mapping[int, str], unmerged: Iterable[Any], changed: Iterable[Any]) -> dict[int, str]:
    """The messages of merge_problems_of from the rows of merge_problem_queries (`names`: clip id -> name)."""
    out = {row[0]: f"clip {names[row[0]]!r} has annotators' segments but no merge: run mmad merge first"
           for row in unmerged}
    edits: dict[int, dict[str, datetime]] = {}
    for cid, author, at in changed:
        stamp = convert.aware(at)
        if stamp is not None:
            edits.setdefault(cid, {})[author] = stamp
    for cid, by_author in edits.items():
        said = ", ".join(f"{a} edited at {_moment(at)}" for a, at in sorted(by_author.items()))
        out[cid] = f"clip {names[cid]!r} changed after its merge ({said}): merge it again before finalising"
    return out


def _moment(at: datetime) -> str:
    """A time as a message shows it (UTC, to the second)."""
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
