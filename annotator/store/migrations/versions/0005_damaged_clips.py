"""clips marked damaged

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 01:20:00

A clip imported with `mmad import-clips --accept-damaged` from a video whose decodable frames
fall short of what its container declares is marked damaged (existing clips are not).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("clips", sa.Column("damaged", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("clips") as batch:
        batch.drop_column("damaged")
