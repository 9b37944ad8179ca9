"""`mmad server-check`: is a team project's PostgreSQL server safe to put on a network?

Each check reads what the owner's connection can see and gives a verdict (True ✓, False ✗,
None: could not be told) with a fix. The owner's own rights are not checked: the owner may be
a superuser; the members' logins are what row-level security holds.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from annotator.store import pg_session
from annotator.store.engine import HEAD_REVISION, UPGRADE_COMMAND
from annotator.store.team import member_logins

WEAK_METHODS = ("trust", "password", "md5")
NETWORK_WEAK_METHODS = ("ident",)  # over TCP: believes what the client machine's identd says
# pg_hba.conf line types that take a TCP connection without TLS (hostnogssenc: any not GSS-encrypted)
PLAIN_TYPES = ("host", "hostnossl", "hostnogssenc")
NO_RLS_NEEDED = ("alembic_version",)  # holds the schema revision only


@dataclass(frozen=True, slots=True)
class Check:
    """One line of the report: what was checked, the verdict, what was seen and how to fix it."""

    name: str
    ok: bool | None
    detail: str
    fix: str = ""

    def line(self) -> str:
        """'✓ name: detail', or '✗ name: detail — fix: …' ('?' when it could not be told)."""
        mark = {True: "✓", False: "✗", None: "?"}[self.ok]
        fix = f" — fix: {self.fix}" if self.ok is not True and self.fix else ""
        return f"{mark} {self.name}: {self.detail}{fix}"

    def to_json(self) -> dict[str, Any]:
        """The check as a JSON object."""
        return asdict(self)


def check_server(conn: Connection) -> list[Check]:
    """Every check, in the report's order (the connection is the owner's, on the project's schema)."""
    logins = member_logins(conn)
    checks: list[Callable[[Connection, list[str]], Check]] = [
        _tls, _password_method, _member_rights, _row_security, _schema_version, _member_time_limits]
    return [check(conn, logins) for check in checks]


