"""How a PostgreSQL connection is made: TLS off this machine, time limits, one-line refusals."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from annotator.errors import InputError, StoreBusy
from annotator.project import Project
from annotator.store import pg_session
from annotator.store.engine import make_engine, shown_url
from annotator.store.server_check import plain_rules
from tests.annotator.store.db import _pg_problem, pg_schema


@pytest.fixture(autouse=True)
def fresh_notes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pg_session, "_said", set())


def mode(url: str, insecure: bool = False, **env: str) -> str | None:
    """The sslmode secure_url gives the URL (None: left to libpq, a local connection)."""
    chosen = pg_session.secure_url(make_url(url), insecure, env).query.get("sslmode")
    return chosen if isinstance(chosen, str) else None


@pytest.mark.parametrize("host", ["", "localhost", "127.0.0.1", "127.0.0.2", "[::1]", "/var/run/postgresql"])
def test_this_machine_needs_no_tls(host: str) -> None:
    assert pg_session.is_local(host.strip("[]") if host.startswith("[") else host)
    assert mode(f"postgresql+psycopg://alice@{host}/mmad" if host and not host.startswith("/")
                else f"postgresql+psycopg://alice@/mmad?host={host}") is None


def test_another_host_gets_tls_require_or_verify_full_with_a_root_certificate(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, "mmad.connection")
    assert mode("postgresql+psycopg://alice@db-host/mmad") == "require"
    assert mode("postgresql+psycopg://alice@db-host/mmad?sslrootcert=/etc/ca.crt") == "verify-full"
    assert mode("postgresql+psycopg://alice@db-host/mmad", PGSSLROOTCERT="/etc/ca.crt") == "verify-full"
    assert mode("postgresql+psycopg://alice@10.0.0.5/mmad?sslmode=verify-ca") == "verify-ca"  # a strong choice stays
    assert mode("postgresql+psycopg://alice@/mmad", PGHOST="db-host") == "require"  # libpq's PGHOST counts
    assert mode("postgresql+psycopg://alice@db-host/mmad") == "require"
    notes = [r.getMessage() for r in caplog.records]
    assert sum("sslmode=require" in n for n in notes) == 1  # said once per process
    assert sum("sslmode=verify-full" in n for n in notes) == 1


def test_libpq_s_default_root_certificate_gives_verify_full_on_every_start(tmp_path: Path) -> None:
    assert mode("postgresql+psycopg://alice@db-host/mmad", HOME=str(tmp_path)) == "require"
    (tmp_path / ".postgresql").mkdir()
    (tmp_path / ".postgresql" / "root.crt").write_text("a certificate")
    assert mode("postgresql+psycopg://alice@db-host/mmad", HOME=str(tmp_path)) == "verify-full"


@pytest.mark.parametrize("url", [
    "postgresql+psycopg://alice@/mmad?host=db-a:5432&host=db-b:5432",  # SQLAlchemy's multi-host form
    "postgresql+psycopg://alice@/mmad?host=localhost:5432&host=db-b:5432",
    "postgresql+psycopg://alice@localhost/mmad?hostaddr=203.0.113.5",  # the name is local, the address is not
    "postgresql+psycopg://alice@/mmad?host=/var/run/postgresql&hostaddr=203.0.113.5",
])
def test_a_connection_reaching_another_machine_any_way_gets_tls(url: str) -> None:
    assert mode(url) == "require"
    with pytest.raises(InputError, match="--insecure"):
        mode(url + "&sslmode=disable" if "?" in url else url + "?sslmode=disable")


def test_local_names_and_addresses_stay_local() -> None:
    assert mode("postgresql+psycopg://alice@/mmad?host=localhost:5432&host=127.0.0.1:5433") is None
    assert mode("postgresql+psycopg://alice@localhost/mmad?hostaddr=127.0.0.1") is None
    assert mode("postgresql+psycopg://alice@localhost/mmad", PGHOSTADDR="203.0.113.5") == "require"


@pytest.mark.parametrize("weak", ["disable", "allow", "prefer"])
def test_a_weak_sslmode_to_another_host_needs_insecure_and_is_warned_each_start(
        weak: str, caplog: pytest.LogCaptureFixture) -> None:
    url = f"postgresql+psycopg://alice:secret@db-host/mmad?sslmode={weak}"
    with pytest.raises(InputError, match=f"sslmode={weak} lets passwords .* unencrypted.*--insecure") as refused:
        mode(url)
    assert "secret" not in str(refused.value)
    with pytest.raises(InputError, match="--insecure"):
        mode("postgresql+psycopg://alice@db-host/mmad", PGSSLMODE=weak)
    assert mode(url, insecure=True) == weak
    assert mode("postgresql+psycopg://alice@db-host/mmad", insecure=True) == "prefer"
    assert any(r.levelno == logging.WARNING and "TLS is not required for db-host" in r.getMessage()
               for r in caplog.records)
    with pytest.raises(InputError, match="unknown sslmode 'sometimes'"):
        mode("postgresql+psycopg://alice@db-host/mmad?sslmode=sometimes")


def test_make_engine_applies_the_policy() -> None:
    with pytest.raises(InputError, match="--insecure"):
        make_engine("postgresql://alice@db-host/mmad?sslmode=disable")
    engine = make_engine("postgresql://alice@db-host/mmad")
    assert engine.url.query["sslmode"] == "require"
    engine.dispose()


def test_time_limits_come_from_the_environment_and_bad_ones_are_refused() -> None:
    assert pg_session.timeouts({}) == {"lock_timeout": "5s", "statement_timeout": "2min"}
    assert pg_session.timeouts({"MMAD_PG_LOCK_TIMEOUT": "750ms", "MMAD_PG_STATEMENT_TIMEOUT": "10min"}) == \
        {"lock_timeout": "750ms", "statement_timeout": "10min"}
    for bad in ("0", "soon", "5 years", "-1s"):
        with pytest.raises(InputError, match="MMAD_PG_LOCK_TIMEOUT: .* is not a time limit"):
            pg_session.timeouts({"MMAD_PG_LOCK_TIMEOUT": bad})


def test_refused_connections_are_one_line() -> None:
    wrong = ('connection failed: connection to server at "127.0.0.1", port 5433 failed: FATAL:  '
             'password authentication failed for user "alice"\nconnection to server ... failed')
    assert pg_session.connect_problem(Exception(wrong)) == ("the server refused the password of login 'alice' "
                                                            "(wrong password; the owner resets it with mmad passwd)")
    plain = ('connection failed: FATAL:  no pg_hba.conf entry for host "127.0.0.1", user "alice", '
             'database "mmad", no encryption')
    assert "refuses unencrypted connections" in pg_session.connect_problem(Exception(plain))
    assert "\n" not in pg_session.connect_problem(Exception("first\nFATAL:  something else"))


def test_messages_show_a_url_without_its_password() -> None:
    assert shown_url("postgresql://alice:s3cret@db-host/mmad") == "postgresql+psycopg://alice:***@db-host/mmad"


def test_a_lock_and_a_long_statement_become_storebusy_within_the_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    if _pg_problem():
        pytest.skip(str(_pg_problem()))
    monkeypatch.setenv("MMAD_PG_LOCK_TIMEOUT", "300ms")
    monkeypatch.setenv("MMAD_PG_STATEMENT_TIMEOUT", "400ms")
    with pg_schema("lk") as url:
        holder_engine, engine = make_engine(url), make_engine(url)
        try:
            with holder_engine.begin() as conn:
                conn.execute(text("CREATE TABLE segments (id int)"))
                conn.execute(text("CREATE TABLE annotators (name text, login text)"))
            with holder_engine.connect() as holder:
                holder.execute(text("LOCK TABLE segments IN ACCESS EXCLUSIVE MODE"))
                started = time.monotonic()
                with pytest.raises(StoreBusy, match=r"the database is busy: postgres's session holds a lock on "
                                                    r"segments since \d\d:\d\d"), engine.connect() as conn:
                    conn.execute(text("SELECT count(*) FROM segments"))
                assert time.monotonic() - started < 3.0
                holder.rollback()
            with pytest.raises(StoreBusy, match=r"statement_timeout \(400ms"), engine.connect() as conn:
                conn.execute(text("SELECT pg_sleep(2)"))
        finally:
            engine.dispose()
            holder_engine.dispose()


def test_server_check_finds_pg_hba_lines_that_take_plain_connections_from_the_network() -> None:
    def rule(line: int, kind: str, address: str | None, method: str = "scram-sha-256", user: str = "all",
             database: str = "all") -> SimpleNamespace:
        return SimpleNamespace(line_number=line, type=kind, database=[database], user_name=[user], address=address,
                               auth_method=method, error=None)

    rules = [rule(1, "local", None, "peer"), rule(2, "host", "127.0.0.1"), rule(3, "hostssl", "0.0.0.0"),
             rule(4, "hostnossl", "0.0.0.0", "reject"), rule(5, "host", "10.0.0.0"),
             rule(6, "host", "0.0.0.0", user="postgres"), rule(7, "hostnossl", "::", database="other"),
             rule(8, "hostnossl", "::", user="alice")]
    assert plain_rules(rules, "mmad", ["alice"]) == ["line 5 (host 10.0.0.0)", "line 8 (hostnossl ::)"]
    wide = [SimpleNamespace(**{**vars(rule(9, "host", "127.0.0.1")), "netmask": "0.0.0.0"}),  # all of IPv4
            SimpleNamespace(**{**vars(rule(10, "host", "::1")), "netmask": "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"}),
            rule(11, "hostnogssenc", "0.0.0.0"), rule(12, "hostgssenc", "0.0.0.0")]
    assert plain_rules(wide, "mmad", ["alice"]) == ["line 9 (host 127.0.0.1)", "line 11 (hostnogssenc 0.0.0.0)"]


def test_init_keeps_no_password_of_its_url_in_the_folder(tmp_path: Path) -> None:
    if _pg_problem():
        pytest.skip(str(_pg_problem()))
    with pg_schema("pw") as schema_url:
        url = schema_url.replace("postgres@", "postgres:unused-by-trust-9f3@")
        folder = tmp_path / "p"
        project = Project.create(folder, db_url=url)
        assert "unused-by-trust-9f3" not in (folder / "project.toml").read_text()
        assert project.db_url is not None and "unused-by-trust-9f3" not in project.db_url
        Project.open(folder).open_store().close()
