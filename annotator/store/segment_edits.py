"""One edit's segment writes stored together: on PostgreSQL as ONE statement, so an edit is one round trip.

write_segments() takes every segment write of one edit (add, update, delete, restore). On
SQLite (no network: a round trip costs nothing) it runs the aggregate's own methods in one
transaction. On PostgreSQL it sends one statement whose CTEs lock the rows, check everything
those methods check (versions, deleted or not, author and clip, the user's rights on the clip,
bounds, origins), and only when all of it holds write the rows, their audit rows and the edit's
receipt; the rows come back by RETURNING. Inside StoreCore.edit() with nothing else run yet,
that statement commits by itself (autocommit): BEGIN, reads, writes, audit, receipt and
COMMIT in one round trip. When a check fails nothing was written, and the same methods run
instead: they raise the precise refusal (or, had the row changed back meanwhile, store it).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from annotator import rules
from annotator.errors import RuleViolation
from annotator.model import MIN_SEGMENT_SECONDS, Segment
from annotator.store import convert
from annotator.store.access import REVIEW_ORIGINS
from annotator.store.api import SegmentsWritten, SegmentWrites
from annotator.store.core import AUDIT_CTE, SHORTEST_SQL, json_sql
from annotator.store.segments import SegmentsMixin

SEGMENT_COLUMNS = ("id", "clip_id", "author", "start_frame", "end_frame", "action_id", "origin", "confidence",
                   "version", "created_at", "updated_at")


# The clip's bounds and whether the user may write segments on it (StoreCore._check_segment_write):
# the owner and reviewers may; an annotator only on an open clip assigned to them.
CLIP = ("clip AS (SELECT c.id, c.frame_count, " + SHORTEST_SQL.format(fps="c.fps") + " AS shortest, "
        "(:priv OR (NOT c.finalised AND EXISTS (SELECT 1 FROM assignments a WHERE a.clip_id = c.id "
        "AND a.annotator_id = :uid))) AS may FROM clips c WHERE c.id = {clip})")


def values_json(alias: str, author: bool = False) -> str:
    """segment_values() of a row as the audit's JSON text (with its author: an added row's)."""
    fields = {k: f"{alias}.{k}" for k in ("start_frame", "end_frame", "action_id", "origin", "confidence")}
    return json_sql({**fields, "author": f"{alias}.author"} if author else fields)


class SegmentEditsMixin(SegmentsMixin):
    """write_segments: the segment writes of one edit, all stored or none."""

    def write_segments(self, writes: SegmentWrites) -> SegmentsWritten:
        """Store one edit's segment writes together (see the module's docstring)."""
        if self._one_statement_writes and self._may_be_one_statement(writes):
            done = self._segments_in_one(writes)
            if done is not None:
                return done
        return self._write_each(writes)

    def _write_each(self, writes: SegmentWrites) -> SegmentsWritten:
        """The aggregate's own methods, in one transaction (each checks and raises what it refuses)."""
        with self.atomic():
            updated = tuple(self.update_segment(s) for s in writes.update)
            for segment_id, version in writes.delete:
                self.delete_segment(segment_id, version)
            restored = tuple(self.restore_segment(i) for i in writes.restore)
            added = tuple(self.add_segment(replace(s, id=None)) for s in writes.add)
        return SegmentsWritten(added, updated, restored,
                               tuple((s.id or 0, a.id or 0) for s, a in zip(writes.add, added, strict=True)))

    def _may_be_one_statement(self, writes: SegmentWrites) -> bool:
        """Whether the checks that need no database pass (else the methods raise the refusal)."""
        me, privileged = self.access.name, self.access.privileged
        for seg in (*writes.add, *writes.update):
            if seg.clip_id != writes.clip_id or (not privileged and seg.author != me):
                return False
            try:
                rules.validate_action(seg.action_id, self.taxonomy)
            except RuleViolation:
                return False
            if not 0 <= seg.start_frame < seg.end_frame:
                return False
        ids = [s.id for s in writes.update] + [d for d, _v in writes.delete] + list(writes.restore)
        if None in ids or len(set(ids)) != len(ids):
            return False
        return privileged or all(str(s.origin) not in REVIEW_ORIGINS for s in writes.add)

    def _segments_in_one(self, writes: SegmentWrites) -> SegmentsWritten | None:
        """The writes as one statement; None when a check failed (nothing was written)."""
        ctes, final, params, bindings = _statement(writes, self.access.name, self.user.id if self.user else None,
                                                   self.access.privileged)
        rows = self._one_statement(ctes, final, params, bindings)
        if rows is None:
            return None
        by_tag = {r.tag: convert.segment(r) for r in rows if r.tag is not None}
        added = tuple(by_tag[f"a{k}"] for k in range(len(writes.add)))
        return SegmentsWritten(added, tuple(by_tag[f"u{k}"] for k in range(len(writes.update))),
                               tuple(by_tag[f"r{k}"] for k in range(len(writes.restore))),
                               tuple((s.id or 0, a.id or 0) for s, a in zip(writes.add, added, strict=True)))


