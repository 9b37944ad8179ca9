"""Queue order by usefulness: least sure clips and most disputed subjects first; the setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.errors import InputError
from annotator.model import Clip, MergedInstance, MergedStatus, MergeRule
from annotator.project import Project
from annotator.proposal_control import (
    ControlSetting,
    control_setting,
    queue_order,
    set_control_setting,
    set_queue_order,
)
from annotator.queue_order import subject_disagreement, usefulness_order

CLIPS = [Clip(1, "a1", "A", 30.0, 300), Clip(2, "a2", "A", 30.0, 300), Clip(3, "b1", "B", 30.0, 300),
         Clip(4, "b2", "B", 30.0, 300)]


def merged(clip_id: int, reliable: bool) -> MergedInstance:
    return MergedInstance(1, clip_id, 0, 10, 1, (), MergeRule.UNION, reliable,
                          MergedStatus.RELIABLE if reliable else MergedStatus.NEEDS_REVIEW)


def test_disagreement_is_the_unreliable_share_per_subject() -> None:
    found = {1: [merged(1, True), merged(1, False)], 3: [merged(3, False)], 4: [], 9: [merged(9, False)]}
    assert subject_disagreement(CLIPS, found) == {"A": 0.5, "B": 1.0}  # clip 9 is not in the queue
    assert subject_disagreement(CLIPS, {}) == {}


def test_least_sure_and_most_disputed_come_first() -> None:
    assert usefulness_order(CLIPS, {1: 0.9, 2: 0.2, 3: 0.8, 4: 0.1}, {}) == [4, 2, 3, 1]
    assert usefulness_order(CLIPS, {}, {"A": 0.1, "B": 0.6}) == [3, 4, 1, 2]  # ties keep the stored order
    # both: clip 4 is the least sure of the disputed subject; clip 1 is sure and agreed on
    order = usefulness_order(CLIPS, {1: 0.9, 2: 0.3, 3: 0.6, 4: 0.2}, {"A": 0.1, "B": 0.6})
    assert order[0] == 4 and order[-1] == 1
    # a clip without proposals sits at the median sureness, neither first nor last
    assert usefulness_order(CLIPS, {1: 0.9, 2: 0.5, 3: 0.1}, {}).index(4) in (1, 2)


def test_the_setting_lives_beside_the_control_share(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    Project.create(folder, name="p")
    assert queue_order(folder) == "stored"
    set_queue_order(folder, "usefulness")
    set_control_setting(folder, ControlSetting(0.2, 3))  # keeps the queue order
    assert queue_order(folder) == "usefulness" and control_setting(folder) == ControlSetting(0.2, 3)
    with pytest.raises(InputError, match="one of stored, usefulness"):
        set_queue_order(folder, "random")
    toml = folder / "project.toml"
    toml.write_text(toml.read_text("utf-8").replace('"usefulness"', '"best"'), "utf-8")
    with pytest.raises(InputError, match=r"proposals.queue_order.*'best'"):
        queue_order(folder)
