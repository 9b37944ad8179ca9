"""Team mode on PostgreSQL: `mmad join`, `mmad passwd`, `mmad server-check`, `mmad team who|end`,
and the login part of `mmad add-user`.

Each person of a team connects as their own database login; the database's row-level
security then holds blind mode and the roles whatever the client. Passwords are given to
the database once (prompted, or generated and shown once) and never written to the project
folder, the log or a command line: a desktop supplies its own through PGPASSWORD or ~/.pgpass.
"""

from __future__ import annotations

import argparse
import getpass
import json
import secrets
from typing import TYPE_CHECKING

from annotator.errors import InputError

if TYPE_CHECKING:  # the project is opened inside the commands: `mmad --help` loads no database code
    from annotator.store.api import StoreAPI

PASSWORD_BYTES = 18  # about 24 URL-safe characters


def login_and_password(store: StoreAPI, args: argparse.Namespace) -> tuple[str | None, str | None]:
    """The login role and password to create with the user (None, None: not a PostgreSQL project)."""
    if not store.team_mode():
        if args.login or args.password_prompt:
            raise InputError("--login", None, "database logins exist only on PostgreSQL projects")
        return None, None
    login = args.login or args.name
    if args.password_prompt:
        return login, prompted_password(login, "--password-prompt")
    return login, secrets.token_urlsafe(PASSWORD_BYTES)


def prompted_password(login: str, option: str) -> str:
    """A new password typed twice at the terminal (never echoed, never on the command line)."""
    password = getpass.getpass(f"new password for login {login!r}: ")
    if password != getpass.getpass("again: "):
        raise InputError(option, None, "the two passwords differ")
    if not password:
        raise InputError(option, None, "an empty password")
    return password


def _join(args: argparse.Namespace) -> int:
    from annotator.project import Project

    url, typed = args.url, None
    if args.password_prompt:
        url, typed = _with_typed_password(args.url)
    project, had_password = Project.join(url, args.folder, args.user, args.media, args.insecure)
    print(f"joined project {project.name!r} as {args.user!r} in {project.path} (videos: {project.media_dir})")
    if typed is not None:
        from app.cli.pgpass import save_password

        print(f"the password is kept in {save_password(project.database_url, typed)} (mode 600), where the app "
              "and the commands find it")
    elif had_password:
        print("the password in the URL was not stored, but your shell's history keeps it: give it to the app "
              "through PGPASSWORD or ~/.pgpass, and change it (mmad passwd FOLDER NAME)")
    return 0


def _with_typed_password(url: str) -> tuple[str, str]:
    """The URL with a password typed at the terminal (in memory only), and the password."""
    from annotator.store.engine import login_address, split_password, with_password

    _backend, _bare, had_password = split_password(url)
    if had_password:
        raise InputError("--password-prompt", None, "the URL already holds a password: leave it out of the URL")
    password = getpass.getpass(f"password of login {login_address(url)[3]!r}: ")
    if not password:
        raise InputError("--password-prompt", None, "an empty password")
    return with_password(url, password), password


def _passwd(args: argparse.Namespace) -> int:
    from annotator.project import Project
    from annotator.store.sessions import change_password

    project = Project.open(args.project)
    shown: list[str] = []
    typed: list[str] = []

    def new_password(login: str, owner: bool) -> str:
        if owner and not args.prompt:
            shown.append(secrets.token_urlsafe(PASSWORD_BYTES))
            return shown[0]
        typed.append(prompted_password(login, "--prompt"))
        return typed[0]

    login = change_password(project.database_url, project.insecure, args.name, new_password)
    if shown:
        print(f"new password of login {login!r} (shown once, stored nowhere): {shown[0]}")
        print("give it to the app through ~/.pgpass on that desktop (mmad join --password-prompt keeps it there)")
        return 0
    print(f"changed the password of login {login!r}")
    from app.cli.pgpass import entry_key, has_password, save_password

    if typed and entry_key(project.database_url)[3] == login and has_password(project.database_url):
        print(f"updated it in {save_password(project.database_url, typed[0])} too")  # this desktop's next start needs it
    else:
        print("give it to the app through ~/.pgpass on the desktops that use this login")
    return 0


def _server_check(args: argparse.Namespace) -> int:
    from annotator.project import Project
    from annotator.store.server_check import check_server
    from annotator.store.sessions import owner_connection

    project = Project.open(args.project)
    with owner_connection(project.database_url, project.insecure) as conn:
        checks = check_server(conn)
    failed = any(c.ok is False for c in checks)  # a check that cannot be told ('?') is said, not failed
    if args.json:
        print(json.dumps({"ok": not failed, "unknown": [c.name for c in checks if c.ok is None],
                          "checks": [c.to_json() for c in checks]}, indent=2, ensure_ascii=False))
    else:
        print("\n".join(c.line() for c in checks))
    return 1 if failed else 0


