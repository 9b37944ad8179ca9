"""The people aggregate: users of the project and their roles."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from annotator.errors import RuleViolation
from annotator.model import Annotator, Role
from annotator.store import convert, team
from annotator.store.access import check_user_name
from annotator.store.core import StoreCore
from annotator.store.orm import AnnotatorRow


class PeopleMixin(StoreCore):
    """Users and roles."""

    def add_annotator(self, name: str, role: Role, login: str | None = None,
                      password: str | None = None) -> Annotator:
        """Create a user with a role (the owner only); on PostgreSQL `login` also creates their
        login role with `password`, in the same transaction (team mode, see annotator.store.team)."""
        self.access.require_owner("add users")
        check_user_name(name)
        if login is not None:
            if not self.team_mode():
                raise RuleViolation("database logins exist only on PostgreSQL (team mode)")
            if not password:
                raise RuleViolation(f"the login {login!r} needs a password")
            team.check_login(login)
        try:
            with self._tx() as s:
                row = AnnotatorRow(name=name, role=str(Role(role)), login=login)
                s.add(row)
                s.flush()
                if login is not None and password is not None:
                    team.create_login(s, login, password)
                self._audit(s, "add", "annotator", row.id, None, {"name": name, "role": str(role), "login": login})
                return convert.annotator(row)
        except IntegrityError:
            raise RuleViolation(f"a user named {name!r} (or a user with login {login!r}) already exists") from None

    def team_mode(self) -> bool:
        """Whether users get database logins (a PostgreSQL project)."""
        return self._engine.dialect.name == "postgresql"

    def login_user(self) -> str | None:
        """The user whose database login this connection uses (None: the owner, or not team mode)."""
        if not self.team_mode():
            return None
        with self._read() as s:
            return s.scalar(select(AnnotatorRow.name).where(AnnotatorRow.login == team.current_login(s)))

    def annotators(self) -> list[Annotator]:
        """Every user, in creation order."""
        with self._read() as s:
            return [convert.annotator(r) for r in s.scalars(select(AnnotatorRow).order_by(AnnotatorRow.id))]
