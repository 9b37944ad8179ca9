"""Hand-computed cases for eqs. 1–4, the cross-check and every majority branch."""

import pytest

from annotator.decisions import Decision
from annotator.errors import InputError
from annotator.model import MergedStatus, MergeRule
from annotator.taxonomy import load_taxonomy
from merging.crosscheck import CrossCheck
from merging.merge import MergeOptions
from tests.merging.helpers import people, work
from tests.merging.one_clip import merge_clip

D = Decision.parse  # decisions written as their stored text

TAX = load_taxonomy("mma52")
NOD, SHAKE, TILT, WAVE = 9, 10, 7, 19  # head, head, head, upper limb


def only(result):
    assert len(result.instances) == 1
    return result.instances[0]


def test_iou_exactly_half_takes_the_partner():
    # IoU([0,20],[0,10]) = 10/20 = 0.5 exactly: not > 0.5, so A_k̂; ĵ is a1 (tie, lower id), k̂ = a2
    m = only(merge_clip(work([[(0, 20, NOD)], [(0, 10, NOD)]]), TAX))
    assert (m.start_frame, m.end_frame, m.rule) == (0, 10, MergeRule.PARTNER)
    m = only(merge_clip(work([[(0, 10, NOD)], [(0, 20, NOD)]]), TAX))
    assert (m.start_frame, m.end_frame, m.rule) == (0, 20, MergeRule.PARTNER)


def test_iou_just_above_half_takes_the_union():
    m = only(merge_clip(work([[(0, 20, NOD)], [(1, 12, NOD)]]), TAX))  # 11/20 = 0.55
    assert (m.start_frame, m.end_frame, m.rule) == (0, 20, MergeRule.UNION)


def test_three_annotators_union_branch():
    # IoU12 = .9, IoU13 = .6, IoU23 = 60/90; s = 2.5, 2.567, 2.267 -> ĵ = a2, k̂ = a1 (0.9)
    r = merge_clip(work([[(0, 100, NOD)], [(10, 100, NOD)], [(40, 100, NOD)]]), TAX)
    m = only(r)
    assert (m.start_frame, m.end_frame, m.rule) == (0, 100, MergeRule.UNION)
    assert (int(r.merged.j_hat[0]), int(r.merged.k_hat[0])) == (1, 0)
    assert m.segment_ids == (1, 2, 3)
    assert not m.reliable and m.status is MergedStatus.NEEDS_REVIEW and m.majority == D("keep")
    assert r.tiou[0] == pytest.approx(0.6)


def test_three_annotators_partner_branch():
    # IoU12 = .4, IoU13 = .25, IoU23 = 10/130; ĵ = a1, k̂ = a2, 0.4 <= 0.5 -> A_k̂ = [30, 70]
    w = work([[(0, 100, NOD)], [(30, 70, NOD)], [(60, 160, NOD)]], frames=300)
    m = only(merge_clip(w, TAX, MergeOptions(floor=0.05)))
    assert (m.start_frame, m.end_frame, m.rule) == (30, 70, MergeRule.PARTNER)


def test_floor_keeps_weak_pairs_apart():
    # with the default floor 0.1, a3 (IoU 10/130 with a2) cannot join; it stands alone
    r = merge_clip(work([[(0, 100, NOD)], [(30, 70, NOD)], [(60, 160, NOD)]]), TAX)
    assert [(m.start_frame, m.end_frame, m.rule, m.majority) for m in r.instances] == [
        (30, 70, MergeRule.PARTNER, D("keep")), (60, 160, MergeRule.SINGLE, D("delete"))]


def test_partner_tie_goes_to_lower_annotator_id():
    # IoU12 = IoU13 = .45: k̂ ties between a2 and a3 -> the lower id
    items = [[(0, 100, NOD)], [(0, 45, NOD)], [(40, 85, NOD)]]
    m = only(merge_clip(work(items), TAX, MergeOptions(floor=0.05)))
    assert (m.start_frame, m.end_frame) == (0, 45)
    who = people(3)
    swapped = (who[0], who[2], who[1])  # a3's segment now belongs to annotator id 2
    m = only(merge_clip(work(items, who=swapped), TAX, MergeOptions(floor=0.05)))
    assert (m.start_frame, m.end_frame) == (40, 85)


