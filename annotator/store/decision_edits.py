"""A reviewer's decision and its undo as ONE statement each on PostgreSQL (see StoreCore._one_statement).

The statement locks the merged row, checks what MergedMixin.resolve_merged / unresolve_merged
check (version, clip not finalised, bounds, a decision to undo) and only then writes the row
and its audit row; the instance comes back with its segment ids. When a check fails nothing
was written and those methods run instead, to say why.
"""

from __future__ import annotations

from typing import Any

from annotator.decisions import Decision
from annotator.model import MIN_SEGMENT_SECONDS, MergedStatus
from annotator.store.core import AUDIT_CTE, SHORTEST_SQL, json_sql

LOCKED = "m AS (SELECT x.* FROM merged_instances x WHERE x.id = :id FOR UPDATE)"
AUDIT = AUDIT_CTE + "SELECT :now, :me, :action, 'merged', w.id, {old}, {new} FROM w JOIN m ON m.id = w.id)"
FINAL = ("SELECT g.ok, w.*, ARRAY(SELECT ms.segment_id FROM merged_segments ms WHERE ms.merged_id = :id "
         "ORDER BY ms.position) AS links FROM guard g LEFT JOIN w ON true")
DECISION = {k: f"m.{k}" for k in ("status", "start_frame", "end_frame", "action_id", "decision")}


def resolve_sql(instance_id: int, version: int, decision: Decision, start_frame: int, end_frame: int,
                action_id: int) -> tuple[list[str], str, dict[str, Any]]:
    """(CTEs, final SELECT, parameters) of resolve_merged; the caller adds now, me and new (the audit's JSON)."""
    return [
        LOCKED,
        "guard AS (SELECT EXISTS (SELECT 1 FROM m JOIN clips c ON c.id = m.clip_id WHERE m.version = :v "
        "AND NOT c.finalised AND (:removes OR (:e < c.frame_count AND :e - :s >= "
        + SHORTEST_SQL.format(fps="c.fps") + "))) AS ok)",
        "w AS (UPDATE merged_instances x SET status = :resolved, start_frame = :s, end_frame = :e, action_id = :a, "
        "decision = :d, decided_by = :me, decided_at = :now, version = x.version + 1 WHERE x.id = :id "
        "AND (SELECT ok FROM guard) RETURNING x.*)",
        AUDIT.format(old=json_sql(DECISION), new=":new"),
    ], FINAL, {"id": instance_id, "v": version, "removes": decision.removes, "s": start_frame, "e": end_frame,
               "a": action_id, "d": str(decision), "min_s": MIN_SEGMENT_SECONDS,
               "resolved": str(MergedStatus.RESOLVED), "action": "resolve"}


def unresolve_sql(instance_id: int, version: int) -> tuple[list[str], str, dict[str, Any]]:
    """(CTEs, final SELECT, parameters) of unresolve_merged; the caller adds now and me."""
    return [
        LOCKED,
        "guard AS (SELECT EXISTS (SELECT 1 FROM m JOIN clips c ON c.id = m.clip_id WHERE m.version = :v "
        "AND NOT c.finalised AND m.status = :resolved) AS ok)",
        "w AS (UPDATE merged_instances x SET status = CASE WHEN m.reliable THEN :reliable ELSE :review END, "
        "start_frame = m.proposed_start_frame, end_frame = m.proposed_end_frame, action_id = m.proposed_action_id, "
        "decision = NULL, decided_by = NULL, decided_at = NULL, version = x.version + 1 FROM m "
        "WHERE x.id = m.id AND (SELECT ok FROM guard) RETURNING x.*)",
        AUDIT.format(old=json_sql({**DECISION, "decided_by": "m.decided_by"}),
                     new=json_sql({k: f"w.{k}" for k in ("status", "start_frame", "end_frame", "action_id")})),
    ], FINAL, {"id": instance_id, "v": version, "resolved": str(MergedStatus.RESOLVED),
               "reliable": str(MergedStatus.RELIABLE), "review": str(MergedStatus.NEEDS_REVIEW),
               "action": "unresolve"}
