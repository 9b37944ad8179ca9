"""Simulated annotators answering proposals: accept within tolerance, fix, recognise, reject."""

from __future__ import annotations

from annotator.formats.records import AnnotationSet, InstanceRecord, VideoRecord
from annotator.model import Origin
from annotator.synthetic.assisted import assist_clip, assisted_work, edge_moves


def test_accept_within_tolerance_fix_beyond_it_and_draw_the_rest() -> None:
    own = [InstanceRecord("v", 10, 40, 3), InstanceRecord("v", 100, 140, 5), InstanceRecord("v", 200, 230, 7)]
    truth = [InstanceRecord("v", 10, 40, 3), InstanceRecord("v", 100, 140, 5), InstanceRecord("v", 300, 330, 9)]
    shown = [(12, 38, 3), (95, 150, 5), (200, 230, 8), (301, 331, 9), (400, 420, 1)]
    out = assist_clip("v", own, truth, shown, tolerance=3)
    assert [(i.start_frame, i.end_frame, i.action_id, i.origin) for i in out] == [
        (12, 38, 3, Origin.PROPOSAL_ACCEPTED),  # both edges within 3 frames: taken as is
        (100, 140, 5, Origin.PROPOSAL_EDITED),  # edges 5 and 10 frames off: accepted, then moved
        (200, 230, 7, Origin.MANUAL),  # the model said another action
        (301, 331, 9, Origin.PROPOSAL_ACCEPTED),  # missed by the annotator, recognised when shown
    ]
    assert edge_moves(out, {"v": shown}).tolist() == [7.5]


def test_clips_without_proposals_are_drawn_by_hand() -> None:
    videos = {"a": VideoRecord("a", 30.0, 300), "b": VideoRecord("b", 30.0, 300)}
    own = AnnotationSet(videos=videos, instances=[InstanceRecord("a", 0, 30, 1), InstanceRecord("b", 0, 30, 1)])
    out = assisted_work(own, own, {"a": [(0, 30, 1)]}, tolerance=2)
    assert [(i.video_id, i.origin) for i in out] == [("a", Origin.PROPOSAL_ACCEPTED), ("b", Origin.MANUAL)]
