"""an annotator writes segments only on the clips assigned to them (PostgreSQL)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 04:30:00

The segments policies of 0004 let an annotator's login insert their own segments on any open
clip, and move their own segments (UPDATE of clip_id) onto one: the merge reads only the
segments of each clip's assigned annotators, so such work was silently left out, or merged
unasked once someone assigned the clip. The annotator's branch of the insert and update
policies now also requires the clip to be assigned to the caller, with mmad_assigned as 0007
hardened it (temporary schemas searched last; it answers only about a login the session may
act as, and a policy passes current_user). The update policy checks the row before (USING: a
segment of theirs on a clip no longer theirs stays as it is) and after (WITH CHECK: no move
onto a clip not theirs). Reviewers keep their branch; the owner is not held by policies.
Nothing on SQLite (the store's check, annotator/store/access.py, holds it there).
"""

from __future__ import annotations

from alembic import op

from annotator.store.migrations.policy_sql import Policy, replace_policies

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

# Frozen copies (migrations must not follow later code).
REVIEWER = "mmad_is_reviewer(current_user)"
OWN_OPEN = "author = mmad_user(current_user) AND NOT mmad_finalised(clip_id)"
OWN_ASSIGNED_OPEN = f"{OWN_OPEN} AND mmad_assigned(current_user, clip_id)"
# (table, policy, command, USING, WITH CHECK) after this revision, and as 0004 made them
NEW: list[Policy] = [
    ("segments", "add", "INSERT", None, f"{REVIEWER} OR ({OWN_ASSIGNED_OPEN})"),
    ("segments", "change", "UPDATE", f"{REVIEWER} OR ({OWN_ASSIGNED_OPEN})", f"{REVIEWER} OR ({OWN_ASSIGNED_OPEN})"),
]
OLD: list[Policy] = [
    ("segments", "add", "INSERT", None, f"{REVIEWER} OR ({OWN_OPEN})"),
    ("segments", "change", "UPDATE", f"{REVIEWER} OR ({OWN_OPEN})", f"{REVIEWER} OR ({OWN_OPEN})"),
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        replace_policies(NEW)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        replace_policies(OLD)
