"""merged-instance ids are never reused (SQLite AUTOINCREMENT)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 06:30:00

A re-merge deletes a clip's merged rows and inserts the new ones. SQLite without AUTOINCREMENT
hands out max(id) + 1, so the new rows took the ids just deleted: a review screen holding an old
id then hit a version conflict (or, at the same version, decided a different instance) instead
of hearing that its instance no longer exists, and audit rows of two instances shared one id.
On SQLite merged_instances is rebuilt with AUTOINCREMENT (batch mode; rows, constraints and
index kept) and its sequence starts past every id the audit log names, so the ids deleted before
this revision are not handed out again either. Nothing on PostgreSQL: its sequences never reuse.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

TABLE = "merged_instances"


def _rebuild(autoincrement: bool) -> None:
    with op.batch_alter_table(TABLE, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}):
        pass


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _rebuild(True)
    conn = op.get_bind()
    seen = conn.execute(sa.text(
        "SELECT MAX(m) FROM (SELECT MAX(id) AS m FROM merged_instances "
        "UNION ALL SELECT MAX(entity_id) FROM audit_log WHERE entity = 'merged')")).scalar()
    conn.execute(sa.text("DELETE FROM sqlite_sequence WHERE name = :t"), {"t": TABLE})
    conn.execute(sa.text("INSERT INTO sqlite_sequence (name, seq) VALUES (:t, :seq)"), {"t": TABLE, "seq": seen or 0})


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild(False)
