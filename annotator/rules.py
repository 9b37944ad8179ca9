"""Annotation rules, checked in the domain layer before anything is stored (docs/ARCHITECTURE.md, "Data model and roles")."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from annotator.errors import RuleViolation
from annotator.model import MIN_SEGMENT_SECONDS, Clip, Segment
from annotator.taxonomy import Taxonomy


def min_length_frames(fps: float, seconds: float = MIN_SEGMENT_SECONDS) -> int:
    """The fewest frames a segment may span at this fps (0.2 s, rounded up to whole frames)."""
    # A tiny epsilon keeps 0.2 * 30 = 6.000000000000001 from becoming 7.
    return max(1, math.ceil(seconds * fps - 1e-9))


def validate_bounds(start_frame: int, end_frame: int, clip: Clip) -> None:
    """Raise RuleViolation unless start < end, both inside the clip and length >= 0.2 s."""
    where = f"clip {clip.name!r}"
    if start_frame < 0:
        raise RuleViolation(f"{where}: start frame {start_frame} is before the first frame (0)")
    if end_frame <= start_frame:
        raise RuleViolation(f"{where}: end frame {end_frame} must be after start frame {start_frame}")
    if end_frame >= clip.frame_count:
        raise RuleViolation(
            f"{where}: end frame {end_frame} is past the last frame ({clip.frame_count - 1})"
        )
    shortest = min_length_frames(clip.fps)
    if end_frame - start_frame < shortest:
        seconds = (end_frame - start_frame) / clip.fps
        raise RuleViolation(
            f"{where}: segment {start_frame}-{end_frame} lasts {seconds:.3f} s, shorter than "
            f"{MIN_SEGMENT_SECONDS} s ({shortest} frames at {clip.fps:g} fps)"
        )


def validate_action(action_id: int, taxonomy: Taxonomy) -> None:
    """Raise RuleViolation when the action id is not in the taxonomy."""
    if not 0 <= action_id < len(taxonomy.actions):
        raise RuleViolation(
            f"unknown action id {action_id}: taxonomy {taxonomy.name} has ids 0-{len(taxonomy.actions) - 1}"
        )


def validate_segment(segment: Segment, clip: Clip, taxonomy: Taxonomy) -> None:
    """Raise RuleViolation when the segment breaks one of these rules."""
    if segment.clip_id != clip.id:
        raise RuleViolation(f"segment belongs to clip {segment.clip_id}, not {clip.id}")
    validate_action(segment.action_id, taxonomy)
    validate_bounds(segment.start_frame, segment.end_frame, clip)


def overlaps(a: Segment, b: Segment) -> bool:
    """Whether two segments share some time (touching end to start counts as no overlap)."""
    return a.start_frame < b.end_frame and b.start_frame < a.end_frame


def same_action_overlaps(segments: Iterable[Segment]) -> list[tuple[Segment, Segment]]:
    """Pairs of one author's segments on one clip with the same action that overlap."""
    by_key: dict[tuple[int, str, int], list[Segment]] = {}
    for seg in segments:
        by_key.setdefault((seg.clip_id, seg.author, seg.action_id), []).append(seg)
    pairs: list[tuple[Segment, Segment]] = []
    for group in by_key.values():
        group.sort(key=lambda s: (s.start_frame, s.end_frame))
        for i, first in enumerate(group):
            for second in group[i + 1:]:
                if second.start_frame >= first.end_frame:
                    break
                pairs.append((first, second))
    return pairs


def overlapping_same_action(candidate: Segment, others: Sequence[Segment]) -> list[Segment]:
    """The segments among `others` (same author, same action) that the candidate overlaps."""
    return [
        o for o in others
        if o.id != candidate.id and o.author == candidate.author
        and o.action_id == candidate.action_id and overlaps(o, candidate)
    ]
