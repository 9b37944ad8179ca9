"""proposal answers per annotator

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 01:00:00

A model's proposals are shared; each annotator's accept/reject is now their own row in
proposal_answers (no row: pending for them). The one status a proposal had becomes the
answer of whoever gave it, read from the audit log (accept: its author; a status change:
the user who made it); proposals.status is dropped.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def _answerer(conn: sa.Connection, proposal_id: int) -> tuple[str, int | None]:
    """(author, segment id) of the answer a proposal holds, from its newest audit row."""
    row = conn.execute(sa.text(
        "SELECT action, \"user\", new FROM audit_log WHERE entity = 'proposal' AND entity_id = :id "
        "AND action IN ('accept', 'set_status') ORDER BY id DESC LIMIT 1"), {"id": proposal_id}).first()
    if row is None:
        return "owner", None
    new = json.loads(row.new or "{}")
    if row.action == "accept":
        return str(new.get("author") or row.user), new.get("segment_id")
    return str(row.user), None


def upgrade() -> None:
    op.create_table('proposal_answers',
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('author', sa.String(length=128), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('segment_id', sa.Integer(), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('accepted', 'rejected')", name=op.f('ck_proposal_answers_status_enum')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_answers_proposal_id_proposals'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['segment_id'], ['segments.id'], name=op.f('fk_proposal_answers_segment_id_segments')),
    sa.PrimaryKeyConstraint('proposal_id', 'author', name=op.f('pk_proposal_answers'))
    )
    with op.batch_alter_table('proposal_answers', schema=None) as batch_op:
        batch_op.create_index('ix_proposal_answers_author', ['author'], unique=False)
    conn = op.get_bind()
    now = datetime.now(UTC)
    for pid, status in conn.execute(sa.text("SELECT id, status FROM proposals WHERE status <> 'pending'")).all():
        author, segment_id = _answerer(conn, pid)
        conn.execute(sa.text("INSERT INTO proposal_answers (proposal_id, author, status, segment_id, answered_at) "
                             "VALUES (:p, :a, :s, :g, :t)"),
                     {"p": pid, "a": author, "s": status, "g": segment_id if status == "accepted" else None, "t": now})
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_proposals_status_enum'), type_='check')
        batch_op.drop_column('status')


def downgrade() -> None:
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=16), nullable=False, server_default='pending'))
        batch_op.create_check_constraint(op.f('ck_proposals_status_enum'),
                                         "status IN ('pending', 'accepted', 'rejected')")
    op.execute("UPDATE proposals SET status = (SELECT MAX(status) FROM proposal_answers a "
               "WHERE a.proposal_id = proposals.id) WHERE id IN (SELECT proposal_id FROM proposal_answers)")
    op.drop_table('proposal_answers')
