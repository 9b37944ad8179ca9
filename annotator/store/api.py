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
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from annotator.decisions import Decision
from annotator.model import (
    Annotator,
    Assignment,
    AssignmentState,
    AuditEntry,
    Clip,
    MergedInstance,
    MergedStatus,
    Proposal,
    ProposalStatus,
    Role,
    Segment,
    Subset,
)
from annotator.progress import NEVER, CancelToken, Progress, no_progress

if TYPE_CHECKING:
    from annotator.store.live import ChangeFeed

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


@dataclass(frozen=True, slots=True)
class MergeWrite:
    """What Store.store_merge wrote: clips stored, instances written, decisions kept and dropped."""

    clips: int
    written: int
    kept: int  # resolved instances the new output repeats (left as they are)
    dropped: tuple[int, ...]  # ids of resolved instances the new output no longer repeats (audited)
    finalised: tuple[int, ...]  # ids of clips refused: finalised (their ground truth is closed)


@dataclass(frozen=True, slots=True)
class MergedOutline:
    """A merged instance's id, review state and segments: what queues count, without the rest."""

    id: int
    clip_id: int
    status: MergedStatus
    segment_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class PlannedDecision:
    """A decision finalise_bulk takes on a merged instance (read at `version`)."""

    instance_id: int
    version: int
    decision: Decision
    start_frame: int
    end_frame: int
    action_id: int


@dataclass(frozen=True, slots=True)
class SegmentWrites:
    """The segment writes of one edit of one clip, stored together (StoreAPI.write_segments).

    add: new rows, each under its temporary id (bound to the stored id); update: version-checked
    against segment.version; delete: (id, version) soft deletes; restore: ids of deleted rows.
    """

    clip_id: int
    add: tuple[Segment, ...] = ()
    update: tuple[Segment, ...] = ()
    delete: tuple[tuple[int, int], ...] = ()
    restore: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class SegmentsWritten:
    """What write_segments stored: the rows as they now are, in the order asked, and (temporary, stored) ids."""

    added: tuple[Segment, ...] = ()
    updated: tuple[Segment, ...] = ()
    restored: tuple[Segment, ...] = ()
    bound: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class ClipView:
    """What the annotation screen shows of one clip for one author (Store.clip_view)."""

    clip: Clip
    state: AssignmentState | None
    segments: list[Segment]
    proposals: list[Proposal]
    final: list[MergedInstance] = field(default_factory=list)  # a finalised clip's merged instances, else none


@dataclass(frozen=True, slots=True)
class ReviewView:
    """What the review screen reads of one clip (Store.review_view): the clip, its assigned
    annotators (annotator id order), their live segments (by name, stored order), its merged
    instances (stored order) and why finalising would be refused on its merge (merge_problems)."""

    clip: Clip
    annotators: list[str]
    segments: dict[str, list[Segment]]
    merged: list[MergedInstance]
    merge_problem: str | None = None


