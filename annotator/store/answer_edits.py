"""Answers to proposals as ONE statement each on PostgreSQL (see StoreCore._one_statement): accept (a new
segment of the user's own), its undo, reject and back to pending.

Each statement checks what ProposalsMixin's method checks (the proposal seen by the user, the
answer it replaces, the user's rights on the clip and segment) and only then writes the segment,
the answer and their audit rows. When a check fails nothing was written and the method runs
instead, to say why.
"""

from __future__ import annotations

from typing import Any

from annotator.model import MIN_SEGMENT_SECONDS, Origin, ProposalStatus
from annotator.store import convert
from annotator.store.core import AUDIT_CTE, json_sql, to_json
from annotator.store.segment_edits import CLIP, SEGMENT_COLUMNS, values_json

PENDING_JSON = to_json({"status": str(ProposalStatus.PENDING)})
PROPOSAL = "p AS (SELECT x.* FROM proposals x WHERE x.id = :pid)"
FINAL = "SELECT g.ok, p.* FROM guard g LEFT JOIN p ON true"


def accept_sql(proposal_id: int, n_actions: int, segment_id: int | None) -> tuple[list[str], str, dict[str, Any]]:
    """(CTEs, final SELECT, parameters) of ProposalsMixin.accept_proposal for the user's own answer: a new
    segment, or (`segment_id`, a redo) the one an undone acceptance deleted, restored; the caller adds the
    user's (rights())."""
    if segment_id is None:
        made = [
            "seg AS (INSERT INTO segments (clip_id, author, start_frame, end_frame, action_id, origin, confidence, "
            "version, created_at, updated_at, deleted) SELECT p.clip_id, :me, p.start_frame, p.end_frame, "
            "p.action_id, :accepted_origin, p.score, 1, :now, :now, false FROM p WHERE (SELECT ok FROM guard) "
            "RETURNING *)"]
        fits = ("p.start_frame >= 0 AND p.end_frame < clip.frame_count AND p.end_frame - p.start_frame >= "
                "clip.shortest AND p.action_id >= 0 AND p.action_id < :n_actions")
        audit = f"'add', 'segment', seg.id, NULL, {values_json('seg', author=True)}"
    else:  # ProposalsMixin._restore_accepted
        made = ["locked AS (SELECT s.* FROM segments s WHERE s.id = :sid FOR UPDATE)",
                "seg AS (UPDATE segments s SET deleted = false, version = s.version + 1, updated_at = :now "
                "WHERE s.id = :sid AND (SELECT ok FROM guard) RETURNING s.*)"]
        fits = ("EXISTS (SELECT 1 FROM locked l WHERE l.clip_id = p.clip_id AND l.author = :me AND l.deleted)")
        audit = f"'restore', 'segment', seg.id, NULL, {values_json('seg')}"
    return [
        PROPOSAL,
        CLIP.format(clip="(SELECT clip_id FROM p)"),
        *made[:-1],
        "guard AS (SELECT EXISTS (SELECT 1 FROM p, clip WHERE clip.may AND (:priv OR p.requested_by IS NULL "
        f"OR p.requested_by = :me) AND {fits}) AND NOT EXISTS "
        "(SELECT 1 FROM proposal_answers a WHERE a.proposal_id = :pid AND a.author = :me) AS ok)",
        made[-1],
        "answer AS (INSERT INTO proposal_answers (proposal_id, author, status, segment_id, answered_at) "
        "SELECT :pid, :me, :accepted, seg.id, :now FROM seg)",
        f"{AUDIT_CTE}SELECT :now, :me, {audit} FROM seg UNION ALL SELECT :now, :me, 'accept', 'proposal', :pid, :old, "
        + json_sql({"author": ":me_json", "segment_id": "seg.id", "status": "CAST(:accepted AS text)"},
                   frozenset({"author"}))
        + " FROM seg)",
    ], ("SELECT g.ok, " + ", ".join(f"seg.{c}" for c in SEGMENT_COLUMNS) + ", p.id AS p_id, p.model_version, "
        "p.score, p.requested_by, p.start_frame AS p_start, p.end_frame AS p_end, p.action_id AS p_action "
        "FROM guard g LEFT JOIN seg ON true LEFT JOIN p ON true"), {
        "pid": proposal_id, "sid": segment_id, "n_actions": n_actions, "min_s": MIN_SEGMENT_SECONDS,
        "old": PENDING_JSON, "accepted_origin": str(Origin.PROPOSAL_ACCEPTED),
        "accepted": str(ProposalStatus.ACCEPTED), "now": convert.now()}


