"""How MMAD Studio connects to a PostgreSQL server: TLS off the local machine, and time limits.

TLS: a connection to any host but this machine (localhost, a loopback address, a Unix socket)
must be encrypted. Without an sslmode of its own the URL gets `verify-full` when a root
certificate is given (sslrootcert= in the URL, PGSSLROOTCERT, or libpq's default file
~/.postgresql/root.crt, which holds for every later start too) and `require` otherwise, said
once per process; a weak sslmode (disable, allow, prefer) is refused unless the project was
joined with --insecure, which is warned about on every start.

Time limits: every session sets lock_timeout and statement_timeout (MMAD_PG_LOCK_TIMEOUT and
MMAD_PG_STATEMENT_TIMEOUT, in PostgreSQL's units: "5s", "2min"), so a lock someone holds
becomes StoreBusy naming who holds it, within seconds, instead of a silent wait.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, text
from sqlalchemy.engine import URL, ExceptionContext

from annotator.errors import InputError, StoreBusy

log = logging.getLogger("mmad.connection")  # the command line shows these on stderr
APPLICATION_NAME = "MMAD Studio"
STRONG_MODES = ("require", "verify-ca", "verify-full")
WEAK_MODES = ("disable", "allow", "prefer")
LOCK_TIMEOUT_ENV = "MMAD_PG_LOCK_TIMEOUT"
STATEMENT_TIMEOUT_ENV = "MMAD_PG_STATEMENT_TIMEOUT"
DEFAULT_LOCK_TIMEOUT = "5s"
DEFAULT_STATEMENT_TIMEOUT = "2min"  # a whole merge or import on 6,000 clips stays well under it
IDLE_IN_TRANSACTION_TIMEOUT = "1min"  # member logins only (a raw-SQL session left in a transaction)
DURATION = re.compile(r"^(\d+(?:\.\d+)?)\s*(ms|s|min|h)?$")
LOCK_NOT_AVAILABLE = "55P03"
QUERY_CANCELED = "57014"
_said: set[str] = set()  # notes already shown by this process


def hosts(url: URL, environ: Mapping[str, str] | None = None) -> list[str]:
    """The host names or socket folders the URL connects to ('' for libpq's default socket), and
    the addresses of its hostaddr: a connection is this machine's only when all of them are."""
    env = os.environ if environ is None else environ
    named = url.host or _query_list(url, "host") or env.get("PGHOST", "")
    addresses = _query_list(url, "hostaddr") or env.get("PGHOSTADDR", "")
    found = [_without_port(h.strip()) for h in named.split(",")]
    return found + [a.strip() for a in addresses.split(",") if a.strip()]


def _query_list(url: URL, key: str) -> str:
    """A query parameter as libpq's comma list (SQLAlchemy gives a repeated one as a tuple)."""
    value = url.query.get(key) or ""
    return value if isinstance(value, str) else ",".join(value)


def _without_port(host: str) -> str:
    """'db-host:5433' -> 'db-host' (SQLAlchemy's multi-host form host=NAME:PORT); '[::1]:5432' -> '::1'."""
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    name, colon, port = host.rpartition(":")
    return name if colon and port.isdigit() and ":" not in name else host


def is_local(host: str) -> bool:
    """Whether a libpq host is this machine: a Unix socket folder, localhost or a loopback address."""
    if not host or host.startswith(("/", "@")) or host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bare(url: URL) -> str:
    """The URL without a password, neither LOGIN:PASSWORD@ nor libpq's ?password= (what a folder keeps)."""
    kept = url._replace(password=None).difference_update_query(["password"])  # set(password=None) keeps it
    return kept.render_as_string(hide_password=False)


def shown(url: URL) -> str:
    """The URL as a message or a log may show it: LOGIN:***@, and no ?password=."""
    return url.difference_update_query(["password"]).render_as_string(hide_password=True)


def secure_url(url: URL, insecure: bool = False, environ: Mapping[str, str] | None = None) -> URL:
    """The URL with the sslmode this connection must use (see the module's docstring)."""
    env = os.environ if environ is None else environ
    remote = [h for h in hosts(url, env) if not is_local(h)]
    if not remote:
        return url
    where = ", ".join(remote)
    given = url.query.get("sslmode") or env.get("PGSSLMODE")
    mode = given if isinstance(given, str) else None
    if mode in WEAK_MODES or (mode is None and insecure):
        if not insecure:
            raise InputError(shown(url), "sslmode",
                             f"sslmode={mode} lets passwords and annotations cross the network to {where} "
                             "unencrypted: give the server a certificate (README, team section), or accept "
                             "the risk with --insecure")
        _say(f"insecure:{where}", f"WARNING: TLS is not required for {where} (joined with --insecure): "
                                  "passwords and annotations may cross the network in clear", logging.WARNING)
        return url.update_query_dict({"sslmode": mode or "prefer"})
    if mode is None:
        root = url.query.get("sslrootcert") or env.get("PGSSLROOTCERT") or default_root_cert(env)
        mode = "verify-full" if root else "require"
        _say(f"tls:{where}:{mode}", f"connecting to {where} with TLS, " + (
            f"checking its certificate against {root} (sslmode=verify-full)" if root else
            "encrypted but its certificate unchecked (sslmode=require; set PGSSLROOTCERT to the server's "
            "CA certificate for verify-full)"))
    elif mode not in STRONG_MODES:
        raise InputError(shown(url), "sslmode", f"unknown sslmode {mode!r}")
    return url.update_query_dict({"sslmode": mode})


def default_root_cert(environ: Mapping[str, str]) -> str | None:
    """libpq's own root certificate file when it exists (~/.postgresql/root.crt; on Windows
    %APPDATA%/postgresql/root.crt): libpq reads it by itself, so verify-full needs no setting."""
    home = environ.get("APPDATA") if os.name == "nt" else environ.get("HOME")
    if not home:
        return None
    found = Path(home) / ("postgresql" if os.name == "nt" else ".postgresql") / "root.crt"
    return str(found) if found.is_file() else None


def _say(key: str, message: str, level: int = logging.INFO) -> None:
    """Log `message` once per process (the command line prints what this logger says)."""
    if key in _said:
        return
    _said.add(key)
    log.log(level, message)


def timeouts(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """lock_timeout and statement_timeout for this process's sessions (environment, else defaults)."""
    env = os.environ if environ is None else environ
    chosen = {"lock_timeout": (LOCK_TIMEOUT_ENV, DEFAULT_LOCK_TIMEOUT),
              "statement_timeout": (STATEMENT_TIMEOUT_ENV, DEFAULT_STATEMENT_TIMEOUT)}
    limits = {}
    for setting, (variable, default) in chosen.items():
        value = (env.get(variable) or default).strip()
        match = DURATION.match(value)
        if match is None or float(match.group(1)) <= 0:
            raise InputError(variable, None, f"{value!r} is not a time limit (a positive number with ms, s, min "
                                             f"or h, e.g. {default})")
        limits[setting] = value
    return limits


def member_settings() -> dict[str, str]:
    """What a member login's sessions get from the server itself (ALTER ROLE … SET), raw SQL included."""
    return {**timeouts(), "idle_in_transaction_session_timeout": IDLE_IN_TRANSACTION_TIMEOUT}


def install(engine: Engine) -> None:
    """Every new connection sets the time limits; a lock or statement timeout becomes StoreBusy."""
    limits = timeouts()

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.autocommit = True  # one round trip per new connection (no BEGIN, no COMMIT)
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("SELECT set_config('lock_timeout', %s, false), set_config('statement_timeout', %s, false)",
                           (limits["lock_timeout"], limits["statement_timeout"]))
        finally:
            cursor.close()
            dbapi_connection.autocommit = False

    def on_error(context: ExceptionContext) -> None:
        state = getattr(context.original_exception, "sqlstate", None)
        if state == LOCK_NOT_AVAILABLE:
            raise StoreBusy(lock_message(engine, limits["lock_timeout"])) from None
        if state == QUERY_CANCELED and "statement timeout" in str(context.original_exception):
            raise StoreBusy(f"the database is busy: a statement ran past statement_timeout "
                            f"({limits['statement_timeout']}, {STATEMENT_TIMEOUT_ENV}); nothing was changed") from None

    event.listen(engine, "connect", on_connect)
    event.listen(engine, "handle_error", on_error)


HOLDER_SQL = """
SELECT COALESCE(u.name, a.usename) AS who, c.relname, a.xact_start
FROM pg_locks l
JOIN pg_class c ON c.oid = l.relation
JOIN pg_stat_activity a ON a.pid = l.pid
LEFT JOIN annotators u ON u.login = a.usename
WHERE l.granted AND l.pid <> pg_backend_pid() AND c.relnamespace = current_schema()::regnamespace
  AND c.relkind IN ('r', 'p')
ORDER BY CASE l.mode WHEN 'AccessExclusiveLock' THEN 0 WHEN 'ExclusiveLock' THEN 1 WHEN 'ShareRowExclusiveLock' THEN 2
                     WHEN 'ShareLock' THEN 3 ELSE 4 END,
         a.state = 'idle in transaction' DESC, a.xact_start
LIMIT 1
"""  # a table lock first; else (row locks: their rows are not named) the oldest transaction left open


def lock_message(engine: Engine, waited: str) -> str:
    """'the database is busy: USER's session holds a lock on TABLE since HH:MM' (what can be seen of it)."""
    try:
        with engine.connect() as conn:
            row = conn.execute(text(HOLDER_SQL)).first()
    except Exception:  # noqa: BLE001 -- the message is a courtesy; the refusal stands without it
        row = None
    if row is None:
        return (f"the database is busy: another session held a lock for longer than lock_timeout ({waited}); "
                "nothing was changed (the owner sees who with mmad team who PROJECT)")
    since = f" since {row.xact_start.astimezone():%H:%M}" if row.xact_start is not None else ""
    return (f"the database is busy: {row.who}'s session holds a lock on {row.relname}{since}; nothing was "
            "changed (the owner can end it: mmad team who PROJECT, mmad team end PROJECT PID)")


def connect_problem(exc: BaseException | None) -> str:
    """One line for a connection the server or libpq refused (wrong password, no TLS, ...)."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    full = " ".join(lines)
    if "password authentication failed" in full:
        login = full.split('for user "', 1)[-1].split('"', 1)[0] if 'for user "' in full else "?"
        return f"the server refused the password of login {login!r} (wrong password; the owner resets it with mmad passwd)"
    if "no password supplied" in full:
        return ("the server asks for a password and none was given: keep it in ~/.pgpass (mmad join "
                "--password-prompt does) or set PGPASSWORD")
    if "no encryption" in full and "pg_hba.conf" in full:
        return "the server refuses unencrypted connections from here: connect with TLS (drop --insecure / sslmode)"
    if "server does not support SSL" in full:
        return "the server does not offer TLS: give it a certificate (README, team section) or use --insecure"
    fatal = [line for line in lines if "FATAL" in line or "error" in line.lower()]
    return (fatal or lines or [type(exc).__name__])[-1]
