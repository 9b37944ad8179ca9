"""The project database behind StoreAPI: SQLAlchemy 2.0 on SQLite or PostgreSQL.

One façade over one module per aggregate (people, clips, bulk import, assignments,
segments, proposals, merged + audit), all on StoreCore (engine, transactions, audit) with
the access policy of annotator.store.access and the one version-checked update of
annotator.store.versioned. See docs/ARCHITECTURE.md (store).
"""

from __future__ import annotations

import json

from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from annotator.errors import InputError, PermissionDenied
from annotator.store import convert
from annotator.store.assignments import AssignmentsMixin
from annotator.store.bulk import BulkImportMixin
from annotator.store.clip_view import ClipViewMixin
from annotator.store.clips import ClipsMixin
from annotator.store.engine import busy_as_error, make_engine, migrate, owns_tables
from annotator.store.live import ReceiptsMixin
from annotator.store.merged import MergedMixin
from annotator.store.orm import AnnotatorRow, MetaRow
from annotator.store.people import PeopleMixin
from annotator.store.proposals import ProposalsMixin
from annotator.taxonomy import Taxonomy, parse_taxonomy


class Store(PeopleMixin, ClipsMixin, BulkImportMixin, ClipViewMixin, AssignmentsMixin, ProposalsMixin, MergedMixin,
            ReceiptsMixin):
    """One user's view of a project database (see annotator.store.api.StoreAPI)."""

    @classmethod
    def open(cls, url: str, taxonomy: Taxonomy, user: str | None = None) -> Store:
        """Open (creating or migrating as needed) the database at `url` as `user`."""
        engine = make_engine(url)
        try:
            migrate(engine)
            store = cls(engine, taxonomy, None)
            user = store._bound_user(user)  # first: a login that is nobody's reads and writes nothing
            store._check_taxonomy_snapshot(url)
            return store.as_user(user, _share=False) if user is not None else store
        except BaseException:
            engine.dispose()
            raise

    @staticmethod
    def stored_taxonomy(url: str) -> str:
        """The taxonomy snapshot (JSON text) of an existing project database, read without migrating it."""
        engine = make_engine(url)
        try:
            with busy_as_error(), engine.connect() as conn:
                found = conn.execute(select(MetaRow.value).where(MetaRow.key == "taxonomy")).scalar()
        except ProgrammingError as exc:
            raise InputError(url, None, f"not an MMAD Studio project database: {str(exc.orig).splitlines()[0]}") from None
        except OperationalError as exc:
            raise InputError(url, None, f"cannot open the database: {exc.orig}") from None
        finally:
            engine.dispose()
        if found is None:
            raise InputError(url, "project_meta.taxonomy", "not an MMAD Studio project database (no taxonomy)")
        return str(found)

    def _check_taxonomy_snapshot(self, url: str) -> None:
        snapshot = json.dumps(self.taxonomy.to_json(), sort_keys=True)
        with self._tx() as s:
            row = s.get(MetaRow, "taxonomy")
            if row is None:
                s.add(MetaRow(key="taxonomy", value=snapshot))
                return
            if row.value != snapshot:
                stored = parse_taxonomy(row.value, source="project_meta.taxonomy")
                raise InputError(url, "project_meta.taxonomy",
                                 f"the database holds taxonomy {stored.name!r} ({len(stored.actions)} actions) "
                                 f"but the project asks for {self.taxonomy.name!r} "
                                 f"({len(self.taxonomy.actions)} actions)")

    def _bound_user(self, user: str | None) -> str | None:
        """Team mode: a login that belongs to a user acts as that user, never as another; a login that
        is neither a user's nor the owner's is refused (it would act as the owner and see nothing)."""
        bound = self.login_user()
        if bound is not None and user is not None and user != bound:
            raise PermissionDenied(f"this connection logs in as {bound!r}: it cannot act as {user!r}")
        if bound is None and self.team_mode():
            with self._engine.connect() as connection:
                if not owns_tables(connection):
                    login = connection.execute(text("SELECT current_user")).scalar_one()
                    raise PermissionDenied(f"the database login {login!r} is neither the project's owner nor any "
                                           "user's: connect with your own login, or ask the owner for one "
                                           f"(mmad add-user PROJECT_FOLDER NAME --login {login})")
        return bound if bound is not None else user

    def as_user(self, name: str | None, _share: bool = True) -> Store:
        """The same database seen by another user (None: the owner); the user must exist."""
        if name is None:
            return Store(self._engine, self.taxonomy, None, owns_engine=not _share)
        with self._read() as s:
            row = s.scalar(select(AnnotatorRow).where(AnnotatorRow.name == name))
            if row is None:
                raise PermissionDenied(f"unknown user {name!r}: add it first (mmad add-user)")
            user = convert.annotator(row)
        return Store(self._engine, self.taxonomy, user, owns_engine=not _share)
