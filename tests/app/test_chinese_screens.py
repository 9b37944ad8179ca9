"""Every string the screens and dialogs show is Chinese under zh_CN (issue 26): a walk over the widgets."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDockWidget,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QTabWidget,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.about import about_html
from app.i18n import install_translators
from app.start_dialog import StartDialog

# Words that stay as they are in a Chinese interface: names, units, formats, keys, measures
ALLOWED = {
    "MMAD", "Studio", "MMA", "mAP", "AP", "F1", "IoU", "CSV", "JSON", "fps", "px", "ms", "GB", "MB", "KB",
    "Ctrl", "Shift", "Alt", "Meta", "Space", "Enter", "Return", "Esc", "Tab", "Del", "Delete", "Backspace",
    "Home", "End", "PgUp", "PgDown", "Left", "Right", "Up", "Down", "Ins", "PgDn",
    "ViT", "ViT-S", "VideoMAE", "TSM", "ResNet", "cpu", "cuda", "mps", "auto", "pth", "pt", "bin", "safetensors",
    "mmad", "txt", "csv", "json", "ELAN", "eaf", "toml", "Qt", "PySide", "Python", "SQLite", "PostgreSQL",
    "pyqtgraph", "OpenCV", "PyAV", "NumPy", "MediaPipe", "tiny", "small", "est",
    "train", "val", "test", "ok", "OK", "vs", "Linguist", "DSTA", "TIA", "OpenTAD", "PointTAD", "BORIS", "TSV",
    "Label", "TimelineLabels", "STATE", "elan",  # the formats' own names and words
    "ground-truth", "EPIC-KITCHENS", "numpy", "scipy", "SQLAlchemy", "Linux", "Windows", "Darwin",  # the imported ground truth's author name, a data name
    "opentad-json", "pointtad-json", "mma52-csv", "elan-eaf", "boris-aggregated", "label-studio-json",
}
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_'’\-]*")
TAG = re.compile(r"<[^>]+>")


def english_words(text: str, data: set[str]) -> list[str]:
    """The words of `text` that are English prose: not a name, key, code, number or path."""
    text = html.unescape(TAG.sub(" ", text))
    text = re.sub(r"\S*[/\\]\S*", " ", text)  # paths
    text = re.sub(r"\bmmad [a-z-]+", " ", text)  # a command line
    text = re.sub(r"\b[\w-]+\.(toml|json|csv|txt|eaf|pth|pt|bin|safetensors|mp4|ini|log)\b", " ", text)  # file names
    out = []
    for word in WORD.findall(text.replace("&", "")):
        core = word.strip("'’-")
        if (len(core) < 2 or core in ALLOWED or core in data or any(c.isdigit() for c in core) or "_" in core
                or (len(core) <= 3 and core.isupper())):
            continue
        out.append(core)
    return out


def shown_texts(root: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for every text a widget tree shows: labels, buttons, tips, titles, items, headers, actions."""
    widgets = [root, *root.findChildren(QWidget)]
    for w in widgets:
        if not w.isVisibleTo(root) and w is not root:
            continue
        name = f"{type(w).__name__}:{w.objectName()}"
        if w.isWindow() or isinstance(w, QDockWidget):
            yield f"{name} title", w.windowTitle()
        yield f"{name} tip", w.toolTip()
        if isinstance(w, QLabel):
            yield name, w.text()
        elif isinstance(w, QAbstractButton):
            yield name, w.text()
        elif isinstance(w, QLineEdit):
            yield f"{name} placeholder", w.placeholderText()
        elif isinstance(w, QComboBox):
            for i in range(w.count()):
                yield f"{name} item", w.itemText(i)
        elif isinstance(w, QGroupBox):
            yield name, w.title()
        elif isinstance(w, QTabWidget):
            for i in range(w.count()):
                yield f"{name} tab", w.tabText(i)
        elif isinstance(w, QMenu):
            yield f"{name} menu", w.title()
        elif isinstance(w, QTextEdit):
            yield name, w.toPlainText()
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            m = w.model()
            for col in range(m.columnCount()):
                yield f"{name} header", str(m.headerData(col, Qt.Orientation.Horizontal) or "")
            for row in range(min(m.rowCount(), 30)):
                for col in range(m.columnCount()):
                    for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                        value = m.data(m.index(row, col), role)
                        if isinstance(value, str):
                            yield f"{name} cell {row},{col}", value
        for action in w.actions():
            for what, text in (("text", action.text()), ("tip", action.statusTip())):
                yield f"action {action.objectName() or action.text()!r} {what}", text
    if isinstance(root, QMainWindow):
        yield "status bar", root.statusBar().currentMessage()
    for plot in _plots(root):
        for side in ("left", "bottom"):
            axis = plot.getAxis(side)
            yield f"axis {side}", axis.labelText
            yield "plot title", plot.titleLabel.text
            for level in axis._tickLevels or []:  # the lanes' names
                for _pos, label in level:
                    yield f"axis {side} tick", str(label)


