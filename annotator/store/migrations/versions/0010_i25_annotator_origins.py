"""an annotator cannot mark their own segment reviewed or merged (PostgreSQL)

Revision ID: 0010_i25
Revises: 0009
Create Date: 2026-12-07 14:40:00

A segment's origin says how it came to be; 'reviewed' and 'merged' are a reviewer's and the
merge's words, and the review and the statistics trust them. The segments policies of 0008 let
an annotator's login write any origin on their own segments, so `UPDATE segments SET origin =
'reviewed'` passed. The annotator's branch of the insert and update policies now also requires
an origin other than those two (the reviewer's branch is unchanged; the owner is not held by
policies). The store refuses the same on SQLite (annotator/store/access.py, check_origin).
"""

from __future__ import annotations

from alembic import op

from annotator.store.migrations.policy_sql import Policy, replace_policies

revision = '0010_i25'
down_revision = '0009'
branch_labels = None
depends_on = None

# Frozen copies (migrations must not follow later code).
REVIEWER = "mmad_is_reviewer(current_user)"
OWN_ASSIGNED_OPEN = ("author = mmad_user(current_user) AND NOT mmad_finalised(clip_id) "
                     "AND mmad_assigned(current_user, clip_id)")
ANNOTATOR_ORIGIN = "origin NOT IN ('reviewed', 'merged')"
NEW: list[Policy] = [
    ("segments", "add", "INSERT", None, f"{REVIEWER} OR ({OWN_ASSIGNED_OPEN} AND {ANNOTATOR_ORIGIN})"),
    ("segments", "change", "UPDATE", f"{REVIEWER} OR ({OWN_ASSIGNED_OPEN})",
     f"{REVIEWER} OR ({OWN_ASSIGNED_OPEN} AND {ANNOTATOR_ORIGIN})"),
]
OLD: list[Policy] = [  # as 0008 made them
    ("segments", "add", "INSERT", None, f"{REVIEWER} OR ({OWN_ASSIGNED_OPEN})"),
    ("segments", "change", "UPDATE", f"{REVIEWER} OR ({OWN_ASSIGNED_OPEN})", f"{REVIEWER} OR ({OWN_ASSIGNED_OPEN})"),
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        replace_policies(NEW)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        replace_policies(OLD)