def unaccept_sql(proposal_id: int, segment_id: int, version: int) -> tuple[list[str], str, dict[str, Any]]:
    """(CTEs, final SELECT, parameters) of unaccept_proposal: the segment deleted (version-checked), its
    author's answer gone; the caller adds the user's (rights())."""
    return [
        PROPOSAL,
        "locked AS (SELECT s.* FROM segments s WHERE s.id = :sid FOR UPDATE)",
        CLIP.format(clip="(SELECT clip_id FROM locked)"),
        "guard AS (SELECT EXISTS (SELECT 1 FROM p, locked l, clip WHERE clip.may AND (:priv OR l.author = :me) "
        "AND NOT l.deleted AND l.version = :v AND EXISTS (SELECT 1 FROM proposal_answers a WHERE a.proposal_id = "
        ":pid AND a.author = l.author AND a.status = :accepted AND a.segment_id = l.id)) AS ok)",
        "d AS (UPDATE segments s SET deleted = true, version = s.version + 1, updated_at = :now WHERE s.id = :sid "
        "AND (SELECT ok FROM guard) RETURNING s.id, s.author)",
        "gone AS (DELETE FROM proposal_answers a USING d WHERE a.proposal_id = :pid AND a.author = d.author)",
        AUDIT_CTE + "SELECT :now, :me, 'unaccept', 'proposal', :pid, "
        + json_sql({"status": "CAST(:accepted AS text)", "segment_id": "d.id", "author": "d.author"})
        + ", :pending FROM d)",
    ], FINAL, {"pid": proposal_id, "sid": segment_id, "v": version, "min_s": MIN_SEGMENT_SECONDS,
               "accepted": str(ProposalStatus.ACCEPTED), "pending": PENDING_JSON, "now": convert.now()}


def status_sql(proposal_id: int, status: ProposalStatus) -> tuple[list[str], str, dict[str, Any]]:
    """(CTEs, final SELECT, parameters) of set_proposal_status for the user's own answer (rejected or back
    to pending; never over an acceptance); the caller adds the user's (rights())."""
    if status is ProposalStatus.REJECTED:
        write = ("w AS (INSERT INTO proposal_answers (proposal_id, author, status, segment_id, answered_at) "
                 "SELECT :pid, :me, :status, NULL, :now WHERE (SELECT ok FROM guard) ON CONFLICT (proposal_id, author) "
                 "DO UPDATE SET status = EXCLUDED.status, segment_id = NULL, answered_at = EXCLUDED.answered_at "
                 "RETURNING 1)")
    else:
        write = ("w AS (DELETE FROM proposal_answers a WHERE a.proposal_id = :pid AND a.author = :me "
                 "AND (SELECT ok FROM guard) RETURNING 1)")
    return [
        PROPOSAL,
        "old AS (SELECT a.status FROM proposal_answers a WHERE a.proposal_id = :pid AND a.author = :me FOR UPDATE)",
        "guard AS (SELECT EXISTS (SELECT 1 FROM p JOIN clips c ON c.id = p.clip_id WHERE :priv OR (NOT c.finalised "
        "AND (p.requested_by IS NULL OR p.requested_by = :me))) AND NOT EXISTS (SELECT 1 FROM old WHERE "
        "old.status = :accepted) AS ok)",
        write,
        AUDIT_CTE + "SELECT :now, :me, 'set_status', 'proposal', :pid, "
        + json_sql({"status": "COALESCE((SELECT status FROM old), CAST(:pending AS text))", "author": ":me_json"},
                   frozenset({"author"}))
        + ", " + json_sql({"status": "CAST(:status AS text)", "author": ":me_json"}, frozenset({"author"}))
        + " FROM guard WHERE guard.ok)",
    ], FINAL, {"pid": proposal_id, "status": str(status), "accepted": str(ProposalStatus.ACCEPTED),
               "pending": str(ProposalStatus.PENDING), "now": convert.now()}
