"""Team mode on PostgreSQL: each user of the project connects as their own login role.

The login is created with the user (mmad add-user) and granted the project's tables; the
row-level security policies of migration 0004 then decide, row by row, what that login may
read and write. Passwords are handed to the database once and never stored by MMAD Studio;
even the server receives only their SCRAM-SHA-256 verifier (made here, by libpq), so no
server log can hold one. A member login also gets time limits of its own (ALTER ROLE … SET)
that hold for any client, raw SQL included.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

from annotator.errors import RuleViolation
from annotator.store import pg_session

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
    verifier = scram_verifier(s.connection(), login, password)
    for statement in (f'CREATE ROLE "{login}" LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB NOBYPASSRLS '
                      f"PASSWORD '{verifier}'",
                      f'GRANT USAGE ON SCHEMA "{schema}" TO "{login}"',
                      f'GRANT SELECT ON ALL TABLES IN SCHEMA "{schema}" TO "{login}"',
                      f'GRANT INSERT, UPDATE, DELETE ON {", ".join(WRITABLE)} TO "{login}"',
                      f'GRANT USAGE ON ALL SEQUENCES IN SCHEMA "{schema}" TO "{login}"'):
        s.connection().exec_driver_sql(statement)  # not text(): a verifier's ':' would read as a parameter
    apply_member_settings(s.connection(), [login])


def scram_verifier(connection: Connection, login: str, password: str) -> str:
    """The SCRAM-SHA-256 verifier of `password`, made on this side by libpq (the server never sees it)."""
    raw: Any = connection.connection.driver_connection
    encrypted: bytes = raw.pgconn.encrypt_password(password.encode(), login.encode(), b"scram-sha-256")
    verifier = encrypted.decode()
    if "'" in verifier:  # base64 and '$:' only; checked since it is spliced into the statement
        raise RuleViolation("unexpected characters in a password verifier")
    return verifier


def set_password(connection: Connection, login: str, password: str) -> None:
    """Give `login` a new password (its verifier only); the caller's transaction commits it."""
    check_login(login)
    if not password:
        raise RuleViolation("an empty password")
    connection.exec_driver_sql(f'ALTER ROLE "{login}" PASSWORD \'{scram_verifier(connection, login, password)}\'')


def apply_member_settings(connection: Connection, logins: list[str]) -> None:
    """lock_timeout, statement_timeout and idle_in_transaction_session_timeout for these logins' every session."""
    for login in logins:
        check_login(login)
        for setting, value in pg_session.member_settings().items():  # values checked by pg_session.timeouts
            connection.exec_driver_sql(f'ALTER ROLE "{login}" SET {setting} = \'{value}\'')


def member_logins(connection: Connection) -> list[str]:
    """The database logins of the project's users."""
    return [str(r[0]) for r in connection.execute(text(
        "SELECT login FROM annotators WHERE login IS NOT NULL ORDER BY id"))]


def current_login(s: Session) -> str:
    """The login role this connection acts as."""
    return str(s.scalar(text("SELECT current_user")))
