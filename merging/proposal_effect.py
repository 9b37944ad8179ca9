"""What proposals do to the annotations: clips with proposals against control clips.

For each condition (clips whose annotators could see proposals / control clips where they
were held back) the report gives: inter-annotator agreement (pairwise F1 at tIoU 0.5, same
action, greedy by tIoU), agreement of each annotator with the model (F1 at tIoU 0.5 against
the version's proposals at its threshold, pending or decided), how many instances came from
accepted proposals (as is / then edited) and how far their edges were moved from the
proposal, and the annotators' time per clip (from its first opening, or first "in progress",
to its last "done" in the audit log). Pure numpy; the caller reads the store and passes the
shared proposals only (app/cli/agreement_effect.py).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np

from annotator.model import AssignmentState, AuditEntry, Origin, Proposal, Segment
from merging.table import ClipWork
from merging.tiou import tiou_matrix

MATCH_TIOU = 0.5
CONDITIONS = ("with proposals", "control")


@dataclass(frozen=True, slots=True)
class ConditionRow:
    """The figures of one condition."""

    condition: str
    clips: int
    segments: int
    inter_annotator_f1: float | None
    model_f1: float | None
    accepted_as_is: int
    accepted_edited: int
    edge_shift_frames: float | None  # mean |Δstart| + |Δend| / 2 of edited accepted instances
    seconds_per_clip: float | None  # median over annotator × clip

    @property
    def from_proposals(self) -> int:
        """Instances that began as an accepted proposal."""
        return self.accepted_as_is + self.accepted_edited

    def to_json(self) -> dict[str, Any]:
        """Plain data."""
        return {"condition": self.condition, "clips": self.clips, "segments": self.segments,
                "inter_annotator_f1": self.inter_annotator_f1, "model_f1": self.model_f1,
                "accepted_as_is": self.accepted_as_is, "accepted_edited": self.accepted_edited,
                "from_proposals_share": self.from_proposals / self.segments if self.segments else None,
                "edge_shift_frames": self.edge_shift_frames, "seconds_per_clip": self.seconds_per_clip}


def match_count(a: Sequence[tuple[int, int, int]], b: Sequence[tuple[int, int, int]],
                min_tiou: float = MATCH_TIOU) -> int:
    """One-to-one matches of (start, end, action) between a and b: same action, tIoU >= min, best first."""
    return len(match_pairs(a, b, min_tiou))


def match_pairs(a: Sequence[tuple[int, int, int]], b: Sequence[tuple[int, int, int]],
                min_tiou: float = MATCH_TIOU) -> list[tuple[int, int]]:
    """The one-to-one matches as (index in a, index in b), best tIoU first."""
    if not a or not b:
        return []
    sa, ea, aa = (np.array(x) for x in zip(*a, strict=True))
    sb, eb, ab = (np.array(x) for x in zip(*b, strict=True))
    iou = tiou_matrix(sa, ea, sb, eb)
    iou[aa[:, None] != ab[None, :]] = -1.0
    pairs = np.argwhere(iou >= min_tiou)
    order = np.argsort(-iou[pairs[:, 0], pairs[:, 1]], kind="stable")
    used_a: set[int] = set()
    used_b: set[int] = set()
    hits: list[tuple[int, int]] = []
    for i, j in pairs[order].tolist():
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            hits.append((i, j))
    return hits


def f1(a: Sequence[tuple[int, int, int]], b: Sequence[tuple[int, int, int]]) -> float | None:
    """F1 of two instance lists (None when both are empty)."""
    total = len(a) + len(b)
    return 2 * match_count(a, b) / total if total else None


def _items(segments: Sequence[Segment] | Sequence[Proposal]) -> list[tuple[int, int, int]]:
    return [(s.start_frame, s.end_frame, s.action_id) for s in segments]


def _mean(values: Sequence[float | None]) -> float | None:
    kept = [v for v in values if v is not None]
    return float(np.mean(kept)) if kept else None


def _edge_shift(segment: Segment, proposals: Sequence[Proposal]) -> float | None:
    """Mean edge move of an edited accepted segment from the proposal it most overlaps."""
    same = [p for p in proposals if p.action_id == segment.action_id]
    if not same:
        return None
    iou = tiou_matrix([segment.start_frame], [segment.end_frame], [p.start_frame for p in same],
                      [p.end_frame for p in same])[0]
    p = same[int(np.argmax(iou))]
    return (abs(segment.start_frame - p.start_frame) + abs(segment.end_frame - p.end_frame)) / 2


def condition_row(name: str, works: Sequence[ClipWork], proposals: Mapping[int, Sequence[Proposal]],
                  threshold: float, seconds: Mapping[tuple[int, str], float]) -> ConditionRow:
    """The figures of one condition over its clips' work."""
    pair_f1: list[float | None] = []
    model_f1: list[float | None] = []
    shifts: list[float | None] = []
    as_is = edited = segments = 0
    times: list[float] = []
    for work in works:
        shown = [p for p in proposals.get(work.clip_id, []) if p.score >= threshold]
        for segs in work.segments:
            segments += len(segs)
            model_f1.append(f1(_items(segs), _items(shown)))
            as_is += sum(s.origin is Origin.PROPOSAL_ACCEPTED for s in segs)
            for s in segs:
                if s.origin is Origin.PROPOSAL_EDITED:
                    edited += 1
                    shifts.append(_edge_shift(s, proposals.get(work.clip_id, [])))
        pair_f1.extend(f1(_items(x), _items(y)) for x, y in combinations(work.segments, 2))
        times.extend(seconds[(work.clip_id, a.name)] for a in work.annotators if (work.clip_id, a.name) in seconds)
    return ConditionRow(name, len(works), segments, _mean(pair_f1), _mean(model_f1), as_is, edited,
                        _mean(shifts), float(np.median(times)) if times else None)


