"""proposals an annotator's own model loop asked for are private to them

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 03:30:00

proposals.requested_by: NULL for a proposal shared by every annotator of the clip (added by
the owner, a reviewer or the model runner; every existing proposal stays so), an annotator's
name for one their own model loop stored, which only they (and reviewers) see. On PostgreSQL
the proposals policies of 0004 are replaced to hold that for raw SQL too: an annotator's login
reads the shared proposals of their clips and their own, inserts only their own on their open
clips, and deletes only their own unanswered ones; their answers go only to proposals they see.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from annotator.store.migrations.policy_sql import Policy, replace_policies

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

# Frozen copies (migrations must not follow later code). SECURITY DEFINER as in 0004: they read
# as the owner, unheld by the tables' own policies, so the policies pass their login as `who`.
FUNCTIONS = {
    "mmad_proposal_answered": ("proposal integer", "boolean",
                               "SELECT EXISTS (SELECT 1 FROM proposal_answers WHERE proposal_id = proposal)"),
    "mmad_sees_proposal": ("who text, proposal integer", "boolean",
                           "SELECT EXISTS (SELECT 1 FROM proposals p WHERE p.id = proposal AND ("
                           "p.requested_by = (SELECT name FROM annotators WHERE login = who) OR "
                           "(p.requested_by IS NULL AND EXISTS (SELECT 1 FROM assignments a JOIN annotators u "
                           "ON u.id = a.annotator_id WHERE a.clip_id = p.clip_id AND u.login = who))))"),
}
REVIEWER = "mmad_is_reviewer(current_user)"
MINE = "requested_by = mmad_user(current_user)"
OPEN = "NOT mmad_finalised(clip_id)"
ANSWER_OPEN = "author = mmad_user(current_user) AND NOT mmad_finalised(mmad_proposal_clip(proposal_id))"
# (table, policy, command, USING, WITH CHECK) after this revision, and as 0004 made them
NEW: list[Policy] = [
    ("proposals", "read", "SELECT",
     f"{REVIEWER} OR {MINE} OR (requested_by IS NULL AND mmad_assigned(current_user, clip_id))", None),
    ("proposals", "add", "INSERT", None,
     f"({REVIEWER} AND requested_by IS NULL) OR ({MINE} AND mmad_assigned(current_user, clip_id) AND {OPEN})"),
    ("proposals", "remove", "DELETE", f"{REVIEWER} OR ({MINE} AND {OPEN} AND NOT mmad_proposal_answered(id))", None),
    ("proposal_answers", "write", "ALL",
     f"{REVIEWER} OR ({ANSWER_OPEN} AND mmad_sees_proposal(current_user, proposal_id))",
     f"{REVIEWER} OR ({ANSWER_OPEN} AND mmad_sees_proposal(current_user, proposal_id))"),
]
OLD: list[Policy] = [
    ("proposals", "read", "SELECT", "mmad_is_member(current_user)", None),
    ("proposals", "add", "INSERT", None,
     f"{REVIEWER} OR (mmad_assigned(current_user, clip_id) AND NOT mmad_finalised(clip_id))"),
    ("proposals", "remove", "DELETE", REVIEWER, None),
    ("proposal_answers", "write", "ALL", f"{REVIEWER} OR ({ANSWER_OPEN})", f"{REVIEWER} OR ({ANSWER_OPEN})"),
]


def upgrade() -> None:
    op.add_column("proposals", sa.Column("requested_by", sa.String(length=128), nullable=True))
    if op.get_bind().dialect.name != "postgresql":
        return
    schema = op.get_bind().execute(sa.text("SELECT current_schema()")).scalar_one()
    for name, (args, returns, body) in FUNCTIONS.items():
        op.execute(f'CREATE FUNCTION {name}({args}) RETURNS {returns} LANGUAGE sql STABLE SECURITY DEFINER '
                   f'SET search_path = "{schema}" AS $$ {body} $$')
    replace_policies(NEW)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        replace_policies(OLD)  # first: the new ones refer to requested_by, which cannot go while they do
        for name, (args, _returns, _body) in FUNCTIONS.items():
            op.execute(f'DROP FUNCTION IF EXISTS {name}({args})')
    with op.batch_alter_table("proposals") as batch:
        batch.drop_column("requested_by")
