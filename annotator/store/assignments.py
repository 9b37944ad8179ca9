"""The assignments aggregate: which annotator works on which clip, and how far they are."""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import insert, select

from annotator.errors import InputError
from annotator.model import Assignment, AssignmentState, Role
from annotator.store import convert
from annotator.store.core import AUDIT_CTE, StoreCore, json_sql, to_json
from annotator.store.orm import AssignmentRow


class AssignmentsMixin(StoreCore):
    """Queues and their states."""

    def assign(self, clip_id: int, annotator: str) -> Assignment:
        """Put a clip in an annotator's queue (state todo); returns the existing one if present."""
        self.access.require_privileged("assign clips")
        with self._tx() as s:
            self._clip_row(s, clip_id)
            person = self._annotator_row(s, annotator)
            row = s.get(AssignmentRow, (clip_id, person.id))
            if row is None:
                row = AssignmentRow(clip_id=clip_id, annotator_id=person.id, state=str(AssignmentState.TODO),
                                    updated_at=convert.now())
                s.add(row)
                self._audit(s, "assign", "clip", clip_id, None, {"annotator": annotator})
            return convert.assignment(row)

    def assign_many(self, clip_ids: Sequence[int], annotators: Sequence[str]) -> int:
        """Assign every clip to every named annotator (existing pairs kept); returns pairs made."""
        self.access.require_privileged("assign clips")
        with self._tx() as s:
            people = [self._annotator_row(s, name) for name in annotators]
            have = {(c, a) for c, a in s.execute(select(AssignmentRow.clip_id, AssignmentRow.annotator_id))}
            stamp = convert.now()
            rows = [{"clip_id": cid, "annotator_id": p.id, "state": str(AssignmentState.TODO), "updated_at": stamp}
                    for cid in clip_ids for p in people if (cid, p.id) not in have]
            if rows:
                s.execute(insert(AssignmentRow), rows)
            self._audit(s, "assign", "clips", None, None,
                        {"annotators": list(annotators), "clips": len(clip_ids), "new": len(rows)})
            return len(rows)

    def assignments(self, annotator: str | None = None, *, clip_id: int | None = None) -> list[Assignment]:
        """Assignments of one annotator (an annotator sees only their own), by clip order; clip_id: of that clip only."""
        if annotator is None and not self.access.privileged:
            annotator = self.access.name
        if annotator is not None and annotator != self.access.name:
            self.access.require_privileged("see other annotators' queues")
        with self._read() as s:  # Core rows: a whole project's assignments without ORM objects
            query = select(AssignmentRow.clip_id, AssignmentRow.annotator_id, AssignmentRow.state).order_by(
                AssignmentRow.clip_id, AssignmentRow.annotator_id)
            if annotator is not None:
                query = query.where(AssignmentRow.annotator_id == self._annotator_row(s, annotator).id)
            if clip_id is not None:
                query = query.where(AssignmentRow.clip_id == clip_id)
            return [convert.assignment(r) for r in s.execute(query)]

    def set_assignment_state(self, clip_id: int, annotator: str, state: AssignmentState) -> Assignment:
        """Move an assignment to todo / in_progress / done (an annotator only their own)."""
        if annotator != self.access.name:
            self.access.require_privileged("change other annotators' progress")
        if self._one_statement_writes:
            done = self._state_in_one(clip_id, annotator, AssignmentState(state))
            if done is not None:
                return done
        with self._tx() as s:  # SQLite, or a refusal: these checks say why
            person = self._annotator_row(s, annotator)
            row = s.get(AssignmentRow, (clip_id, person.id))
            if row is None:
                raise InputError("project", f"clip id {clip_id}", f"not assigned to {annotator!r}")
            self._check_write(self._clip_row(s, clip_id), annotator)  # an annotator: not on a finalised clip
            old = row.state
            row.state, row.updated_at = str(AssignmentState(state)), convert.now()
            self._audit(s, "set_state", "assignment", clip_id, {"annotator": annotator, "state": old},
                        {"annotator": annotator, "state": str(state)})
            return convert.assignment(row)

    def _state_in_one(self, clip_id: int, annotator: str, state: AssignmentState) -> Assignment | None:
        """set_assignment_state as one statement (StoreCore._one_statement); None: refused, nothing written."""
        rows = self._one_statement([
            "who AS (SELECT id FROM annotators WHERE name = :who)",
            "a AS (SELECT x.* FROM assignments x JOIN who ON x.annotator_id = who.id WHERE x.clip_id = :clip FOR UPDATE)",
            "guard AS (SELECT EXISTS (SELECT 1 FROM a JOIN clips c ON c.id = a.clip_id WHERE :priv OR NOT c.finalised) "
            "AS ok)",
            "w AS (UPDATE assignments x SET state = :state, updated_at = :now FROM a WHERE x.clip_id = a.clip_id "
            "AND x.annotator_id = a.annotator_id AND (SELECT ok FROM guard) RETURNING x.*)",
            AUDIT_CTE + "SELECT :now, :me, "
            "'set_state', 'assignment', :clip, " + json_sql({"annotator": ":who_json", "state": "a.state"},
                                                              frozenset({"annotator"}))
            + ", :new FROM w JOIN a ON a.annotator_id = w.annotator_id)",
        ], "SELECT g.ok, w.* FROM guard g LEFT JOIN w ON true", {
            "who": annotator, "who_json": json.dumps(annotator), "clip": clip_id, "priv": self.access.privileged, "state": str(state),
            "now": convert.now(), "me": self.access.name,
            "new": to_json({"annotator": annotator, "state": str(state)})})
        return None if rows is None else convert.assignment(rows[0])

    def note_opened(self, clip_id: int) -> None:
        """Record in the audit log that the user opened a clip of their queue not done yet
        (the agreement report times each clip from its first opening to its last "done")."""
        if self.access.user is None or self.access.user.role is not Role.ANNOTATOR:
            return  # only annotators have a queue to time
        name = self.access.name
        if self._one_statement_writes and self._one_statement([
            "guard AS (SELECT EXISTS (SELECT 1 FROM annotators WHERE name = :me) AS ok)",
            "a AS (SELECT x.state FROM assignments x JOIN annotators p ON p.id = x.annotator_id "
            "WHERE x.clip_id = :clip AND p.name = :me AND x.state <> :done)",
            AUDIT_CTE + "SELECT :now, :me, "
            "'open', 'assignment', :clip, NULL, " + json_sql({"annotator": ":me_json", "state": "a.state"},
                                                            frozenset({"annotator"})) + " FROM a)",
        ], "SELECT ok FROM guard", {"me": name, "me_json": json.dumps(name), "clip": clip_id,
                                    "done": str(AssignmentState.DONE), "now": convert.now()}) is not None:
            return  # one statement, one round trip (it runs as the clip opens)
        with self._tx() as s:
            row = s.get(AssignmentRow, (clip_id, self._annotator_row(s, name).id))
            if row is not None and row.state != str(AssignmentState.DONE):
                self._audit(s, "open", "assignment", clip_id, None, {"annotator": name, "state": row.state})
