"""merged rows keep what the merge proposed; decisions held to their forms

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 00:40:00

Adds proposed_start_frame / proposed_end_frame / proposed_action_id to merged_instances.
Undecided rows propose what they hold; a resolved row gets the bounds and label it had
before its current run of decisions, read once from the audit log (the last time the
audit log is read as state). Decision and majority texts are held to the forms of
annotator.decisions by CHECK constraints; older free-text removals ("drop", "reject")
become "delete", any other unknown decision "keep" or "adjust", an unknown majority NULL.
"""

from __future__ import annotations

import json
import re
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

# Frozen copy of annotator.decisions' forms as of this revision (migrations must not follow later code).
_FORMS = "IN ('keep', 'delete', 'adjust') OR {c} LIKE 'label:%' OR {c} LIKE 'take:%'"
_VALID = re.compile(r"^(keep|delete|adjust|label:\d+|take:.+)$")
_REMOVING = ("delete", "drop", "reject")


def _check(column: str) -> str:
    return f"{column} IS NULL OR {column} " + _FORMS.format(c=column)


def _proposed(conn: sa.Connection, row: Any) -> tuple[int, int, int]:
    """What the merge proposed for a row: its own values, or those before its decisions."""
    if row.status != "resolved":
        return row.start_frame, row.end_frame, row.action_id
    entries = conn.execute(sa.text(
        "SELECT old FROM audit_log WHERE entity = 'merged' AND entity_id = :id AND action = 'resolve' "
        "ORDER BY id DESC"), {"id": row.id})
    for (old_text,) in entries:
        old = json.loads(old_text or "{}")
        if old.get("status") != "resolved":
            return int(old["start_frame"]), int(old["end_frame"]), int(old["action_id"])
    return row.start_frame, row.end_frame, row.action_id


def _clean(text: str | None, bounds_kept: bool, is_decision: bool) -> str | None:
    if text is None or _VALID.match(text):
        return text
    if text.split(":", 1)[0].strip().lower() in _REMOVING:
        return "delete"
    if not is_decision:
        return None
    return "keep" if bounds_kept else "adjust"


def upgrade() -> None:
    with op.batch_alter_table('merged_instances', schema=None) as batch_op:
        batch_op.add_column(sa.Column('proposed_start_frame', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('proposed_end_frame', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('proposed_action_id', sa.Integer(), nullable=True))
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, status, start_frame, end_frame, action_id, majority, decision "
                                "FROM merged_instances")).all()
    for row in rows:
        start, end, action = _proposed(conn, row)
        kept = (start, end, action) == (row.start_frame, row.end_frame, row.action_id)
        conn.execute(sa.text(
            "UPDATE merged_instances SET proposed_start_frame = :s, proposed_end_frame = :e, "
            "proposed_action_id = :a, majority = :m, decision = :d WHERE id = :id"),
            {"s": start, "e": end, "a": action, "m": _clean(row.majority, kept, False),
             "d": _clean(row.decision, kept, True), "id": row.id})
    with op.batch_alter_table('merged_instances', schema=None) as batch_op:
        for name in ('proposed_start_frame', 'proposed_end_frame', 'proposed_action_id'):
            batch_op.alter_column(name, existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('decision', existing_type=sa.String(length=64), type_=sa.String(length=160))
        batch_op.create_check_constraint(op.f('ck_merged_instances_proposed_end_after_start'), 'proposed_end_frame > proposed_start_frame')
        batch_op.create_check_constraint(op.f('ck_merged_instances_decision_form'), _check('decision'))
        batch_op.create_check_constraint(op.f('ck_merged_instances_majority_form'), _check('majority'))


def downgrade() -> None:
    with op.batch_alter_table('merged_instances', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_merged_instances_majority_form'), type_='check')
        batch_op.drop_constraint(op.f('ck_merged_instances_decision_form'), type_='check')
        batch_op.drop_constraint(op.f('ck_merged_instances_proposed_end_after_start'), type_='check')
        batch_op.alter_column('decision', existing_type=sa.String(length=160), type_=sa.String(length=64))
        batch_op.drop_column('proposed_action_id')
        batch_op.drop_column('proposed_end_frame')
        batch_op.drop_column('proposed_start_frame')