def _team_who(args: argparse.Namespace) -> int:
    from annotator.project import Project
    from annotator.store.sessions import owner_connection, project_sessions

    project = Project.open(args.project)
    with owner_connection(project.database_url, project.insecure) as conn:
        found = project_sessions(conn)
    if args.json:
        print(json.dumps([{"pid": s.pid, "user": s.user, "login": s.login, "client": s.client,
                           "application": s.application, "state": s.state,
                           "since": s.since.isoformat() if s.since else None, "holds": list(s.holds),
                           "waits_for": list(s.waits_for)} for s in found], indent=2))
        return 0
    if not found:
        print("no sessions of this project's logins, and none holds a lock on its tables")
    for s in found:
        since = f" since {s.since.astimezone():%H:%M}" if s.since else ""
        holds = f"; holds {', '.join(s.holds)}" if s.holds else ""
        waits = f"; waits for {', '.join(map(str, s.waits_for))}" if s.waits_for else ""
        who = f"{s.user} ({s.login})" if s.user else f"{s.login} (not a project login)"
        app = f" ({s.application})" if s.application else ""
        print(f"{s.pid}  {who} from {s.client}{app}, {s.state or 'state hidden'}{since}{holds}{waits}")
    return 0


def _team_end(args: argparse.Namespace) -> int:
    from annotator.project import Project
    from annotator.store.sessions import end_session, owner_connection

    project = Project.open(args.project)
    with owner_connection(project.database_url, project.insecure) as conn:
        ended = end_session(conn, args.pid)
    print(f"ended session {ended.pid} of {ended.user} ({ended.login})")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `mmad join`, `mmad passwd`, `mmad server-check` and `mmad team who|end`."""
    p = sub.add_parser("join", help="make this desktop's folder for a team project on PostgreSQL",
                       description="A local project folder for an existing PostgreSQL project: its URL (without "
                                   "the password), its taxonomy, and this desktop's own path to the videos.")
    p.add_argument("url", help="postgresql://LOGIN@HOST/DB (the password comes from PGPASSWORD or ~/.pgpass)")
    p.add_argument("folder", help="the new local project folder")
    p.add_argument("--media", metavar="DIR", help="this desktop's folder of the project's videos (default: FOLDER/media)")
    p.add_argument("--as", dest="user", metavar="NAME", required=True,
                   help="the project user who joins (on a team project, the one the URL's login belongs to)")
    p.add_argument("--insecure", action="store_true", help="allow a connection without TLS to a server off this "
                                                            "machine (warned about on every start)")
    p.add_argument("--password-prompt", action="store_true",
                   help="type the login's password; it is kept in ~/.pgpass (mode 600) for the app and the commands")
    p.set_defaults(func=_join)

    p = sub.add_parser("passwd", help="a team login's new password (owner: any user's, shown once; "
                                      "a member: their own, typed)",
                       description="The owner resets a user's database password (generated and shown once, or "
                                   "typed with --prompt); a member changes their own (typed). Never on the command "
                                   "line, never stored.")
    p.add_argument("project", help="project folder")
    p.add_argument("name", help="the user whose login gets the new password")
    p.add_argument("--prompt", action="store_true", help="owner: type the new password instead of generating one")
    p.set_defaults(func=_passwd)

    p = sub.add_parser("server-check", help="is the team's PostgreSQL server safe on a network? (owner)",
                       description="One line per check, ✓ or ✗ with the fix (? when it cannot be told): TLS, "
                                   "password method, member logins' rights, row-level security, schema version, "
                                   "member time limits. Exit 1 when any line is ✗.")
    p.add_argument("project", help="project folder")
    p.add_argument("--json", action="store_true", help="the checks as JSON")
    p.set_defaults(func=_server_check)

    team = sub.add_parser("team", help="the team's sessions on the server: who, end (owner)")
    team_sub = team.add_subparsers(dest="team_command", metavar="ACTION")
    team_sub.required = True
    p = team_sub.add_parser("who", help="list the project's sessions and the locks they hold")
    p.add_argument("project", help="project folder")
    p.add_argument("--json", action="store_true", help="the sessions as JSON")
    p.set_defaults(func=_team_who)
    p = team_sub.add_parser("end", help="end one session of a project login (mmad team who lists them)")
    p.add_argument("project", help="project folder")
    p.add_argument("pid", type=int, help="the session's process id")
    p.set_defaults(func=_team_end)
