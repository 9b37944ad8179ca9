"""label_name.txt (`id<TAB>name`, CRLF) and category_idx.txt."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.errors import InputError
from annotator.formats.label_names import (
    read_category_idx,
    read_label_names,
    write_category_idx,
)
from annotator.taxonomy import Taxonomy


def test_crlf_without_final_newline(tmp_path: Path) -> None:
    path = tmp_path / "label_name.txt"
    path.write_bytes(b"0\tshaking body\r\n1\tsitting straightly")
    assert read_label_names(path) == ["shaking body", "sitting straightly"]


@pytest.mark.parametrize(
    ("data", "place", "problem"),
    [
        (b"0\tshaking body\r\n2\tx", "line 2", "id '2' out of order: expected 1"),
        (b"0 shaking body", "line 1", "expected 'id<TAB>name'"),
    ],
)
def test_bad_label_names(data: bytes, place: str, problem: str, tmp_path: Path) -> None:
    path = tmp_path / "label_name.txt"
    path.write_bytes(data)
    with pytest.raises(InputError) as info:
        read_label_names(path)
    assert info.value.place == place and problem in info.value.problem


def test_category_idx_round_trip(mma52: Taxonomy, tmp_path: Path) -> None:
    path = write_category_idx(mma52, tmp_path / "category_idx.txt")
    assert read_category_idx(path) == mma52.action_names
