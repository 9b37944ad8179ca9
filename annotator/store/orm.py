"""SQLAlchemy ORM rows; they never leave annotator/store/.

Enumerations are plain strings guarded by CHECK constraints (portable across SQLite and
PostgreSQL, and simple to migrate). Times are frame indices of the clip
(docs/ARCHITECTURE.md, "Data model and roles").
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from annotator.decisions import sql_check
from annotator.model import AssignmentState, MergedStatus, MergeRule, Origin, ProposalStatus, Role, Subset

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _one_of(column: str, values: type[object], nullable: bool = False) -> str:
    """SQL text `column IN ('a', 'b')` for a StrEnum's values."""
    listed = ", ".join(f"'{v}'" for v in values)  # type: ignore[attr-defined]
    clause = f"{column} IN ({listed})"
    return f"{column} IS NULL OR {clause}" if nullable else clause


class Base(DeclarativeBase):
    """Declarative base with constraint names Alembic can address."""

    metadata = MetaData(naming_convention=NAMING)


class MetaRow(Base):
    """Key/value facts about the project database (taxonomy snapshot, schema notes)."""

    __tablename__ = "project_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class SubjectRow(Base):
    """A person filmed."""

    __tablename__ = "subjects"
    id: Mapped[str] = mapped_column(String(128), primary_key=True)