def _plots(root: QWidget) -> Iterable[object]:
    import pyqtgraph as pg

    for view in root.findChildren(pg.PlotWidget):
        yield view.getPlotItem()
    for view in root.findChildren(pg.GraphicsLayoutWidget):
        for item in view.ci.items:
            if isinstance(item, pg.PlotItem):
                yield item


def english_in(root: QWidget, data: set[str]) -> list[str]:
    """Every shown text with English prose in it, as 'where: text'."""
    return sorted({f"{where}: {english_words(text, data)} in {text!r}" for where, text in shown_texts(root)
                   if english_words(text, data)})


def test_the_check_finds_english() -> None:
    assert english_words("Export the dataset", set()) == ["Export", "the", "dataset"]
    assert english_words("导出 S01_clip_a · 60 帧 @ 30 fps · Ctrl+E · /tmp/x/y · A1 · mAP", set()) == []
    assert english_words("标注员 ann", {"ann"}) == []


def data_words(store: object) -> set[str]:
    """The project's own names (clips, subjects, people): shown as they are."""
    words: set[str] = set()
    for clip in store.clips():  # type: ignore[attr-defined]
        words |= set(WORD.findall(f"{clip.name} {clip.subject}"))
    for person in store.annotators():  # type: ignore[attr-defined]
        words |= set(WORD.findall(person.name))
    return words | set(WORD.findall(store.taxonomy.name))  # type: ignore[attr-defined]


def test_annotation_screen_and_its_dialogs_in_chinese(qtbot: QtBot, chinese: None, app_project: tuple[Path, str],
                                                      tmp_path: Path) -> None:
    from tests.app.conftest import ready_window

    folder, user = app_project
    w = ready_window(qtbot, folder, user, tmp_path / "s.ini", (1600, 900))
    data = data_words(w.store) | set(WORD.findall(folder.name))
    found = english_in(w, data)
    w.show_find()
    assert w.find_dialog is not None
    found += english_in(w.find_dialog, data)
    w.edit_shortcuts()
    assert w.key_editor is not None
    found += english_in(w.key_editor, data)
    w.controller.mark_in()
    w.player.seek(20)
    w.picker.ask("x")
    found += english_in(w.picker, data)
    w.picker.hide()
    w.show_guide()
    assert w.guide is not None
    found += english_in(w.guide, data)
    assert w.model_loop is not None
    w.model_loop.show_models()
    found += english_in(w.model_loop.models_dialog, data)  # type: ignore[arg-type]
    w.model_loop.show_train()
    found += english_in(w.model_loop.train_dialog, data)  # type: ignore[arg-type]
    found += [f"about: {word}" for word in english_words(about_html(), data)]
    start = StartDialog(str(folder), user)
    qtbot.addWidget(start)
    found += english_in(start, data)
    assert not found, "\n".join(found)


def test_review_screen_and_export_in_chinese(qtbot: QtBot, chinese: None, tmp_path: Path) -> None:
    from tests.app.conftest import review_window

    r = review_window(qtbot, tmp_path / "r")
    r.open_start_clip()
    data = data_words(r.store)
    found = english_in(r, data)
    r.show_export()
    assert r.export_dialog is not None
    found += english_in(r.export_dialog, data)
    r.show_find()
    found += english_in(r.find_dialog, data)  # type: ignore[arg-type]
    assert not found, "\n".join(found)


