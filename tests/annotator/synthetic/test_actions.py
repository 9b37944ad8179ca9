"""Motion functions: exact activity frames, right body parts, resources."""

from __future__ import annotations

import numpy as np
import pytest

from annotator.synthetic.actions import MOTIONS, InstanceSpec, action_tracks, envelope
from annotator.synthetic.dataset import SUPPORTED_ACTIONS
from annotator.taxonomy import load_taxonomy

TAXONOMY = load_taxonomy("mma52")


def test_at_least_14_actions_over_all_seven_body_parts() -> None:
    assert len(SUPPORTED_ACTIONS) >= 14
    parts = {TAXONOMY.body_part_of(a).code for a in SUPPORTED_ACTIONS}
    assert parts == {b.code for b in TAXONOMY.body_parts}


@pytest.mark.parametrize("action_id", sorted(MOTIONS))
def test_motion_names_match_the_taxonomy(action_id: int) -> None:
    assert MOTIONS[action_id].name == TAXONOMY.action(action_id).name


@pytest.mark.parametrize("n", [1, 2, 3, 7, 30, 451])
def test_envelope_is_positive_on_every_frame_and_at_most_one(n: int) -> None:
    env = envelope(n, 30.0)
    assert env.shape == (n,)
    assert np.all(env > 0) and np.all(env <= 1.0)


@pytest.mark.parametrize("action_id", sorted(MOTIONS))
def test_pose_changes_on_exactly_the_instance_frames(action_id: int) -> None:
    inst = InstanceSpec(action_id, 17, 63, amplitude=0.8, frequency=1.2, sign=-1.0)
    tracks, activity = action_tracks([inst], 90, 29.0)
    moving = np.zeros(90, bool)
    for name, values in tracks.items():
        if name.endswith("_anchor"):
            continue  # which anchor a hand aims at, not a displacement
        moving |= values != 0
    expected = np.zeros(90, bool)
    expected[17:64] = True
    assert np.array_equal(moving, expected)
    assert np.array_equal(activity[0] > 0, expected)


def test_instance_outside_the_clip_is_refused() -> None:
    with pytest.raises(ValueError, match="outside"):
        action_tracks([InstanceSpec(9, 10, 90)], 90, 30.0)


def test_hand_actions_claim_arm_resources_and_head_actions_the_head() -> None:
    for action_id, motion in MOTIONS.items():
        part = TAXONOMY.body_part_of(action_id).code
        if part in "CEFG":
            assert motion.resources & {"arm_r", "arm_l"}, motion.name
        if part == "B":
            assert motion.resources == {"head"}, motion.name
