"""The Chinese interface: every marked string translated, the .qm current, the screens in Chinese (issue 26, item 12)."""

import re
import sys
from pathlib import Path

from PySide6.QtCore import QTranslator
from PySide6.QtGui import QAction
from pytestqt.qtbot import QtBot

from app.help_window import guide_markdown
from app.i18n import language_for, translations_dir

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import update_translations as ut  # noqa: E402

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_string_has_a_finished_chinese_translation() -> None:
    assert ut.problems("zh_CN") == []  # untranslated, unfinished or stale strings are listed here


def test_the_shipped_qm_is_compiled_from_the_current_ts() -> None:
    translator = QTranslator()
    assert translator.load("mmad_zh_CN", str(translations_dir()))
    for (context, source), (text, _done) in ut.read_ts(ut.I18N / "mmad_zh_CN.ts").items():
        assert translator.translate(context, source) == text, (context, source)


def test_language_follows_the_choice_else_the_system() -> None:
    assert language_for("zh_CN", "en_US") == "zh_CN"
    assert language_for("system", "zh_CN") == "zh_CN"
    assert language_for(None, "zh_TW") == "zh_CN"  # the nearest language the app ships
    assert language_for("system", "de_DE") == "en" and language_for("en", "zh_CN") == "en"


def _english(w: object) -> list[str]:
    """Menu titles and keyed commands still in English (no Chinese character)."""
    bar = w.menuBar()  # type: ignore[attr-defined]
    texts = [a.text() for a in bar.actions()]
    texts += [a.text() for a in w.findChildren(QAction) if a.shortcuts() and a.isVisible()]  # type: ignore[attr-defined]
    return [t for t in texts if t and not CJK.search(t)]


def test_both_screens_and_the_guide_in_chinese(qtbot: QtBot, chinese: None, app_project: tuple[Path, str],
                                               tmp_path: Path) -> None:
    from tests.app.conftest import ready_window, review_window

    folder, user = app_project
    w = ready_window(qtbot, folder, user, tmp_path / "s.ini", (1600, 900))
    assert _english(w) == []
    assert w.queue.model.headerData(1, __import__("PySide6.QtCore").QtCore.Qt.Orientation.Horizontal) == "短片"
    assert "键盘快捷键" in w.sheet_html() and "帮助" in w.sheet_html()
    assert CJK.search(guide_markdown().splitlines()[0])  # the guide itself in Chinese
    w.grab().save(str(tmp_path / "annotation_zh.png"))
    w.close()
    r = review_window(qtbot, tmp_path / "r")
    r.open_start_clip()
    assert _english(r) == []
    r.grab().save(str(tmp_path / "review_zh.png"))
    r.close()


def _fields(text: str) -> set[str]:
    """The {name} fields str.format fills in."""
    import string

    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_translation_has_its_sources_fields() -> None:
    """A translation that drops or renames a {field} would raise or lose the value when formatted."""
    for (context, source), (text, _done) in ut.read_ts(ut.I18N / "mmad_zh_CN.ts").items():
        if context == "Count":  # a noun becomes a template with the count
            assert _fields(text) == {"n"}, (source, text)
        elif "{" in source:
            assert _fields(text) == _fields(source), (context, source, text)


def test_the_chinese_guide_covers_the_english_one() -> None:
    """A section or a key added to the English guide only fails here (translate it too)."""
    folder = Path(__file__).resolve().parents[2] / "resources" / "guide"
    english = (folder / "user_guide.md").read_text("utf-8")
    chinese = (folder / "user_guide.zh_CN.md").read_text("utf-8")
    headings = re.compile(r"^#+ ", re.M)
    assert len(headings.findall(chinese)) == len(headings.findall(english))
    quoted = re.compile(r"`([^`]+)`")
    examples = {"nod"}  # the English example of a name to type; the Chinese guide types 点头
    assert set(quoted.findall(english)) - examples <= set(quoted.findall(chinese))


def test_the_chinese_guide_shows_no_space_where_its_source_wraps() -> None:
    from app.help_window import join_wrapped_cjk

    assert join_wrapped_cjk("打开下一个\n   未完成的短片，按\n`N`。\n\n2. **下一段**") == "打开下一个未完成的短片，按`N`。\n\n2. **下一段**"
    assert join_wrapped_cjk("English text\nwraps as before") == "English text\nwraps as before"
