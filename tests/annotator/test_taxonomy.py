"""Taxonomies: the bundled tables are the published MMA-52 / MMA-82 ones and bad files are refused precisely."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.errors import InputError
from annotator.taxonomy import load_taxonomy, parse_taxonomy


def test_mma52_matches_the_official_label_file(mma52_dir: Path) -> None:
    tax = load_taxonomy("mma52")
    lines = (mma52_dir / "label_name.txt").read_bytes().decode("utf-8").split("\r\n")
    assert [line.split("\t")[1] for line in lines] == tax.action_names
    assert len(tax.actions) == 52 and len(tax.body_parts) == 7


@pytest.mark.parametrize(
    ("first", "last", "part"),
    [(0, 4, "body"), (5, 10, "head"), (11, 23, "upper limb"), (24, 31, "lower limb"),
     (32, 37, "body-hand"), (38, 47, "head-hand"), (48, 51, "leg-hand")],
)
def test_mma52_body_part_id_ranges(first: int, last: int, part: str) -> None:
    tax = load_taxonomy("mma52")
    assert {tax.body_part_of(i).name for i in range(first, last + 1)} == {part}


def test_mma52_codes_are_not_in_id_order() -> None:
    tax = load_taxonomy("mma52")
    assert tax.action(9).code == "B1" and tax.action(9).name == "nodding"
    assert tax.action_by_code("b1").id == 9
    assert tax.action(23).code == "C1" and tax.action(51).code == "G4"


def test_mma82_group_sizes() -> None:
    tax = load_taxonomy("MMA-82")
    sizes = [sum(1 for a in tax.actions if a.body_part.id == b.id) for b in tax.body_parts]
    assert sizes == [6, 9, 31, 9, 5, 14, 8]
    assert tax.action_by_name("swing hair").body_part.name == "head"


def test_round_trip_through_json() -> None:
    tax = load_taxonomy("mma52")
    assert parse_taxonomy(json.dumps(tax.to_json())) == tax


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["actions"][3].update(body_part="Z"), "actions[3]: unknown body part 'Z'"),
        (lambda d: d["actions"][5].update(id=7), "actions[5]: id 7 out of order"),
        (lambda d: d["actions"][2].pop("name"), "actions[2]: missing field 'name'"),
        (lambda d: d["actions"][4].update(name=d["actions"][0]["name"]), "actions[4]: duplicate action name"),
        (lambda d: d["body_parts"].append(dict(d["body_parts"][0], id=7)), "body_parts[7]: duplicate body part"),
        (lambda d: d.update(actions=[]), "actions: expected a non-empty list"),
        (lambda d: d.pop("name"), "name: missing or empty"),
    ],
)
def test_bad_taxonomy_files_are_refused_with_the_place(tmp_path: Path, mutate, message: str) -> None:
    data = load_taxonomy("mma52").to_json()
    mutate(data)
    path = tmp_path / "custom.json"
    path.write_text(json.dumps(data), "utf-8")
    with pytest.raises(InputError) as info:
        load_taxonomy(path)
    assert str(path) in str(info.value) and message in str(info.value)


def test_truncated_and_non_utf8_taxonomy_files(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text('{"name": "x", "body_parts": [', "utf-8")
    with pytest.raises(InputError, match="invalid JSON"):
        load_taxonomy(path)
    path.write_bytes(b'{"name": "\xff"}')
    with pytest.raises(InputError, match="not UTF-8"):
        load_taxonomy(path)
