"""The merged aggregate in sets: a whole project's merge stored, and many clips finalised, each in
ONE transaction with a few statements per chunk of clips.

The same rules as the per-clip calls the review window makes (replace_unresolved_merged,
resolve_merged, finalise_clip in annotator.store.merged and .clips), sharing their pure parts,
and the same rows and audit entries; a failure or a cancel anywhere rolls the whole command
back. See docs/ARCHITECTURE.md ("Whole-project commands in sets").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Column, Connection, Row, Table, bindparam, delete, func, select, text, update
from sqlalchemy.orm import Session

from annotator import rules
from annotator.errors import ConflictError, InputError, RuleViolation
from annotator.model import MergedInstance, MergedStatus
from annotator.progress import NEVER, CancelToken, Progress, no_progress
from annotator.store import convert
from annotator.store.api import MergeWrite, PlannedDecision
from annotator.store.clips import merge_problems_of
from annotator.store.core import StoreCore, to_json
from annotator.store.merged import (
    ID_CHUNK,
    decision_state,
    live_updated,
    merge_audit,
    merge_key,
    new_merged_values,
    resolved_members,
    standing_decisions,
)
from annotator.store.orm import AuditRow, ClipRow, MergedRow, MergedSegmentRow
from annotator.store.versioned import stale_message

CLIP_CHUNK = 2000  # clips per round of statements: bounds what one round holds in memory
MERGED = cast(Table, MergedRow.__table__)
AUDIT = cast(Table, AuditRow.__table__)
CLIPS = cast(Table, ClipRow.__table__)
AuditValues = tuple[str, str, int, Mapping[str, Any] | None, Mapping[str, Any] | None]


def chunks(ids: Sequence[int], size: int) -> list[Sequence[int]]:
    """`ids` cut in runs of at most `size`."""
    return [ids[k:k + size] for k in range(0, len(ids), size)]


class MergedBulkMixin(StoreCore):
    """store_merge and finalise_bulk: the merge and the bulk review of many clips in sets."""

    def _audit_many(self, s: Session, entries: Sequence[AuditValues], at: datetime) -> None:
        """Audit rows (action, entity, entity id, old, new) in one executemany (or COPY), in order."""
        if not entries:
            return
        conn = s.connection()
        stamp = driver_value(conn, AUDIT.c.at, at)
        _driver_insert(conn, "audit_log", ["at", "user", "action", "entity", "entity_id", "old", "new"],
                       [(stamp, self.access.name, action, entity, eid, to_json(old), to_json(new))
                        for action, entity, eid, old, new in entries])

    def _clip_rows(self, s: Session, clip_ids: Sequence[int]) -> dict[int, ClipRow]:
        """The clips of `clip_ids`, refusing an unknown id."""
        found = {r.id: r for r in s.scalars(select(ClipRow).where(ClipRow.id.in_(clip_ids)))}
        missing = [c for c in clip_ids if c not in found]
        if missing:
            raise InputError("project", f"clip id {missing[0]}", "no such clip")
        return found

    def store_merge(self, results: Mapping[int, Sequence[MergedInstance]], progress: Progress = no_progress,
                    cancel: CancelToken = NEVER) -> MergeWrite:
        """replace_unresolved_merged for every clip of `results`, in ONE transaction (finalised clips are
        left alone and named); the same rows, ids and audit entries as that call made clip by clip."""
        self.access.require_privileged("run the merge")
        for instances in results.values():
            for inst in instances:
                rules.validate_action(inst.action_id, self.taxonomy)
        clip_ids = list(results)
        tally = _Tally()
        with self._tx() as s:
            stamp = convert.now()
            for k, chunk in enumerate(chunks(clip_ids, CLIP_CHUNK)):
                cancel.check()
                self._store_merge_chunk(s, {c: results[c] for c in chunk}, tally, stamp)
                done = min((k + 1) * CLIP_CHUNK, len(clip_ids))
                progress(done / max(len(clip_ids), 1), f"stored the merge of {done} of {len(clip_ids)} clips")
            cancel.check()  # the last moment a cancel still leaves nothing written
        return MergeWrite(tally.clips, tally.written, tally.kept, tuple(tally.dropped), tuple(tally.finalised))

    def _store_merge_chunk(self, s: Session, results: Mapping[int, Sequence[MergedInstance]], tally: _Tally,
                           stamp: datetime) -> None:
        finalised = {cid: bool(final) for cid, final in
                     s.execute(select(CLIPS.c.id, CLIPS.c.finalised).where(CLIPS.c.id.in_(list(results))))}
        missing = [c for c in results if c not in finalised]
        if missing:
            raise InputError("project", f"clip id {missing[0]}", "no such clip")
        live = [c for c in results if not finalised[c]]
        tally.finalised += [c for c in results if finalised[c]]
        rows: dict[int, list[Row[Any]]] = {}
        for row in s.execute(select(MERGED).where(MERGED.c.clip_id.in_(live)).order_by(MERGED.c.id)):
            rows.setdefault(row.clip_id, []).append(row)
        links = _links_of_clips(s, live)
        updated = live_updated(s, {i for rs in rows.values() for i in resolved_members(rs, links)})
        gone_ids: list[int] = []
        new: list[tuple[int, MergedInstance]] = []
        audits: list[AuditValues] = []
        for cid in live:
            standing = standing_decisions(rows.get(cid, []), links, updated)
            matched = ([standing.pop(merge_key(inst), None) for inst in results[cid]] if standing
                       else [None] * len(results[cid]))  # no decision to keep: no key to build
            kept = {r.id for r in matched if r is not None}
            gone = [r for r in rows.get(cid, []) if r.id not in kept]
            gone_ids += [r.id for r in gone]
            tally.dropped += [r.id for r in gone if r.status == str(MergedStatus.RESOLVED)]
            new += [(cid, inst) for inst, row in zip(results[cid], matched, strict=True) if row is None]
            audits.append(("merge", "clip", cid, *merge_audit(gone, len(results[cid]), len(kept))))
            tally.kept += len(kept)
        for ids in chunks(gone_ids, ID_CHUNK):
            s.execute(delete(MergedSegmentRow).where(MergedSegmentRow.merged_id.in_(ids))
                      .execution_options(synchronize_session=False))
            s.execute(delete(MergedRow).where(MergedRow.id.in_(ids)).execution_options(synchronize_session=False))
        self._insert_merged_many(s, new)
        self._audit_many(s, audits, stamp)
        tally.clips += len(live)
        tally.written += len(new)

    @staticmethod
    def _insert_merged_many(s: Session, new: Sequence[tuple[int, MergedInstance]]) -> None:
        """New merged rows in order (ids as one insert at a time would give them), then their links."""
        if not new:
            return
        conn = s.connection()
        values = [new_merged_values(cid, inst) for cid, inst in new]
        for v in values:
            if v["decided_at"] is not None:
                v["decided_at"] = driver_value(conn, MERGED.c.decided_at, v["decided_at"])
        ids = _new_merged_ids(conn, len(values))
        _driver_insert(conn, "merged_instances", ["id", *values[0]],
                       [(i, *v.values()) for i, v in zip(ids, values, strict=True)])
        links = [(mid, sid, p) for mid, (_, inst) in zip(ids, new, strict=True) for p, sid in enumerate(inst.segment_ids)]
        if links:
            _driver_insert(conn, "merged_segments", ["merged_id", "segment_id", "position"], links)

    def finalise_bulk(self, plans: Mapping[int, Sequence[PlannedDecision]], progress: Progress = no_progress,
                      cancel: CancelToken = NEVER) -> dict[int, str]:
        """Take each clip's planned decisions and finalise it, for every clip of `plans` in ONE transaction.

        The checks of resolve_merged and finalise_clip, made in sets: a decision on an instance gone or
        changed since it was read (its version) refuses the whole command (ConflictError, nothing
        written); a clip refused by a rule keeps none of its decisions and is returned with the reason.
        """
        self.access.require_privileged("finalise clips")
        clip_ids = list(plans)
        refused: dict[int, str] = {}
        with self._tx() as s:
            stamp = convert.now()
            for k, chunk in enumerate(chunks(clip_ids, CLIP_CHUNK)):
                cancel.check()
                refused.update(self._finalise_chunk(s, {c: plans[c] for c in chunk}, stamp))
                done = min((k + 1) * CLIP_CHUNK, len(clip_ids))
                progress(done / max(len(clip_ids), 1), f"finalised {done} of {len(clip_ids)} clips")
            cancel.check()
        return refused

    def _finalise_chunk(self, s: Session, plans: Mapping[int, Sequence[PlannedDecision]],
                        stamp: datetime) -> dict[int, str]:
        clips = self._clip_rows(s, list(plans))
        decided = _merged_rows(s, [d.instance_id for ds in plans.values() for d in ds])
        refused: dict[int, str] = {}
        for cid, ds in plans.items():
            reason = self._decision_problem(clips[cid], ds, decided)
            if reason is not None:
                refused[cid] = reason
        problems = merge_problems_of(s, [clips[c] for c in plans if c not in refused and not clips[c].finalised])
        pending = _pending(s, [c for c in plans if c not in refused])
        audits: list[AuditValues] = []
        updates: list[dict[str, Any]] = []
        finalised: list[int] = []
        for cid, ds in plans.items():
            if cid in refused:
                continue
            left = pending.get(cid, 0) - sum(decided[d.instance_id].status == str(MergedStatus.NEEDS_REVIEW)
                                             for d in ds)
            if cid in problems or left:
                refused[cid] = problems.get(cid) or \
                    f"clip {clips[cid].name!r} still has {left} merged instance(s) to review"
                continue
            for d in ds:
                row = decided[d.instance_id]
                new = {"status": str(MergedStatus.RESOLVED), "start_frame": d.start_frame,
                       "end_frame": d.end_frame, "action_id": d.action_id, "decision": str(d.decision)}
                updates.append({"b_id": row.id, "b_version": d.version, **new, "version": d.version + 1,
                                "decided_by": self.access.name, "decided_at": stamp})
                audits.append(("resolve", "merged", row.id, decision_state(row), new))
            finalised.append(cid)
            audits.append(("finalise", "clip", cid, {"finalised": False}, {"finalised": True}))
        conn = s.connection()
        if updates:
            columns = ("status", "start_frame", "end_frame", "action_id", "decision", "version", "decided_by",
                       "decided_at")
            conn.execute(update(MERGED).where(MERGED.c.id == bindparam("b_id"), MERGED.c.version == bindparam("b_version"))
                         .values({c: bindparam(c) for c in columns}), updates)
        if finalised:
            conn.execute(update(CLIPS).where(CLIPS.c.id == bindparam("b_id")).values(finalised=True),
                         [{"b_id": c} for c in finalised])
        self._audit_many(s, audits, stamp)
        return refused

    def _decision_problem(self, clip: ClipRow, decisions: Sequence[PlannedDecision],
                          rows: Mapping[int, MergedRow]) -> str | None:
        """What resolve_merged would refuse first among a clip's decisions: a gone or stale instance
        raises (as it does there); a rule gives the reason the clip is left alone."""
        for d in decisions:
            row = rows.get(d.instance_id)
            if row is None:
                raise ConflictError(f"merged instance {d.instance_id} no longer exists (the merge was re-run)")
            if clip.finalised:
                return f"clip {clip.name!r} is finalised: its merged instances can no longer be decided"
            try:
                rules.validate_action(d.action_id, self.taxonomy)
                if not d.decision.removes:
                    rules.validate_bounds(d.start_frame, d.end_frame, convert.clip(clip))
            except RuleViolation as exc:
                return str(exc)
            if row.version != d.version:
                raise ConflictError(stale_message(f"merged instance {row.id}", "another reviewer", row.version,
                                                  d.version))
        return None


class _Tally:
    """What store_merge counted so far."""

    def __init__(self) -> None:
        self.clips = self.written = self.kept = 0
        self.dropped: list[int] = []
        self.finalised: list[int] = []


def _new_merged_ids(conn: Connection, n: int) -> Sequence[int]:
    """The ids `n` merged rows inserted one after another would get, reserved in one statement.

    SQLite (AUTOINCREMENT, 0009): past every id ever used, under the write lock the transaction holds;
    PostgreSQL: the next `n` values of the table's sequence. Knowing them lets the rows and their
    links go in with plain executemany (a multi-row INSERT cannot return ids in order on SQLite).
    """
    if conn.dialect.name == "sqlite":
        used = conn.execute(text("SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = "
                                 "'merged_instances'), 0), coalesce((SELECT max(id) FROM merged_instances), 0))"))
        first = int(used.scalar_one()) + 1
        return range(first, first + n)
    return sorted(conn.execute(text("SELECT nextval(pg_get_serial_sequence('merged_instances', 'id')) "
                                    "FROM generate_series(1, :n)"), {"n": n}).scalars())


def driver_value(conn: Connection, column: Column[Any], value: Any) -> Any:
    """`value` as SQLAlchemy would hand it to the driver for `column` (a time as SQLite stores it);
    for _driver_insert, which bypasses SQLAlchemy's per-row parameter building."""
    process = column.type.bind_processor(conn.dialect)
    return value if process is None else process(value)


