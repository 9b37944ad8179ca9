"""Clips with proposals against control clips: agreement, model agreement, provenance, time."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from annotator.model import Annotator, AuditEntry, Origin, Proposal, Role, Segment
from merging.proposal_effect import effect_markdown, f1, proposal_effect, seconds_from_audit
from merging.table import ClipWork

A, B = Annotator(1, "a", Role.ANNOTATOR), Annotator(2, "b", Role.ANNOTATOR)


def seg(clip: int, who: str, s: int, e: int, action: int = 3, origin: Origin = Origin.MANUAL) -> Segment:
    return Segment(None, clip, who, s, e, action, origin)


def test_f1_matches_one_to_one_same_action_at_half_tiou() -> None:
    assert f1([(0, 10, 1), (20, 30, 1)], [(0, 10, 1), (1, 9, 1)]) == pytest.approx(0.5)  # one match only
    assert f1([(0, 10, 1)], [(0, 10, 2)]) == 0.0
    assert f1([(0, 10, 1)], [(0, 4, 1)]) == 0.0  # tIoU 0.4
    assert f1([], []) is None


def test_conditions_split_by_control_clip() -> None:
    works = [
        ClipWork(1, 100, (A, B), ((seg(1, "a", 0, 10, origin=Origin.PROPOSAL_ACCEPTED),),
                                  (seg(1, "b", 2, 10, origin=Origin.PROPOSAL_EDITED),))),
        ClipWork(2, 100, (A, B), ((seg(2, "a", 0, 10),), (seg(2, "b", 50, 60),))),
    ]
    proposals = {1: [Proposal(1, 1, "m", 0, 10, 3, 0.9), Proposal(2, 1, "m", 40, 50, 3, 0.1)],
                 2: [Proposal(3, 2, "m", 0, 10, 3, 0.8)]}
    rows = proposal_effect(works, {2}, proposals, 0.5, {(1, "a"): 30.0, (1, "b"): 50.0, (2, "a"): 70.0})
    with_p, control = rows
    assert (with_p.clips, with_p.segments, control.clips) == (1, 2, 1)
    assert with_p.inter_annotator_f1 == 1.0 and control.inter_annotator_f1 == 0.0
    assert with_p.model_f1 == 1.0 and control.model_f1 == pytest.approx(0.5)  # b disagrees with the model
    assert (with_p.accepted_as_is, with_p.accepted_edited, with_p.edge_shift_frames) == (1, 1, 1.0)
    assert (with_p.seconds_per_clip, control.seconds_per_clip) == (40.0, 70.0)
    table = effect_markdown(rows, "m")
    assert "| with proposals | 1 | 2 | 1.000 | 1.000 | 1 / 1 (100 %) | 1.0 | 40 |" in table
    assert "| control | 1 | 2 | 0.000 | 0.500 | 0 / 0 (0 %) | – | 70 |" in table


def test_time_per_clip_from_the_audit_log() -> None:
    def entry(i: int, second: int, state: str, who: str = "a", clip: int = 1) -> AuditEntry:
        return AuditEntry(i, datetime(2026, 1, 1, 10, 0, second, tzinfo=UTC), who, "set_state", "assignment", clip,
                          None, json.dumps({"annotator": who, "state": state}))

    entries = [entry(1, 0, "in_progress"), entry(2, 20, "done"), entry(3, 25, "in_progress"), entry(4, 40, "done"),
               entry(5, 5, "in_progress", "b"), entry(6, 9, "in_progress", "b", 2),
               AuditEntry(7, datetime(2026, 1, 1, 10, 1, 0, tzinfo=UTC), "c", "open", "assignment", 3, None,
                          json.dumps({"annotator": "c", "state": "todo"})), entry(8, 0, "done", "c", 3)]
    entries[-1] = replace(entries[-1], at=datetime(2026, 1, 1, 10, 1, 30, tzinfo=UTC))
    assert seconds_from_audit(entries) == {(1, "a"): 40.0, (3, "c"): 30.0}  # a reopened: first start to last done


def test_the_table_says_how_many_private_proposals_it_left_out() -> None:
    only_private = effect_markdown([], None, 2)
    assert "No shared proposal was stored." in only_private
    assert "2 proposal(s) that annotators' own model loops stored are left out" in only_private
    assert "left out" not in effect_markdown([], "v1")