def _statement(w: SegmentWrites, me: str, uid: int | None,
               privileged: bool) -> tuple[list[str], str, dict[str, Any], str]:
    """The SQL and parameters of write_segments on PostgreSQL (see the module's docstring)."""
    now = convert.now()
    p: dict[str, Any] = {"clip": w.clip_id, "me": me, "uid": uid, "priv": privileged, "now": now,
                         "min_s": MIN_SEGMENT_SECONDS, "review": list(REVIEW_ORIGINS)}
    ids = [s.id for s in w.update] + [d for d, _v in w.delete] + list(w.restore)
    p["ids"] = ids
    p["n_locked"] = len(ids)
    checks = ["COALESCE((SELECT may FROM clip), false)",
              "(SELECT count(*) FROM locked) = :n_locked",
              "NOT EXISTS (SELECT 1 FROM locked l WHERE l.clip_id <> :clip OR NOT (:priv OR l.author = :me))"]
    ctes = [
        CLIP.format(clip=":clip"),
        "locked AS (SELECT s.* FROM segments s WHERE s.id = ANY(CAST(:ids AS integer[])) FOR UPDATE)",
    ]
    dml: list[str] = []
    audits: list[str] = []
    tags: list[str] = []
    values = "start_frame = :{k}_s, end_frame = :{k}_e, action_id = :{k}_a, confidence = :{k}_c"

    def bounds(k: str, seg: Segment) -> None:
        p.update({f"{k}_s": seg.start_frame, f"{k}_e": seg.end_frame, f"{k}_a": seg.action_id,
                  f"{k}_c": seg.confidence, f"{k}_o": str(seg.origin), f"{k}_au": seg.author})
        checks.append(f"(:{k}_e < (SELECT frame_count FROM clip) AND :{k}_e - :{k}_s >= (SELECT shortest FROM clip))")

    for n, seg in enumerate(w.update):
        k = f"u{n}"
        bounds(k, seg)
        p.update({f"{k}_id": seg.id, f"{k}_v": seg.version})
        checks.append(f"EXISTS (SELECT 1 FROM locked l WHERE l.id = :{k}_id AND l.version = :{k}_v AND NOT l.deleted "
                      f"AND l.author = :{k}_au AND (:priv OR :{k}_o <> ALL(CAST(:review AS text[])) OR :{k}_o = l.origin))")
        # an accepted proposal whose bounds or label change becomes proposal-edited (segments._edited_origin)
        dml.append(f"{k} AS (UPDATE segments s SET {values.format(k=k)}, origin = CASE WHEN l.origin = "
                   f"'proposal-accepted' AND :{k}_o = 'proposal-accepted' AND (l.start_frame, l.end_frame, "
                   f"l.action_id) <> (:{k}_s, :{k}_e, :{k}_a) THEN 'proposal-edited' ELSE :{k}_o END, "
                   f"version = s.version + 1, updated_at = :now FROM locked l WHERE s.id = l.id AND s.id = :{k}_id "
                   "AND (SELECT ok FROM guard) RETURNING s.*)")
        audits.append(f"SELECT 'update', x.id, {values_json('l')}, {values_json('x')} "
                      f"FROM {k} x JOIN locked l ON l.id = x.id")
        tags.append(k)
    for n, (segment_id, version) in enumerate(w.delete):
        k = f"d{n}"
        p.update({f"{k}_id": segment_id, f"{k}_v": version})
        checks.append(f"EXISTS (SELECT 1 FROM locked l WHERE l.id = :{k}_id AND l.version = :{k}_v AND NOT l.deleted)")
        dml.append(f"{k} AS (UPDATE segments s SET deleted = true, version = s.version + 1, updated_at = :now "
                   f"WHERE s.id = :{k}_id AND (SELECT ok FROM guard) RETURNING s.*)")
        audits.append(f"SELECT 'delete', x.id, {values_json('x')}, NULL FROM {k} x")
        tags.append(k)
    for n, segment_id in enumerate(w.restore):
        k = f"r{n}"
        p[f"{k}_id"] = segment_id
        checks.append(f"EXISTS (SELECT 1 FROM locked l WHERE l.id = :{k}_id AND l.deleted)")
        dml.append(f"{k} AS (UPDATE segments s SET deleted = false, version = s.version + 1, updated_at = :now "
                   f"WHERE s.id = :{k}_id AND (SELECT ok FROM guard) RETURNING s.*)")
        audits.append(f"SELECT 'restore', x.id, NULL, {values_json('x')} FROM {k} x")
        tags.append(k)
    bound = []
    for n, seg in enumerate(w.add):
        k = f"a{n}"
        bounds(k, seg)
        p[f"{k}_t"] = str(seg.id)
        dml.append(f"{k} AS (INSERT INTO segments (clip_id, author, start_frame, end_frame, action_id, origin, "
                   "confidence, version, created_at, updated_at, deleted) "
                   f"SELECT :clip, :{k}_au, :{k}_s, :{k}_e, :{k}_a, :{k}_o, CAST(:{k}_c AS double precision), 1, :now, :now, "
                   "false "
                   "WHERE (SELECT ok FROM guard) RETURNING *)")
        audits.append(f"SELECT 'add', x.id, NULL, {values_json('x', author=True)} FROM {k} x")
        tags.append(k)
        bound.append(f"CAST(:{k}_t AS text), (SELECT id FROM {k})")
    ctes.append(f"guard AS (SELECT ({' AND '.join(checks)}) AS ok)")
    dml.append(AUDIT_CTE + "SELECT :now, :me, w.action, 'segment', w.id, w.old, w.new FROM ("
               + " UNION ALL ".join(audits) + ") AS w(action, id, old, new))")
    columns = ", ".join(f"x.{c}" for c in SEGMENT_COLUMNS)
    rows = " UNION ALL ".join(f"SELECT '{t}' AS tag, {columns} FROM {t} x" for t in tags)
    return ctes + dml, f"SELECT g.ok, r.* FROM guard g LEFT JOIN ({rows}) r ON true", p, \
        f"jsonb_build_object({', '.join(bound)})"
