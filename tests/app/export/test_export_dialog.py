"""Export from the review window: split, counts, leakage, formats, progress, files written."""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from annotator.exporting import split_project
from annotator.project import Project
from app.review.review_window import ReviewWindow
from tests.app.conftest import shown_window
from tests.app.review.conftest import build_review_project


def test_reviewer_exports_with_counts_and_progress(qtbot: QtBot, tmp_path: Path) -> None:
    from merging.finalise import finalise_clips

    folder = tmp_path / "rev"
    build_review_project(folder)
    reviewer = Project.open(folder).open_store("rev")
    finalise_clips(reviewer, ["S01_rev"])  # the merged export holds finalised clips only
    reviewer.close()
    w = shown_window(qtbot, folder, "rev", tmp_path / "s.ini")
    assert isinstance(w, ReviewWindow)
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=3000)
    qtbot.keyClick(QApplication.focusWidget() or w, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = w.export_dialog
    assert dialog is not None and dialog.isVisible()
    assert "no split stored yet" in dialog.leakage.text() and dialog.counts.rowCount() == 1  # nothing split yet
    dialog.ratio_boxes[0].setValue(0.5)
    dialog.ratio_boxes[1].setValue(0.5)
    dialog.ratio_boxes[2].setValue(0.0)
    dialog.split()
    assert dialog.status.text().startswith("Split stored")
    assert "passed" in dialog.leakage.text()  # a stored split is checked
    assert dialog.status.text().endswith("balanced on 2 instances of merged"), dialog.status.text()
    subsets = [dialog.counts.item(r, 0).text() for r in range(dialog.counts.rowCount())]
    assert len(subsets) == 1 and subsets[0] in ("train", "val")  # S01 only: S02_wait is not finished
    # one finalised subject cannot feed two subsets: the dialog says the split was balanced on too little
    warning = dialog.split_warning
    assert warning.isVisible() and "instances: 2, subjects with instances: 1" in warning.text(), warning.text()
    assert ("val got none" if subsets[0] == "train" else "train got none") in warning.text()
    dialog.ratio_boxes[0].setValue(1.0)
    dialog.ratio_boxes[1].setValue(0.0)
    dialog.split()  # everything in train: every subset asked for gets data, no warning
    assert dialog.status.text().startswith("Split stored") and not warning.isVisible()
    for name, box in dialog.format_boxes.items():
        box.setChecked(name == "mma52-csv")
    dialog.folder_edit.setText(str(tmp_path / "out"))
    handle = dialog.export()
    assert handle is not None and dialog.progress.isVisible() and not dialog.export_button.isEnabled()
    with qtbot.waitSignal(handle.ended, timeout=10000):
        pass
    assert dialog.status.text().startswith("Wrote") and (tmp_path / "out" / "all.csv").exists()
    assert not (tmp_path / "out" / "mmad.json").exists()  # only the ticked format
    assert dialog.export_button.isEnabled()
    w.close()


def test_a_leaking_split_blocks_the_export(qtbot: QtBot, tmp_path: Path) -> None:
    from annotator.model import Subset
    from annotator.store.api import NewClip

    folder = tmp_path / "rev"
    build_review_project(folder)
    owner = Project.open(folder).open_store()
    split_project(owner, (0.5, 0.5, 0.0))
    where = {c.subject: c.subset for c in owner.clips()}
    (extra,) = owner.add_clips([NewClip(name="S01_more", subject="S01", fps=30.0, frame_count=60)])
    owner.set_subsets({extra.id: next(s for s in Subset if s != where["S01"])})
    owner.close()
    w = shown_window(qtbot, folder, "rev", tmp_path / "s.ini")
    assert isinstance(w, ReviewWindow)
    w.show_export()
    dialog = w.export_dialog
    assert dialog is not None
    assert "FAILED" in dialog.leakage.text() and "S01" in dialog.leakage.text()
    assert not dialog.export_button.isEnabled()
    w.close()


def test_dialog_lists_the_other_tools_formats_unticked(qtbot: QtBot, tmp_path: Path) -> None:
    from annotator.formats import ANNOTATION_FORMATS
    from app.export.export_dialog import ExportDialog
    from app.tasks import TaskRunner

    project = Project.create(tmp_path / "p", name="p")
    store = project.open_store()
    try:
        dialog = ExportDialog(store, project.open_store, TaskRunner(), tmp_path / "out")
        qtbot.addWidget(dialog)
        assert list(dialog.format_boxes) == list(ANNOTATION_FORMATS)
        ticked = [name for name, box in dialog.format_boxes.items() if box.isChecked()]
        assert ticked == ["mma52-csv", "opentad-json", "pointtad-json"]  # ELAN, BORIS, Label Studio on request
        assert "controlled vocabulary" in dialog.format_boxes["elan-eaf"].toolTip()
    finally:
        store.close()


def test_find_and_export_have_a_close_button(qtbot: QtBot, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    folder = tmp_path / "rev"
    build_review_project(folder)
    w = shown_window(qtbot, folder, "rev", tmp_path / "s.ini")
    assert isinstance(w, ReviewWindow)
    w.show_export()
    w.show_find()
    for dialog in (w.export_dialog, w.find_dialog):
        assert dialog is not None and dialog.isVisible()
        box = dialog.findChild(QDialogButtonBox)
        assert box is not None
        box.button(QDialogButtonBox.StandardButton.Close).click()
        assert not dialog.isVisible()
    w.close()
