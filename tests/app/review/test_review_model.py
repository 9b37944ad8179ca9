"""Majority outcomes as the reviewer's choices, and their words, without Qt."""

from annotator.decisions import Decision
from annotator.model import MergedInstance, MergedStatus, MergeRule
from annotator.taxonomy import load_taxonomy
from app.review.review_model import Choice, majority_decision, outcome_text

D = Decision.parse  # decisions written as their stored text


def inst(majority: str | None, status: MergedStatus = MergedStatus.NEEDS_REVIEW) -> MergedInstance:
    return MergedInstance(7, 1, 10, 30, 9, (1, 2), MergeRule.UNION, False, status,
                          None if majority is None else D(majority))


def test_majority_outcomes_become_choices() -> None:
    assert majority_decision(inst("keep")) == Choice(D("keep"), 10, 30, 9)
    assert majority_decision(inst("delete")) == Choice(D("delete"), 10, 30, 9)
    assert majority_decision(inst("label:10")) == Choice(D("label:10"), 10, 30, 10)
    assert majority_decision(inst(None)) is None  # no majority: the reviewer must choose
    assert majority_decision(inst(None, MergedStatus.RELIABLE)) == Choice(D("keep"), 10, 30, 9)


def test_outcome_words() -> None:
    tax = load_taxonomy("mma52")
    assert outcome_text(D("label:9"), tax) == "label → B1 nodding"
    assert outcome_text(None, tax) == "no majority"
    assert outcome_text(D("take:a2"), tax) == "take a2's version"
    assert outcome_text(D("adjust"), tax) == "keep, boundaries adjusted"
    assert outcome_text(D("delete"), tax) == "delete"