class StoreAPI(Protocol):
    """Project database (SQLite file or PostgreSQL URL), one instance per user."""

    taxonomy: Taxonomy
    user: Annotator | None

    def close(self) -> None: ...
    def as_user(self, name: str | None) -> StoreAPI: ...
    # every call inside runs in ONE transaction: all stored or none (a compound edit)
    def atomic(self) -> AbstractContextManager[None]: ...
    # one edit: atomic(), with its receipt (record_edit) in the same transaction; on PostgreSQL an edit
    # that is one write_segments (or one other single-statement write) commits in ONE round trip
    def edit(self, edit_id: str | None) -> AbstractContextManager[None]: ...
    def for_thread(self) -> StoreAPI: ...  # the same user on a store object of its own (a task thread)
    def for_writer(self) -> StoreAPI: ...  # the same user on connections of its own (a background writer)
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
    def assignments(self, annotator: str | None = None, *, clip_id: int | None = None) -> list[Assignment]: ...
    def set_assignment_state(self, clip_id: int, annotator: str, state: AssignmentState) -> Assignment: ...
    def note_opened(self, clip_id: int) -> None: ...  # audit row: the user opened a clip not done yet
    def assign_many(self, clip_ids: Sequence[int], annotators: Sequence[str]) -> int: ...  # new pairs made

    # segments (author = annotator name, GROUND_TRUTH, or "model:<version>")
    def segments(self, clip_id: int, author: str) -> list[Segment]: ...
    def segments_by_clip(self, author: str) -> dict[int, list[Segment]]: ...
    def clip_view(self, clip_id: int, author: str) -> ClipView: ...  # one snapshot: the screen's open clip
    def add_segment(self, segment: Segment) -> Segment: ...
    def update_segment(self, segment: Segment) -> Segment: ...  # checks segment.version
    def delete_segment(self, segment_id: int, version: int) -> None: ...  # soft delete, audited
    def restore_segment(self, segment_id: int) -> Segment: ...  # undo of a delete
    def write_segments(self, writes: SegmentWrites) -> SegmentsWritten: ...  # all of them, or none

    # proposals from a model version (shared); status = one author's own answer (default: the user's);
    # adding replaces the version's unanswered proposals of the clip (answered ones stay, not re-proposed)
    def add_proposals(self, clip_id: int, model_version: str, proposals: Iterable[Proposal]) -> list[Proposal]: ...
    def proposals(self, clip_id: int, model_version: str | None = None,
                  author: str | None = None) -> list[Proposal]: ...
    def proposals_by_clip(self, clip_ids: Sequence[int]) -> dict[int, list[Proposal]]: ...  # proposals() of many clips
    def set_proposal_status(self, proposal_id: int, status: ProposalStatus,
                            author: str | None = None) -> Proposal: ...
    # accept = segment (origin proposal-accepted) + status, one transaction; segment_id restores (redo)
    def accept_proposal(self, proposal_id: int, author: str,
                        segment_id: int | None = None) -> tuple[Segment, Proposal]: ...
    def unaccept_proposal(self, proposal_id: int, segment_id: int, version: int) -> Proposal: ...

    # merge results (reviewer or owner only)
    # a re-merge: keeps a decision only on an instance the new output repeats, drops (audits) the rest
    def replace_unresolved_merged(self, clip_id: int, instances: Sequence[MergedInstance]) -> list[MergedInstance]: ...
    # the same for many clips (clip id -> the merge's output) in ONE transaction, with a few statements
    # per chunk of clips; finalised clips are left alone and named in the result
    def store_merge(self, results: Mapping[int, Sequence[MergedInstance]], progress: Progress = no_progress,
                    cancel: CancelToken = NEVER) -> MergeWrite: ...
    # resolve_merged of each plan's decisions then finalise_clip, for many clips in ONE transaction; a clip
    # refused (clip id -> the reason finalise_clip or resolve_merged gives) keeps none of its decisions
    def finalise_bulk(self, plans: Mapping[int, Sequence[PlannedDecision]], progress: Progress = no_progress,
                      cancel: CancelToken = NEVER) -> dict[int, str]: ...
    def merged_instances(self, clip_id: int) -> list[MergedInstance]: ...
    def review_view(self, clip_id: int) -> ReviewView: ...  # reviewer or owner; one snapshot, one round trip
    def merged_by_clip(self) -> dict[int, list[MergedInstance]]: ...  # every clip, stored order
    def merged_outline(self) -> dict[int, list[MergedOutline]]: ...  # the same, id, status and segments only
    # whole-project reads in one query each: ids of every live segment (reviewer or owner), and
    # (clip id, author) -> how many live segments the author has on the clip (an annotator: own only)
    def live_segment_ids(self) -> set[int]: ...
    def segment_counts(self, author: str | None = None) -> dict[tuple[int, str], int]: ...
    def resolve_merged(self, instance_id: int, version: int, decision: Decision, start_frame: int,
                       end_frame: int, action_id: int) -> MergedInstance: ...
    def unresolve_merged(self, instance_id: int, version: int) -> MergedInstance: ...  # undo of decisions

    # edits from a desktop's journal: a receipt in the edit's own transaction (inside atomic()), so a
    # replay never stores one twice; the feed says which clips others' committed writes touched
    def record_edit(self, edit_id: str, bindings: dict[int, int]) -> None: ...
    def edit_recorded(self, edit_id: str) -> dict[int, int] | None: ...
    def change_feed(self) -> ChangeFeed: ...

    # audit
    def audit_log(self, limit: int = 100, entity: str | None = None) -> list[AuditEntry]: ...
