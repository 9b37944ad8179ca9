"""The project database behind StoreAPI: SQLAlchemy 2.0 on SQLite or PostgreSQL.

One façade over one module per aggregate (people, clips, bulk import, assignments,
segments, proposals, merged + audit), all on StoreCore (engine, transactions, audit) with
the access policy of annotator.store.access and the one version-checked update of
annotator.store.versioned. See docs/ARCHITECTURE.md (store).
"""

from __future__ import annotations

import json

from sqlalchemy import select

from annotator.errors import InputError, PermissionDenied
from annotator.store import convert
from annotator.store.assignments import AssignmentsMixin
from annotator.store.bulk import BulkImportMixin
from annotator.store.clips import ClipsMixin
from annotator.store.engine import make_engine, migrate
from annotator.store.merged import MergedMixin
from annotator.store.orm import AnnotatorRow, MetaRow
from annotator.store.people import PeopleMixin
from annotator.store.proposals import ProposalsMixin
from annotator.taxonomy import Taxonomy, parse_taxonomy


class Store(PeopleMixin, ClipsMixin, BulkImportMixin, AssignmentsMixin, ProposalsMixin, MergedMixin):
    """One user's view of a project database (see annotator.store.api.StoreAPI)."""

    @classmethod
    def open(cls, url: str, taxonomy: Taxonomy, user: str | None = None) -> Store:
        """Open (creating or migrating as needed) the database at `url` as `user`."""
        engine = make_engine(url)
        try:
            migrate(engine)
            store = cls(engine, taxonomy, None)
            store._check_taxonomy_snapshot(url)
            return store.as_user(user, _share=False) if user is not None else store
        except BaseException:
            engine.dispose()
            raise

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
