"""Row-level security statements the PostgreSQL migrations share (0006 on).

Kept to what every migration means by them: a migration that needs something else writes its
own SQL, so that changing this module never changes what an applied migration did.
"""

from __future__ import annotations

from alembic import op

# (table, policy name without the mmad_ prefix, command, USING expression, WITH CHECK expression)
Policy = tuple[str, str, str, str | None, str | None]


def replace_policies(policies: list[Policy]) -> None:
    """Drop each named policy (if there) and create it anew, for every role."""
    for table, policy, command, using, check in policies:
        op.execute(f'DROP POLICY IF EXISTS mmad_{policy} ON {table}')
        clause = (f" USING ({using})" if using else "") + (f" WITH CHECK ({check})" if check else "")
        op.execute(f'CREATE POLICY mmad_{policy} ON {table} FOR {command} TO PUBLIC{clause}')
