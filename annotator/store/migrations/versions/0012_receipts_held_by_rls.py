"""edit receipts held by row-level security (PostgreSQL)

Revision ID: 0012
Revises: 0011_i22
Create Date: 2026-12-07 15:55:00

0011_i22 let any login of the server read and add edit receipts. A receipt now records the login
that wrote it, and a member reads and adds only their own: a replay is always checked by the
desktop (and so the login) that journalled the edit, and nobody can plant a receipt that makes
another's edit look stored already. The owner, who is not held, sees them all. SQLite: nothing.
"""

from __future__ import annotations

from alembic import op

revision = '0012'
down_revision = '0011_i22'
branch_labels = None
depends_on = None

OWN = "mmad_is_member(current_user) AND login = current_user"  # frozen copy of 0004's MEMBER rule


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE edit_receipts ADD COLUMN login varchar(63) NOT NULL DEFAULT current_user")
    op.execute("REVOKE ALL ON edit_receipts FROM PUBLIC")
    op.execute("GRANT SELECT, INSERT ON edit_receipts TO PUBLIC")  # held by the policies below
    op.execute("ALTER TABLE edit_receipts ENABLE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY mmad_read ON edit_receipts FOR SELECT TO PUBLIC USING ({OWN})")
    op.execute(f"CREATE POLICY mmad_add ON edit_receipts FOR INSERT TO PUBLIC WITH CHECK ({OWN})")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP POLICY IF EXISTS mmad_add ON edit_receipts")
    op.execute("DROP POLICY IF EXISTS mmad_read ON edit_receipts")
    op.execute("ALTER TABLE edit_receipts DISABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE edit_receipts DROP COLUMN login")
