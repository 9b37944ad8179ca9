"""A reviewer's decision on a merged instance, and the merge's majority outcome, as one type.

Stored as text in `merged_instances.decision` and `.majority` ("keep", "delete", "adjust",
"label:<action id>", "take:<annotator>"); a CHECK constraint holds the column to those
forms and `Decision.parse` is the one place that reads them back.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache


class Outcome(StrEnum):
    """What a decision does with the instance."""

    KEEP = "keep"  # keep it with the merged boundaries and label
    DELETE = "delete"  # out of the ground truth (the segments stay stored)
    ADJUST = "adjust"  # keep it with boundaries the reviewer moved
    LABEL = "label"  # keep it with another action (action_id)
    TAKE = "take"  # keep one annotator's version (annotator)


_SEPARATOR = ":"
# The forms the database accepts (see annotator.store.orm): the bare outcomes and the two prefixed.
SQL_FORMS = (f"IN ('{Outcome.KEEP}', '{Outcome.DELETE}', '{Outcome.ADJUST}')",
             f"LIKE '{Outcome.LABEL}{_SEPARATOR}%'", f"LIKE '{Outcome.TAKE}{_SEPARATOR}%'")


def sql_check(column: str) -> str:
    """SQL text of the CHECK constraint for a column holding a decision (NULL allowed)."""
    return f"{column} IS NULL OR " + " OR ".join(f"{column} {form}" for form in SQL_FORMS)


@dataclass(frozen=True, slots=True)
class Decision:
    """An outcome, with the action of a relabel or the annotator whose version is taken."""

    outcome: Outcome
    action_id: int | None = None
    annotator: str | None = None

    def __post_init__(self) -> None:
        if (self.action_id is not None) != (self.outcome is Outcome.LABEL):
            raise ValueError(f"a {self.outcome} decision {'needs' if self.outcome is Outcome.LABEL else 'takes no'}"
                             " action id")
        if self.action_id is not None and self.action_id < 0:
            raise ValueError(f"action id {self.action_id} is negative")
        if (self.annotator is not None) != (self.outcome is Outcome.TAKE):
            raise ValueError(f"a {self.outcome} decision {'needs' if self.outcome is Outcome.TAKE else 'takes no'}"
                             " annotator")
        if self.annotator is not None and not self.annotator:
            raise ValueError("a take decision needs an annotator's name")

    def __str__(self) -> str:
        if self.outcome is Outcome.LABEL:
            return f"{self.outcome}{_SEPARATOR}{self.action_id}"
        if self.outcome is Outcome.TAKE:
            return f"{self.outcome}{_SEPARATOR}{self.annotator}"
        return str(self.outcome)

    @property
    def removes(self) -> bool:
        """Whether the instance leaves the ground truth."""
        return self.outcome is Outcome.DELETE

    @classmethod
    def parse(cls, text: str) -> Decision:
        """The decision a stored text names; ValueError for any other text."""
        word, sep, rest = text.partition(_SEPARATOR)
        try:
            outcome = Outcome(word)
        except ValueError:
            raise ValueError(f"unknown decision {text!r}") from None
        if outcome is Outcome.LABEL:
            if not (sep and rest.isdigit()):
                raise ValueError(f"decision {text!r}: expected label:<action id>")
            return cls(outcome, action_id=int(rest))
        if outcome is Outcome.TAKE:
            if not (sep and rest):
                raise ValueError(f"decision {text!r}: expected take:<annotator>")
            return cls(outcome, annotator=rest)
        if sep:
            raise ValueError(f"decision {text!r}: {outcome} takes no argument")
        return cls(outcome)


KEEP = Decision(Outcome.KEEP)
DELETE = Decision(Outcome.DELETE)
ADJUST = Decision(Outcome.ADJUST)


def label(action_id: int) -> Decision:
    """Keep the instance with action `action_id`."""
    return Decision(Outcome.LABEL, action_id=action_id)


def take(annotator: str) -> Decision:
    """Keep `annotator`'s version of the instance."""
    return Decision(Outcome.TAKE, annotator=annotator)


@lru_cache(maxsize=4096)  # decisions are immutable and few: a project's 20,000 merged rows repeat them
def parse_optional(text: str | None) -> Decision | None:
    """Decision.parse for a nullable column."""
    return None if text is None else Decision.parse(text)
