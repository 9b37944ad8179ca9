"""Agreement figures against hand counts and textbook formulas computed frame by frame."""

import json

import numpy as np
import pytest

from annotator.taxonomy import load_taxonomy
from merging.agreement import agreement
from merging.merge import merge_clips
from merging.report import write_report
from tests.merging.helpers import work

TAX = load_taxonomy("mma52")
NOD, WAVE = 9, 19


def _textbook(ratings):
    """Fleiss' κ and Krippendorff's α (nominal) from a (units, raters) 0/1 matrix."""
    n_units, k = ratings.shape
    n1 = ratings.sum(axis=1)
    counts = np.stack([k - n1, n1], axis=1)
    p_i = ((counts * (counts - 1)).sum(axis=1)) / (k * (k - 1))
    p_c = counts.sum(axis=0) / (n_units * k)
    kappa = (p_i.mean() - (p_c ** 2).sum()) / (1 - (p_c ** 2).sum())
    n = n_units * k
    d_o = (2 * counts[:, 0] * counts[:, 1] / (k - 1)).sum() / n
    tot = counts.sum(axis=0)
    d_e = 2 * tot[0] * tot[1] / (n * (n - 1))
    return kappa, 1 - d_o / d_e


def _works():
    return [work([[(0, 30, NOD), (50, 90, WAVE)], [(5, 30, NOD)], [(0, 28, NOD), (55, 90, WAVE)]], frames=100),
            work([[(10, 40, WAVE)], [(12, 40, WAVE)], []], frames=60, clip_id=2, first_id=100)]


def test_fleiss_and_krippendorff_match_the_textbook():
    report = agreement(merge_clips(_works(), TAX), TAX)
    ratings = []
    for w in _works():
        for body in range(len(TAX.body_parts)):
            for t in range(w.frame_count):
                ratings.append([int(any(s.start_frame <= t < s.end_frame and TAX.body_part_of(s.action_id).id == body
                                        for s in segs)) for segs in w.segments])
    kappa, alpha = _textbook(np.asarray(ratings))
    assert report.overall.fleiss_kappa == pytest.approx(kappa)
    assert report.overall.krippendorff_alpha == pytest.approx(alpha)
    head = next(r for r in report.per_body_part if r.name == "head")
    w = _works()
    head_ratings = np.asarray([[int(any(s.start_frame <= t < s.end_frame and s.action_id == NOD for s in segs))
                                for segs in wk.segments] for wk in w for t in range(wk.frame_count)])
    assert head.fleiss_kappa == pytest.approx(_textbook(head_ratings)[0])
    assert head.krippendorff_alpha == pytest.approx(_textbook(head_ratings)[1])
    first = w[0]  # per clip: that clip's frame x body part slices
    clip_ratings = np.asarray([[int(any(s.start_frame <= t < s.end_frame and TAX.body_part_of(s.action_id).id == b
                                        for s in segs)) for segs in first.segments]
                               for b in range(len(TAX.body_parts)) for t in range(first.frame_count)])
    kappa1, alpha1 = _textbook(clip_ratings)
    assert report.per_clip[0].fleiss_kappa == pytest.approx(kappa1)
    assert report.per_clip[0].krippendorff_alpha == pytest.approx(alpha1)


def test_pairwise_f1_by_hand():
    report = agreement(merge_clips(_works(), TAX), TAX)
    # clip 1 pairs: (a1,a2): nod IoU 25/30 -> match; 3 segments. (a1,a3): nod 28/30, wave 35/40 -> 2; 4 segs.
    # (a2,a3): nod 23/30; 3 segs.  clip 2: (a1,a2) wave 28/30; (a1,a3) 0; (a2,a3) 0; 2+1+1 segs.
    # matches at 0.9: nod a1-a3 (0.933), wave c2 (0.933) -> 2 of denominators 3+4+3+2+1+1 = 14
    assert report.overall.f1["0.9"] == pytest.approx(2 * 2 / 14)
    assert report.overall.f1["0.5"] == pytest.approx(2 * 5 / 14)
    a3 = next(r for r in report.per_annotator if r.name == "a3")
    # a3's pairs: clip1 (a1,a3) 4 segs 2 matches, (a2,a3) 3 segs 1 match; clip2 (a1,a3) 1, (a2,a3) 1
    assert a3.f1["0.5"] == pytest.approx(2 * 3 / 9)
    assert report.pair_f1["a1 / a3"]["0.7"] == pytest.approx(2 * 2 / 5)


def test_offsets_and_reliable_share():
    report = agreement(merge_clips(_works(), TAX), TAX)
    nod = next(r for r in report.per_class if r.name == "nodding")
    # nod: members [0,30],[5,30],[0,28]; ĵ = a1 (s: 1+25/30+28/30), k̂ = a3 -> union [0,30]
    assert nod.start_offset_mean == pytest.approx(5 / 3)
    assert nod.end_offset_mean == pytest.approx(-2 / 3)
    assert nod.reliable_share == 0.0
    assert nod.start_offset_mean_abs == pytest.approx(5 / 3) and nod.end_offset_mean_abs == pytest.approx(2 / 3)
    assert report.overall.instances == 3
    # wave in clip 2: a1 [10,40], a2 [12,40] (IoU 28/30 > .5) -> union [10,40]; all annotators? no: a3
    # marked nothing, so not reliable. Clip 1's wave: a1 [50,90], a3 [55,90] -> union, a2 missing.
    assert report.overall.reliable_share == 0.0
    wave = next(r for r in report.per_class if r.name == "waving")
    assert (wave.instances, wave.segments) == (2, 4)
    assert wave.start_offset_mean == pytest.approx((0 + 5 + 0 + 2) / 4)


def test_reliable_share_counts_groups_and_segments():
    # clip with a reliable nod (three identical) and a wave by a1 alone (proposed for deletion)
    w = work([[(0, 30, NOD), (50, 90, WAVE)], [(0, 30, NOD)], [(0, 30, NOD)]], frames=100)
    report = agreement(merge_clips([w], TAX), TAX)
    assert report.overall.reliable_share == 0.5  # 1 of 2 instances
    shares = {r.name: r.reliable_share for r in report.per_annotator}
    assert shares == {"a1": 0.5, "a2": 1.0, "a3": 1.0}  # a1: 1 of their 2 segments
    assert next(r for r in report.per_class if r.name == "nodding").reliable_share == 1.0
    assert next(r for r in report.per_class if r.name == "waving").reliable_share == 0.0
    assert next(r for r in report.per_class if r.name == "bowing head").reliable_share is None


def test_report_files(tmp_path):
    report = agreement(merge_clips(_works(), TAX), TAX)
    paths = write_report(report, tmp_path)
    assert {p.name for p in paths} == {"agreement.json", "agreement.md", "offsets.png", "class_agreement.png"}
    data = json.loads((tmp_path / "agreement.json").read_text())
    assert set(data["methods"]) >= {"f1", "fleiss_kappa", "krippendorff_alpha", "offsets", "reliable_share"}
    assert len(data["per_clip"]) == 2
    assert "How each figure is computed" in (tmp_path / "agreement.md").read_text()
    assert (tmp_path / "offsets.png").read_bytes()[:4] == b"\x89PNG"
