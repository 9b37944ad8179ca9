"""Database engines (SQLite file or PostgreSQL URL) and schema migrations on open.

Alembic is imported only when a migration has to run: a database already at the head
revision (every open but the first after an upgrade) is checked with one SELECT, which
keeps alembic (~0.1 s of imports and script loading) off the desktop app's start-up.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import (
    ArgumentError,
    DisconnectionError,
    NoSuchModuleError,
    OperationalError,
    ProgrammingError,
)

from annotator.errors import InputError, PermissionDenied, StoreBusy
from annotator.store import pg_session

BUSY_TIMEOUT_S = 30.0  # how long a SQLite writer waits for another program's write lock
# Every migration in migrations/versions, oldest first (a test checks them against Alembic's);
# a database at the last (the head) opens without importing Alembic, one at none of them was
# upgraded by a newer MMAD Studio and is refused untouched.
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010_i25",
                   "0011_i22", "0012")
HEAD_REVISION = KNOWN_REVISIONS[-1]
UPGRADE_COMMAND = "mmad upgrade PROJECT_FOLDER"  # what the owner runs (app/cli/cmd_project.py)
WRITE_OPTION = "mmad_write"  # execution option marking a write transaction (see writer())


def normalise_url(url: str) -> str:
    """Database URL with PostgreSQL pointed at the psycopg 3 driver."""
    for prefix in ("postgresql://", "postgres://", "postgresql+psycopg2://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def split_password(url: str) -> tuple[str, str, bool]:
    """(backend name, the URL without its password, whether it had one)."""
    try:
        parsed = make_url(normalise_url(url))
    except ArgumentError:
        raise InputError(url, None, "not a database URL (expected postgresql://LOGIN@HOST/DB)") from None
    had_password = parsed.password is not None or "password" in parsed.query
    return parsed.get_backend_name(), pg_session.bare(parsed), had_password


def database_name(url: str) -> str | None:
    """The database named in a URL (None when it names none or is not a URL)."""
    try:
        return make_url(normalise_url(url)).database or None
    except ArgumentError:
        return None


def sqlite_url(path: Path) -> str:
    """The SQLAlchemy URL of a SQLite file."""
    return f"sqlite:///{path.resolve()}"


def make_engine(url: str, insecure: bool = False, **kwargs: Any) -> Engine:
    """An engine for the URL; SQLite gets WAL mode and foreign keys on every connection; PostgreSQL
    gets TLS off this machine (unless `insecure`) and time limits (annotator.store.pg_session)."""
    url = normalise_url(url)
    try:
        parsed = make_url(url)
        parsed.get_dialect()
    except (ArgumentError, NoSuchModuleError):
        raise InputError(url, None, "not a database URL (expected sqlite:///FILE or postgresql://…)") from None
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite's own transaction handling defers BEGIN; take it over so a transaction is a transaction.
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if "application_name" not in parsed.query:  # names our sessions in pg_stat_activity (mmad team who)
        parsed = parsed.update_query_dict({"application_name": pg_session.APPLICATION_NAME})
    engine = create_engine(pg_session.secure_url(parsed, insecure), **kwargs)
    ping_when_idle(engine)
    pg_session.install(engine)
    return engine


IDLE_PING_S = 5.0  # a connection back in the pool for less than this is taken as alive: no ping


def ping_when_idle(engine: Engine) -> None:
    """Ping a pooled connection at checkout only when it has lain idle for IDLE_PING_S or more.

    SQLAlchemy's pool_pre_ping pings at every checkout: one more round trip for each read, which a
    window opening on a server 40 ms away paid some 25 times. A connection a link dropped while idle
    (a VPN, a NAT) is still caught at its next use; a failed ping (DisconnectionError) makes the
    pool throw the connection away and take a fresh one, as pre-ping does.
    """
    def fresh(_dbapi: Any, record: Any) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    def checkout(dbapi: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get(_IDLE_SINCE)
        if since is not None and time.monotonic() - since < IDLE_PING_S:
            return
        try:
            engine.dialect.do_ping(dbapi)
        except Exception as exc:  # whatever the driver raises for a dead link
            raise DisconnectionError(str(exc)) from exc

    event.listen(engine, "connect", fresh)
    event.listen(engine, "checkin", fresh)
    event.listen(engine, "checkout", checkout)


_IDLE_SINCE = "mmad_idle_since"


def sibling(engine: Engine) -> Engine:
    """Another engine on the same database and login for a background writer: its own pool, and on
    PostgreSQL no ping before each use (a dropped connection fails the statement instead, and the
    writer retries the edit, which its receipt keeps from being stored twice)."""
    if engine.dialect.name == "sqlite":
        return engine
    twin = create_engine(engine.url, pool_pre_ping=False, pool_size=1)
    pg_session.install(twin)
    return twin


def writer(engine: Engine) -> Engine:
    """The same engine (same pool) for write transactions: on SQLite they take the write lock first."""
    return engine.execution_options(**{WRITE_OPTION: True})


def _sqlite_begin(conn: Connection) -> None:
    """BEGIN IMMEDIATE for writers: a transaction that reads and then writes would get SQLITE_BUSY
    at once when another connection wrote meanwhile (the busy timeout cannot help a deferred
    transaction upgrade its lock); taking the write lock first makes it wait its turn instead."""
    immediate = conn.get_execution_options().get(WRITE_OPTION, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@contextmanager
def busy_as_error() -> Iterator[None]:
    """SQLite's 'database is locked' past the busy timeout becomes StoreBusy (nothing was written);
    PostgreSQL refusing a row under its row-level security becomes PermissionDenied."""
    try:
        yield
    except ProgrammingError as exc:
        if getattr(exc.orig, "sqlstate", None) != "42501":  # insufficient_privilege
            raise
        first = str(exc.orig).splitlines()[0]
        raise PermissionDenied(f"the database refused it for your login: {first}") from None
    except OperationalError as exc:
        text_ = str(exc.orig).lower()
        if "database is locked" not in text_ and "database is busy" not in text_:
            raise
        raise StoreBusy(f"the project database stayed locked by another program for {BUSY_TIMEOUT_S:g} s "
                        "(a merge or an import?): nothing was changed; try again") from None


def driver_message(exc: Exception) -> str:
    """A database driver's message as one line (libpq's own holds line breaks and tabs)."""
    orig = getattr(exc, "orig", None) or exc
    return " ".join(part.strip() for part in str(orig).splitlines() if part.strip()) or type(orig).__name__


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # autocommit at the driver; BEGIN is issued by the 'begin' hook
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL: a crash loses at most the last commit
    cursor.close()


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (creates it on an empty database)."""
    try:
        stored = stored_revision(engine)
        if stored == HEAD_REVISION:
            return
        if stored is not None:
            _check_known(engine, stored)
            _check_may_migrate(engine, stored)
        from alembic import command  # lazily: only a database behind the head needs it
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(_migrations_dir()))
        with busy_as_error(), writer(engine).connect() as connection, _foreign_keys_off(connection), \
                connection.begin():
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except OperationalError as exc:
        raise InputError(pg_session.shown(engine.url), None,
                         f"cannot open the database: {pg_session.connect_problem(exc.orig)}") from None