def test_reliable_needs_everyone_and_joint_tiou_above_threshold():
    # ∩ = [2, 20] 18 frames, ∪ = [0, 20] 20 frames: 0.9 exactly is not > 0.9
    r = merge_clip(work([[(0, 20, NOD)], [(1, 20, NOD)], [(2, 20, NOD)]]), TAX)
    assert not only(r).reliable
    r = merge_clip(work([[(0, 100, NOD)], [(1, 100, NOD)], [(2, 100, NOD)]]), TAX)
    m = only(r)
    assert m.reliable and m.status is MergedStatus.RELIABLE


def test_pairwise_crosscheck_option():
    # a1=[0,100] a2=[10,99] a3=[1,90]: joint ∩ = [10,90] 80, ∪ = [0,100] 100 -> 0.8;
    # pairwise 89/100, 89/100 and IoU(a2, a3) = 80/98 -> min 0.816. The two methods differ here.
    items = [[(0, 100, NOD)], [(10, 99, NOD)], [(1, 90, NOD)]]
    joint = merge_clip(work(items), TAX, MergeOptions(threshold=0.81))
    pair = merge_clip(work(items), TAX, MergeOptions(threshold=0.81, crosscheck=CrossCheck.PAIRWISE))
    assert joint.tiou[0] == pytest.approx(0.8) and pair.tiou[0] == pytest.approx(80 / 98)
    assert not only(joint).reliable and only(pair).reliable
    # exactly at the threshold is not above it, for either method
    assert not only(merge_clip(work(items), TAX, MergeOptions(threshold=0.8))).reliable
    assert only(merge_clip(work(items), TAX, MergeOptions(threshold=0.8, crosscheck=CrossCheck.PAIRWISE))).reliable
    at = MergeOptions(threshold=80 / 98, crosscheck=CrossCheck.PAIRWISE)
    assert not only(merge_clip(work(items), TAX, at)).reliable


def test_two_of_three_is_kept_and_merged_over_the_two():
    # a2 marked nothing; IoU(a1, a3) = 10/20 = 0.5: ĵ = a1 (tie, lower id), k̂ = a3, not > 0.5 -> A_a3
    m = only(merge_clip(work([[(0, 20, NOD)], [], [(0, 10, NOD)]]), TAX))
    assert (m.start_frame, m.end_frame, m.rule, m.segment_ids) == (0, 10, MergeRule.PARTNER, (1, 2))
    assert m.majority == D("keep") and m.status is MergedStatus.NEEDS_REVIEW
    # identical pair: the union is the segment, but one annotator is missing -> never reliable
    m = only(merge_clip(work([[(0, 100, NOD)], [(0, 100, NOD)], []]), TAX))
    assert (m.start_frame, m.end_frame, m.rule) == (0, 100, MergeRule.UNION)
    assert not m.reliable and m.majority == D("keep") and m.status is MergedStatus.NEEDS_REVIEW


def test_partner_is_the_best_overlap_with_j_hat_not_the_second_best_score():
    # four annotators: s = 2.236, 2.130, 2.148, 1.810 -> ĵ = a1; IoU(a1, ·) = -, .355, .4, .478
    # so k̂ = a4 (the lowest score of all); 0.478 <= 0.5 -> A_a4. The runner-up a3 would give [29, 67].
    r = merge_clip(work([[(7, 53, NOD)], [(24, 88, NOD)], [(29, 67, NOD)], [(15, 37, NOD)]]), TAX)
    m = only(r)
    assert (int(r.merged.j_hat[0]), int(r.merged.k_hat[0])) == (0, 3)
    assert (m.start_frame, m.end_frame, m.rule) == (15, 37, MergeRule.PARTNER)


def test_exact_path_for_very_long_clips_agrees():
    # the union-branch case scaled by 40,000: the common denominator of eq. 1 no longer fits int64
    scale = 40_000
    items = [[(0, 100 * scale, NOD)], [(10 * scale, 100 * scale, NOD)], [(40 * scale, 100 * scale, NOD)]]
    r = merge_clip(work(items, frames=100 * scale), TAX)
    assert (int(r.merged.j_hat[0]), int(r.merged.k_hat[0])) == (1, 0)
    assert (only(r).start_frame, only(r).end_frame, only(r).rule) == (0, 100 * scale, MergeRule.UNION)
    # ties on the exact path go to the lower id too: a1 and a3 identical, so s_1 = s_3 > s_2
    scale = 200_000
    r = merge_clip(work([[(0, 20 * scale, NOD)], [(0, 12 * scale, NOD)], [(0, 20 * scale, NOD)]],
                        frames=20 * scale), TAX)
    assert (int(r.merged.j_hat[0]), int(r.merged.k_hat[0])) == (0, 2)
    assert (only(r).start_frame, only(r).end_frame, only(r).rule) == (0, 20 * scale, MergeRule.UNION)