class ClipRow(Base):
    """A clip of a recording; media_path is relative to the media root."""

    __tablename__ = "clips"
    __table_args__ = (
        CheckConstraint("fps > 0", name="fps_positive"),
        CheckConstraint("frame_count > 0", name="frame_count_positive"),
        CheckConstraint("width IS NULL OR width > 0", name="width_positive"),
        CheckConstraint("height IS NULL OR height > 0", name="height_positive"),
        CheckConstraint("source_offset_frame IS NULL OR source_offset_frame >= 0", name="offset_nonneg"),
        CheckConstraint(_one_of("subset", Subset, nullable=True), name="subset_enum"),
        Index("ix_clips_subject", "subject_id"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    subject_id: Mapped[str] = mapped_column(ForeignKey("subjects.id"))
    fps: Mapped[float] = mapped_column(Float)
    frame_count: Mapped[int] = mapped_column(Integer)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    media_path: Mapped[str | None] = mapped_column(Text)
    subset: Mapped[str | None] = mapped_column(String(16))
    source: Mapped[str | None] = mapped_column(Text)
    source_offset_frame: Mapped[int | None] = mapped_column(Integer)
    finalised: Mapped[bool] = mapped_column(Boolean, default=False)
    damaged: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class AnnotatorRow(Base):
    """A user of the project with a role."""

    __tablename__ = "annotators"
    __table_args__ = (CheckConstraint(_one_of("role", Role), name="role_enum"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    login: Mapped[str | None] = mapped_column(String(63), unique=True)  # PostgreSQL login role (team mode)


class AssignmentRow(Base):
    """Clip × annotator with a state."""

    __tablename__ = "assignments"
    __table_args__ = (
        CheckConstraint(_one_of("state", AssignmentState), name="state_enum"),
        Index("ix_assignments_annotator", "annotator_id"),
    )
    clip_id: Mapped[int] = mapped_column(ForeignKey("clips.id", ondelete="CASCADE"), primary_key=True)
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id"), primary_key=True)
    state: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SegmentRow(Base):
    """One labelled instance by one author; deleted rows stay (soft delete)."""

    __tablename__ = "segments"
    __table_args__ = (
        CheckConstraint("start_frame >= 0", name="start_nonneg"),
        CheckConstraint("end_frame > start_frame", name="end_after_start"),
        CheckConstraint("action_id >= 0", name="action_nonneg"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint("confidence IS NULL OR (confidence >= 0 AND confidence <= 1)", name="confidence_range"),
        CheckConstraint(_one_of("origin", Origin), name="origin_enum"),
        Index("ix_segments_clip_author", "clip_id", "author"),
        Index("ix_segments_author", "author"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    clip_id: Mapped[int] = mapped_column(ForeignKey("clips.id", ondelete="CASCADE"))
    author: Mapped[str] = mapped_column(String(128))
    start_frame: Mapped[int] = mapped_column(Integer)
    end_frame: Mapped[int] = mapped_column(Integer)
    action_id: Mapped[int] = mapped_column(Integer)
    origin: Mapped[str] = mapped_column(String(32))
    confidence: Mapped[float | None] = mapped_column(Float)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)


class ProposalRow(Base):
    """A detector's suggestion: shared by every annotator of the clip (requested_by NULL), or private
    to the annotator whose own model loop asked for it (requested_by: their name). Answers: ProposalAnswerRow."""

    __tablename__ = "proposals"
    __table_args__ = (
        CheckConstraint("start_frame >= 0", name="start_nonneg"),
        CheckConstraint("end_frame > start_frame", name="end_after_start"),
        Index("ix_proposals_clip_model", "clip_id", "model_version"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    clip_id: Mapped[int] = mapped_column(ForeignKey("clips.id", ondelete="CASCADE"))
    model_version: Mapped[str] = mapped_column(String(128))
    start_frame: Mapped[int] = mapped_column(Integer)
    end_frame: Mapped[int] = mapped_column(Integer)
    action_id: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)
    requested_by: Mapped[str | None] = mapped_column(String(128))


class ProposalAnswerRow(Base):
    """One author's answer to a proposal (no row: still pending for them); an acceptance names
    the segment it made, which is that author's alone."""

    __tablename__ = "proposal_answers"
    __table_args__ = (
        CheckConstraint(f"status IN ('{ProposalStatus.ACCEPTED}', '{ProposalStatus.REJECTED}')", name="status_enum"),
        Index("ix_proposal_answers_author", "author"),
    )
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), primary_key=True)
    author: Mapped[str] = mapped_column(String(128), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))
    segment_id: Mapped[int | None] = mapped_column(ForeignKey("segments.id"))
    answered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MergedRow(Base):
    """A merged instance: boundaries, rule, cross-check result, review state and decision."""

    __tablename__ = "merged_instances"
    __table_args__ = (
        CheckConstraint("start_frame >= 0", name="start_nonneg"),
        CheckConstraint("end_frame > start_frame", name="end_after_start"),
        CheckConstraint(_one_of("rule", MergeRule), name="rule_enum"),
        CheckConstraint(_one_of("status", MergedStatus), name="status_enum"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint("proposed_end_frame > proposed_start_frame", name="proposed_end_after_start"),
        CheckConstraint(sql_check("decision"), name="decision_form"),
        CheckConstraint(sql_check("majority"), name="majority_form"),
        Index("ix_merged_clip", "clip_id"),
        # a re-merge deletes rows and inserts new ones: an id must never name two instances (0009)
        {"sqlite_autoincrement": True},
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    clip_id: Mapped[int] = mapped_column(ForeignKey("clips.id", ondelete="CASCADE"))
    start_frame: Mapped[int] = mapped_column(Integer)
    end_frame: Mapped[int] = mapped_column(Integer)
    action_id: Mapped[int] = mapped_column(Integer)
    # what the merge proposed, kept through decisions (the undo of a decision puts it back)
    proposed_start_frame: Mapped[int] = mapped_column(Integer)
    proposed_end_frame: Mapped[int] = mapped_column(Integer)
    proposed_action_id: Mapped[int] = mapped_column(Integer)
    rule: Mapped[str] = mapped_column(String(16))
    reliable: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(16))
    majority: Mapped[str | None] = mapped_column(String(64))  # an annotator.decisions.Decision's text
    decision: Mapped[str | None] = mapped_column(String(160))  # ditto; take:<name> holds a 128-char name
    decided_by: Mapped[str | None] = mapped_column(String(128))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=1)


class MergedSegmentRow(Base):
    """Which segments contributed to a merged instance, in order."""

    __tablename__ = "merged_segments"
    __table_args__ = (UniqueConstraint("merged_id", "position", name="position_unique"),)
    merged_id: Mapped[int] = mapped_column(ForeignKey("merged_instances.id", ondelete="CASCADE"), primary_key=True)
    segment_id: Mapped[int] = mapped_column(ForeignKey("segments.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)


class AuditRow(Base):
    """Who changed what, when; old and new values as JSON text."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    user: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)
