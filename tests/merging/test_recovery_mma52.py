"""Simulated three-annotator work over the real MMA-52 train ground truth."""

import pytest

from annotator.formats import read_annotations
from annotator.synthetic.simulate import NOISE_LEVELS, simulate_annotators
from annotator.taxonomy import load_taxonomy
from merging.merge import merge_clips
from merging.recovery import recovery, works_from_sets


@pytest.mark.realdata
@pytest.mark.slow
def test_merge_recovers_the_truth(mma52_dir):
    taxonomy = load_taxonomy("mma52")
    truth = read_annotations(mma52_dir / "train.csv", "mma52-csv", taxonomy)
    assert len(truth.instances) == 13698
    none = merge_clips(works_from_sets(simulate_annotators(truth, taxonomy, NOISE_LEVELS["none"])), taxonomy)
    exact = recovery(truth, none.instances)
    # perfect annotators: every true instance comes back exactly; same-action overlaps in the truth
    # may regroup, so allow a hair below 1
    assert exact.mean_tiou > 0.999 and exact.recall_at_05 > 0.999
    assert none.reliable.mean() > 0.99
    low = merge_clips(works_from_sets(simulate_annotators(truth, taxonomy, NOISE_LEVELS["low"], seed=1)), taxonomy)
    rec = recovery(truth, low.instances)
    assert rec.mean_tiou > 0.9 and rec.recall_at_05 > 0.95
    assert 0.2 < low.reliable.mean() < none.reliable.mean()
