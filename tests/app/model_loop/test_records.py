"""The pipeline's job records: JSON round trips, clear errors, and the one proposal filter."""

from __future__ import annotations

import json
from typing import Any

import pytest

from annotator.errors import InputError
from annotator.formats.records import PredictionRecord
from app.model_loop.proposing import PROPOSALS, ProposalFilter, proposals_from
from app.model_loop.records import (
    ClipRef,
    Guards,
    PoseSpec,
    ProposeResult,
    ProposeSpec,
    TrainOutcome,
    TrainSpec,
)


def through_json(data: dict[str, Any]) -> Any:
    """What the other process reads: the record written as JSON text and parsed back."""
    return json.loads(json.dumps(data))


def test_records_survive_their_json_form() -> None:
    spec = TrainSpec(project="/p", backbone="videomae-vit-s", pretrained="w.pth", window=128, resume=True,
                     lr=1e-4, guards=Guards(3, 7, False, True))
    assert TrainSpec.from_json(through_json(spec.to_json())) == spec and spec.to_json()["job"] == "train"
    ask = ProposeSpec("v", "/p/models/1/best.pt", (ClipRef(1, "c", 30.0, 300, "/m/c.mp4"),), project="/p")
    assert ProposeSpec.from_json(through_json(ask.to_json())) == ask
    result = ProposeResult("v", {1: [(0, 30, 4, 0.5)]}, 1.5)
    assert ProposeResult.from_json(through_json(result.to_json())) == result
    outcome = TrainOutcome({"number": 2, "val": {"avg": 0.1}}, False, "worse", 3, True)
    assert TrainOutcome.from_json(through_json(outcome.to_json())) == outcome
    pose = PoseSpec("/p", (("c1", "/m/c1.mp4"), ("c2", "/m/c2.mp4")), niceness=10)
    assert PoseSpec.from_json(through_json(pose.to_json())) == pose and pose.to_json()["job"] == "pose"


def test_a_job_with_an_unknown_or_missing_field_is_named() -> None:
    with pytest.raises(InputError, match="weights: unknown field"):
        TrainSpec.from_json({"job": "train", "project": "/p", "weights": "w.pth"})
    with pytest.raises(InputError, match="incomplete job"):
        TrainSpec.from_json({"job": "train"})
    with pytest.raises(InputError, match="guards: not a JSON object"):
        TrainSpec.from_json({"job": "train", "project": "/p", "guards": "x"})
    with pytest.raises(InputError, match="clip: not a JSON object"):
        ProposeSpec.from_json({"job": "propose", "version": "v", "checkpoint": "c", "clips": [3]})
    with pytest.raises(InputError, match="clips: each clip must be"):
        PoseSpec.from_json({"job": "pose", "cache_dir": "/p", "clips": [3]})


def test_one_filter_caps_drops_short_and_low_and_rounds_inside_the_clip() -> None:
    clip = ClipRef(7, "c1", 30.0, 300, "")
    preds = [PredictionRecord("c1", 1.0, 2.0, 3, 0.9), PredictionRecord("c1", 9.5, 11.0, 4, 0.5),
             PredictionRecord("c1", 0.0, 0.1, 5, 0.8),  # 3 frames: under 0.2 s, never acceptable
             PredictionRecord("c2", 1.0, 2.0, 3, 0.9), PredictionRecord("c1", 3.0, 4.0, 6, 0.0005)]
    assert proposals_from(preds, clip) == [(30, 60, 3, 0.9), (285, 299, 4, 0.5)]
    many = [PredictionRecord("c1", i / 10, i / 10 + 1, 1, 1 - i / 1000) for i in range(300)]
    long_clip = ClipRef(7, "c1", 30.0, 3000, "")
    assert len(proposals_from(many, long_clip)) == PROPOSALS.per_clip == 100
    assert len(proposals_from(many, long_clip, ProposalFilter(per_clip=5))) == 5
