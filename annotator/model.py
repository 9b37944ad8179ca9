"""Domain records (frozen dataclasses) that every layer outside annotator/store/ sees.

Times are integer frame indices of a clip plus the clip's fps. A segment with frames
[start_frame, end_frame] spans [start_frame / fps, end_frame / fps] seconds
(docs/ARCHITECTURE.md, "Data model and roles").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from annotator.decisions import Decision

MIN_SEGMENT_SECONDS = 0.2
GROUND_TRUTH = "ground-truth"  # author name of imported ground truth
MERGE_AUTHOR = "merge"  # author name of merged instances


class Role(StrEnum):
    """What a user of the project may do."""

    ANNOTATOR = "annotator"
    REVIEWER = "reviewer"


class AssignmentState(StrEnum):
    """An annotator's progress on one clip; DONE means the annotator said so."""

    TODO = "todo"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class Origin(StrEnum):
    """How a segment came to be."""

    MANUAL = "manual"
    IMPORTED = "imported"
    PROPOSAL_ACCEPTED = "proposal-accepted"
    PROPOSAL_EDITED = "proposal-edited"
    MERGED = "merged"
    REVIEWED = "reviewed"


class ProposalStatus(StrEnum):
    """An annotator's answer to a model proposal."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class MergeRule(StrEnum):
    """Which rule of the merge produced an instance (docs/ARCHITECTURE.md, "Merge, cross-check and review")."""

    UNION = "union"  # IoU(A_ĵ, A_k̂) > 0.5: hull of the two
    PARTNER = "partner"  # otherwise: the partner's segment A_k̂
    SINGLE = "single"  # only one annotation in the group


class MergedStatus(StrEnum):
    """Review state of a merged instance."""

    RELIABLE = "reliable"
    NEEDS_REVIEW = "needs_review"
    RESOLVED = "resolved"


class Subset(StrEnum):
    """Dataset split names used in the store; the formats map them to their own words."""

    TRAIN = "train"
    VAL = "val"
    TEST = "test"


@dataclass(frozen=True, slots=True)
class Annotator:
    """A user of the project."""

    id: int
    name: str
    role: Role


@dataclass(frozen=True, slots=True)
class Clip:
    """A 5–15 s video clip; media_path is relative to the project's media root, or None."""

    id: int
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
    finalised: bool = False
    damaged: bool = False  # fewer frames decode than the container declares (imported with --accept-damaged)

    @property
    def duration(self) -> float:
        """Length in seconds, frame_count / fps."""
        return self.frame_count / self.fps


@dataclass(frozen=True, slots=True)
class Assignment:
    """Clip × annotator with its state."""

    clip_id: int
    annotator_id: int
    state: AssignmentState


@dataclass(frozen=True, slots=True)
class Segment:
    """One labelled instance [start_frame, end_frame] of one action by one author."""

    id: int | None
    clip_id: int
    author: str
    start_frame: int
    end_frame: int
    action_id: int
    origin: Origin = Origin.MANUAL
    confidence: float | None = None
    version: int = 1
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def length_frames(self) -> int:
        """end_frame - start_frame."""
        return self.end_frame - self.start_frame


@dataclass(frozen=True, slots=True)
class Proposal:
    """A detector's suggestion for a clip, in frames of that clip.

    `requested_by` None: shared by every annotator of the clip (a reviewer's, the owner's or the
    model runner's); an annotator's name: private to that annotator (their own model loop asked).
    """

    id: int | None
    clip_id: int
    model_version: str
    start_frame: int
    end_frame: int
    action_id: int
    score: float
    status: ProposalStatus = ProposalStatus.PENDING
    requested_by: str | None = None


@dataclass(frozen=True, slots=True)
class MergedInstance:
    """An instance the merge produced, with provenance and review state."""

    id: int | None
    clip_id: int
    start_frame: int
    end_frame: int
    action_id: int
    segment_ids: tuple[int, ...]
    rule: MergeRule
    reliable: bool
    status: MergedStatus
    majority: Decision | None = None  # what the majority decided, pre-selected for the reviewer
    decision: Decision | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    version: int = 1


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """Who changed what, when, with the old and new values as JSON text."""

    id: int
    at: datetime
    user: str
    action: str
    entity: str
    entity_id: int | None
    old: str | None
    new: str | None
