"""A private PostgreSQL cluster for the tests of team-server security, set up as the README says.

initdb in a temporary folder, a self-signed certificate for the name `db.mmad.test` (reached
at 127.0.0.1 through libpq's hostaddr, so the client treats it as a remote server), ssl = on,
scram-sha-256 for every TCP connection over TLS and a reject for every plain one, and an owner
login that is not a superuser. Run as the `postgres` OS user when the tests run as root
(initdb refuses root); the folder, port and passwords are fresh each session.
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

HOST_NAME = "db.mmad.test"  # the certificate's name; the client connects to 127.0.0.1 under it
OWNER = "mmad_owner"
ADMIN = "mmad_admin"  # the cluster's superuser (initdb's bootstrap login)
DATABASE = "mmad"
FOLDER_PREFIX = "mmad-private-pg-"
OWNER_PID_FILE = "tests.pid"  # "PID HOST": the test process that started the cluster (gone: abandoned)
PORT_ATTEMPTS = 3
SEARCH_GLOBS = ("/usr/lib/postgresql/*/bin", "/usr/pgsql-*/bin")  # Debian's and the PGDG RPMs' server programs
HBA = """\
# TYPE     DATABASE  USER  ADDRESS        METHOD
local      all       all                  scram-sha-256
hostssl    all       all   127.0.0.1/32   scram-sha-256
hostnossl  all       all   0.0.0.0/0      reject
"""


@dataclass(frozen=True)
class PrivateServer:
    """A running private cluster: where it answers, its certificate and the owner's password."""

    folder: Path
    port: int
    root_cert: Path  # the self-signed server certificate, which is its own root
    owner_password: str
    admin_password: str

    def url(self, login: str = OWNER, schema: str | None = None, **query: str) -> str:
        """postgresql://LOGIN@db.mmad.test:PORT/mmad?hostaddr=127.0.0.1… (no password in it)."""
        params = {"hostaddr": "127.0.0.1", **query}
        if schema:
            params["options"] = f"-csearch_path={schema}"
        joined = "&".join(f"{k}={quote(v, safe='/')}" for k, v in params.items())
        return f"postgresql://{login}@{HOST_NAME}:{self.port}/{DATABASE}?{joined}"


def find_tool(name: str) -> str | None:
    """A PostgreSQL server program on PATH or in the usual folders."""
    found = shutil.which(name)
    if found:
        return found
    for folder in _server_dirs():
        if (folder / name).is_file():
            return str(folder / name)
    return None


def _server_dirs() -> list[Path]:
    """/usr/local/bin, then every installed PostgreSQL's program folder, the newest version first."""
    found = [Path(f) for pattern in SEARCH_GLOBS for f in glob.glob(pattern)]
    version = [int("".join(c for c in f.parent.name if c.isdigit()) or 0) for f in found]
    return [Path("/usr/local/bin"), *(f for _v, f in sorted(zip(version, found, strict=True), reverse=True))]


def problem() -> str | None:
    """Why a private cluster cannot start here (None: it can)."""
    missing = [t for t in ("initdb", "pg_ctl") if find_tool(t) is None]
    if missing:
        return f"PostgreSQL server programs not found: {', '.join(missing)}"
    if shutil.which("openssl") is None:
        return "the openssl command is not found (it makes the test certificate)"
    return None


def _as_server_user(command: list[str]) -> list[str]:
    """The command run as the `postgres` OS user when we are root (made if missing), else as us."""
    if os.geteuid() != 0:
        return command
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"],
                       check=True, capture_output=True)
    return ["runuser", "-u", "postgres", "--", *command]


def _give_to_server_user(*paths: Path) -> None:
    if os.geteuid() == 0:
        for path in paths:
            shutil.chown(path, "postgres", "postgres")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(command: list[str], **kwargs: object) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=tempfile.gettempdir(),
                          **kwargs)  # type: ignore[call-overload]
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.strip() or done.stdout}")


def start() -> PrivateServer:
    """initdb, certificate, settings, start, then the owner's login and database; whatever was made
    is stopped and removed again when a step fails (a cluster left running would outlive the tests)."""
    stop_abandoned()
    folder = Path(tempfile.mkdtemp(prefix=FOLDER_PREFIX))
    (folder / OWNER_PID_FILE).write_text(f"{os.getpid()} {socket.gethostname()}")
    try:
        return _start_in(folder)
    except BaseException:
        _stop_folder(folder)
        raise


