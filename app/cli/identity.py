"""Who a `mmad` command runs as: `--as NAME`, with that user's rights (default: the project's owner).

Every command that reads or writes annotations opens the store through here, so the store's
role and blind-mode checks (and, on a PostgreSQL team project, the database's own policies
for the login in the project's URL) apply to the command line as they do to the app.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the commands open the project themselves: `mmad --help` loads no database code
    from annotator.project import Project
    from annotator.store.api import StoreAPI

AS_HELP = "run as this project user, with their rights (default: the project's owner)"


def add_as_option(parser: argparse.ArgumentParser) -> None:
    """The --as NAME option."""
    parser.add_argument("--as", dest="user", metavar="NAME", default=None, help=AS_HELP)


def open_store(project: Project, args: argparse.Namespace) -> StoreAPI:
    """The project's store opened as the command's user (refused when unknown)."""
    return project.open_store(getattr(args, "user", None))
