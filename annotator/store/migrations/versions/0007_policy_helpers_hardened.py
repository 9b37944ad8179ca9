"""policy helpers hardened; keys and imported columns kept (PostgreSQL)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 04:00:00

Holes a red-team review of team mode found (issue 15), each closed here; nothing on SQLite.

1. The SECURITY DEFINER helpers of 0004/0006 ran with search_path = the project's schema only,
   and PostgreSQL searches the session's temporary schema FIRST for tables unless it is listed:
   an annotator's own `CREATE TEMPORARY TABLE annotators` naming their login a reviewer made every
   policy treat them as one (read all work, merge, finalise). Every helper now ends its
   search_path with pg_temp, which puts the temporary schema last.
2. The helpers are callable by every login, and those taking a login (`who`) answered about any
   login: ann1 could ask for ann2's assignments and private proposals; those keyed by a row
   answered for any row: whether anyone answered a shared proposal (others' decisions), which
   clip a hidden private proposal or merged row is on (a merge before finalisation). Now
   mmad_assigned and mmad_sees_proposal answer false unless the session may act as `who`
   (pg_has_role(session_user, ...)); mmad_proposal_answered and mmad_proposal_clip answer only
   for shared proposals or proposals of a user whose login the session may act as (their only
   use in a policy is on the caller's own rows); merged_segments' read policy uses
   mmad_merged_final (the row's clip is finalised: readable anyway), and mmad_merged_clip, no
   longer used by a policy, is revoked from PUBLIC. A policy always passes current_user, which
   the session may act as, so every policy decides as before.
3. A row-level policy sees only the new row, not which columns changed: an annotator could
   UPDATE their assignment's clip_id onto any clip (assigning themselves, and so reading its
   shared proposals), and a reviewer could rename a clip or move it to another subject (the
   owner's import). A trigger (mmad_keep_columns) refuses a member's change to those columns:
   assignments.clip_id/annotator_id, clips.id/name/subject_id/source/source_offset_frame.
4. An annotator could mark their assignment of a finalised clip done or not done (the export
   of one annotator's work and the agreement report read that): the annotator's branch of the
   assignments change policy now requires an open clip, as the store does.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from annotator.store.migrations.policy_sql import Policy, replace_policies

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

# Frozen copies (migrations must not follow later code).
REVIEWER = "mmad_is_reviewer(current_user)"
MEMBER = "mmad_is_member(current_user)"
OWN_OPEN = "annotator_id = mmad_own_id(current_user) AND NOT mmad_finalised(clip_id)"
# every helper of 0004 and 0006, by signature (their search_path gains pg_temp, last)
HELPERS = ("mmad_user(text)", "mmad_is_reviewer(text)", "mmad_is_member(text)", "mmad_own_id(text)",
           "mmad_assigned(text, integer)", "mmad_finalised(integer)", "mmad_proposal_clip(integer)",
           "mmad_merged_clip(integer)", "mmad_proposal_answered(integer)", "mmad_sees_proposal(text, integer)")
# the session may act as `who`; for a user's name: as the login that user has
ACTS_AS = "pg_has_role(session_user, who, 'MEMBER')"
ACTS_AS_USER = ("EXISTS (SELECT 1 FROM annotators u JOIN pg_roles r ON r.rolname = u.login "
                "WHERE u.name = p.requested_by AND pg_has_role(session_user, r.oid, 'MEMBER'))")
# name -> (arguments, return type, body after this revision, body as 0004/0006 made it)
REPLACED = {
    "mmad_assigned": ("who text, clip integer", "boolean",
                      f"SELECT {ACTS_AS} AND EXISTS (SELECT 1 FROM assignments a JOIN annotators u "
                      "ON u.id = a.annotator_id WHERE a.clip_id = clip AND u.login = who)",
                      "SELECT EXISTS (SELECT 1 FROM assignments a JOIN annotators u ON u.id = a.annotator_id "
                      "WHERE a.clip_id = clip AND u.login = who)"),
    "mmad_sees_proposal": ("who text, proposal integer", "boolean",
                           f"SELECT {ACTS_AS} AND EXISTS (SELECT 1 FROM proposals p WHERE p.id = proposal AND ("
                           "p.requested_by = (SELECT name FROM annotators WHERE login = who) OR "
                           "(p.requested_by IS NULL AND EXISTS (SELECT 1 FROM assignments a JOIN annotators u "
                           "ON u.id = a.annotator_id WHERE a.clip_id = p.clip_id AND u.login = who))))",
                           "SELECT EXISTS (SELECT 1 FROM proposals p WHERE p.id = proposal AND ("
                           "p.requested_by = (SELECT name FROM annotators WHERE login = who) OR "
                           "(p.requested_by IS NULL AND EXISTS (SELECT 1 FROM assignments a JOIN annotators u "
                           "ON u.id = a.annotator_id WHERE a.clip_id = p.clip_id AND u.login = who))))"),
    "mmad_proposal_answered": ("proposal integer", "boolean",
                               "SELECT EXISTS (SELECT 1 FROM proposal_answers a JOIN proposals p ON p.id = a.proposal_id "
                               f"WHERE a.proposal_id = proposal AND {ACTS_AS_USER})",
                               "SELECT EXISTS (SELECT 1 FROM proposal_answers WHERE proposal_id = proposal)"),
    "mmad_proposal_clip": ("proposal integer", "integer",
                           f"SELECT p.clip_id FROM proposals p WHERE p.id = proposal AND (p.requested_by IS NULL OR "
                           f"{ACTS_AS_USER})",
                           "SELECT clip_id FROM proposals WHERE id = proposal"),
}
MERGED_FINAL = ("merged integer", "boolean",
                "SELECT EXISTS (SELECT 1 FROM merged_instances m JOIN clips c ON c.id = m.clip_id "
                "WHERE m.id = merged AND c.finalised)")
# (table, policy, command, USING, WITH CHECK) after this revision, and as 0004 made them
NEW: list[Policy] = [
    ("merged_segments", "read", "SELECT", f"{REVIEWER} OR ({MEMBER} AND mmad_merged_final(merged_id))", None),
    ("assignments", "change", "UPDATE", f"{REVIEWER} OR ({OWN_OPEN})", f"{REVIEWER} OR ({OWN_OPEN})"),
]
OLD: list[Policy] = [
    ("merged_segments", "read", "SELECT",
     f"{REVIEWER} OR ({MEMBER} AND mmad_finalised(mmad_merged_clip(merged_id)))", None),
    ("assignments", "change", "UPDATE", f"{REVIEWER} OR annotator_id = mmad_own_id(current_user)",
     f"{REVIEWER} OR annotator_id = mmad_own_id(current_user)"),
]
# Invoker's rights: current_user is the member. The owner is no member and keeps every column.
KEEP_COLUMNS = """
BEGIN
    IF NOT mmad_is_member(current_user) THEN
        RETURN NEW;
    END IF;
    FOR i IN 0 .. TG_NARGS - 1 LOOP
        IF to_jsonb(NEW) -> TG_ARGV[i] IS DISTINCT FROM to_jsonb(OLD) -> TG_ARGV[i] THEN
            RAISE EXCEPTION '%.% is not for a member to change (the project''s owner may)', TG_TABLE_NAME, TG_ARGV[i]
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    END LOOP;
    RETURN NEW;
