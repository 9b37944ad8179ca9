"""team logins and row-level security (PostgreSQL)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 01:10:00

annotators.login names the PostgreSQL login role of a user (NULL: none, e.g. on SQLite).
On PostgreSQL, row-level security then holds blind mode and the roles for any client, raw
SQL included: the store's own checks give the clear messages, these policies are the lock.
The project's owner (the tables' owner, who runs migrations) is not held by them; a login
that no user names sees nothing. Helper functions are SECURITY DEFINER so that a policy
can look up users and clips without being held by those tables' own policies.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

# name -> (arguments, return type, body). SECURITY DEFINER: they read as the owner, unheld by the
# tables' own policies; inside them current_user is the owner, so policies pass theirs as `who`.
FUNCTIONS = {
    "mmad_user": ("who text", "text", "SELECT name FROM annotators WHERE login = who"),
    "mmad_is_reviewer": ("who text", "boolean",
                         "SELECT EXISTS (SELECT 1 FROM annotators WHERE login = who AND role = 'reviewer')"),
    "mmad_is_member": ("who text", "boolean", "SELECT EXISTS (SELECT 1 FROM annotators WHERE login = who)"),
    "mmad_own_id": ("who text", "integer", "SELECT id FROM annotators WHERE login = who"),
    "mmad_assigned": ("who text, clip integer", "boolean",
                      "SELECT EXISTS (SELECT 1 FROM assignments a JOIN annotators u ON u.id = a.annotator_id "
                      "WHERE a.clip_id = clip AND u.login = who)"),
    "mmad_finalised": ("clip integer", "boolean", "SELECT COALESCE((SELECT finalised FROM clips WHERE id = clip), true)"),
    "mmad_proposal_clip": ("proposal integer", "integer", "SELECT clip_id FROM proposals WHERE id = proposal"),
    "mmad_merged_clip": ("merged integer", "integer", "SELECT clip_id FROM merged_instances WHERE id = merged"),
}
REVIEWER = "mmad_is_reviewer(current_user)"
MEMBER = "mmad_is_member(current_user)"
# table -> [(policy name, command, USING, WITH CHECK)]; no policy for a command: only the owner may
POLICIES: dict[str, list[tuple[str, str, str | None, str | None]]] = {
    "segments": [
        ("read", "SELECT", f"{REVIEWER} OR author = mmad_user(current_user) OR ({MEMBER} AND mmad_finalised(clip_id))", None),
        ("add", "INSERT", None, f"{REVIEWER} OR (author = mmad_user(current_user) AND NOT mmad_finalised(clip_id))"),
        ("change", "UPDATE", f"{REVIEWER} OR (author = mmad_user(current_user) AND NOT mmad_finalised(clip_id))",
         f"{REVIEWER} OR (author = mmad_user(current_user) AND NOT mmad_finalised(clip_id))"),
        ("remove", "DELETE", REVIEWER, None),
    ],
    "proposal_answers": [
        ("read", "SELECT", f"{REVIEWER} OR author = mmad_user(current_user)", None),
        ("write", "ALL", f"{REVIEWER} OR (author = mmad_user(current_user) AND NOT mmad_finalised(mmad_proposal_clip(proposal_id)))",
         f"{REVIEWER} OR (author = mmad_user(current_user) AND NOT mmad_finalised(mmad_proposal_clip(proposal_id)))"),
    ],
    "proposals": [
        ("read", "SELECT", MEMBER, None),
        ("add", "INSERT", None, f"{REVIEWER} OR (mmad_assigned(current_user, clip_id) AND NOT mmad_finalised(clip_id))"),
        ("change", "UPDATE", REVIEWER, REVIEWER),
        ("remove", "DELETE", REVIEWER, None),
    ],
    "merged_instances": [
        ("read", "SELECT", f"{REVIEWER} OR ({MEMBER} AND mmad_finalised(clip_id))", None),
        ("write", "ALL", REVIEWER, REVIEWER),
    ],
    "merged_segments": [
        ("read", "SELECT", f"{REVIEWER} OR ({MEMBER} AND mmad_finalised(mmad_merged_clip(merged_id)))", None),
        ("write", "ALL", REVIEWER, REVIEWER),
    ],
    "clips": [
        ("read", "SELECT", MEMBER, None),
        ("change", "UPDATE", REVIEWER, REVIEWER),
    ],
    "subjects": [("read", "SELECT", MEMBER, None)],
    "annotators": [("read", "SELECT", MEMBER, None)],
    "project_meta": [("read", "SELECT", MEMBER, None)],
    "assignments": [
        ("read", "SELECT", f"{REVIEWER} OR annotator_id = mmad_own_id(current_user)", None),
        ("add", "INSERT", None, REVIEWER),
        ("change", "UPDATE", f"{REVIEWER} OR annotator_id = mmad_own_id(current_user)", f"{REVIEWER} OR annotator_id = mmad_own_id(current_user)"),
        ("remove", "DELETE", REVIEWER, None),
    ],
    "audit_log": [
        ("read", "SELECT", f"{REVIEWER} OR \"user\" = mmad_user(current_user)", None),
        ("add", "INSERT", None, f"{MEMBER} AND \"user\" = mmad_user(current_user)"),
    ],
}


def upgrade() -> None:
    with op.batch_alter_table('annotators', schema=None) as batch_op:
        batch_op.add_column(sa.Column('login', sa.String(length=63), nullable=True))
        batch_op.create_unique_constraint(op.f('uq_annotators_login'), ['login'])
    if op.get_bind().dialect.name != "postgresql":
        return
    schema = op.get_bind().execute(sa.text("SELECT current_schema()")).scalar_one()
    for name, (args, returns, body) in FUNCTIONS.items():
        op.execute(f'CREATE FUNCTION {name}({args}) RETURNS {returns} LANGUAGE sql STABLE SECURITY DEFINER '
                   f'SET search_path = "{schema}" AS $$ {body} $$')
    for table, policies in POLICIES.items():
        op.execute(f'ALTER TABLE {table} ENABLE ROW LEVEL SECURITY')
        for policy, command, using, check in policies:
            clause = (f" USING ({using})" if using else "") + (f" WITH CHECK ({check})" if check else "")
            op.execute(f'CREATE POLICY mmad_{policy} ON {table} FOR {command} TO PUBLIC{clause}')


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, policies in POLICIES.items():
            for policy, *_ in policies:
                op.execute(f'DROP POLICY IF EXISTS mmad_{policy} ON {table}')
            op.execute(f'ALTER TABLE {table} DISABLE ROW LEVEL SECURITY')
        for name, (args, _returns, _body) in FUNCTIONS.items():
            op.execute(f'DROP FUNCTION IF EXISTS {name}({args})')
    with op.batch_alter_table('annotators', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('uq_annotators_login'), type_='unique')
        batch_op.drop_column('login')
