"""The Train dialog's buttons and plots over a run's life, with a stand-in for the worker process
(the real one is driven in test_loop_window): what can be pressed when, and how the curves look."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, cast

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from annotator.exporting import split_project
from annotator.project import Project
from annotator.synthetic.demo import build_demo
from app.background import BackgroundWork
from app.model_loop.records import Guards
from app.model_loop.train_dialog import TrainDialog
from inference.history import VAL_ACTION_MAP, VAL_BODY_MAP


class StandInWorker(QObject):
    """WorkerProcess's signals and controls; the test plays the run."""

    progress = Signal(float, str)
    epoch = Signal(dict)
    finished = Signal(dict)
    failed = Signal(str)
    cancelled = Signal()
    ended = Signal()
    made: list[StandInWorker] = []

    def __init__(self, job: dict[str, Any], name: str, parent: QObject | None = None, spare: object = None) -> None:
        super().__init__(parent)
        self.job, self.name, self.running, self.cancel_asked = job, name, False, False
        StandInWorker.made.append(self)

    def start(self) -> None:
        self.running = True

    def cancel(self) -> None:
        self.cancel_asked = True

    def end(self, signal: Any, *args: object) -> None:
        self.running = False
        signal.emit(*args)
        self.ended.emit()


class StandInWork:
    """The window runner's face the dialog uses: one model job at a time, played by the test."""

    def __init__(self) -> None:
        self.current: StandInWorker | None = None

    def holding(self, slot: str) -> StandInWorker | None:
        return self.current if self.current is not None and self.current.running else None

    def start_process(self, name: str, job: dict[str, Any], after: object = None, slot: str | None = None,
                      warm: bool = True) -> StandInWorker:
        self.current = StandInWorker(job, name)
        self.current.start()
        return self.current


@pytest.fixture(scope="module")
def split_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("train") / "demo"
    build_demo(folder, subjects=3, clips_per_subject=2, size=(160, 120))
    store = Project.open(folder).open_store()
    try:
        split_project(store, (0.34, 0.33, 0.33), seed=0)
    finally:
        store.close()
    return folder


@pytest.fixture
def dialog(qtbot: QtBot, split_demo: Path) -> TrainDialog:
    StandInWorker.made.clear()
    project = Project.open(split_demo)
    store = project.open_store()
    d = TrainDialog(project, store, work=cast(BackgroundWork, StandInWork()))
    qtbot.addWidget(d)
    d.guards = Guards(min_train_clips=1, min_train_instances=1)
    d.reload()
    d.show()
    qtbot.waitExposed(d)
    return d


def buttons(d: TrainDialog) -> tuple[bool, bool, bool]:
    return d.start_button.isEnabled(), d.cancel_button.isEnabled(), d.resume_button.isEnabled()


def test_buttons_follow_the_run(dialog: TrainDialog, caplog: pytest.LogCaptureFixture) -> None:
    d = dialog
    assert buttons(d) == (True, False, False)  # nothing ran: nothing to cancel or resume
    d.epochs.setValue(3)
    with caplog.at_level(logging.INFO, logger="app.model_loop.train_dialog"):
        assert d.start(resume=False)
        assert buttons(d) == (False, True, False)  # running: only Cancel
        assert not d.start(resume=False)
        worker = StandInWorker.made[-1]
        d.cancel()
        assert worker.cancel_asked and buttons(d) == (False, False, False)  # cancelling: nothing to press
        worker.end(worker.cancelled)
    assert "training v1 started by" in caplog.text and "training v1 cancelled after 0" in caplog.text
    assert buttons(d) == (True, False, False)  # no epoch finished: no last.pt, nothing to resume
    assert d.start(resume=False)
    worker = StandInWorker.made[-1]
    with caplog.at_level(logging.INFO, logger="app.model_loop.train_dialog"):
        worker.end(worker.failed, "the worker stopped")
    assert "training v1 failed: the worker stopped" in caplog.text
    assert buttons(d) == (True, False, False)


def test_plots_show_whole_epochs_without_a_legend_and_start_afresh(dialog: TrainDialog) -> None:
    d = dialog
    d.epochs.setValue(3)
    assert d.start(resume=False)
    worker = StandInWorker.made[-1]
    for epoch, loss in ((1, 2.0), (2, 1.2), (3, 0.9)):
        worker.epoch.emit({"epoch": float(epoch), "loss": loss, VAL_ACTION_MAP: 10.0 * epoch,
                           VAL_BODY_MAP: 12.0 * epoch})
    for plot in (d.loss_plot, d.map_plot):
        item = plot.getPlotItem()
        assert item.legend is None  # named in the title: nothing drawn over the points
        axis = item.getAxis("bottom")
        ticks = [v for _, level in axis.tickValues(0.5, 3.5, 400) for v in level]
        assert ticks and all(float(v).is_integer() for v in ticks)  # 1, 2, 3: no 1.5
        assert axis.tickStrings([1.0, 2.0], 1.0, 1.0) == ["1", "2"]
    assert "action" in d.map_plot.getPlotItem().titleLabel.text
    d.map_plot.getPlotItem().setXRange(2.2, 2.4)  # the user zoomed in on this run
    worker.end(worker.cancelled)
    d.epochs.setValue(20)
    assert d.start(resume=False)
    for plot in (d.loss_plot, d.map_plot):
        (x0, x1), _ = plot.getPlotItem().viewRange()
        assert (x0, x1) == pytest.approx((0.5, 20.5))  # the next run's epochs, not the last view
    assert d.loss_curve.xData is None or len(d.loss_curve.xData) == 0  # its curves start empty


def test_a_disabled_button_looks_disabled_in_the_apps_theme(dialog: TrainDialog) -> None:
    import numpy as np
    from PySide6.QtGui import QImage

    from app.launch import style_sheet

    def brightest(button: QPushButton) -> int:
        image = button.grab().toImage().convertToFormat(QImage.Format.Format_Grayscale8)
        rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
        return int(rows[:, : image.width()].max())

    dialog.setStyleSheet(style_sheet())
    assert dialog.start_button.isEnabled() and not dialog.cancel_button.isEnabled()
    # the theme's one text colour made Cancel and Resume read as pressable before any run
    assert brightest(dialog.cancel_button) < brightest(dialog.start_button) - 60
