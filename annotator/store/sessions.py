"""A team project's logins and sessions on the PostgreSQL server: who is connected, what they hold,
ending one, passwords and time limits.

`mmad team who` and `mmad team end` (the owner) use these; a project session is one whose login
is a project user's, or any session holding a lock on one of the project's tables.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, text

from annotator.errors import InputError, PermissionDenied
from annotator.store.engine import busy_as_error, make_engine, owns_tables
from annotator.store.team import apply_member_settings, member_logins, set_password


@dataclass(frozen=True, slots=True)
class DbSession:
    """One server session: its process id, whose it is, and what it holds or waits for."""

    pid: int
    user: str | None  # the project user whose login it is (None: not a project login)
    login: str
    client: str  # address:port, or "local socket"
    application: str
    state: str | None  # active, idle, idle in transaction... (None: the server does not show it)
    since: datetime | None  # when its transaction began (None: no transaction, or not shown)
    holds: tuple[str, ...]  # "segments (AccessExclusiveLock)" for each lock on a project table
    waits_for: tuple[int, ...]  # the pids it waits for


@contextmanager
def owner_connection(url: str, insecure: bool = False) -> Iterator[Connection]:
    """A connection to the project's database that must be the owner's (refused in one line otherwise)."""
    engine = make_engine(url, insecure)
    try:
        with busy_as_error(), engine.connect() as conn:
            if conn.dialect.name != "postgresql":
                raise InputError(url, None, "sessions and server settings exist only on a PostgreSQL project")
            if not owns_tables(conn):
                raise PermissionDenied("only the project's owner may do this (this connection logs in as "
                                       f"{conn.execute(text('SELECT current_user')).scalar_one()!r})")
            yield conn
    finally:
        engine.dispose()


SESSIONS_SQL = """
WITH project_locks AS (
  SELECT l.pid, string_agg(c.relname || ' (' || l.mode || ')', ', ' ORDER BY c.relname) AS holds
  FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
  WHERE l.granted AND c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
  GROUP BY l.pid
)
SELECT a.pid, u.name AS user_name, a.usename AS login,
       COALESCE(host(a.client_addr) || ':' || a.client_port, 'local socket') AS client,
       COALESCE(a.application_name, '') AS application, a.state, a.xact_start,
       COALESCE(pl.holds, '') AS holds, pg_blocking_pids(a.pid) AS waits_for
FROM pg_stat_activity a
LEFT JOIN annotators u ON u.login = a.usename
LEFT JOIN project_locks pl ON pl.pid = a.pid
WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() AND (u.id IS NOT NULL OR pl.pid IS NOT NULL)
ORDER BY a.pid
"""


def project_sessions(conn: Connection) -> list[DbSession]:
    """The project's sessions (see the module's docstring), by process id."""
    return [DbSession(int(r.pid), r.user_name, str(r.login), str(r.client), str(r.application), r.state,
                      r.xact_start, tuple(h for h in str(r.holds).split(", ") if h), tuple(r.waits_for or ()))
            for r in conn.execute(text(SESSIONS_SQL))]


def end_session(conn: Connection, pid: int) -> DbSession:
    """End (terminate) one session of a project login; refused for any other session."""
    found = {s.pid: s for s in project_sessions(conn)}.get(pid)
    if found is None or found.user is None:
        raise InputError("PID", str(pid), "not a session of one of this project's logins "
                                          "(mmad team who PROJECT lists them)")
    ended = conn.execute(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid}).scalar()
    if not ended:
        raise PermissionDenied(f"the server did not end session {pid}: the owner's login needs the right "
                               "to (GRANT pg_signal_backend TO the owner's login)")
    return found


def set_member_time_limits(url: str, insecure: bool = False) -> int | None:
    """Give every member login its time limits (ALTER ROLE … SET); how many logins (None: this
    connection is not the owner's, which may not, and nothing was done)."""
    engine = make_engine(url, insecure)
    try:
        with busy_as_error(), engine.begin() as conn:
            if not owns_tables(conn):
                return None
            logins = member_logins(conn)
            apply_member_settings(conn, logins)
        return len(logins)
    finally:
        engine.dispose()


def change_password(url: str, insecure: bool, name: str, new_password: Callable[[str, bool], str]) -> str:
    """Give user `name`'s login a new password: the owner may for anyone, a member only for their own.

    `new_password(login, is_owner)` supplies it (generated or typed); returns the login.
    """
    engine = make_engine(url, insecure)
    try:
        with busy_as_error(), engine.begin() as conn:
            if conn.dialect.name != "postgresql":
                raise InputError(url, None, "passwords belong to database logins: only PostgreSQL projects have them")
            login = conn.execute(text("SELECT login FROM annotators WHERE name = :n"), {"n": name}).scalar()
            if login is None:
                raise InputError("NAME", name, "no user of this project with a database login by that name")
            owner = owns_tables(conn)
            me = conn.execute(text("SELECT current_user")).scalar_one()
            if not owner and me != login:
                raise PermissionDenied(f"only the owner may change {name!r}'s password (you log in as {me!r})")
            set_password(conn, str(login), new_password(str(login), owner))
        return str(login)
    finally:
        engine.dispose()
