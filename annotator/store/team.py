"""Team mode on PostgreSQL: each user of the project connects as their own login role.

The login is created with the user (mmad add-user) and granted the project's tables; the
row-level security policies of migration 0004 then decide, row by row, what that login may
read and write. Passwords are handed to the database once and never stored by MMAD Studio.
"""

from __future__ import annotations

import re

from sqlalchemy import text
from sqlalchemy.orm import Session

from annotator.errors import RuleViolation

LOGIN = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
# tables a member may write (row-level security narrows every one of them); the rest are read only
WRITABLE = ("segments", "proposal_answers", "proposals", "merged_instances", "merged_segments", "clips",
            "assignments", "audit_log")


def check_login(login: str) -> None:
    """Refuse a login role name that is not a plain lower-case identifier."""
    if not LOGIN.match(login):
        raise RuleViolation(f"{login!r} cannot be a database login: use lower-case letters, digits and _ "
                            "(at most 63, not starting with a digit)")


def create_login(s: Session, login: str, password: str) -> None:
    """CREATE ROLE login LOGIN PASSWORD …, granted this schema's tables (in the caller's transaction)."""
    check_login(login)
    if s.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": login}):
        raise RuleViolation(f"the database already has a login named {login!r}: choose another with --login")
    schema = s.scalar(text("SELECT current_schema()"))
    quoted = password.replace("'", "''")
    for statement in (f'CREATE ROLE "{login}" LOGIN PASSWORD \'{quoted}\'',
                      f'GRANT USAGE ON SCHEMA "{schema}" TO "{login}"',
                      f'GRANT SELECT ON ALL TABLES IN SCHEMA "{schema}" TO "{login}"',
                      f'GRANT INSERT, UPDATE, DELETE ON {", ".join(WRITABLE)} TO "{login}"',
                      f'GRANT USAGE ON ALL SEQUENCES IN SCHEMA "{schema}" TO "{login}"'):
        s.execute(text(statement))


def current_login(s: Session) -> str:
    """The login role this connection acts as."""
    return str(s.scalar(text("SELECT current_user")))
