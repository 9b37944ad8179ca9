"""Format-neutral annotation records that every reader returns and every writer takes."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class VideoRecord:
    """One video of an annotation file: its frame count, fps and dataset subset."""

    video_id: str
    fps: float
    total_frames: int
    subset: str | None = None  # "train" | "val" | "test" (annotator.model.Subset values) or None
    subject: str | None = None

    @property
    def duration(self) -> float:
        """Length in seconds, total_frames / fps."""
        return self.total_frames / self.fps


@dataclass(frozen=True, slots=True)
class InstanceRecord:
    """One labelled instance in 0-based frames [start_frame, end_frame] of its video."""

    video_id: str
    start_frame: int
    end_frame: int
    action_id: int


@dataclass(frozen=True, slots=True)
class PredictionRecord:
    """One detection in seconds, with its score."""

    video_id: str
    t_start: float
    t_end: float
    action_id: int
    score: float


@dataclass(slots=True)
class AnnotationSet:
    """What an annotation file holds, in file order, with what the reader noticed.

    Instances are valid: 0 <= start_frame < end_frame <= total_frames - 1 of their video
    (0-based frame indices, as in the official files, whose largest end_frame is
    total_frames - 1), action id known to the taxonomy.
    """

    videos: dict[str, VideoRecord] = field(default_factory=dict)
    instances: list[InstanceRecord] = field(default_factory=list)
    duplicates: list[InstanceRecord] = field(default_factory=list)  # exact repeats, dropped
    same_action_overlaps: int = 0  # kept, counted for the import report (annotation rules)
    short_instances: int = 0  # kept, counted: shorter than MIN_SEGMENT_SECONDS (annotation rules)