def _tls(conn: Connection, logins: list[str]) -> Check:
    ssl_on = conn.execute(text("SHOW ssl")).scalar() == "on"
    used = bool(conn.execute(text("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).scalar())
    if ssl_on and used:
        version = conn.execute(text("SELECT version FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).scalar()
        rules = _hba_rules(conn)
        plain = plain_rules(rules, _database(conn), _with_owner(conn, logins)) if rules is not None else []
        if plain:
            return Check("TLS", False, f"on and used ({version}), but pg_hba.conf also lets the project's logins in "
                         "without it from off this machine: " + "; ".join(plain),
                         "make those lines hostssl, and add 'hostnossl all all 0.0.0.0/0 reject'")
        return Check("TLS", True, f"on, and this connection uses it ({version})")
    if not ssl_on:
        return Check("TLS", False, "the server has ssl = off: passwords and annotations cross the network in clear",
                     "give the server a certificate and set ssl = on in postgresql.conf (README, team section)")
    return Check("TLS", False, "the server offers TLS but this connection does not use it",
                 "connect with sslmode=require or verify-full (drop --insecure / sslmode=disable)")


HBA_SQL = """
SELECT line_number, type, database, user_name, address, netmask, auth_method, error FROM pg_hba_file_rules
ORDER BY line_number
"""


def _hba_rules(conn: Connection) -> list[Any] | None:
    """pg_hba.conf's lines as the server reads them (None: this login may not see them)."""
    try:
        with conn.begin_nested():
            return list(conn.execute(text(HBA_SQL)).all())
    except DBAPIError:  # not the server's superuser, and not granted pg_hba_file_rules
        return None


def _with_owner(conn: Connection, logins: list[str]) -> list[str]:
    """The members' logins and the owner's (this connection's): a weak pg_hba.conf line for the owner
    is worse than one for a member, since the owner is exempt from row-level security."""
    return [*logins, str(conn.execute(text("SELECT current_user")).scalar_one())]


def _database(conn: Connection) -> str:
    return str(conn.execute(text("SELECT current_database()")).scalar())


def plain_rules(rules: list[Any], database: str, logins: list[str]) -> list[str]:
    """The pg_hba.conf lines that accept the project's logins without TLS from off this machine."""
    found = []
    for rule in rules:
        if rule.error or rule.type not in PLAIN_TYPES or rule.auth_method == "reject":
            continue
        if not _loopback(rule) and _applies(rule.database, database) and _applies(rule.user_name, *logins):
            found.append(f"line {rule.line_number} ({rule.type} {rule.address or 'all'})")
    return found


def _loopback(rule: Any) -> bool:
    """Whether a pg_hba.conf line's addresses are all this machine's (127.0.0.1/32, ::1/128...)."""
    if rule.address is None:
        return False
    netmask = getattr(rule, "netmask", None)
    try:
        prefix = f"/{int(ipaddress.ip_address(netmask)).bit_count()}" if netmask else ""  # IPv6 takes no mask form
        return ipaddress.ip_network(rule.address + prefix, strict=False).is_loopback
    except ValueError:  # all, samehost, samenet, a host name
        return False


def _password_method(conn: Connection, logins: list[str]) -> Check:
    name = "password method"
    rules = _hba_rules(conn)
    if rules is None:
        return Check(name, None, "unknown: this login may not read pg_hba_file_rules",
                     "as the server's superuser, in the project's database: GRANT SELECT ON pg_hba_file_rules TO "
                     "the owner's login; GRANT EXECUTE ON FUNCTION pg_hba_file_rules() TO it")
    database, logins = _database(conn), _with_owner(conn, logins)
    weak: list[str] = []
    for rule in rules:
        if rule.error:
            weak.append(f"line {rule.line_number}: {rule.error}")
            continue
        if _weak(rule) and _applies(rule.database, database) and \
                _applies(rule.user_name, *logins):
            where = rule.type if rule.address is None else f"{rule.type} {rule.address}"
            weak.append(f"line {rule.line_number} ({where}): {rule.auth_method}")
    if weak:
        return Check(name, False, "pg_hba.conf lets the project's logins in without a SCRAM password: "
                     + "; ".join(weak), "use scram-sha-256 on those lines of pg_hba.conf (and "
                     "password_encryption = scram-sha-256), then reload the server")
    return Check(name, True, "scram-sha-256 (no trust, password, md5 or network ident line applies to the "
                             "project's logins)")


def _weak(rule: Any) -> bool:
    """Whether a pg_hba.conf line lets a login in without a password only its owner knows."""
    return bool(rule.auth_method in WEAK_METHODS or (rule.type != "local" and rule.auth_method in NETWORK_WEAK_METHODS))


def _applies(names: list[str] | None, *wanted: str) -> bool:
    """Whether a pg_hba.conf database/user column names any of `wanted` (or all, or a group: counted)."""
    listed = names or []
    return any(n in ("all", "sameuser", "samerole", "samegroup") or n.startswith("+") or n in wanted for n in listed)


RIGHTS_SQL = """
SELECT r.rolname, r.rolsuper, r.rolbypassrls, r.rolcreaterole,
       EXISTS (SELECT 1 FROM pg_tables t WHERE t.schemaname = current_schema()
               AND pg_has_role(r.rolname, t.tableowner, 'MEMBER')) AS owns
FROM pg_roles r WHERE r.rolname = ANY(:logins) ORDER BY r.rolname
"""


def _member_rights(conn: Connection, logins: list[str]) -> Check:
    name = "member logins"
    if not logins:
        return Check(name, True, "the project has no member logins yet")
    problems = []
    for row in conn.execute(text(RIGHTS_SQL), {"logins": logins}):
        found = [what for what, bad in (("a superuser", row.rolsuper), ("bypasses RLS", row.rolbypassrls),
                                        ("can create roles", row.rolcreaterole),
                                        ("owns a table or may SET ROLE to its owner", row.owns)) if bad]
        if found:
            problems.append(f"{row.rolname} ({', '.join(found)})")
    if problems:
        return Check(name, False, "row-level security does not hold " + "; ".join(problems),
                     "ALTER ROLE LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE, and REVOKE the owner's role from it")
    return Check(name, True, f"{len(logins)} logins: none is a superuser, owns a table or may SET ROLE to its owner, "
                             "bypasses RLS or creates roles")


RLS_SQL = """
SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c
WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') ORDER BY c.relname
"""


def _row_security(conn: Connection, _logins: list[str]) -> Check:
    name = "row-level security"
    tables = conn.execute(text(RLS_SQL)).all()
    off = [t.relname for t in tables if not t.relrowsecurity and t.relname not in NO_RLS_NEEDED]
    if off:
        return Check(name, False, f"off on {', '.join(off)}",
                     f"the owner runs {UPGRADE_COMMAND} (it enables row-level security on every table)")
    held = len(tables) - sum(t.relname in NO_RLS_NEEDED for t in tables)
    # Not FORCEd, by design: FORCE holds only the tables' owner, who must stay exempt (the owner has no
    # policies of its own, and migration 0004's SECURITY DEFINER helpers read the tables as the owner);
    # no member login owns a table or may SET ROLE to its owner (_member_rights), so none is exempt.
    return Check(name, True, f"enabled on all {held} project tables (the owner alone is exempt)")


def _schema_version(conn: Connection, _logins: list[str]) -> Check:
    stored = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if stored == HEAD_REVISION:
        return Check("schema version", True, f"{stored} (this MMAD Studio's)")
    return Check("schema version", False, f"{stored}, this MMAD Studio expects {HEAD_REVISION}",
                 f"the owner runs {UPGRADE_COMMAND}")


SETTINGS_SQL = """
SELECT r.rolname, COALESCE(s.setconfig, '{}') AS config FROM pg_roles r
LEFT JOIN pg_db_role_setting s ON s.setrole = r.oid AND s.setdatabase = 0
WHERE r.rolname = ANY(:logins) ORDER BY r.rolname
"""


def _member_time_limits(conn: Connection, logins: list[str]) -> Check:
    name = "time limits"
    wanted = tuple(pg_session.member_settings())
    if not logins:
        return Check(name, True, "the project has no member logins yet")
    missing = []
    for row in conn.execute(text(SETTINGS_SQL), {"logins": logins}):
        have = dict(item.split("=", 1) for item in row.config)
        lacking = [w for w in wanted if have.get(w, "0") == "0"]  # 0 turns a limit off
        if lacking:
            missing.append(f"{row.rolname} lacks {', '.join(lacking)}")
    if missing:
        return Check(name, False, "; ".join(missing), f"the owner runs {UPGRADE_COMMAND} (it sets them)")
    return Check(name, True, f"{', '.join(wanted)} set for all {len(logins)} member logins")
