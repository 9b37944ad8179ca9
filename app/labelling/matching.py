"""Type-ahead over a taxonomy: "B1" or "nod" finds nodding (pure, no Qt)."""

from __future__ import annotations

from annotator.taxonomy import Action, Taxonomy
from app.i18n import tax_name


def match_actions(taxonomy: Taxonomy, query: str) -> list[Action]:
    """Actions matching `query`, best first: exact code, code prefix, name/word prefix, substring.

    An empty query lists every action in body part then code order. Within one rank,
    actions keep that order, so the list is stable while the user types.
    """
    q = " ".join(query.lower().split())
    ordered = sorted(taxonomy.actions, key=lambda a: (a.body_part.id, _code_key(a.code)))
    if not q:
        return ordered
    ranked: list[tuple[int, int, Action]] = []
    for position, action in enumerate(ordered):
        rank = _rank(action, q)
        if rank is not None:
            ranked.append((rank, position, action))
    ranked.sort(key=lambda item: (item[0], item[1]))
    return [action for _, _, action in ranked]


def _rank(action: Action, q: str) -> int | None:
    code = action.code.lower()
    name = action.name.lower()
    if q == code:
        return 0
    if name == q:
        return 1
    if code.startswith(q):
        return 2
    if name.startswith(q):
        return 3
    if any(word.startswith(q) for word in name.split()):
        return 4
    if q in name:
        return 5
    if q in tax_name(action.name).lower():  # the name as shown (点头 finds B1 nodding)
        return 5
    part = action.body_part
    if q in (part.name.lower(), part.code.lower(), tax_name(part.name).lower()):
        return 6
    return None


def _code_key(code: str) -> tuple[str, int]:
    # "C10" sorts after "C9": letter first, then the number.
    letters = code.rstrip("0123456789")
    digits = code[len(letters):]
    return letters, int(digits) if digits else 0
