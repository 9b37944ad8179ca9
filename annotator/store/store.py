"""The project database behind StoreAPI: SQLAlchemy 2.0 on SQLite or PostgreSQL.

One façade over one module per aggregate (people, clips, bulk import, assignments,
segments, proposals, merged + audit), all on StoreCore (engine, transactions, audit) with
the access policy of annotator.store.access and the one version-checked update of
annotator.store.versioned. See docs/ARCHITECTURE.md (store).
"""

from __future__ import annotations

import json

from sqlalchemy import Engine, select, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from annotator.errors import InputError, PermissionDenied
from annotator.store import convert, pg_session
from annotator.store.assignments import AssignmentsMixin
from annotator.store.bulk import BulkImportMixin
from annotator.store.clip_view import ClipViewMixin
from annotator.store.clips import ClipsMixin
from annotator.store.engine import (
    busy_as_error,
    driver_message,
    make_engine,
    migrate,
    owns_tables,
    shown_url,
    sibling,
)
from annotator.store.live import ReceiptsMixin
from annotator.store.merged import MergedMixin
from annotator.store.merged_bulk import MergedBulkMixin
from annotator.store.orm import AnnotatorRow, MetaRow
from annotator.store.overview import OverviewMixin
from annotator.store.people import PeopleMixin
from annotator.store.proposals import ProposalsMixin
from annotator.store.segment_edits import SegmentEditsMixin
from annotator.taxonomy import Taxonomy, parse_taxonomy


class Store(PeopleMixin, ClipsMixin, BulkImportMixin, ClipViewMixin, AssignmentsMixin, ProposalsMixin, MergedMixin,
            MergedBulkMixin, OverviewMixin, ReceiptsMixin, SegmentEditsMixin):
    """One user's view of a project database (see annotator.store.api.StoreAPI)."""

    @classmethod
    def open(cls, url: str, taxonomy: Taxonomy, user: str | None = None, insecure: bool = False) -> Store:
        """Open (creating or migrating as needed) the database at `url` as `user` (`insecure`: TLS not
        required off this machine, see annotator.store.pg_session)."""
        engine = make_engine(url, insecure)
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
    def stored_taxonomy(url: str, insecure: bool = False) -> str:
        """The taxonomy snapshot (JSON text) of an existing project database, read without migrating it."""
        return Store.stored_meta(url, insecure)["taxonomy"]

    @staticmethod
    def stored_meta(url: str, insecure: bool = False) -> dict[str, str]:
        """The project_meta of an existing project database (taxonomy, and name when the project was
        made by a version that stores it), read without migrating it."""
        engine = make_engine(url, insecure)
        try:
            with busy_as_error(), engine.connect() as conn:
                found = {key: value for key, value in conn.execute(select(MetaRow.key, MetaRow.value))}
        except PermissionDenied:
            login = Store._current_login(engine) or engine.url.username or "this login"
            raise PermissionDenied(f"the database login {login!r} is not a member of this project: ask its owner "
                                   f"to add you (mmad add-user PROJECT_FOLDER NAME --role ROLE --login {login})"
                                   ) from None
        except ProgrammingError as exc:
            raise InputError(shown_url(url), None, f"not an MMAD Studio project database: {driver_message(exc)}") from None
        except OperationalError as exc:
            raise InputError(shown_url(url), None, f"cannot open the database: {pg_session.connect_problem(exc.orig)}") from None
        finally:
            engine.dispose()
        if "taxonomy" not in found:
            raise InputError(shown_url(url), "project_meta.taxonomy", "not an MMAD Studio project database (no taxonomy)")
        return {str(k): str(v) for k, v in found.items()}

    @staticmethod
    def _current_login(engine: Engine) -> str | None:
        """The role a connection acts as (the URL's, or the one its options set)."""
        try:
            with engine.connect() as conn:
                return str(conn.execute(text("SELECT current_user")).scalar_one())
        except (OperationalError, ProgrammingError):
            return None

    def remember_name(self, name: str) -> None:
        """Store the project's name with its data, for the desktops that join it (mmad join)."""
        with self._tx() as s:
            s.merge(MetaRow(key="name", value=name))

    def _check_taxonomy_snapshot(self, url: str) -> None:
        snapshot = json.dumps(self.taxonomy.to_json(), sort_keys=True)
        with self._tx() as s:
            row = s.get(MetaRow, "taxonomy")
            if row is None:
                s.add(MetaRow(key="taxonomy", value=snapshot))
                return
            if row.value != snapshot:
                stored = parse_taxonomy(row.value, source="project_meta.taxonomy")
                raise InputError(shown_url(url), "project_meta.taxonomy",
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

    def for_thread(self) -> Store:
        """The same user on a store object of its own, for a task thread: this one, with the
        transaction it may hold open, belongs to its own thread (no read: the user is known)."""
        return Store(self._engine, self.taxonomy, self.user, owns_engine=False)

    def for_writer(self) -> Store:
        """The same user on connections of its own, for a background writer (annotator.edit_queue)."""
        engine = sibling(self._engine)
        return Store(engine, self.taxonomy, self.user, owns_engine=engine is not self._engine)
