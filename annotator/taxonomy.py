"""Taxonomies: body parts and actions, the bundled MMA-52 / MMA-82 ones and custom files."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from annotator.errors import InputError
from annotator.input_checks import parse_json, read_text, short

BUNDLED = ("mma52", "mma82")


@dataclass(frozen=True, slots=True)
class BodyPart:
    """One of the body-level classes (e.g. id 1, code "B", name "head")."""

    id: int
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class Action:
    """One action-level class; its body part is implied."""

    id: int
    code: str
    name: str
    body_part: BodyPart


@dataclass(frozen=True, slots=True)
class Taxonomy:
    """A validated taxonomy; action ids are 0..n-1 in list order."""

    name: str
    body_parts: tuple[BodyPart, ...]
    actions: tuple[Action, ...]

    def action(self, action_id: int) -> Action:
        """The action with this id (raises KeyError when unknown)."""
        if 0 <= action_id < len(self.actions):
            return self.actions[action_id]
        raise KeyError(f"unknown action id {action_id} in taxonomy {self.name}")

    def body_part_of(self, action_id: int) -> BodyPart:
        """The body part an action implies."""
        return self.action(action_id).body_part

    def action_by_name(self, name: str) -> Action:
        """The action with this exact name (raises KeyError when unknown)."""
        for action in self.actions:
            if action.name == name:
                return action
        raise KeyError(f"unknown action name {name!r} in taxonomy {self.name}")

    def action_by_code(self, code: str) -> Action:
        """The action with this code, case-insensitive (raises KeyError when unknown)."""
        wanted = code.strip().upper()
        for action in self.actions:
            if action.code.upper() == wanted:
                return action
        raise KeyError(f"unknown action code {code!r} in taxonomy {self.name}")

    @property
    def action_names(self) -> list[str]:
        """Action names in id order (the category_idx.txt order)."""
        return [a.name for a in self.actions]

    def to_json(self) -> dict[str, Any]:
        """The file form of this taxonomy (the schema load_taxonomy reads)."""
        return {
            "name": self.name,
            "body_parts": [{"id": b.id, "code": b.code, "name": b.name} for b in self.body_parts],
            "actions": [
                {"id": a.id, "code": a.code, "name": a.name, "body_part": a.body_part.code}
                for a in self.actions
            ],
        }


def load_taxonomy(spec: str | Path) -> Taxonomy:
    """Load a bundled taxonomy by name ("mma52", "mma82") or a JSON file by path."""
    key = str(spec).lower().replace("-", "")
    if key in BUNDLED:
        text = resources.files("resources.taxonomies").joinpath(f"{key}.json").read_text("utf-8")
        return parse_taxonomy(text, source=f"<bundled {key}>")
    path = Path(spec)
    return parse_taxonomy(read_text(path), source=str(path))


def parse_taxonomy(text: str, source: str = "<taxonomy>") -> Taxonomy:
    """Parse and validate taxonomy JSON; every problem names its place in the file."""
    data = parse_json(text, source)
    if not isinstance(data, dict):
        raise InputError(source, "top level", "expected an object with name, body_parts, actions")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise InputError(source, "name", "missing or empty taxonomy name")
    body_parts = _parse_body_parts(data.get("body_parts"), source)
    by_code = {b.code: b for b in body_parts}
    actions = _parse_actions(data.get("actions"), by_code, source)
    return Taxonomy(name=name, body_parts=tuple(body_parts), actions=tuple(actions))


def _parse_body_parts(raw: Any, source: str) -> list[BodyPart]:
    if not isinstance(raw, list) or not raw:
        raise InputError(source, "body_parts", "expected a non-empty list")
    parts: list[BodyPart] = []
    for i, item in enumerate(raw):
        where = f"body_parts[{i}]"
        _require_fields(item, ("id", "code", "name"), source, where)
        if item["id"] != i:
            raise InputError(source, where, f"id {item['id']} out of order: expected {i}")
        if any(b.code == item["code"] for b in parts):
            raise InputError(source, where, f"duplicate body part code {short(item['code'])}")
        parts.append(BodyPart(id=i, code=str(item["code"]), name=str(item["name"])))
    return parts


def _parse_actions(raw: Any, by_code: dict[str, BodyPart], source: str) -> list[Action]:
    if not isinstance(raw, list) or not raw:
        raise InputError(source, "actions", "expected a non-empty list")
    actions: list[Action] = []
    seen_names: set[str] = set()
    seen_codes: set[str] = set()
    for i, item in enumerate(raw):
        where = f"actions[{i}]"
        _require_fields(item, ("id", "code", "name", "body_part"), source, where)
        if item["id"] != i:
            raise InputError(source, where, f"id {item['id']} out of order: expected {i}")
        if item["body_part"] not in by_code:
            raise InputError(source, where, f"unknown body part {short(item['body_part'])} (known: {', '.join(by_code)})")
        if item["name"] in seen_names:
            raise InputError(source, where, f"duplicate action name {short(item['name'])}")
        if str(item["code"]).upper() in seen_codes:
            raise InputError(source, where, f"duplicate action code {short(item['code'])}")
        seen_names.add(item["name"])
        seen_codes.add(str(item["code"]).upper())
        actions.append(Action(i, str(item["code"]), str(item["name"]), by_code[item["body_part"]]))
    return actions


def _require_fields(item: Any, fields: tuple[str, ...], source: str, where: str) -> None:
    if not isinstance(item, dict):
        raise InputError(source, where, "expected an object")
    for field in fields:
        if field not in item:
            raise InputError(source, where, f"missing field {field!r}")
    if not isinstance(item["id"], int) or isinstance(item["id"], bool):
        raise InputError(source, where, f"id must be an integer, got {short(item['id'])}")
    for field in fields[1:]:
        if not isinstance(item[field], str) or not item[field].strip():
            raise InputError(source, where, f"field {field!r} must be a non-empty string")