def _driver_insert(conn: Connection, table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """INSERT rows through the driver: for tens of thousands of plain values SQLAlchemy's per-row
    parameter building costs more than the database's work (values as the columns hold them).
    SQLite: its executemany. PostgreSQL: one COPY (psycopg's executemany still sends one INSERT per
    row, pipelined: 80,000 rows cost the server seconds; the bench's round-trip count cannot see it),
    unless row-level security holds for this login (a team member's: the server refuses COPY FROM
    then, and the policies must check every row), which gets the executemany."""
    names = ", ".join(f'"{c}"' for c in columns)
    if conn.dialect.name == "postgresql" and not conn.exec_driver_sql(
            "SELECT row_security_active(%s)", (table,)).scalar():
        raw: Any = conn.connection.dbapi_connection  # psycopg's connection, inside this transaction
        with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    conn.exec_driver_sql(f"INSERT INTO {table} ({names}) VALUES ({', '.join([mark] * len(columns))})", list(rows))


def _links_of_clips(s: Session, clip_ids: Sequence[int]) -> dict[int, tuple[int, ...]]:
    """Segment ids of every merged row of these clips, in position order."""
    out: dict[int, list[int]] = {}
    if clip_ids:
        query = (select(MergedSegmentRow.merged_id, MergedSegmentRow.segment_id)
                 .join(MergedRow, MergedRow.id == MergedSegmentRow.merged_id)
                 .where(MergedRow.clip_id.in_(clip_ids)).order_by(MergedSegmentRow.merged_id,
                                                                  MergedSegmentRow.position))
        for merged_id, segment_id in s.execute(query):
            out.setdefault(merged_id, []).append(segment_id)
    return {k: tuple(v) for k, v in out.items()}


def _merged_rows(s: Session, ids: Sequence[int]) -> dict[int, MergedRow]:
    """Merged rows by id (chunked reads)."""
    out: dict[int, MergedRow] = {}
    for part in chunks(sorted(set(ids)), ID_CHUNK):
        out.update((r.id, r) for r in s.scalars(select(MergedRow).where(MergedRow.id.in_(part))))
    return out


def _pending(s: Session, clip_ids: Sequence[int]) -> dict[int, int]:
    """Clip id -> its merged instances awaiting review."""
    if not clip_ids:
        return {}
    return {cid: n for cid, n in s.execute(
        select(MergedRow.clip_id, func.count()).where(MergedRow.clip_id.in_(clip_ids),
                                                      MergedRow.status == str(MergedStatus.NEEDS_REVIEW))
        .group_by(MergedRow.clip_id))}

