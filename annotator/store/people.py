"""The people aggregate: users of the project and their roles."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from annotator.errors import RuleViolation
from annotator.model import Annotator, Role
from annotator.store import convert
from annotator.store.access import check_user_name
from annotator.store.core import StoreCore
from annotator.store.orm import AnnotatorRow


class PeopleMixin(StoreCore):
    """Users and roles."""

    def add_annotator(self, name: str, role: Role) -> Annotator:
        """Create a user with a role (owner or reviewer only)."""
        self.access.require_privileged("add users")
        check_user_name(name)
        try:
            with self._tx() as s:
                row = AnnotatorRow(name=name, role=str(Role(role)))
                s.add(row)
                s.flush()
                self._audit(s, "add", "annotator", row.id, None, {"name": name, "role": str(role)})
                return convert.annotator(row)
        except IntegrityError:
            raise RuleViolation(f"a user named {name!r} already exists") from None

    def annotators(self) -> list[Annotator]:
        """Every user, in creation order."""
        with self._read() as s:
            return [convert.annotator(r) for r in s.scalars(select(AnnotatorRow).order_by(AnnotatorRow.id))]
