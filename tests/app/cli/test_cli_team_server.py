"""A team server safe on a network, on a private PostgreSQL cluster with TLS and SCRAM passwords only.

The cluster (tests/private_server.py, started once per session) is reached as `db.mmad.test`,
so the client treats it as a remote server: TLS is required, passwords are checked for real.
Each test gets its own schema; passwords reach libpq through PGPASSWORD, as on a desktop.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from annotator.errors import InputError, StoreBusy
from annotator.model import Role
from annotator.project import Project
from annotator.store import pg_session
from annotator.store.api import NewClip
from app.cli.main import main, without_passwords
from tests.private_server import ADMIN, HOST_NAME, OWNER, PrivateServer


@dataclass(frozen=True)
class TeamProject:
    """An owner's project folder on the private server with one annotator's login."""

    folder: Path
    schema: str
    login: str
    password: str
    clip: int


def connect(server: PrivateServer, login: str, password: str, autocommit: bool = False,
            **options: str) -> psycopg.Connection[tuple[object, ...]]:
    """A raw libpq connection to the private server, as any client would make it."""
    return psycopg.connect(host=HOST_NAME, hostaddr="127.0.0.1", port=server.port, dbname="mmad", user=login,
                           password=password, connect_timeout=5, autocommit=autocommit,
                           **{"sslmode": "verify-full", "sslrootcert": str(server.root_cert), **options})


def as_admin(server: PrivateServer) -> psycopg.Connection[tuple[object, ...]]:
    """The cluster's superuser, for what the test itself sets up and removes."""
    return connect(server, ADMIN, server.admin_password, autocommit=True)