@contextmanager
def _foreign_keys_off(connection: Connection) -> Iterator[None]:
    """SQLite without foreign-key enforcement while a migration rebuilds tables.

    Alembic alters a SQLite table by copying it and dropping the old one; with enforcement on,
    that DROP would cascade to the rows referring to it (merged_segments, ...). The pragma only
    takes effect outside a transaction; the migrated database is checked before it is back on.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    raw = connection.connection.driver_connection
    assert raw is not None
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
        broken = raw.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise InputError(str(connection.engine.url), broken[0][0], "the migration left rows without "
                             f"their parent ({len(broken)} found)")
    finally:
        raw.execute("PRAGMA foreign_keys=ON")


def _check_known(engine: Engine, stored: str) -> None:
    """Refuse, in one line and before anything is written, a schema this MMAD Studio does not know:
    Alembic would fail with its own "can't locate revision" (no downgrade is possible without the
    newer migration scripts, and none is wanted: the newer MMAD Studio's desktops still use it)."""
    if stored in KNOWN_REVISIONS:
        return
    raise InputError(pg_session.shown(engine.url), None,
                     f"the project's database was upgraded by a newer MMAD Studio (revision {stored}); "
                     f"this one knows up to {HEAD_REVISION}: update MMAD Studio")


def _check_may_migrate(engine: Engine, stored: str) -> None:
    """Refuse, in one line, a team member's login opening a PostgreSQL project whose schema is behind:
    only the tables' owner may alter them (anyone else would fail half-way with 'must be owner')."""
    with engine.connect() as connection:
        if owns_tables(connection):
            return
    raise PermissionDenied(f"the project's database is at schema revision {stored} and this MMAD Studio needs "
                           f"{HEAD_REVISION}: the project's owner must upgrade the database first "
                           f"({UPGRADE_COMMAND} on the owner's desktop)")


def owns_tables(connection: Connection) -> bool:
    """Whether this connection may alter the project's tables: always on SQLite; on PostgreSQL when
    its login is (or has the rights of) the role owning them, the one that created the project."""
    if connection.dialect.name != "postgresql":
        return True
    return bool(connection.execute(text(
        "SELECT pg_has_role(current_user, tableowner, 'USAGE') FROM pg_tables "
        "WHERE schemaname = current_schema() AND tablename = 'alembic_version'")).scalar())


def stored_revision(engine: Engine) -> str | None:
    """The revision recorded in the database's alembic_version table (None if absent or not one)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    return str(rows[0][0]) if len(rows) == 1 else None


def _migrations_dir() -> Path:
    return Path(str(resources.files("annotator.store").joinpath("migrations")))


def shown_url(url: str) -> str:
    """The URL as messages may show it: without its password."""
    try:
        return pg_session.shown(make_url(normalise_url(url)))
    except ArgumentError:
        return "the database URL"


def with_password(url: str, password: str) -> str:
    """The URL carrying `password` (kept in memory only: for one connection that must have it)."""
    return make_url(normalise_url(url)).set(password=password).render_as_string(hide_password=False)


def login_address(url: str) -> tuple[str, str, str, str]:
    """(host, port, database, login) of a PostgreSQL URL, as libpq matches its password file."""
    parsed = make_url(normalise_url(url))
    query_host = parsed.query.get("host")
    host = parsed.host or (query_host if isinstance(query_host, str) else "") or "localhost"
    return host, str(parsed.port or 5432), parsed.database or "", parsed.username or ""
