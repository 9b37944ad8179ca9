"""The merged aggregate: the merge's instances, the reviewer's decisions on them, and the audit log.

Each merged row keeps what the merge proposed (proposed_start_frame, proposed_end_frame,
proposed_action_id) beside the bounds and label in force, so undoing a decision puts the
merge's output back from the row itself.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Row, delete, insert, select
from sqlalchemy.orm import Session

from annotator import rules
from annotator.decisions import Decision
from annotator.errors import ConflictError, RuleViolation
from annotator.model import AuditEntry, MergedInstance, MergedStatus
from annotator.store import convert
from annotator.store.core import StoreCore, to_json
from annotator.store.decision_edits import resolve_sql, unresolve_sql
from annotator.store.orm import AuditRow, ClipRow, MergedRow, MergedSegmentRow, SegmentRow
from annotator.store.versioned import stale_message, versioned_update


def _reopened_status(row: MergedRow) -> str:
    return str(MergedStatus.RELIABLE if row.reliable else MergedStatus.NEEDS_REVIEW)


MergedLike = MergedRow | Row[Any]  # an ORM row or a Core row of merged_instances: the same names
R = TypeVar("R", MergedRow, Row[Any])
ID_CHUNK = 5000  # ids per IN (...) list: SQLite binds at most 32,766 parameters a statement


class MergedMixin(StoreCore):
    """Merge output, review decisions and the audit log (reviewer or owner writes)."""

    def replace_unresolved_merged(self, clip_id: int, instances: Sequence[MergedInstance]) -> list[MergedInstance]:
        """Replace a clip's merge output; a decision stays only on an instance the new output repeats.

        A resolved row is kept when a new instance has the same segments, proposed bounds, label,
        rule, reliability and majority, and none of its segments changed after the decision; the
        new instance is then not written again. Every other row goes (a dropped decision is
        recorded in the merge's audit row) and its new instance goes back to the reviewer. One
        transaction; refused on a finalised clip. Returns the instances standing for `instances`,
        in their order.
        """
        self.access.require_privileged("run the merge")
        with self._tx() as s:
            clip_row = self._clip_row(s, clip_id)
            if clip_row.finalised:
                raise RuleViolation(f"clip {clip_row.name!r} is finalised: its ground truth is closed to a new merge")
            rows = list(s.scalars(select(MergedRow).where(MergedRow.clip_id == clip_id).order_by(MergedRow.id)))
            links = self._links(s, [r.id for r in rows])
            standing = self._standing_decisions(s, rows, links)
            matched: list[MergedRow | None] = [standing.pop(merge_key(inst), None) for inst in instances]
            kept_ids = {r.id for r in matched if r is not None}
            gone = [r for r in rows if r.id not in kept_ids]
            if gone:
                gone_ids = [r.id for r in gone]
                s.execute(delete(MergedSegmentRow).where(MergedSegmentRow.merged_id.in_(gone_ids)))
                s.execute(delete(MergedRow).where(MergedRow.id.in_(gone_ids)))
            out = [convert.merged(row, links.get(row.id, ())) if row is not None else self._insert_merged(s, clip_id, inst)
                   for inst, row in zip(instances, matched, strict=True)]
            self._audit(s, "merge", "clip", clip_id, *merge_audit(gone, len(out), len(kept_ids)))
            return out

    @staticmethod
    def _links(s: Session, merged_ids: Sequence[int]) -> dict[int, tuple[int, ...]]:
        """Segment ids of each merged row, in position order."""
        out: dict[int, list[int]] = {}
        if merged_ids:
            query = (select(MergedSegmentRow.merged_id, MergedSegmentRow.segment_id)
                     .where(MergedSegmentRow.merged_id.in_(merged_ids)).order_by(MergedSegmentRow.position))
            for merged_id, segment_id in s.execute(query):
                out.setdefault(merged_id, []).append(segment_id)
        return {k: tuple(v) for k, v in out.items()}

    @staticmethod
    def _standing_decisions(s: Session, rows: Sequence[MergedRow],
                            links: dict[int, tuple[int, ...]]) -> dict[tuple[Any, ...], MergedRow]:
        """Resolved rows by what the merge proposed, leaving out those whose segments changed since
        the decision (the reviewer decided on work that is no longer there)."""
        member_ids = resolved_members(rows, links)
        return standing_decisions(rows, links, live_updated(s, member_ids))

    def _insert_merged(self, s: Session, clip_id: int, inst: MergedInstance) -> MergedInstance:
        rules.validate_action(inst.action_id, self.taxonomy)
        row = MergedRow(**new_merged_values(clip_id, inst))
        s.add(row)
        s.flush()
        if inst.segment_ids:
            s.execute(insert(MergedSegmentRow), [
                {"merged_id": row.id, "segment_id": sid, "position": i} for i, sid in enumerate(inst.segment_ids)
            ])
        return convert.merged(row, tuple(inst.segment_ids))

    def merged_instances(self, clip_id: int) -> list[MergedInstance]:
        """A clip's merged instances (an annotator only once the clip is finalised)."""
        with self._read() as s:
            self._check_read(self._clip_row(s, clip_id), "merge")
        return self._merged_where(MergedRow.clip_id == clip_id).get(clip_id, [])

    def merged_by_clip(self) -> dict[int, list[MergedInstance]]:
        """Merged instances of every clip (an annotator: finalised clips only), in stored order."""
        if self.access.privileged:
            return self._merged_where(None)
        finalised = select(ClipRow.id).where(ClipRow.finalised.is_(True))
        return self._merged_where(MergedRow.clip_id.in_(finalised))

    def _merged_where(self, condition: ColumnElement[bool] | None) -> dict[int, list[MergedInstance]]:
        table = MergedRow.__table__
        query = select(*(table.c[name] for name in convert.MERGED_FIELDS)).order_by(MergedRow.clip_id, MergedRow.id)
        links = select(MergedSegmentRow.merged_id, MergedSegmentRow.segment_id).order_by(
            MergedSegmentRow.merged_id, MergedSegmentRow.position)
        if condition is not None:
            query = query.where(condition)
            links = links.where(MergedSegmentRow.merged_id.in_(select(MergedRow.id).where(condition)))
        with self._connect() as conn:
            by_merged: dict[int, list[int]] = {}
            for merged_id, segment_id in conn.execute(links):
                by_merged.setdefault(merged_id, []).append(segment_id)
            out: dict[int, list[MergedInstance]] = {}
            for row in conn.execute(query):
                out.setdefault(row[1], []).append(convert.merged_of(row, tuple(by_merged.get(row[0], ()))))
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

    def _write_merged(self, s: Session, row: MergedRow, version: int, old: dict[str, Any], new: dict[str, Any],
                      action: str, **extra: Any) -> MergedInstance:
        """The version-checked write of a decision or its undo, audited; the instance as stored."""
        versioned_update(s, MergedRow, row.id, version, f"merged instance {row.id}", "another reviewer",
                         **new, **extra)
        self._audit(s, action, "merged", row.id, old, new)
        s.refresh(row)
        links = s.scalars(select(MergedSegmentRow.segment_id).where(MergedSegmentRow.merged_id == row.id)
                          .order_by(MergedSegmentRow.position)).all()
        return convert.merged(row, tuple(links))

    def resolve_merged(self, instance_id: int, version: int, decision: Decision, start_frame: int,
                       end_frame: int, action_id: int) -> MergedInstance:
        """A reviewer's decision on a merged instance (version-checked, audited)."""
        self.access.require_privileged("resolve merged instances")
        if not isinstance(decision, Decision):
            raise RuleViolation(f"{decision!r} is not a review decision")
        if self._one_statement_writes and 0 <= action_id < len(self.taxonomy.actions) and \
                (decision.removes or 0 <= start_frame < end_frame):
            new = {"status": str(MergedStatus.RESOLVED), "start_frame": start_frame, "end_frame": end_frame,
                   "action_id": action_id, "decision": str(decision)}
            done = self._decision_in_one(*resolve_sql(instance_id, version, decision, start_frame, end_frame,
                                                      action_id), new=to_json(new))
            if done is not None:
                return done
        with self._tx() as s:  # SQLite, or a refusal: these checks say why
            row, clip_row = self._open_merged_row(s, instance_id, "decided")
            rules.validate_action(action_id, self.taxonomy)
            if not decision.removes:
                rules.validate_bounds(start_frame, end_frame, convert.clip(clip_row))
            new = {"status": str(MergedStatus.RESOLVED), "start_frame": start_frame, "end_frame": end_frame,
                   "action_id": action_id, "decision": str(decision)}
            return self._write_merged(s, row, version, decision_state(row), new, "resolve",
                                      decided_by=self.access.name, decided_at=convert.now())

    def unresolve_merged(self, instance_id: int, version: int) -> MergedInstance:
        """Undo a reviewer's decision: back to what the merge proposed (bounds, label, status), audited."""
        self.access.require_privileged("undo decisions on merged instances")
        if self._one_statement_writes:
            done = self._decision_in_one(*unresolve_sql(instance_id, version))
            if done is not None:
                return done
        with self._tx() as s:  # SQLite, or a refusal: these checks say why
            row, _ = self._open_merged_row(s, instance_id, "reopened")
            if row.status != str(MergedStatus.RESOLVED):  # a stale version says why first
                raise ConflictError(stale_message(f"merged instance {row.id}", "another reviewer", row.version, version)
                                    if row.version != version else
                                    f"merged instance {instance_id} has no decision to undo (it is {row.status})")
            proposed = {"status": _reopened_status(row), "start_frame": row.proposed_start_frame,
                        "end_frame": row.proposed_end_frame, "action_id": row.proposed_action_id}
            return self._write_merged(s, row, version, {**decision_state(row), "decided_by": row.decided_by}, proposed,
                                      "unresolve", decision=None, decided_by=None, decided_at=None)

    def _decision_in_one(self, ctes: list[str], final: str, params: dict[str, Any],
                         **more: Any) -> MergedInstance | None:
        """A decision or its undo as one statement (annotator.store.decision_edits); None: refused."""
        rows = self._one_statement(ctes, final, {**params, **more, "now": convert.now(), "me": self.access.name})
        return None if rows is None else convert.merged(rows[0], tuple(rows[0].links))

    def audit_log(self, limit: int = 100, entity: str | None = None) -> list[AuditEntry]:
        """Newest audit rows first (an annotator sees only their own)."""
        with self._read() as s:
            query = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
            if entity is not None:
                query = query.where(AuditRow.entity == entity)
            if not self.access.privileged:
                query = query.where(AuditRow.user == self.access.name)
            return [convert.audit(r) for r in s.scalars(query)]


def new_merged_values(clip_id: int, inst: MergedInstance) -> dict[str, Any]:
    """The columns of a new merged row for one instance of the merge's output."""
    return {"clip_id": clip_id, "start_frame": inst.start_frame, "end_frame": inst.end_frame,
            "action_id": inst.action_id, "proposed_start_frame": inst.start_frame,
            "proposed_end_frame": inst.end_frame, "proposed_action_id": inst.action_id,
            "rule": str(inst.rule), "reliable": inst.reliable, "status": str(inst.status),
            "majority": _text(inst.majority), "decision": _text(inst.decision),
            "decided_by": inst.decided_by, "decided_at": inst.decided_at, "version": 1}


def resolved_members(rows: Sequence[MergedLike], links: dict[int, tuple[int, ...]]) -> set[int]:
    """Ids of the segments the resolved rows were built from."""
    return {i for r in rows if r.status == str(MergedStatus.RESOLVED) for i in links.get(r.id, ())}


def live_updated(s: Session, segment_ids: Collection[int]) -> dict[int, datetime | None]:
    """Segment id -> its last change, for those of `segment_ids` not deleted (chunked reads)."""
    out: dict[int, datetime | None] = {}
    ids = sorted(segment_ids)
    for k in range(0, len(ids), ID_CHUNK):
        out.update((i, convert.aware(at)) for i, at in s.execute(select(SegmentRow.id, SegmentRow.updated_at).where(
            SegmentRow.id.in_(ids[k:k + ID_CHUNK]), SegmentRow.deleted.is_(False))))
    return out


def standing_decisions(rows: Sequence[R], links: dict[int, tuple[int, ...]],
                       updated: dict[int, datetime | None]) -> dict[tuple[Any, ...], R]:
    """Resolved rows by what the merge proposed, leaving out those whose segments changed since the
    decision (`updated`: live segment id -> its last change)."""
    out: dict[tuple[Any, ...], R] = {}
    for row in rows:
        if row.status != str(MergedStatus.RESOLVED):
            continue
        ids = links.get(row.id, ())
        decided = convert.aware(row.decided_at)
        if not any(i not in updated or _after(updated[i], decided) for i in ids):
            out.setdefault(_row_key(row, ids), row)
    return out


def merge_audit(gone: Sequence[MergedLike], instances: int, kept: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """The old and new values of a clip's merge audit row."""
    old: dict[str, Any] = {"replaced": len(gone)}
    dropped = [dropped_decision(r) for r in gone if r.status == str(MergedStatus.RESOLVED)]
    if dropped:
        old["dropped_decisions"] = dropped
    return old, {"instances": instances, "kept_decisions": kept}


def decision_state(row: MergedLike) -> dict[str, Any]:
    return {"status": row.status, "start_frame": row.start_frame, "end_frame": row.end_frame,
            "action_id": row.action_id, "decision": row.decision}


def _after(at: datetime | None, decided: datetime | None) -> bool:
    """Whether a segment's last change came after the decision (unknown times: no)."""
    return at is not None and decided is not None and at > decided


def merge_key(inst: MergedInstance) -> tuple[Any, ...]:
    """What identifies a merge proposal: its segments, bounds, label, rule, reliability, majority."""
    return (frozenset(inst.segment_ids), inst.start_frame, inst.end_frame, inst.action_id, str(inst.rule),
            bool(inst.reliable), _text(inst.majority))


def _row_key(row: MergedLike, segment_ids: tuple[int, ...]) -> tuple[Any, ...]:
    """_key of what the merge proposed for a stored row (the proposal, not the decision in force)."""
    return (frozenset(segment_ids), row.proposed_start_frame, row.proposed_end_frame, row.proposed_action_id,
            row.rule, bool(row.reliable), row.majority)


def dropped_decision(row: MergedLike) -> dict[str, Any]:
    """A dropped decision as the audit log records it."""
    return {"id": row.id, "decision": row.decision, "start_frame": row.start_frame, "end_frame": row.end_frame,
            "action_id": row.action_id, "decided_by": row.decided_by}


@lru_cache(maxsize=4096)  # a whole project's merge repeats a few hundred decisions thousands of times
def _text(decision: Decision | None) -> str | None:
    return None if decision is None else str(decision)
