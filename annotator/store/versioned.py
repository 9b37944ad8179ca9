"""Optimistic locking, once for every aggregate: the version check and the write are one UPDATE.

Two desktops that read the same row and both write it: the second UPDATE matches no row
(its version moved on) and raises ConflictError naming the version it found, so nobody
silently overwrites anybody.
"""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy import select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from annotator.errors import ConflictError


class Versioned(Protocol):
    """An ORM class with integer `id` and `version` columns."""

    id: InstrumentedAttribute[int]
    version: InstrumentedAttribute[int]


def versioned_update(s: Session, row_class: type[Any], row_id: int, version: int, what: str,
                     by: str = "another user", **values: Any) -> int:
    """UPDATE row SET values, version+1 WHERE id AND version; returns the new version.

    `what` names the row in the message ("segment 12"), `by` who else writes such rows;
    ConflictError when the row is gone or was written since `version` was read.
    """
    result = s.execute(
        update(row_class).where(row_class.id == row_id, row_class.version == version)
        .values(version=version + 1, **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount == 1:  # type: ignore[attr-defined]
        held = s.identity_map.get(s.identity_key(row_class, row_id))
        if held is not None:
            s.expire(held)  # the session's copy predates the UPDATE: read it afresh when next used
        return version + 1
    now = s.scalar(select(row_class.version).where(row_class.id == row_id))
    if now is None:
        raise ConflictError(f"{what} no longer exists; reload")
    raise ConflictError(stale_message(what, by, now, version))


def stale_message(what: str, by: str, now: int, version: int) -> str:
    """The message of a version conflict."""
    return f"{what} was changed by {by} (now version {now}, you edited version {version}); reload"
