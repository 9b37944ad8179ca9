"""Who may do what: the store's role and blind-mode policy, in one place.

The owner (user None, the command line) and reviewers may do everything; an annotator
reads and writes only their own segments (writes only on the open clips assigned to them), and sees others' work and the merge only once a
clip is finalised. See docs/ARCHITECTURE.md (data model and roles).
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.errors import PermissionDenied, RuleViolation
from annotator.input_checks import check_id
from annotator.model import GROUND_TRUTH, MERGE_AUTHOR, Annotator, Role

OWNER = "owner"  # how the project owner (user=None) appears in the audit log
RESERVED_NAMES = frozenset({OWNER, GROUND_TRUTH, MERGE_AUTHOR})
MODEL_PREFIX = "model:"  # authors of a model's segments are "model:<version>"


REVIEW_ORIGINS = ("reviewed", "merged")  # model.Origin values only a reviewer or the merge gives
NAME_MAX = 128  # annotators.name and segments.author are VARCHAR(128)


def check_user_name(name: str) -> None:
    """Refuse a name no user may have: reserved or a model's author name (RuleViolation), or one
    the database cannot store (InputError: empty, too long, control characters, not Unicode).
    Every path that creates a user (add-user, an import as an annotator) calls this first."""
    check_id(name, "user name", None, "user name", NAME_MAX)
    if name.startswith(MODEL_PREFIX) or name in RESERVED_NAMES:
        raise RuleViolation(f"{name!r} cannot be a user name (reserved)")


@dataclass(frozen=True, slots=True)
class AccessPolicy:
    """The rights of one user of the project (None: the owner)."""

    user: Annotator | None

    @property
    def name(self) -> str:
        """The user's name as the audit log records it."""
        return self.user.name if self.user else OWNER

    @property
    def privileged(self) -> bool:
        """The owner or a reviewer: not held to one's own work."""
        return self.user is None or self.user.role == Role.REVIEWER

    @property
    def is_owner(self) -> bool:
        """The project's owner (the command line without --as)."""
        return self.user is None

    def require_privileged(self, what: str) -> None:
        """Refuse an annotator."""
        if not self.privileged:
            raise PermissionDenied(f"{self.name} is an annotator: only a reviewer may {what}")

    def require_owner(self, what: str) -> None:
        """Refuse anyone but the project's owner."""
        if not self.is_owner:
            raise PermissionDenied(f"{self.name} is not the project's owner: only the owner may {what}")

    def check_read(self, clip_name: str, finalised: bool, author: str) -> None:
        """Blind mode: an annotator sees only their own segments until the clip is finalised."""
        if self.privileged or finalised or author == self.name:
            return
        raise PermissionDenied(f"{self.name} may not see {author!r}'s work on clip {clip_name!r} "
                               "before it is finalised")

    def check_write(self, clip_name: str, finalised: bool, author: str) -> None:
        """An annotator edits only their own segments, and nothing on a finalised clip."""
        if self.privileged:
            return
        if author != self.name:
            raise PermissionDenied(f"{self.name} may only edit their own segments, not {author!r}'s")
        if finalised:
            raise PermissionDenied(f"clip {clip_name!r} is finalised: only a reviewer may change it")

    def check_origin(self, origin: str, before: str | None) -> None:
        """An annotator may not give a segment a reviewer's or the merge's origin (the review and the
        statistics trust them); PostgreSQL's policies hold the same (migration 0010_i25)."""
        if self.privileged or origin == before or origin not in REVIEW_ORIGINS:
            return
        raise PermissionDenied(f"{self.name} is an annotator: only a reviewer or the merge marks a segment {origin!r}")

    def check_segment_write(self, clip_name: str, finalised: bool, author: str, assigned: bool) -> None:
        """check_write, and an annotator writes segments only on the clips assigned to them: the merge
        reads each clip's assigned annotators only, so work elsewhere would be lost or merged unasked."""
        self.check_write(clip_name, finalised, author)
        if not self.privileged and not assigned:
            raise PermissionDenied(f"clip {clip_name!r} is not assigned to {self.name}: an annotator writes "
                                   "segments only on the clips assigned to them (a reviewer assigns clips)")