def test_two_annotators_only():
    r = merge_clip(work([[(0, 100, NOD), (150, 200, WAVE)], [(2, 100, NOD)]]), TAX)
    both, single = r.instances
    assert both.reliable and both.majority == D("keep")
    assert single.rule is MergeRule.SINGLE and single.majority is None  # 1 of 2: no majority
    assert single.status is MergedStatus.NEEDS_REVIEW


def test_instance_by_one_of_three_is_proposed_for_deletion():
    r = merge_clip(work([[(0, 100, NOD)], [(0, 100, NOD)], [(0, 100, NOD), (150, 180, WAVE)]]), TAX)
    extra = r.instances[-1]
    assert (extra.start_frame, extra.end_frame, extra.rule) == (150, 180, MergeRule.SINGLE)
    assert extra.majority == D("delete") and extra.segment_ids == (4,)
    assert extra.majority is not None and extra.majority.removes


def test_label_conflict_takes_the_majority_label():
    r = merge_clip(work([[(10, 50, NOD)], [(12, 50, NOD)], [(10, 50, SHAKE)]]), TAX)
    m = only(r)
    assert m.action_id == NOD and m.segment_ids == (1, 2, 3)
    assert m.majority == D(f"label:{NOD}") and m.status is MergedStatus.NEEDS_REVIEW and not m.reliable
    assert m.majority is not None and m.majority.action_id == NOD
    (c,) = r.conflicts
    assert c.majority_action == NOD and c.body_part == "head"
    assert [v.action_id for v in c.votes] == [NOD, SHAKE]


def test_label_conflict_counts_votes_per_label():
    # a1 NOD [0,100] and a3 NOD [99,199] barely overlap (1/199 <= floor): two NOD groups, each
    # overlapping a2's SHAKE [0,199] by 100/199 > 0.5. Joined, NOD has two votes: the majority.
    r = merge_clip(work([[(0, 100, NOD)], [(0, 199, SHAKE)], [(99, 199, NOD)]]), TAX)
    m = only(r)
    assert m.action_id == NOD and m.majority == D(f"label:{NOD}") and m.segment_ids == (1, 2, 3)
    (c,) = r.conflicts
    assert c.majority_action == NOD
    assert [(v.action_id, v.segment_ids) for v in c.votes] == [(NOD, (1, 3)), (SHAKE, (2,))]


def test_label_tie_has_no_majority():
    r = merge_clip(work([[(10, 50, SHAKE)], [(10, 50, NOD)], []]), TAX)
    m = only(r)
    assert m.majority is None and m.action_id == SHAKE  # tie: the lower annotator id's label
    assert r.conflicts[0].majority_action is None


def test_no_conflict_across_body_parts_or_within_one_annotator():
    r = merge_clip(work([[(10, 50, NOD)], [(10, 50, WAVE)], []]), TAX)
    assert len(r.instances) == 2 and not r.conflicts
    r = merge_clip(work([[(10, 50, NOD), (10, 50, TILT)], [(10, 50, NOD)], [(10, 50, NOD)]]), TAX)
    assert len(r.instances) == 2 and not r.conflicts


def test_hungarian_prefers_total_tiou():
    # a1 has two nods; a2's single nod overlaps both, better with the second
    r = merge_clip(work([[(0, 50, NOD), (40, 100, NOD)], [(45, 100, NOD)]]), TAX)
    groups = sorted(m.segment_ids for m in r.instances)
    assert groups == [(1,), (2, 3)]


def test_bad_segment_is_named():
    with pytest.raises(InputError, match=r"clip 1, segment 1 by a1 \[50, 40\].*not after"):
        merge_clip(work([[(50, 40, NOD)], []]), TAX)
    with pytest.raises(InputError, match="outside the clip"):
        merge_clip(work([[(250, 400, NOD)], []]), TAX)
    with pytest.raises(InputError, match="action id outside"):
        merge_clip(work([[(0, 40, 99)], []]), TAX)


def test_empty_clip_and_no_clips():
    assert merge_clip(work([[], [], []]), TAX).instances == []
    from merging.merge import merge_clips
    assert merge_clips([], TAX).instances == []