def proposal_effect(works: Sequence[ClipWork], control: set[int], proposals: Mapping[int, Sequence[Proposal]],
                    threshold: float, seconds: Mapping[tuple[int, str], float] | None = None) -> list[ConditionRow]:
    """One row for the clips with proposals and one for the control clips."""
    seconds = seconds or {}
    return [condition_row(CONDITIONS[0], [w for w in works if w.clip_id not in control], proposals, threshold, seconds),
            condition_row(CONDITIONS[1], [w for w in works if w.clip_id in control], proposals, threshold, seconds)]


def seconds_from_audit(entries: Sequence[AuditEntry]) -> dict[tuple[int, str], float]:
    """(clip id, annotator) -> seconds from the first opening (or "in progress") to the last "done"."""
    began: dict[tuple[int, str], float] = {}
    ended: dict[tuple[int, str], float] = {}
    for e in sorted(entries, key=lambda e: e.id):
        if e.action not in ("open", "set_state") or e.entity != "assignment" or e.entity_id is None or not e.new:
            continue
        new = json.loads(e.new)
        key = (e.entity_id, str(new.get("annotator")))
        if e.action == "open" or new.get("state") == AssignmentState.IN_PROGRESS:
            began.setdefault(key, e.at.timestamp())
        elif new.get("state") == AssignmentState.DONE:
            ended[key] = e.at.timestamp()
    return {k: ended[k] - t for k, t in began.items() if k in ended and ended[k] >= t}


def _cell(value: float | None, fmt: str) -> str:
    return "–" if value is None else format(value, fmt)


def private_note(left_out: int) -> str:
    """The line saying how many proposals of annotators' own model loops the comparison left out."""
    return (f"{left_out} proposal(s) that annotators' own model loops stored are left out: each was in one "
            "annotator's lane only (instances accepted from them still count as from proposals)")


def effect_markdown(rows: Sequence[ConditionRow], version: str | None, left_out: int = 0) -> str:
    """The with/without table as Markdown (only the note when no shared proposal was stored)."""
    note = ["", private_note(left_out)] if left_out else []
    if version is None:
        return "\n".join(["### Proposals against control clips", "", "No shared proposal was stored.", *note]) + "\n"
    lines = [f"### Proposals ({version}) against control clips", "",
             "| condition | clips | instances | inter-annotator F1@0.5 | annotator–model F1@0.5 | "
             "from proposals (as is / edited) | edge shift of edited (frames) | time per clip (s) |",
             "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        share = f" ({100 * r.from_proposals / r.segments:.0f} %)" if r.segments else ""
        lines.append(f"| {r.condition} | {r.clips} | {r.segments} | {_cell(r.inter_annotator_f1, '.3f')} | "
                     f"{_cell(r.model_f1, '.3f')} | {r.accepted_as_is} / {r.accepted_edited}{share} | "
                     f"{_cell(r.edge_shift_frames, '.1f')} | {_cell(r.seconds_per_clip, '.0f')} |")
    return "\n".join(lines + note) + "\n"