# Calls whose string arguments the user reads: Qt's text setters, dialogs, the status bar, the
# windows' message signals and helpers. A literal passed to one must go through tr (or mark).
SINKS = {
    "setText", "setToolTip", "setStatusTip", "setWindowTitle", "setPlaceholderText", "setTitle", "addAction",
    "addMenu", "showMessage", "show_message", "emit", "QLabel", "QPushButton", "QCheckBox", "QRadioButton",
    "QGroupBox", "QAction", "QMenu", "QToolButton", "question", "warning", "about", "information", "critical",
    "addItem", "addItems", "insertItem", "setItemText", "setHorizontalHeaderLabels", "setHeaderLabels",
    "setLabelText", "setFormat", "confirm", "setHtml", "setMarkdown", "setSuffix", "setPrefix", "getText",
    "getItem", "addTab", "setTabText", "addRow", "ask", "show_frame", "setWhatsThis", "setSpecialValueText",
    "getOpenFileName", "getSaveFileName", "getExistingDirectory",
}
NOT_TEXT = {("setLabel", 0)}  # pyqtgraph's axis position
LOGGERS = {"log", "logger", "logging"}


def _prose(node: object) -> bool:
    """A literal (or f-string, or either branch of one) with English prose in it."""
    import ast

    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(english_words(node.value, set()))
    if isinstance(node, ast.JoinedStr):
        return any(_prose(v) for v in node.values)
    if isinstance(node, ast.BinOp):
        return _prose(node.left) or _prose(node.right)
    if isinstance(node, ast.IfExp):
        return _prose(node.body) or _prose(node.orelse)
    return False


def untranslated_literals(folder: Path) -> list[str]:
    """'file:line: call' for every literal with prose passed straight to a user-facing call."""
    import ast

    found = []
    for path in sorted(folder.rglob("*.py")):
        if "cli" in path.parts:  # the command line speaks English
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name not in SINKS or (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                                     and func.value.id in LOGGERS):
                continue
            args = [*node.args, *(k.value for k in node.keywords)]
            found += [f"{path}:{a.lineno}: {name}" for i, a in enumerate(args)
                      if (name, i) not in NOT_TEXT and _prose(a)]
    return found


def test_no_user_facing_literal_bypasses_translation() -> None:
    root = Path(__file__).resolve().parents[2]
    assert untranslated_literals(root / "app") == []


def test_the_language_chosen_in_the_help_menu_is_used_at_the_next_start(qtbot: QtBot, app_project: tuple[Path, str],
                                                                        tmp_path: Path) -> None:
    from app.i18n import language_for, tr
    from app.settings import AppSettings
    from tests.app.conftest import shown_window

    folder, user = app_project
    w = shown_window(qtbot, folder, user, tmp_path / "s.ini")
    w.language_actions["zh_CN"].trigger()  # Help > Language > 中文（简体）
    assert w.language_actions["zh_CN"].isChecked() and "next start" in w.statusBar().currentMessage()
    w.close()
    chosen = language_for(AppSettings(str(tmp_path / "s.ini")).language, "en_US")  # what launch.main installs
    assert chosen == "zh_CN"
    app = QApplication.instance()
    assert isinstance(app, QCoreApplication)
    installed = install_translators(app, chosen)
    try:
        assert tr("Export", "Export the dataset") == "导出数据集"
    finally:
        for t in installed:
            app.removeTranslator(t)
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))


def test_the_label_picker_finds_an_action_by_its_chinese_name(chinese: None) -> None:
    from annotator.taxonomy import load_taxonomy
    from app.labelling.matching import match_actions

    taxonomy = load_taxonomy("mma52")
    assert match_actions(taxonomy, "点头")[0].code == "B1"  # nodding
    assert {a.body_part.name for a in match_actions(taxonomy, "头部")} == {"head"}
    assert match_actions(taxonomy, "nod")[0].code == "B1"  # the English names still work
