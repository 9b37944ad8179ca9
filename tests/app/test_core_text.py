"""Messages of the Qt-free packages shown in Chinese: the real refusals match the app's templates (issue 26)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from annotator import rules
from annotator.commands import SplitSegment
from annotator.errors import InputError
from annotator.model import Annotator, Clip, Role, Segment
from annotator.store.access import AccessPolicy
from annotator.store.versioned import stale_message
from annotator.taxonomy import load_taxonomy
from annotator.training_data import TrainingData, refusal
from app.core_text import core_text

CJK = re.compile(r"[\u4e00-\u9fff]")
CLIP = Clip(id=1, name="S01_a", subject="S01", fps=30.0, frame_count=60)


def raised(call: Callable[[], object]) -> Exception:
    with pytest.raises(Exception) as info:
        call()
    return info.value


def refusals() -> list[object]:
    """Real messages of annotator/, as the screens get them."""
    annotator = AccessPolicy(Annotator(id=2, name="ann", role=Role.ANNOTATOR))
    seg = Segment(id=1, clip_id=1, author="ann", start_frame=10, end_frame=30, action_id=0)
    return [
        raised(lambda: rules.validate_bounds(-1, 10, CLIP)),
        raised(lambda: rules.validate_bounds(20, 10, CLIP)),
        raised(lambda: rules.validate_bounds(10, 80, CLIP)),
        raised(lambda: rules.validate_bounds(10, 12, CLIP)),
        raised(lambda: rules.validate_action(99, load_taxonomy("mma52"))),
        raised(lambda: SplitSegment(seg, 12, 30.0)),
        raised(lambda: annotator.require_privileged("finalise a clip")),
        raised(lambda: annotator.check_write("S01_a", False, "other")),
        raised(lambda: annotator.check_write("S01_a", True, "ann")),
        stale_message("segment 3", "ann", 4, 3),
        refusal(TrainingData("merged", None, {}, {"train": 1}, {"train": 1}, {}, "f", {}), 5, 5),  # type: ignore[arg-type]
        InputError("/p", "source merged", "no training clips: 2 clips without media"),
        "Add segment",
    ]


def test_the_real_refusals_are_shown_in_chinese(chinese: None) -> None:
    for message in refusals():
        shown = core_text(message)
        assert CJK.search(shown) and not re.search(r"\b(the|is|must|only|may)\b", shown), (str(message), shown)


def test_in_english_a_message_is_shown_as_it_came() -> None:
    for message in refusals():
        assert core_text(message) == str(message)
    assert core_text("something new") == "something new"