def forget_notes(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fresh process as far as the once-per-process TLS notes go."""
    monkeypatch.setattr(pg_session, "_said", set())


@pytest.fixture
def team(private_server: PrivateServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TeamProject]:
    tag = uuid.uuid4().hex[:8]
    schema, login, password = f"p_{tag}", f"ann_{tag}", f"pw-{uuid.uuid4().hex}"
    monkeypatch.setenv("PGPASSWORD", private_server.owner_password)
    monkeypatch.delenv("PGSSLROOTCERT", raising=False)
    monkeypatch.delenv("PGSSLMODE", raising=False)
    with connect(private_server, OWNER, private_server.owner_password, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}".encode())
    project = Project.create(tmp_path / "proj", db_url=private_server.url(schema=schema))
    store = project.open_store()
    try:
        store.add_annotator("ann", Role.ANNOTATOR, login, password)
        (clip,) = store.add_clips([NewClip("s1_a", "s1", 30.0, 300)])
        store.assign_many([clip.id], ["ann"])
    finally:
        store.close()
    yield TeamProject(project.path, schema, login, password, clip.id)
    with as_admin(private_server) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE".encode())
        conn.execute(f'DROP OWNED BY "{login}"'.encode())
        conn.execute(f'DROP ROLE "{login}"'.encode())


def test_the_right_password_connects_over_tls_and_a_wrong_one_is_refused_in_one_line(
        private_server: PrivateServer, team: TeamProject, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    with connect(private_server, team.login, team.password) as conn:
        assert conn.execute("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").fetchone() == (True,)
    monkeypatch.setenv("PGPASSWORD", "not-the-password")
    with pytest.raises(InputError, match=f"refused the password of login '{OWNER}'"):
        Project.open(team.folder).open_store()
    assert main(["stats", str(team.folder)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "refused the password" in err[0] and "Traceback" not in err[0]


def test_a_plain_connection_is_refused_by_the_client_and_by_the_server(private_server: PrivateServer,
                                                                       team: TeamProject) -> None:
    plain = private_server.url(schema=team.schema, sslmode="disable")
    with pytest.raises(InputError, match="unencrypted.*--insecure"):  # the client refuses before connecting
        Project.join(plain, team.folder.parent / "joined", "ann")
    assert not (team.folder.parent / "joined").exists()
    with pytest.raises(InputError, match="refuses unencrypted connections"):  # --insecure: the server refuses
        Project.join(plain, team.folder.parent / "joined", "ann", insecure=True)
    with pytest.raises(psycopg.OperationalError, match="no encryption"):
        connect(private_server, team.login, team.password, sslmode="disable")


def test_tls_is_verified_against_a_root_certificate_when_one_is_given(
        private_server: PrivateServer, team: TeamProject, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    forget_notes(monkeypatch)
    assert main(["stats", str(team.folder)]) == 0
    assert "sslmode=require" in capsys.readouterr().err  # no root certificate given
    assert main(["stats", str(team.folder)]) == 0
    assert "sslmode" not in capsys.readouterr().err  # said once per process
    monkeypatch.setenv("PGPASSWORD", team.password)
    monkeypatch.setenv("PGSSLROOTCERT", str(private_server.root_cert))
    assert main(["join", private_server.url(login=team.login, schema=team.schema), str(team.folder.parent / "j"),
                 "--as", "ann"]) == 0
    assert "sslmode=verify-full" in capsys.readouterr().err
    wrong_root = team.folder.parent / "other.crt"  # a certificate the server's was not signed with
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-days", "1", "-subj", f"/CN={HOST_NAME}", "-keyout", str(team.folder.parent / "other.key"),
                    "-out", str(wrong_root)], check=True, capture_output=True)
    monkeypatch.setenv("PGSSLROOTCERT", str(wrong_root))
    assert main(["stats", str(team.folder.parent / "j")]) == 2
    assert "certificate verify failed" in capsys.readouterr().err


def test_server_check_is_all_ticks_on_the_private_server(team: TeamProject,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["server-check", str(team.folder)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line[0] for line in lines] == ["✓"] * 6, lines
    assert any(line.startswith("✓ password method: scram-sha-256") for line in lines)
    assert main(["server-check", str(team.folder), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is True
    assert [c["name"] for c in report["checks"]] == ["TLS", "password method", "member logins", "row-level security",
                                                     "schema version", "time limits"]


def test_server_check_finds_a_member_login_that_may_bypass_the_rules(private_server: PrivateServer, team: TeamProject,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    with as_admin(private_server) as conn:
        conn.execute(f'ALTER ROLE "{team.login}" CREATEROLE'.encode())
        conn.execute(f'ALTER ROLE "{team.login}" RESET lock_timeout'.encode())
    assert main(["server-check", str(team.folder)]) == 1
    out = capsys.readouterr().out
    assert f"✗ member logins: row-level security does not hold {team.login} (can create roles)" in out
    assert f"✗ time limits: {team.login} lacks lock_timeout" in out
    assert main(["upgrade", str(team.folder)]) == 0  # the fix the line gives for the time limits
    capsys.readouterr()
    main(["server-check", str(team.folder)])
    assert "✓ time limits" in capsys.readouterr().out


def test_server_check_finds_a_login_that_may_become_the_owner_or_turned_its_limit_off(
        private_server: PrivateServer, team: TeamProject, capsys: pytest.CaptureFixture[str]) -> None:
    with as_admin(private_server) as conn:  # NOINHERIT: not the owner's rights by itself, but SET ROLE works
        conn.execute(f'ALTER ROLE "{team.login}" NOINHERIT'.encode())
        conn.execute(f'GRANT {OWNER} TO "{team.login}"'.encode())
        conn.execute(f'ALTER ROLE "{team.login}" SET lock_timeout = 0'.encode())
    with connect(private_server, team.login, team.password) as member:  # what the line is about
        member.execute(f"SET ROLE {OWNER}".encode())
    assert main(["server-check", str(team.folder)]) == 1
    out = capsys.readouterr().out
    assert f"✗ member logins: row-level security does not hold {team.login} (owns a table or may SET ROLE" in out
    assert f"✗ time limits: {team.login} lacks lock_timeout" in out


def test_server_check_finds_weak_pg_hba_lines_for_the_owner_s_login_and_ident(
        private_server: PrivateServer, team: TeamProject, capsys: pytest.CaptureFixture[str]) -> None:
    hba = private_server.folder / "data" / "pg_hba.conf"
    kept = hba.read_text()
    # pg_hba_file_rules reads the file as it is now: the running server (not reloaded) is unchanged
    hba.write_text(f"host all {OWNER} 0.0.0.0/0 trust\nhostssl all all 10.0.0.0/8 ident\n" + kept)
    try:
        assert main(["server-check", str(team.folder)]) == 1
    finally:
        hba.write_text(kept)
    out = capsys.readouterr().out
    assert "✗ TLS: on and used" in out and "line 1 (host 0.0.0.0)" in out
    assert "✗ password method: pg_hba.conf lets the project's logins in without a SCRAM password: line 1" in out
    assert "line 2 (hostssl 10.0.0.0): ident" in out  # identd on the client's machine vouches for it


def test_server_check_reports_the_shared_trust_server(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.annotator.store.db import _pg_problem, pg_schema

    if _pg_problem():
        pytest.skip(str(_pg_problem()))
    with pg_schema("sc") as url:
        Project.create(tmp_path / "p", db_url=url)
        assert main(["server-check", str(tmp_path / "p")]) == 1
        out = capsys.readouterr().out
        assert "✗ TLS: the server has ssl = off" in out
        assert re.search(r"✗ password method: pg_hba.conf lets the project's logins in without a SCRAM password: "
                         r".*line \d+ \(host 127\.0\.0\.1\S*\): trust", out), out


def test_passwd_the_owner_resets_and_the_member_changes_their_own(
        private_server: PrivateServer, team: TeamProject, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["passwd", str(team.folder), "ann"]) == 0
    out = capsys.readouterr().out
    new = re.search(r"\(shown once, stored nowhere\): (\S+)", out)
    assert new is not None
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        connect(private_server, team.login, team.password)
    connect(private_server, team.login, new.group(1)).close()
    assert new.group(1) not in "".join(p.read_text(errors="replace") for p in team.folder.rglob("*") if p.is_file())
    # the member, in their own folder, types a new one twice
    monkeypatch.setenv("PGPASSWORD", new.group(1))
    assert main(["join", private_server.url(login=team.login, schema=team.schema), str(team.folder.parent / "m"),
                 "--as", "ann"]) == 0
    typed = iter(["typed-by-ann-1", "typed-by-ann-1"])
    monkeypatch.setattr("getpass.getpass", lambda _prompt="": next(typed))
    assert main(["passwd", str(team.folder.parent / "m"), "ann"]) == 0
    connect(private_server, team.login, "typed-by-ann-1").close()
    monkeypatch.setenv("PGPASSWORD", "typed-by-ann-1")
    capsys.readouterr()
    with connect(private_server, OWNER, private_server.owner_password, autocommit=True) as conn:
        conn.execute(b"INSERT INTO " + team.schema.encode() + b".annotators (name, role) VALUES ('rev', 'reviewer')")
    assert main(["passwd", str(team.folder.parent / "m"), "rev"]) == 2  # a user without a login
    assert main(["passwd", str(team.folder.parent / "m"), "nobody"]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 2


def test_a_held_lock_becomes_one_message_within_the_lock_timeout(
        private_server: PrivateServer, team: TeamProject, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("MMAD_PG_LOCK_TIMEOUT", "700ms")
    holder = connect(private_server, team.login, team.password, options=f"-csearch_path={team.schema}")
    try:
        holder.execute("LOCK TABLE segments IN ACCESS EXCLUSIVE MODE")  # an annotator's UPDATE right allows it
        started = time.monotonic()
        assert main(["stats", str(team.folder), "--source", "annotator:ann"]) == 75
        waited = time.monotonic() - started
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1, err
        assert re.search(r"the database is busy: ann's session holds a lock on segments since \d\d:\d\d", err[0])
        assert waited < 5.0, waited  # 0.7 s of lock_timeout plus opening the project, not a silent stall
        with pytest.raises(StoreBusy, match="ann's session holds a lock on segments"):
            store = Project.open(team.folder).open_store()
            try:
                store.segments(team.clip, "ann")
            finally:
                store.close()
        # the owner sees who holds it, and ends that session
        assert main(["team", "who", str(team.folder)]) == 0
        who = capsys.readouterr().out
        line = next(line for line in who.splitlines() if f"ann ({team.login})" in line)
        assert "holds segments (AccessExclusiveLock)" in line and "idle in transaction" in line
        assert main(["team", "end", str(team.folder), str(holder.info.backend_pid)]) == 0
        assert main(["stats", str(team.folder), "--source", "annotator:ann"]) == 0
    finally:
        holder.close()


def test_team_end_ends_only_the_project_logins_sessions(private_server: PrivateServer, team: TeamProject,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    with connect(private_server, OWNER, private_server.owner_password) as other:
        assert main(["team", "end", str(team.folder), str(other.info.backend_pid)]) == 2
        assert "not a session of one of this project's logins" in capsys.readouterr().err
        assert other.execute("SELECT 1").fetchone() == (1,)


def test_team_commands_are_the_owners(private_server: PrivateServer, team: TeamProject,
                                      monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PGPASSWORD", team.password)
    assert main(["join", private_server.url(login=team.login, schema=team.schema), str(team.folder.parent / "m"),
                 "--as", "ann"]) == 0
    for command in (["team", "who"], ["server-check"]):
        assert main([*command, str(team.folder.parent / "m")]) == 2
        assert "only the project's owner may do this" in capsys.readouterr().err


def test_add_user_and_join_keep_passwords_out_of_the_folder_and_the_log(
        private_server: PrivateServer, team: TeamProject, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    monkeypatch.setenv("MMAD_LOG_DIR", str(tmp_path / "logs"))
    login = f"rev_{uuid.uuid4().hex[:8]}"
    try:
        assert main(["add-user", str(team.folder), "rev", "--role", "reviewer", "--login", login]) == 0
        password = capsys.readouterr().out.rsplit(": ", 1)[1].strip()
        url = private_server.url(login=login, schema=team.schema).replace(f"{login}@", f"{login}:{password}@")
        monkeypatch.delenv("PGPASSWORD")
        assert main(["join", url, str(tmp_path / "rev"), "--as", "rev"]) == 0
        assert "your shell's history keeps it" in capsys.readouterr().out
        kept = "".join(p.read_text(errors="replace") for folder in (team.folder, tmp_path / "rev", tmp_path / "logs")
                       for p in folder.rglob("*") if p.is_file())
        assert "join postgresql://" in kept and password not in kept
    finally:
        with as_admin(private_server) as conn:
            conn.execute(f'DROP OWNED BY "{login}"'.encode())
            conn.execute(f'DROP ROLE "{login}"'.encode())


def test_the_logged_command_line_has_no_password() -> None:
    assert without_passwords("join postgresql://alice:s3cr@t!@db-host/mmad f --as alice") == \
        "join postgresql://alice:***@db-host/mmad f --as alice"
    assert without_passwords("join postgresql://alice@db-host/mmad f") == "join postgresql://alice@db-host/mmad f"
    assert without_passwords("join postgresql://alice@db-host/mmad?sslmode=require&password=s3cr f") == \
        "join postgresql://alice@db-host/mmad?sslmode=require&password=*** f"


def test_a_password_in_the_urls_query_reaches_neither_the_folder_nor_a_message(tmp_path: Path) -> None:
    from annotator.store.engine import shown_url, split_password

    url = "postgresql://alice@db-host/mmad?password=s3cr&sslmode=require"
    backend, bare, had_password = split_password(url)
    assert had_password and "s3cr" not in bare and "sslmode=require" in bare
    assert "s3cr" not in shown_url(url)
    with pytest.raises(InputError) as refused:
        Project.join(url.replace("postgresql", "sqlite"), tmp_path / "j", "alice")
    assert "s3cr" not in str(refused.value)


def test_a_folder_joined_with_insecure_warns_on_every_start(private_server: PrivateServer, team: TeamProject,
                                                           monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PGPASSWORD", team.password)
    forget_notes(monkeypatch)
    folder = team.folder.parent / "insecure"
    assert main(["join", private_server.url(login=team.login, schema=team.schema), str(folder), "--as", "ann",
                 "--insecure"]) == 0
    assert "WARNING: TLS is not required for db.mmad.test" in capsys.readouterr().err
    assert "insecure = true" in (folder / "project.toml").read_text()
    forget_notes(monkeypatch)  # the next start, a new process
    assert main(["stats", str(folder), "--as", "ann"]) == 0
    assert "WARNING: TLS is not required" in capsys.readouterr().err


def test_join_with_a_typed_password_keeps_it_in_pgpass_and_passwd_updates_it(
        private_server: PrivateServer, team: TeamProject, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    pgpass = tmp_path / "pgpass"
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    monkeypatch.delenv("PGPASSWORD")
    typed = iter([team.password, "new-pw:with\\colon", "new-pw:with\\colon"])
    monkeypatch.setattr("getpass.getpass", lambda _prompt="": next(typed))
    folder = tmp_path / "alice"
    assert main(["join", private_server.url(login=team.login, schema=team.schema), str(folder), "--as", "ann",
                 "--password-prompt"]) == 0
    assert f"kept in {pgpass} (mode 600)" in capsys.readouterr().out
    assert pgpass.stat().st_mode & 0o777 == 0o600
    assert team.password in pgpass.read_text() and team.password not in (folder / "project.toml").read_text()
    assert main(["stats", str(folder)]) == 0  # libpq finds it there
    assert main(["passwd", str(folder), "ann"]) == 0  # typed twice
    assert f"updated it in {pgpass} too" in capsys.readouterr().out
    assert team.password not in pgpass.read_text()
    assert main(["stats", str(folder)]) == 0
    connect(private_server, team.login, "new-pw:with\\colon").close()


def test_server_check_says_unknown_when_the_owner_may_not_read_the_rules(
        private_server: PrivateServer, team: TeamProject, capsys: pytest.CaptureFixture[str]) -> None:
    with as_admin(private_server) as conn:
        conn.execute(f"REVOKE SELECT ON pg_hba_file_rules FROM {OWNER}".encode())
    try:
        assert main(["server-check", str(team.folder), "--json"]) == 0  # unknown is said, not failed
        report = json.loads(capsys.readouterr().out)
        assert report["unknown"] == ["password method"] and report["ok"] is True
        main(["server-check", str(team.folder)])
        assert "? password method: unknown: this login may not read pg_hba_file_rules — fix: " in \
            capsys.readouterr().out
    finally:
        with as_admin(private_server) as conn:
            conn.execute(f"GRANT SELECT ON pg_hba_file_rules TO {OWNER}".encode())


def test_a_row_lock_left_in_an_open_transaction_names_its_session(
        private_server: PrivateServer, team: TeamProject, monkeypatch: pytest.MonkeyPatch) -> None:
    from annotator.model import Segment

    store = Project.open(team.folder).open_store()
    try:
        store.as_user("ann").add_segment(Segment(None, team.clip, "ann", 10, 40, 3))
        monkeypatch.setenv("MMAD_PG_LOCK_TIMEOUT", "500ms")
        holder = connect(private_server, team.login, team.password, options=f"-csearch_path={team.schema}")
        try:
            holder.execute("UPDATE segments SET action_id = action_id")  # row locks, kept by the open transaction
            waiting = Project.open(team.folder).open_store()
            try:
                (segment,) = waiting.segments(team.clip, "ann")
                with pytest.raises(StoreBusy, match=r"ann's session holds a lock on segments since \d\d:\d\d"):
                    waiting.as_user("ann").delete_segment(segment.id or 0, segment.version)
            finally:
                waiting.close()
        finally:
            holder.close()
    finally:
        store.close()


def test_no_password_at_all_is_one_line_saying_where_to_keep_it(private_server: PrivateServer, team: TeamProject,
                                                                monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("PGPASSWORD")
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    assert main(["join", private_server.url(login=team.login, schema=team.schema), str(tmp_path / "j"),
                 "--as", "ann"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "the server asks for a password and none was given" in err[0], err
    assert not (tmp_path / "j").exists()
