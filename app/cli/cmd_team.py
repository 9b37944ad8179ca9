"""Team mode on PostgreSQL: `mmad join`, and the login part of `mmad add-user`.

Each person of a team connects as their own database login; the database's row-level
security then holds blind mode and the roles whatever the client. Passwords are given to
the database once (prompted, or generated and shown once) and never written to the project
folder: a desktop supplies its own through PGPASSWORD or ~/.pgpass.
"""

from __future__ import annotations

import argparse
import getpass
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
        password = getpass.getpass(f"password for login {login!r}: ")
        if password != getpass.getpass("again: "):
            raise InputError("--password-prompt", None, "the two passwords differ")
        if not password:
            raise InputError("--password-prompt", None, "an empty password")
        return login, password
    return login, secrets.token_urlsafe(PASSWORD_BYTES)


def _join(args: argparse.Namespace) -> int:
    from annotator.project import Project

    project, had_password = Project.join(args.url, args.folder, args.user, args.media)
    print(f"joined project {project.name!r} as {args.user!r} in {project.path} (videos: {project.media_dir})")
    if had_password:
        print("the password in the URL was not stored: give it to the app through PGPASSWORD or ~/.pgpass")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `mmad join`."""
    p = sub.add_parser("join", help="make this desktop's folder for a team project on PostgreSQL",
                       description="A local project folder for an existing PostgreSQL project: its URL (without "
                                   "the password), its taxonomy, and this desktop's own path to the videos.")
    p.add_argument("url", help="postgresql://LOGIN@HOST/DB (the password comes from PGPASSWORD or ~/.pgpass)")
    p.add_argument("folder", help="the new local project folder")
    p.add_argument("--media", metavar="DIR", help="this desktop's folder of the project's videos (default: FOLDER/media)")
    p.add_argument("--as", dest="user", metavar="NAME", required=True,
                   help="the project user who joins (on a team project, the one the URL's login belongs to)")
    p.set_defaults(func=_join)
