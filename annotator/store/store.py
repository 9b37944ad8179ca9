"""The project database behind StoreAPI: SQLAlchemy 2.0 on SQLite or PostgreSQL.

Every public method runs in its own short transaction and commits before it returns, so
a crash loses at most the edit in flight (DESIGN.md §11). Role and blind-mode checks are
made here, in the data layer; optimistic locking compares the version column in the
UPDATE itself, so two desktops can never silently overwrite each other.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, cast

from sqlalchemy import Engine, Table, bindparam, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from annotator import rules
from annotator.errors import ConflictError, InputError, PermissionDenied, RuleViolation
from annotator.model import (
    Annotator,
    Assignment,
    AssignmentState,
    AuditEntry,
    Clip,
    MergedInstance,
    MergedStatus,
    Origin,
    Proposal,
    ProposalStatus,
    Role,
    Segment,
    Subset,
)
from annotator.progress import NEVER, CancelToken
from annotator.store import convert
from annotator.store.api import BulkImport, NewClip
from annotator.store.engine import make_engine, migrate
from annotator.store.orm import (
    AnnotatorRow,
    AssignmentRow,
    AuditRow,
    ClipRow,
    MergedRow,
    MergedSegmentRow,
    MetaRow,
    ProposalRow,
    SegmentRow,
    SubjectRow,
)
from annotator.taxonomy import Taxonomy, parse_taxonomy

CLIPS = cast(Table, ClipRow.__table__)
OWNER = "owner"  # how the project owner (user=None) appears in the audit log
REMOVING_DECISIONS = frozenset({"delete", "reject", "drop"})  # reviewer decisions that drop an instance


def _json(value: Mapping[str, Any] | None) -> str | None:
    return None if value is None else json.dumps(value, default=str, sort_keys=True)


def _segment_values(seg: Segment) -> dict[str, Any]:
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


class Store:
    """One user's view of a project database (see annotator.store.api.StoreAPI)."""

    def __init__(self, engine: Engine, taxonomy: Taxonomy, user: Annotator | None, *,
                 owns_engine: bool = True) -> None:
        self._engine = engine
        self.taxonomy = taxonomy
        self.user = user
        self._owns_engine = owns_engine
        self._written: dict[int, int] = {}  # segment id -> version this Store last wrote

    # ---------------------------------------------------------------- opening
    @classmethod
    def open(cls, url: str, taxonomy: Taxonomy, user: str | None = None) -> Store:
        """Open (creating or migrating as needed) the database at `url` as `user`."""
        engine = make_engine(url)
        try:
            migrate(engine)
            store = cls(engine, taxonomy, None)
            store._check_taxonomy_snapshot(url)
            return store.as_user(user, _share=False) if user is not None else store
        except BaseException:
            engine.dispose()
            raise

    def _check_taxonomy_snapshot(self, url: str) -> None:
        snapshot = json.dumps(self.taxonomy.to_json(), sort_keys=True)
        with self._tx() as s:
            row = s.get(MetaRow, "taxonomy")
            if row is None:
                s.add(MetaRow(key="taxonomy", value=snapshot))
                return
            if row.value != snapshot:
                stored = parse_taxonomy(row.value, source="project_meta.taxonomy")
                raise InputError(url, "project_meta.taxonomy",
                                 f"the database holds taxonomy {stored.name!r} ({len(stored.actions)} actions) "
                                 f"but the project asks for {self.taxonomy.name!r} "
                                 f"({len(self.taxonomy.actions)} actions)")

    def close(self) -> None:
        """Release the database connections (only the Store that opened them does)."""
        if self._owns_engine:
            self._engine.dispose()

    def as_user(self, name: str | None, _share: bool = True) -> Store:
        """The same database seen by another user (None: the owner); the user must exist."""
        if name is None:
            return Store(self._engine, self.taxonomy, None, owns_engine=not _share)
        with self._tx() as s:
            row = s.scalar(select(AnnotatorRow).where(AnnotatorRow.name == name))
            if row is None:
                raise PermissionDenied(f"unknown user {name!r}: add it first (mmad add-user)")
            user = convert.annotator(row)
        return Store(self._engine, self.taxonomy, user, owns_engine=not _share)

    # ---------------------------------------------------------------- helpers
    @contextmanager
    def _tx(self) -> Iterator[Session]:
        with Session(self._engine, expire_on_commit=False) as session, session.begin():
            yield session

    @property
    def _user_name(self) -> str:
        return self.user.name if self.user else OWNER

    @property
    def _privileged(self) -> bool:
        return self.user is None or self.user.role == Role.REVIEWER

    def _require_privileged(self, what: str) -> None:
        if not self._privileged:
            raise PermissionDenied(f"{self._user_name} is an annotator: only a reviewer may {what}")

    def _audit(self, s: Session, action: str, entity: str, entity_id: int | None,
               old: Mapping[str, Any] | None = None, new: Mapping[str, Any] | None = None) -> None:
        s.add(AuditRow(at=convert.now(), user=self._user_name, action=action, entity=entity,
                       entity_id=entity_id, old=_json(old), new=_json(new)))

    def _clip_row(self, s: Session, clip_id: int) -> ClipRow:
        row = s.get(ClipRow, clip_id)
        if row is None:
            raise InputError("project", f"clip id {clip_id}", "no such clip")
        return row

    def _annotator_row(self, s: Session, name: str) -> AnnotatorRow:
        row = s.scalar(select(AnnotatorRow).where(AnnotatorRow.name == name))
        if row is None:
            raise InputError("project", f"annotator {name!r}", "no such annotator (mmad add-user)")
        return row

    def _check_read(self, clip_row: ClipRow, author: str) -> None:
        """Blind mode: an annotator sees only their own segments until the clip is finalised."""
        if self._privileged or clip_row.finalised or author == self._user_name:
            return
        raise PermissionDenied(
            f"{self._user_name} may not see {author!r}'s work on clip {clip_row.name!r} before it is finalised"
        )

    def _check_write(self, clip_row: ClipRow, author: str) -> None:
        if self._privileged:
            return
        if author != self._user_name:
            raise PermissionDenied(f"{self._user_name} may only edit their own segments, not {author!r}'s")
        if clip_row.finalised:
            raise PermissionDenied(f"clip {clip_row.name!r} is finalised: only a reviewer may change it")

    # ---------------------------------------------------------------- people
    def add_annotator(self, name: str, role: Role) -> Annotator:
        """Create a user with a role (owner or reviewer only)."""
        self._require_privileged("add users")
        if not name.strip() or name.startswith("model:") or name in (OWNER, "ground-truth", "merge"):
            raise RuleViolation(f"{name!r} cannot be a user name (empty or reserved)")
        try:
            with self._tx() as s:
                row = AnnotatorRow(name=name, role=str(Role(role)))
                s.add(row)
                s.flush()
                self._audit(s, "add", "annotator", row.id, None, {"name": name, "role": str(role)})
                return convert.annotator(row)
        except IntegrityError:
            raise RuleViolation(f"a user named {name!r} already exists") from None

    def annotators(self) -> list[Annotator]:
        """Every user, in creation order."""
        with self._tx() as s:
            return [convert.annotator(r) for r in s.scalars(select(AnnotatorRow).order_by(AnnotatorRow.id))]

    # ---------------------------------------------------------------- clips
    def add_clips(self, clips: Sequence[NewClip]) -> list[Clip]:
        """Create clips (and their subjects) in one transaction; names must be new."""
        self._require_privileged("add clips")
        with self._tx() as s:
            names = [c.name for c in clips]
            taken = set(s.scalars(select(ClipRow.name).where(ClipRow.name.in_(names))))
            if taken or len(set(names)) != len(names):
                dup = sorted(taken) or sorted({n for n in names if names.count(n) > 1})
                raise RuleViolation(f"clip {dup[0]!r} already exists")
            self._insert_clips(s, clips)
            rows = s.scalars(select(ClipRow).where(ClipRow.name.in_(names)).order_by(ClipRow.id)).all()
            self._audit(s, "add", "clips", None, None, {"count": len(rows), "first": names[:1]})
            return [convert.clip(r) for r in rows]

    def _insert_clips(self, s: Session, clips: Sequence[NewClip]) -> None:
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
             "source_offset_frame": c.source_offset_frame, "finalised": False}
            for c in clips
        ])

    def clips(self, subset: Subset | None = None) -> list[Clip]:
        """Every clip in stored order, or those of one subset."""
        with self._tx() as s:
            query = select(ClipRow).order_by(ClipRow.id)
            if subset is not None:
                query = query.where(ClipRow.subset == str(subset))
            return [convert.clip(r) for r in s.scalars(query)]

    def clip(self, clip_id: int) -> Clip:
        """One clip by id."""
        with self._tx() as s:
            return convert.clip(self._clip_row(s, clip_id))

    def clip_by_name(self, name: str) -> Clip | None:
        """One clip by name, or None."""
        with self._tx() as s:
            row = s.scalar(select(ClipRow).where(ClipRow.name == name))
            return convert.clip(row) if row else None

    def attach_media(self, clip_id: int, media_path: str, fps: float, frame_count: int,
                     width: int, height: int) -> Clip:
        """Give a clip its video file and the figures probed from it."""
        self._require_privileged("attach media")
        with self._tx() as s:
            row = self._clip_row(s, clip_id)
            old = {"media_path": row.media_path, "fps": row.fps, "frame_count": row.frame_count}
            row.media_path, row.fps, row.frame_count = media_path, fps, frame_count
            row.width, row.height = width, height
            self._audit(s, "attach_media", "clip", clip_id, old,
                        {"media_path": media_path, "fps": fps, "frame_count": frame_count})
            return convert.clip(row)

    def set_subsets(self, subsets: Mapping[int, Subset | None]) -> None:
        """Store a split: clip id -> subset (one transaction, one audit row)."""
        self._require_privileged("change splits")
        if not subsets:
            return
        with self._tx() as s:
            s.connection().execute(
                update(CLIPS).where(CLIPS.c.id == bindparam("cid")),
                [{"cid": cid, "subset": str(sub) if sub else None} for cid, sub in subsets.items()],
            )
            counts: dict[str, int] = {}
            for sub in subsets.values():
                counts[str(sub)] = counts.get(str(sub), 0) + 1
            self._audit(s, "split", "clips", None, None, counts)

    def finalise_clip(self, clip_id: int) -> Clip:
        """Mark a clip final (reviewer only); refused while merged instances await review."""
        self._require_privileged("finalise clips")
        with self._tx() as s:
            row = self._clip_row(s, clip_id)
            pending = s.scalar(select(func.count()).select_from(MergedRow).where(
                MergedRow.clip_id == clip_id, MergedRow.status == str(MergedStatus.NEEDS_REVIEW)))
            if pending:
                raise RuleViolation(f"clip {row.name!r} still has {pending} merged instance(s) to review")
            row.finalised = True
            self._audit(s, "finalise", "clip", clip_id, {"finalised": False}, {"finalised": True})
            return convert.clip(row)

    # ---------------------------------------------------------------- bulk import
    def import_bulk(self, batch: BulkImport, cancel: CancelToken = NEVER) -> dict[str, int]:
        """Write one annotation file's clips, subsets, segments and assignments atomically."""
        self._require_privileged("import annotations")
        try:
            return self._import_bulk(batch, cancel)
        except IntegrityError as exc:
            raise RuleViolation(f"the database refused the import: {exc.orig}") from None

    def _import_bulk(self, batch: BulkImport, cancel: CancelToken) -> dict[str, int]:
        with self._tx() as s:
            self._insert_clips(s, batch.new_clips)
            cancel.check()
            ids: dict[str, int] = {name: cid for name, cid in s.execute(select(ClipRow.name, ClipRow.id))}
            named = set(batch.clip_names) | set(batch.subsets) | {g.clip_name for g in batch.segments}
            unknown = sorted(named - ids.keys())
            if unknown:
                raise RuleViolation(f"clip {unknown[0]!r} is not in the project")
            file_clip_ids = sorted(ids[name] for name in named)
            self._refuse_existing_work(s, batch.author, file_clip_ids, ids)
            if batch.subsets:
                s.connection().execute(
                    update(CLIPS).where(CLIPS.c.id == bindparam("cid")),
                    [{"cid": ids[n], "subset": str(sub) if sub else None} for n, sub in batch.subsets.items()],
                )
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
                self._mark_done(s, batch.mark_done_for, file_clip_ids, stamp)
            counts = {"clips_created": len(batch.new_clips), "clips_in_file": len(file_clip_ids),
                      "segments": len(batch.segments)}
            self._audit(s, "import", "segments", None, None,
                        {"author": batch.author, **counts, **dict(batch.note or {})})
            cancel.check()  # last chance: a cancel here still rolls everything back
            return counts

    def _refuse_existing_work(self, s: Session, author: str, clip_ids: list[int], ids: dict[str, int]) -> None:
        existing = s.execute(
            select(SegmentRow.clip_id, func.count()).where(
                SegmentRow.author == author, SegmentRow.deleted.is_(False), SegmentRow.clip_id.in_(clip_ids)
            ).group_by(SegmentRow.clip_id).order_by(SegmentRow.clip_id).limit(1)
        ).first()
        if existing is not None:
            name = next(n for n, i in ids.items() if i == existing[0])
            raise RuleViolation(
                f"{author!r} already has segments on clip {name!r}: importing again would duplicate them"
            )

    def _mark_done(self, s: Session, name: str, clip_ids: list[int], stamp: Any) -> None:
        row = s.scalar(select(AnnotatorRow).where(AnnotatorRow.name == name))
        if row is None:
            row = AnnotatorRow(name=name, role=str(Role.ANNOTATOR))
            s.add(row)
            s.flush()
        s.execute(delete(AssignmentRow).where(AssignmentRow.annotator_id == row.id,
                                              AssignmentRow.clip_id.in_(clip_ids)))
        if clip_ids:
            s.execute(insert(AssignmentRow), [
                {"clip_id": cid, "annotator_id": row.id, "state": str(AssignmentState.DONE), "updated_at": stamp}
                for cid in clip_ids
            ])

    # ---------------------------------------------------------------- assignments
    def assign(self, clip_id: int, annotator: str) -> Assignment:
        """Put a clip in an annotator's queue (state todo); returns the existing one if present."""
        self._require_privileged("assign clips")
        with self._tx() as s:
            self._clip_row(s, clip_id)
            person = self._annotator_row(s, annotator)
            row = s.get(AssignmentRow, (clip_id, person.id))
            if row is None:
                row = AssignmentRow(clip_id=clip_id, annotator_id=person.id, state=str(AssignmentState.TODO),
                                    updated_at=convert.now())
                s.add(row)
                self._audit(s, "assign", "clip", clip_id, None, {"annotator": annotator})
            return convert.assignment(row)

    def assign_many(self, clip_ids: Sequence[int], annotators: Sequence[str]) -> int:
        """Assign every clip to every named annotator (existing pairs kept); returns pairs made."""
        self._require_privileged("assign clips")
        with self._tx() as s:
            people = [self._annotator_row(s, name) for name in annotators]
            have = {(c, a) for c, a in s.execute(select(AssignmentRow.clip_id, AssignmentRow.annotator_id))}
            stamp = convert.now()
            rows = [{"clip_id": cid, "annotator_id": p.id, "state": str(AssignmentState.TODO), "updated_at": stamp}
                    for cid in clip_ids for p in people if (cid, p.id) not in have]
            if rows:
                s.execute(insert(AssignmentRow), rows)
            self._audit(s, "assign", "clips", None, None,
                        {"annotators": list(annotators), "clips": len(clip_ids), "new": len(rows)})
            return len(rows)

    def assignments(self, annotator: str | None = None) -> list[Assignment]:
        """Assignments of one annotator (an annotator sees only their own), by clip order."""
        if annotator is None and not self._privileged:
            annotator = self._user_name
        if annotator is not None and annotator != self._user_name:
            self._require_privileged("see other annotators' queues")
        with self._tx() as s:
            query = select(AssignmentRow).order_by(AssignmentRow.clip_id, AssignmentRow.annotator_id)
            if annotator is not None:
                query = query.where(AssignmentRow.annotator_id == self._annotator_row(s, annotator).id)
            return [convert.assignment(r) for r in s.scalars(query)]

    def set_assignment_state(self, clip_id: int, annotator: str, state: AssignmentState) -> Assignment:
        """Move an assignment to todo / in_progress / done (an annotator only their own)."""
        if annotator != self._user_name:
            self._require_privileged("change other annotators' progress")
        with self._tx() as s:
            person = self._annotator_row(s, annotator)
            row = s.get(AssignmentRow, (clip_id, person.id))
            if row is None:
                raise InputError("project", f"clip id {clip_id}", f"not assigned to {annotator!r}")
            old = row.state
            row.state, row.updated_at = str(AssignmentState(state)), convert.now()
            self._audit(s, "set_state", "assignment", clip_id, {"annotator": annotator, "state": old},
                        {"annotator": annotator, "state": str(state)})
            return convert.assignment(row)

    # ---------------------------------------------------------------- segments
    def segments(self, clip_id: int, author: str) -> list[Segment]:
        """One author's live segments on a clip, in stored order (blind mode applies)."""
        with self._tx() as s:
            self._check_read(self._clip_row(s, clip_id), author)
            rows = s.scalars(select(SegmentRow).where(
                SegmentRow.clip_id == clip_id, SegmentRow.author == author, SegmentRow.deleted.is_(False)
            ).order_by(SegmentRow.id))
            return [convert.segment(r) for r in rows]

    def segments_by_clip(self, author: str) -> dict[int, list[Segment]]:
        """One author's live segments on every clip; an annotator gets others' only on finalised clips."""
        table = SegmentRow.__table__
        query = select(table).where(table.c.author == author, table.c.deleted.is_(False))
        if not self._privileged and author != self._user_name:
            finalised = select(ClipRow.id).where(ClipRow.finalised.is_(True))
            query = query.where(table.c.clip_id.in_(finalised))
        out: dict[int, list[Segment]] = {}
        with self._engine.connect() as conn:
            for row in conn.execute(query.order_by(table.c.clip_id, table.c.id)):
                out.setdefault(row.clip_id, []).append(convert.segment(row))
        return out

    def add_segment(self, segment: Segment) -> Segment:
        """Store a new segment after checking the rules and the user's rights."""
        with self._tx() as s:
            clip_row = self._clip_row(s, segment.clip_id)
            self._check_write(clip_row, segment.author)
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
        self._audit(s, "add", "segment", row.id, None, {"author": segment.author, **_segment_values(segment)})
        self._written[row.id] = 1
        return convert.segment(row)

    def written_version(self, segment_id: int) -> int | None:
        """The version this Store last wrote for a segment (None if it wrote none): lets undo
        history know its own writes without hiding other desktops' changes."""
        return self._written.get(segment_id)

    def update_segment(self, segment: Segment) -> Segment:
        """Change a segment's bounds, action or origin; refused if its version moved on."""
        if segment.id is None:
            raise RuleViolation("cannot update a segment that was never stored")
        with self._tx() as s:
            current = self._live_segment_for_write(s, segment.id, segment.version)
            if current.author != segment.author or current.clip_id != segment.clip_id:
                raise RuleViolation(f"segment {segment.id} cannot change its author or clip")
            rules.validate_segment(segment, convert.clip(self._clip_row(s, current.clip_id)), self.taxonomy)
            segment = _edited_origin(current, segment)
            old = _segment_values(convert.segment(current))
            self._versioned_update(s, segment.id or 0, segment.version, **_segment_values(segment))
            self._audit(s, "update", "segment", segment.id, old, _segment_values(segment))
            row = s.get(SegmentRow, segment.id, populate_existing=True)
            assert row is not None
            return convert.segment(row)

    def delete_segment(self, segment_id: int, version: int) -> None:
        """Soft-delete a segment (it stays in the database; restore_segment undoes it)."""
        with self._tx() as s:
            current = self._live_segment_for_write(s, segment_id, version)
            self._versioned_update(s, segment_id, version, deleted=True)
            self._audit(s, "delete", "segment", segment_id, _segment_values(convert.segment(current)), None)

    def restore_segment(self, segment_id: int) -> Segment:
        """Bring back a soft-deleted segment (the undo of delete_segment)."""
        with self._tx() as s:
            row = s.get(SegmentRow, segment_id)
            if row is None:
                raise ConflictError(f"segment {segment_id} does not exist")
            self._check_write(self._clip_row(s, row.clip_id), row.author)
            if not row.deleted:
                raise ConflictError(f"segment {segment_id} is not deleted (someone restored it already)")
            self._versioned_update(s, segment_id, row.version, deleted=False)
            self._audit(s, "restore", "segment", segment_id, None, _segment_values(convert.segment(row)))
            s.refresh(row)
            return convert.segment(row)

    def _live_segment_for_write(self, s: Session, segment_id: int, version: int) -> SegmentRow:
        row = s.get(SegmentRow, segment_id)
        if row is None:
            raise ConflictError(f"segment {segment_id} does not exist")
        self._check_write(self._clip_row(s, row.clip_id), row.author)
        if row.deleted:
            raise ConflictError(f"segment {segment_id} was deleted by another user; reload the clip")
        if row.version != version:
            raise ConflictError(
                f"segment {segment_id} was changed by another user (now version {row.version}, "
                f"you edited version {version}); reload the clip"
            )
        return row

    def _versioned_update(self, s: Session, segment_id: int, version: int, **values: Any) -> None:
        """UPDATE … WHERE id=? AND version=?: the check and the write are one statement."""
        result = s.execute(
            update(SegmentRow).where(SegmentRow.id == segment_id, SegmentRow.version == version)
            .values(version=version + 1, updated_at=convert.now(), **values)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise ConflictError(f"segment {segment_id} was changed by another user meanwhile; reload the clip")
        self._written[segment_id] = version + 1

    # ---------------------------------------------------------------- proposals
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
        with self._tx() as s:
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
            row = self._proposal_row(s, proposal_id, ProposalStatus.PENDING)
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
            row = self._proposal_row(s, proposal_id, ProposalStatus.ACCEPTED)
            seg = self._live_segment_for_write(s, segment_id, version)
            if seg.clip_id != row.clip_id:
                raise RuleViolation(f"segment {segment_id} is not on the clip of proposal {proposal_id}")
            self._versioned_update(s, segment_id, version, deleted=True)
            row.status = str(ProposalStatus.PENDING)
            self._audit(s, "unaccept", "proposal", proposal_id, {"status": str(ProposalStatus.ACCEPTED),
                                                                 "segment_id": segment_id},
                        {"status": row.status})
            return convert.proposal(row)

    def _proposal_row(self, s: Session, proposal_id: int, expected: ProposalStatus) -> ProposalRow:
        row = s.get(ProposalRow, proposal_id)
        if row is None:
            raise ConflictError(f"proposal {proposal_id} does not exist")
        if row.status != str(expected):
            raise ConflictError(f"proposal {proposal_id} is {row.status}, not {expected} (answered elsewhere?); reload")
        return row

    def _restore_accepted(self, s: Session, segment_id: int, proposal: ProposalRow, author: str) -> Segment:
        seg = s.get(SegmentRow, segment_id)
        if seg is None or seg.clip_id != proposal.clip_id or seg.author != author:
            raise ConflictError(f"segment {segment_id} is not {author}'s segment on the proposal's clip")
        if not seg.deleted:
            raise ConflictError(f"segment {segment_id} is not deleted (someone restored it already)")
        self._versioned_update(s, segment_id, seg.version, deleted=False)
        self._audit(s, "restore", "segment", segment_id, None, _segment_values(convert.segment(seg)))
        s.refresh(seg)
        return convert.segment(seg)

    # ---------------------------------------------------------------- merged instances
    def replace_unresolved_merged(self, clip_id: int, instances: Sequence[MergedInstance]) -> list[MergedInstance]:
        """Replace a clip's merge output, keeping every instance a reviewer already resolved."""
        self._require_privileged("run the merge")
        with self._tx() as s:
            clip_row = self._clip_row(s, clip_id)
            if clip_row.finalised:
                raise RuleViolation(f"clip {clip_row.name!r} is finalised: its ground truth is closed to a new merge")
            stale = select(MergedRow.id).where(MergedRow.clip_id == clip_id,
                                               MergedRow.status != str(MergedStatus.RESOLVED))
            s.execute(delete(MergedSegmentRow).where(MergedSegmentRow.merged_id.in_(stale)))
            removed = s.execute(delete(MergedRow).where(MergedRow.id.in_(stale)))
            out = [self._insert_merged(s, clip_id, inst) for inst in instances]
            self._audit(s, "merge", "clip", clip_id, {"replaced": removed.rowcount},  # type: ignore[attr-defined]
                        {"instances": len(out)})
            return out

    def _insert_merged(self, s: Session, clip_id: int, inst: MergedInstance) -> MergedInstance:
        rules.validate_action(inst.action_id, self.taxonomy)
        row = MergedRow(clip_id=clip_id, start_frame=inst.start_frame, end_frame=inst.end_frame,
                        action_id=inst.action_id, rule=str(inst.rule), reliable=inst.reliable,
                        status=str(inst.status), majority=inst.majority, decision=inst.decision,
                        decided_by=inst.decided_by, decided_at=inst.decided_at, version=1)
        s.add(row)
        s.flush()
        if inst.segment_ids:
            s.execute(insert(MergedSegmentRow), [
                {"merged_id": row.id, "segment_id": sid, "position": i} for i, sid in enumerate(inst.segment_ids)
            ])
        return convert.merged(row, tuple(inst.segment_ids))

    def merged_instances(self, clip_id: int) -> list[MergedInstance]:
        """A clip's merged instances (an annotator only once the clip is finalised)."""
        with self._tx() as s:
            self._check_read(self._clip_row(s, clip_id), "merge")
        return self._merged_where(MergedRow.clip_id == clip_id).get(clip_id, [])

    def merged_by_clip(self) -> dict[int, list[MergedInstance]]:
        """Merged instances of every clip (an annotator: finalised clips only), in stored order."""
        if self._privileged:
            return self._merged_where(None)
        finalised = select(ClipRow.id).where(ClipRow.finalised.is_(True))
        return self._merged_where(MergedRow.clip_id.in_(finalised))

    def _merged_where(self, condition: Any) -> dict[int, list[MergedInstance]]:
        query = select(MergedRow.__table__).order_by(MergedRow.clip_id, MergedRow.id)
        links = select(MergedSegmentRow.merged_id, MergedSegmentRow.segment_id).order_by(
            MergedSegmentRow.merged_id, MergedSegmentRow.position)
        if condition is not None:
            query = query.where(condition)
            links = links.where(MergedSegmentRow.merged_id.in_(select(MergedRow.id).where(condition)))
        with self._engine.connect() as conn:
            by_merged: dict[int, list[int]] = {}
            for merged_id, segment_id in conn.execute(links):
                by_merged.setdefault(merged_id, []).append(segment_id)
            out: dict[int, list[MergedInstance]] = {}
            for row in conn.execute(query):
                out.setdefault(row.clip_id, []).append(convert.merged(row, tuple(by_merged.get(row.id, ()))))
        return out

    def _open_merged_row(self, s: Session, instance_id: int, what: str) -> tuple[MergedRow, ClipRow]:
        """The instance and its clip, refused once the clip is finalised (its ground truth is closed)."""
        row = s.get(MergedRow, instance_id)
        if row is None:
            raise ConflictError(f"merged instance {instance_id} no longer exists (the merge was re-run)")
        clip_row = self._clip_row(s, row.clip_id)
        if clip_row.finalised:
            raise RuleViolation(f"clip {clip_row.name!r} is finalised: its merged instances can no longer be {what}")
        return row, clip_row

    def _versioned_merged_update(self, s: Session, instance_id: int, version: int, **values: Any) -> None:
        result = s.execute(
            update(MergedRow).where(MergedRow.id == instance_id, MergedRow.version == version)
            .values(version=version + 1, **values)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise ConflictError(f"merged instance {instance_id} was changed by another reviewer; reload")

    def _merged_out(self, s: Session, row: MergedRow) -> MergedInstance:
        s.refresh(row)
        links = s.scalars(select(MergedSegmentRow.segment_id).where(MergedSegmentRow.merged_id == row.id)
                          .order_by(MergedSegmentRow.position)).all()
        return convert.merged(row, tuple(links))

    def resolve_merged(self, instance_id: int, version: int, decision: str, start_frame: int,
                       end_frame: int, action_id: int) -> MergedInstance:
        """A reviewer's decision on a merged instance (version-checked, audited)."""
        self._require_privileged("resolve merged instances")
        with self._tx() as s:
            row, clip_row = self._open_merged_row(s, instance_id, "decided")
            if row.version != version:
                raise ConflictError(f"merged instance {instance_id} was changed by another reviewer; reload")
            clip = convert.clip(clip_row)
            rules.validate_action(action_id, self.taxonomy)
            if decision not in REMOVING_DECISIONS:
                rules.validate_bounds(start_frame, end_frame, clip)
            old = {"status": row.status, "start_frame": row.start_frame, "end_frame": row.end_frame,
                   "action_id": row.action_id, "decision": row.decision}
            new = {"status": str(MergedStatus.RESOLVED), "start_frame": start_frame, "end_frame": end_frame,
                   "action_id": action_id, "decision": decision}
            self._versioned_merged_update(s, instance_id, version, decided_by=self._user_name,
                                          decided_at=convert.now(), **new)
            self._audit(s, "resolve", "merged", instance_id, old, new)
            return self._merged_out(s, row)

    def unresolve_merged(self, instance_id: int, version: int) -> MergedInstance:
        """Undo a reviewer's decision: back to the merge's own output (bounds, label, status), audited.

        The merge's output is read from the audit row of the first decision made since the
        instance was last undecided, so any chain of re-decisions is undone in one step.
        """
        self._require_privileged("undo decisions on merged instances")
        with self._tx() as s:
            row, _ = self._open_merged_row(s, instance_id, "reopened")
            if row.version != version:
                raise ConflictError(f"merged instance {instance_id} was changed by another reviewer; reload")
            if row.status != str(MergedStatus.RESOLVED):
                raise ConflictError(f"merged instance {instance_id} has no decision to undo (it is {row.status})")
            before = self._merge_output(s, row)
            old = {"status": row.status, "start_frame": row.start_frame, "end_frame": row.end_frame,
                   "action_id": row.action_id, "decision": row.decision, "decided_by": row.decided_by}
            self._versioned_merged_update(s, instance_id, version, decision=None, decided_by=None,
                                          decided_at=None, **before)
            self._audit(s, "unresolve", "merged", instance_id, old, before)
            return self._merged_out(s, row)

    def _merge_output(self, s: Session, row: MergedRow) -> dict[str, Any]:
        """Status, bounds and label the instance had before its current run of decisions."""
        decisions = s.scalars(select(AuditRow).where(
            AuditRow.entity == "merged", AuditRow.entity_id == row.id, AuditRow.action == "resolve"
        ).order_by(AuditRow.id.desc()))
        for entry in decisions:
            old = json.loads(entry.old or "{}")
            if old.get("status") != str(MergedStatus.RESOLVED):
                return {"status": str(MergedStatus.RELIABLE if row.reliable else MergedStatus.NEEDS_REVIEW),
                        "start_frame": int(old["start_frame"]), "end_frame": int(old["end_frame"]),
                        "action_id": int(old["action_id"])}
        # stored resolved with no decision on record (e.g. imported): keep its bounds, reopen it
        status = MergedStatus.RELIABLE if row.reliable else MergedStatus.NEEDS_REVIEW
        return {"status": str(status), "start_frame": row.start_frame, "end_frame": row.end_frame,
                "action_id": row.action_id}

    # ---------------------------------------------------------------- audit
    def audit_log(self, limit: int = 100, entity: str | None = None) -> list[AuditEntry]:
        """Newest audit rows first (an annotator sees only their own)."""
        with self._tx() as s:
            query = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
            if entity is not None:
                query = query.where(AuditRow.entity == entity)
            if not self._privileged:
                query = query.where(AuditRow.user == self._user_name)
            return [convert.audit(r) for r in s.scalars(query)]
