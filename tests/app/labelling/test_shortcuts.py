"""The shortcut table: every key bound once, every command in a menu and on the sheet."""

from PySide6.QtGui import QKeySequence

from app.labelling.shortcut_sheet import sheet_html
from app.labelling.shortcuts import MENUS, SHORTCUTS


def test_no_key_is_bound_twice() -> None:
    seen: dict[str, str] = {}
    for s in SHORTCUTS:
        for key in s.keys:
            text = QKeySequence(key).toString()
            assert text, f"{key!r} of {s.id} is not a valid key sequence"
            assert text not in seen, f"{key} bound to both {seen.get(text)} and {s.id}"
            seen[text] = s.id


def test_ids_unique_and_menus_known() -> None:
    assert len({s.id for s in SHORTCUTS}) == len(SHORTCUTS)
    assert {s.menu for s in SHORTCUTS} <= set(MENUS)


def test_sheet_lists_every_bound_command_and_the_nudge_rule() -> None:
    html = sheet_html()
    for s in SHORTCUTS:
        if s.keys:
            assert s.text.replace("…", "") .split(" (")[0] in html.replace("&#x27;", "'")
    assert "START edge" in html and "END edge" in html


def test_no_key_press_can_match_two_sequences() -> None:
    from app.labelling.custom_keys import collisions
    from app.review.review_shortcuts import REVIEW_SHORTCUTS

    # On X11 a shifted key also matches its shifted symbol: Shift+] is "}" too (collisions knows).
    for table in (SHORTCUTS, REVIEW_SHORTCUTS):
        assert collisions({s.id: s.keys for s in table}) == []
