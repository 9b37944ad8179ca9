"""The store's public surface: what every layer outside annotator/store/ may call.

The implementation (annotator/store/store.py, a façade over one module per aggregate;
SQLAlchemy 2.0 ORM in orm.py, Alembic migrations) must satisfy this Protocol; everything it returns is a frozen dataclass from
annotator.model (ORM rows never leave annotator/store/). One Store serves one user: role
and blind-mode checks happen here, in the data layer (docs/ARCHITECTURE.md, "Data model and roles").
`user=None` is
the project owner acting from the command line (no role restriction).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol

from annotator.decisions import Decision
from annotator.model import (
    Annotator,
    Assignment,
    AssignmentState,
    AuditEntry,
    Clip,
    MergedInstance,
    Proposal,
    ProposalStatus,
    Role,
    Segment,
    Subset,
)
from annotator.progress import NEVER, CancelToken
from annotator.taxonomy import Taxonomy


@dataclass(frozen=True, slots=True)
class NewClip:
    """A clip to create (no id yet)."""

    name: str
    subject: str
    fps: float
    frame_count: int
    width: int | None = None
    height: int | None = None
    media_path: str | None = None
    subset: Subset | None = None
    source: str | None = None
    source_offset_frame: int | None = None
    damaged: bool = False


@dataclass(frozen=True, slots=True)
class NewSegment:
    """A segment to bulk-import, naming its clip (no ids yet)."""

    clip_name: str
    start_frame: int
    end_frame: int
    action_id: int


@dataclass(frozen=True, slots=True)
class BulkImport:
    """Everything one annotation file adds, written by Store.import_bulk in ONE transaction.

    new_clips are created (missing subjects too); subsets sets the subset of named clips
    (new or existing); clip_names lists every video of the file; segments are added for `author` with origin IMPORTED; when
    mark_done_for names an annotator (created with role annotator if missing), those
    clips are assigned to them and marked DONE. `note` goes into the single audit row.
    """

    author: str
    new_clips: Sequence[NewClip]
    subsets: Mapping[str, Subset | None]
    segments: Sequence[NewSegment]
    mark_done_for: str | None = None
    note: Mapping[str, object] | None = None
    clip_names: Sequence[str] = ()  # every video the file names, with or without instances


class StoreAPI(Protocol):
    """Project database (SQLite file or PostgreSQL URL), one instance per user."""

    taxonomy: Taxonomy
    user: Annotator | None

    def close(self) -> None: ...
    def as_user(self, name: str | None) -> StoreAPI: ...
    # every call inside runs in ONE transaction: all stored or none (a compound edit)
    def atomic(self) -> AbstractContextManager[None]: ...
    def require_reviewer(self, what: str) -> None: ...  # PermissionDenied for an annotator

    # people
    def add_annotator(self, name: str, role: Role, login: str | None = None,
                      password: str | None = None) -> Annotator: ...  # login: PostgreSQL team mode
    def annotators(self) -> list[Annotator]: ...
    def team_mode(self) -> bool: ...  # PostgreSQL: users connect as their own database logins

    # clips
    def add_clips(self, clips: Sequence[NewClip]) -> list[Clip]: ...
    def clips(self, subset: Subset | None = None) -> list[Clip]: ...
    def clip(self, clip_id: int) -> Clip: ...
    def clip_by_name(self, name: str) -> Clip | None: ...
    def attach_media(self, clip_id: int, media_path: str, fps: float, frame_count: int,
                     width: int, height: int, *, damaged: bool = False) -> Clip: ...
    def set_subsets(self, subsets: Mapping[int, Subset | None]) -> None: ...
    def finalise_clip(self, clip_id: int) -> Clip: ...
    def unfinalise_clip(self, clip_id: int) -> Clip: ...  # open a finalised clip for review again
    # clip id -> why finalise_clip would refuse it on its merge (never merged, or annotators' work changed
    # after the merge: "stale"); open clips only, the same check finalise_clip makes (reviewer or owner)
    def merge_problems(self, clip_ids: Sequence[int]) -> dict[int, str]: ...
    def import_bulk(self, batch: BulkImport, cancel: CancelToken = NEVER) -> dict[str, int]: ...

    # assignments
    def assign(self, clip_id: int, annotator: str) -> Assignment: ...
    def assignments(self, annotator: str | None = None) -> list[Assignment]: ...
    def set_assignment_state(self, clip_id: int, annotator: str, state: AssignmentState) -> Assignment: ...
    def note_opened(self, clip_id: int) -> None: ...  # audit row: the user opened a clip not done yet
    def assign_many(self, clip_ids: Sequence[int], annotators: Sequence[str]) -> int: ...  # new pairs made

    # segments (author = annotator name, GROUND_TRUTH, or "model:<version>")
    def segments(self, clip_id: int, author: str) -> list[Segment]: ...
    def segments_by_clip(self, author: str) -> dict[int, list[Segment]]: ...
    def add_segment(self, segment: Segment) -> Segment: ...
    def update_segment(self, segment: Segment) -> Segment: ...  # checks segment.version
    def delete_segment(self, segment_id: int, version: int) -> None: ...  # soft delete, audited
    def restore_segment(self, segment_id: int) -> Segment: ...  # undo of a delete
    def written_version(self, segment_id: int) -> int | None: ...  # version this Store last wrote

    # proposals from a model version (shared); status = one author's own answer (default: the user's);
    # adding replaces the version's unanswered proposals of the clip (answered ones stay, not re-proposed)
    def add_proposals(self, clip_id: int, model_version: str, proposals: Iterable[Proposal]) -> list[Proposal]: ...
    def proposals(self, clip_id: int, model_version: str | None = None,
                  author: str | None = None) -> list[Proposal]: ...
    def set_proposal_status(self, proposal_id: int, status: ProposalStatus,
                            author: str | None = None) -> Proposal: ...
    # accept = segment (origin proposal-accepted) + status, one transaction; segment_id restores (redo)
    def accept_proposal(self, proposal_id: int, author: str,
                        segment_id: int | None = None) -> tuple[Segment, Proposal]: ...
    def unaccept_proposal(self, proposal_id: int, segment_id: int, version: int) -> Proposal: ...

    # merge results (reviewer or owner only)
    # a re-merge: keeps a decision only on an instance the new output repeats, drops (audits) the rest
    def replace_unresolved_merged(self, clip_id: int, instances: Sequence[MergedInstance]) -> list[MergedInstance]: ...
    def merged_instances(self, clip_id: int) -> list[MergedInstance]: ...
    def merged_by_clip(self) -> dict[int, list[MergedInstance]]: ...  # every clip, stored order
    def resolve_merged(self, instance_id: int, version: int, decision: Decision, start_frame: int,
                       end_frame: int, action_id: int) -> MergedInstance: ...
    def unresolve_merged(self, instance_id: int, version: int) -> MergedInstance: ...  # undo of decisions

    # audit
    def audit_log(self, limit: int = 100, entity: str | None = None) -> list[AuditEntry]: ...