def _start_in(folder: Path) -> PrivateServer:
    folder.chmod(0o700)
    admin_password, owner_password = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
    (folder / "pwfile").write_text(admin_password + "\n")
    _run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
          "-days", "2", "-subj", f"/CN={HOST_NAME}", "-addext", f"subjectAltName=DNS:{HOST_NAME}",
          "-keyout", str(folder / "server.key"), "-out", str(folder / "server.crt")])
    (folder / "server.key").chmod(0o600)
    _give_to_server_user(folder, folder / "pwfile", folder / "server.key", folder / "server.crt")
    data = folder / "data"
    _run(_as_server_user([find_tool("initdb") or "initdb", "-D", str(data), "-U", ADMIN,
                          f"--pwfile={folder / 'pwfile'}", "--auth=scram-sha-256", "-E", "UTF8", "--locale=C",
                          "--no-sync"]))
    with (data / "postgresql.conf").open("a") as conf:
        conf.write(f"\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{folder}'\n"
                   f"ssl = on\nssl_cert_file = '{folder / 'server.crt'}'\nssl_key_file = '{folder / 'server.key'}'\n"
                   "password_encryption = scram-sha-256\nfsync = off\nsynchronous_commit = off\n"
                   "full_page_writes = off\nmax_connections = 40\nshared_buffers = 16MB\n")
    (data / "pg_hba.conf").write_text(HBA)
    server = PrivateServer(folder, _start_on_a_free_port(folder), folder / "server.crt", owner_password,
                           admin_password)
    _make_owner(server)
    return server


def _start_on_a_free_port(folder: Path) -> int:
    """Start the server on a port that was free a moment ago; another program may take it in between,
    so a start that fails is tried again on a new port (the server log says why each failed)."""
    for attempt in range(1, PORT_ATTEMPTS + 1):
        port = _free_port()
        try:
            _run(_as_server_user([find_tool("pg_ctl") or "pg_ctl", "-D", str(folder / "data"), "-l",
                                  str(folder / "server.log"), "-o", f"-p {port}", "-w", "-t", "60", "start"]))
            return port
        except RuntimeError:
            if attempt == PORT_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def _make_owner(server: PrivateServer) -> None:
    """The project owner's login: creates roles and the database, reads the server's rules; no superuser."""
    import psycopg

    def admin(database: str) -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(host=HOST_NAME, hostaddr="127.0.0.1", port=server.port, dbname=database, user=ADMIN,
                               password=server.admin_password, sslmode="verify-full",
                               sslrootcert=str(server.root_cert), autocommit=True, connect_timeout=10)

    with admin("postgres") as conn:
        verifier = conn.pgconn.encrypt_password(server.owner_password.encode(), OWNER.encode(),
                                                b"scram-sha-256").decode()
        for statement in (f"CREATE ROLE {OWNER} LOGIN CREATEROLE PASSWORD '{verifier}'",
                          f"CREATE DATABASE {DATABASE} OWNER {OWNER}",
                          f"GRANT pg_read_all_stats, pg_signal_backend TO {OWNER}"):
            conn.execute(statement.encode())  # bytes: no placeholder parsing of the verifier's text
    with admin(DATABASE) as conn:  # catalog views are each database's own: granted in the project's
        conn.execute(f"GRANT SELECT ON pg_hba_file_rules TO {OWNER}".encode())
        conn.execute(f"GRANT EXECUTE ON FUNCTION pg_hba_file_rules() TO {OWNER}".encode())


def stop(server: PrivateServer) -> None:
    """Stop the cluster at once and remove its folder."""
    _stop_folder(server.folder)


def _stop_folder(folder: Path) -> None:
    """Stop a cluster in `folder` if one runs there, then remove the folder (never raises)."""
    if (folder / "data" / "postmaster.pid").exists():
        try:
            _run(_as_server_user([find_tool("pg_ctl") or "pg_ctl", "-D", str(folder / "data"), "-m",
                                  "immediate", "-w", "-t", "30", "stop"]))
        except (RuntimeError, OSError, subprocess.SubprocessError):
            pass  # already stopped; the folder goes all the same
    for _ in range(3):  # the server's last files may still be closing
        shutil.rmtree(folder, ignore_errors=True)
        if not folder.exists():
            break
        time.sleep(0.2)


def stop_abandoned() -> None:
    """Stop the private clusters whose test session died without stopping them (killed, timed out);
    those of test sessions still running, this machine's other runs included, are left alone."""
    for folder in Path(tempfile.gettempdir()).glob(FOLDER_PREFIX + "*"):
        try:
            pid, host = (folder / OWNER_PID_FILE).read_text().split()
            owner = int(pid)
        except (OSError, ValueError):
            continue  # not one of ours, or still being made
        if host == socket.gethostname() and not _alive(owner):  # another host's (a shared /tmp): its pids are not ours
            _stop_folder(folder)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True
