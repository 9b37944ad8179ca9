"""edit receipts (no edit stored twice) and live team updates (which clip changed)

Revision ID: 0011_i22
Revises: 0009
Create Date: 2026-12-07 14:40:00

edit_receipts: each edit a desktop commits from its local journal writes its id here in the
same transaction, so a replay after a crash or a lost connection (the commit landed, the
answer did not) skips it instead of storing it twice; `bindings` keeps the ids it gave rows
the window showed before they were stored. Any login may add and read receipts (an id and
row ids, nothing more).

Live updates name the clip a committed write touched. PostgreSQL: row triggers on segments,
proposals, proposal answers, merged instances, assignments and clips send NOTIFY on a channel
named after the project's schema with the clip id (PostgreSQL folds repeats within a
transaction). SQLite: the same triggers stamp clip_changes (one row per clip, a counter that
only grows); a window polls PRAGMA data_version and reads the rows past its last counter.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0011_i22'
down_revision = '0010_i25'
branch_labels = None
depends_on = None

# (table, expression of the clip id on the NEW / OLD row, operations); frozen copies
WATCHED = (
    ("segments", "{row}.clip_id"),
    ("proposals", "{row}.clip_id"),
    ("proposal_answers", "(SELECT clip_id FROM proposals WHERE id = {row}.proposal_id)"),
    ("merged_instances", "{row}.clip_id"),
    ("assignments", "{row}.clip_id"),
    ("clips", "{row}.id"),
)


def upgrade() -> None:
    op.create_table(
        "edit_receipts",
        sa.Column("edit_id", sa.String(64), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("bindings", sa.Text(), nullable=False, server_default="{}"),
    )
    if op.get_bind().dialect.name == "postgresql":
        _postgresql()
    else:
        _sqlite()


def _postgresql() -> None:
    op.execute("GRANT SELECT, INSERT ON edit_receipts TO PUBLIC")
    for table, clip in WATCHED:
        new, old = clip.format(row="NEW"), clip.format(row="OLD")
        op.execute(f"""
CREATE FUNCTION mmad_notify_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'DELETE' THEN PERFORM pg_notify(current_schema(), ({new})::text); END IF;
    IF TG_OP <> 'INSERT' THEN PERFORM pg_notify(current_schema(), ({old})::text); END IF;
    RETURN NULL;
END $$""")
        op.execute(f"CREATE TRIGGER mmad_notify AFTER INSERT OR UPDATE OR DELETE ON {table} "
                   f"FOR EACH ROW EXECUTE FUNCTION mmad_notify_{table}()")


def _sqlite() -> None:
    op.execute("CREATE TABLE clip_changes (clip_id INTEGER PRIMARY KEY, seq INTEGER NOT NULL)")
    op.execute("CREATE INDEX ix_clip_changes_seq ON clip_changes (seq)")
    for table, clip in WATCHED:
        for when, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
            op.execute(f"""
CREATE TRIGGER mmad_changed_{table}_{when.lower()} AFTER {when} ON {table}
WHEN {clip.format(row=row)} IS NOT NULL
BEGIN
    INSERT INTO clip_changes (clip_id, seq)
    VALUES ({clip.format(row=row)}, (SELECT COALESCE(MAX(seq), 0) + 1 FROM clip_changes))
    ON CONFLICT (clip_id) DO UPDATE SET seq = excluded.seq;
END""")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, _clip in WATCHED:
            op.execute(f"DROP TRIGGER IF EXISTS mmad_notify ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS mmad_notify_{table}()")
    else:
        for table, _clip in WATCHED:
            for when in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS mmad_changed_{table}_{when}")
        op.execute("DROP TABLE clip_changes")
    op.drop_table("edit_receipts")