END
"""
KEPT = {"assignments": ("clip_id", "annotator_id"),
        "clips": ("id", "name", "subject_id", "source", "source_offset_frame")}


def _function(schema: str, name: str, args: str, returns: str, body: str) -> None:
    op.execute(f'CREATE OR REPLACE FUNCTION {name}({args}) RETURNS {returns} LANGUAGE sql STABLE SECURITY DEFINER '
               f'SET search_path = "{schema}", pg_temp AS $$ {body} $$')


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    schema = op.get_bind().execute(sa.text("SELECT current_schema()")).scalar_one()
    for helper in HELPERS:
        op.execute(f'ALTER FUNCTION {helper} SET search_path = "{schema}", pg_temp')
    for name, (args, returns, body, _old) in REPLACED.items():
        _function(schema, name, args, returns, body)
    _function(schema, "mmad_merged_final", *MERGED_FINAL)
    replace_policies(NEW)
    op.execute('REVOKE EXECUTE ON FUNCTION mmad_merged_clip(integer) FROM PUBLIC')
    op.execute(f'CREATE FUNCTION mmad_keep_columns() RETURNS trigger LANGUAGE plpgsql '
               f'SET search_path = "{schema}", pg_temp AS $$ {KEEP_COLUMNS} $$')
    for table, columns in KEPT.items():
        listed = ", ".join(f"'{c}'" for c in columns)
        op.execute(f'CREATE TRIGGER mmad_keep_columns BEFORE UPDATE ON {table} FOR EACH ROW '
                   f'EXECUTE FUNCTION mmad_keep_columns({listed})')


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    schema = op.get_bind().execute(sa.text("SELECT current_schema()")).scalar_one()
    for table in KEPT:
        op.execute(f'DROP TRIGGER IF EXISTS mmad_keep_columns ON {table}')
    op.execute('DROP FUNCTION IF EXISTS mmad_keep_columns()')
    op.execute('GRANT EXECUTE ON FUNCTION mmad_merged_clip(integer) TO PUBLIC')
    replace_policies(OLD)
    op.execute('DROP FUNCTION IF EXISTS mmad_merged_final(integer)')
    for name, (args, returns, _new, body) in REPLACED.items():
        _function(schema, name, args, returns, body)
    for helper in HELPERS:
        op.execute(f'ALTER FUNCTION {helper} SET search_path = "{schema}"')
