"""Type-ahead over the MMA-52 taxonomy."""

import pytest

from annotator.taxonomy import load_taxonomy
from app.labelling.matching import match_actions

TAX = load_taxonomy("mma52")


@pytest.mark.parametrize("query", ["B1", "b1", "nod", "Nodding", " nod "])
def test_code_or_name_finds_nodding_first(query: str) -> None:
    assert match_actions(TAX, query)[0].name == "nodding"


def test_code_prefix_orders_by_number_not_text() -> None:
    codes = [a.code for a in match_actions(TAX, "C1")]
    assert codes[:5] == ["C1", "C10", "C11", "C12", "C13"]


def test_word_prefix_and_substring() -> None:
    names = [a.name for a in match_actions(TAX, "touch")]
    assert names[0].startswith("touching")
    assert "scratching or touching neck" in names
    assert all("touch" in n for n in names)


def test_empty_query_lists_everything_by_body_part_then_code() -> None:
    actions = match_actions(TAX, "")
    assert len(actions) == 52
    assert [a.code for a in actions[:3]] == ["A1", "A2", "A3"]
    assert [a.body_part.id for a in actions] == sorted(a.body_part.id for a in actions)


def test_no_match_is_empty() -> None:
    assert match_actions(TAX, "zzz") == []
