"""Model ▸ Train a model… (reviewer): what it trains on, the settings, then a live view of the run.

Non-modal: the run is a worker process, so the app stays usable. Cancel stops the run after
its current step (last.pt keeps every finished epoch); Resume continues it from there. Data too
small to train a useful model is refused with the reason, and "Train anyway" overrides it. A
finished run is registered as a new version; it becomes the active one only when its validation
AVG mAP is at least the active version's, else it is registered inactive and "Make active" offers it.
"""

from __future__ import annotations

import logging
import shutil
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from annotator.errors import InputError
from annotator.exporting import MERGED, default_source
from annotator.model import GROUND_TRUTH, Subset
from annotator.models_registry import activate, load_registry, version_dir
from annotator.project import Project
from annotator.store.api import StoreAPI
from annotator.training_data import TrainingData, refusal, training_data
from app.background import MODEL_SLOT, BackgroundWork
from app.core_text import core_text
from app.i18n import mark, tr
from app.model_loop.process import WorkerProcess
from app.model_loop.records import Guards, TrainOutcome, TrainSpec
from inference.history import VAL_ACTION_MAP, VAL_BODY_MAP

POSE = "pose"
BACKBONE_CHOICES = ((POSE, mark("Train", "Pose landmarks (CPU, minutes; landmarks cached in the project)")),
                    ("videomae-tiny", mark("Train", "VideoMAE tiny + adapter (CPU, from scratch, slow)")),
                    ("videomae-vit-s", mark("Train", "VideoMAE ViT-S + adapter (GPU, weights file)")))
ADAPTER_CHOICES = (("dsta", "DSTA"), ("tia", "TIA"), ("standard", mark("Train", "standard")),
                   ("none", mark("Train", "none")))  # (the job's name, shown translated)
DEVICES = ("auto", "cpu", "cuda")
ACTION_COLOUR, BODY_COLOUR = "#50a0e0", "#70c070"
log = logging.getLogger(__name__)


def data_summary(data: TrainingData) -> str:
    """One line per subset and one for what is left out (TrainingData.summary, in the interface language)."""
    lines = [tr("Train", "{subset}: {clips} clips, {instances} instances, subjects {subjects}").format(
        subset=sub, clips=data.clips.get(sub, 0), instances=data.instances.get(sub, 0),
        subjects=", ".join(data.subjects.get(sub, [])) or "-") for sub in map(str, Subset)]
    if data.left_out:
        lines.append(tr("Train", "left out: {what}").format(
            what=", ".join(f"{n} {core_text(why)}" for why, n in data.left_out.items())))
    return "\n".join(lines)

def clock(seconds: float) -> str:
    """m:ss (h:mm:ss past an hour)."""
    s = int(round(seconds))
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


def cuda_present() -> bool:
    """Whether an NVIDIA driver is loaded: the window never imports torch to ask it (the worker's
    device "auto" decides for real)."""
    return Path("/proc/driver/nvidia/version").is_file() or shutil.which("nvidia-smi") is not None


def default_backbone(cuda: bool) -> str:
    """Pose on a machine without CUDA (a VideoMAE run takes hours there); ViT-S with a GPU."""
    return "videomae-vit-s" if cuda else POSE


class EpochAxis(pg.AxisItem):  # type: ignore[misc]  # pyqtgraph ships no type hints
    """An x axis in whole epochs: no ticks between two epochs (1.5 is no epoch)."""

    def __init__(self) -> None:
        super().__init__("bottom")
        self.enableAutoSIPrefix(False)

    def tickSpacing(self, minVal: float, maxVal: float, size: float) -> list[tuple[float, float]]:  # noqa: N802, N803
        """pyqtgraph's tick levels, less those finer than one epoch."""
        levels = [(spacing, offset) for spacing, offset in super().tickSpacing(minVal, maxVal, size) if spacing >= 1]
        return levels or [(1.0, 0.0)]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:  # noqa: N802
        """Whole numbers."""
        return [str(int(round(v))) for v in values]


class TrainDialog(QDialog):
    """Settings, start / cancel / resume, and the loss and validation-mAP curves of the run."""

    registered = Signal(dict)  # the new version's registry entry
    message = Signal(str)

    def __init__(self, project: Project, store: StoreAPI, parent: QWidget | None = None,
                 work: BackgroundWork | None = None) -> None:
        super().__init__(parent)
        # The window's runner (its prewarmed worker takes the next run); a dialog on its own has one.
        self.work = work if work is not None else BackgroundWork(self)
        self.guards = Guards()  # the minimum data a run needs (tests and callers may lower it)
        self.setWindowTitle(tr("Train", "Train a model"))
        self.setObjectName("trainDialog")
        self.project = project
        self.store = store
        self.data: TrainingData | None = None
        self.worker: WorkerProcess | None = None
        self.number: int | None = None  # version folder of the current or last run
        self.records: list[dict[str, float]] = []
        self.epochs_total = 0
        self.started_at = 0.0
        self.fraction = 0.0
        self._build()
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._tick)

    # ----- layout -----------------------------------------------------------------------------------
    def _build(self) -> None:
        self.data_label = QLabel()
        self.data_label.setObjectName("trainData")
        self.data_label.setWordWrap(True)
        self.source = QComboBox()
        self.source.addItem(tr("Train", "merged: finalised clips"), MERGED)
        self.source.addItem(tr("Train", "imported ground truth"), GROUND_TRUTH)
        self.source.currentIndexChanged.connect(lambda _i: self._read_data())
        self.backbone = QComboBox()
        for key, text in BACKBONE_CHOICES:
            self.backbone.addItem(tr("Train", text), key)
        self.backbone.setCurrentIndex(self.backbone.findData(default_backbone(cuda_present())))
        self.backbone.currentIndexChanged.connect(lambda _i: self._set_running(self.worker is not None))
        self.adapter = QComboBox()
        for key, text in ADAPTER_CHOICES:
            self.adapter.addItem(tr("Train", text), key)
        self.weights = QLineEdit()
        self.browse = QPushButton(tr("Train", "Browse…"))
        self.weights.setPlaceholderText(tr("Train", "pretrained VideoMAE weights (.pth / .safetensors): needed for ViT-S"))
        self.browse.clicked.connect(self._browse)
        weights_row = QHBoxLayout()
        weights_row.addWidget(self.weights, 1)
        weights_row.addWidget(self.browse)
        self.epochs = QSpinBox()
        self.epochs.setRange(1, 500)
        self.epochs.setValue(10)
        self.device = QComboBox()
        self.device.addItems(DEVICES)
        form = QFormLayout()
        form.addRow(tr("Train", "Trains on"), self.source)
        form.addRow("", self.data_label)
        form.addRow(tr("Train", "Backbone"), self.backbone)
        form.addRow(tr("Train", "Adapter"), self.adapter)
        form.addRow(tr("Train", "Weights"), weights_row)
        form.addRow(tr("Train", "Epochs"), self.epochs)
        form.addRow(tr("Train", "Device"), self.device)
        settings = QGroupBox(tr("Train", "What it trains"))
        settings.setLayout(form)
        self.loss_plot = self._plot(tr("Train", "loss"), tr("Train", "training loss"))
        # The curves are named in the title, in their colours: a legend inside the plot sat on the
        # points (mAP rises to the top right, where pyqtgraph puts it).
        self.map_plot = self._plot(tr("Train", "val mAP (%)"), tr("Train", "validation mAP: {action} and {body}").format(
            action=f'<span style="color:{ACTION_COLOUR}">● {tr("Train", "action")}</span>',
            body=f'<span style="color:{BODY_COLOUR}">▲ {tr("Train", "body")}</span>'))
        self.loss_curve = self.loss_plot.plot([], [], pen=pg.mkPen("#e0a050", width=2), symbol="o", symbolSize=5)
        self.action_curve = self.map_plot.plot([], [], pen=pg.mkPen(ACTION_COLOUR, width=2), symbol="o", symbolSize=5,
                                               name=tr("Train", "action"))
        self.body_curve = self.map_plot.plot([], [], pen=pg.mkPen(BODY_COLOUR, width=2), symbol="t", symbolSize=5,
                                             name=tr("Train", "body"))
        plots = QHBoxLayout()
        plots.addWidget(self.loss_plot)
        plots.addWidget(self.map_plot)
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.run_label = QLabel(tr("Train", "Not started"))
        self.run_label.setObjectName("trainRunLabel")
        self.start_button = QPushButton(tr("Train", "Start"))
        self.start_button.setObjectName("startTraining")
        self.cancel_button = QPushButton(tr("Train", "Cancel"))
        self.cancel_button.setObjectName("cancelTraining")
        self.resume_button = QPushButton(tr("Train", "Resume"))
        self.resume_button.setObjectName("resumeTraining")
        self.anyway_button = QPushButton(tr("Train", "Train anyway"))
        self.anyway_button.setObjectName("trainAnyway")
        self.anyway_button.setToolTip(tr("Train", "train although the data is below the minimum: the version will not replace a better active one"))
        self.anyway_button.clicked.connect(lambda: self.start(resume=False, anyway=True))
        self.activate_button = QPushButton(tr("Train", "Make active"))
        self.activate_button.setObjectName("activateVersion")
        self.activate_button.clicked.connect(self.make_active)
        self.activate_button.hide()
        self.pending_version: int | None = None  # registered inactive: "Make active" offers it
        close = QPushButton(tr("Train", "Close"))
        self.start_button.clicked.connect(lambda: self.start(resume=False))
        self.resume_button.clicked.connect(lambda: self.start(resume=True))
        self.cancel_button.clicked.connect(self.cancel)
        close.clicked.connect(self.hide)
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_label, 1)
        for b in (self.start_button, self.anyway_button, self.cancel_button, self.resume_button,
                  self.activate_button, close):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(settings)
        layout.addLayout(plots, 1)
        layout.addWidget(self.bar)
        layout.addLayout(buttons)
        self.resize(900, 640)
        self._set_running(False)

    @staticmethod
    def _plot(left: str, title: str) -> pg.PlotWidget:
        plot = pg.PlotWidget(title=title, axisItems={"bottom": EpochAxis()})
        plot.setLabel("left", left)
        plot.setLabel("bottom", tr("Train", "epoch"))
        plot.showGrid(x=True, y=True, alpha=0.25)
        plot.setMinimumHeight(200)
        return plot

    def _reset_plots(self, epochs: int) -> None:
        """A new run: its epochs on the x axis, y fitted to its own values (nothing kept from the last
        run or from the user's zoom)."""
        for plot in (self.loss_plot, self.map_plot):
            item = plot.getPlotItem()
            item.enableAutoRange(y=True)
            item.setXRange(0.5, epochs + 0.5, padding=0)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Train", "Pretrained weights"), str(self.project.path),
                                              tr("Train", "Weights (*.pth *.pt *.bin *.safetensors)"))
        if path:
            self.weights.setText(path)

    # ----- data -------------------------------------------------------------------------------------
    def reload(self) -> None:
        """Re-read what a run would train on (the default source follows the project's state)."""
        wanted = default_source(self.store)
        self.source.blockSignals(True)
        self.source.setCurrentIndex(max(self.source.findData(wanted), 0))
        self.source.blockSignals(False)
        self._read_data()

    def _read_data(self) -> None:
        try:
            self.data = training_data(self.project, self.store, str(self.source.currentData()))
        except InputError as exc:
            self.data = None
            self.data_label.setText(tr("Train", "Cannot train: {exc}").format(exc=core_text(exc)))
        else:
            refused = self.refused
            self.data_label.setText(
                data_summary(self.data) + "\n"
                + tr("Train", "subjects are kept apart: no subject is in two subsets · data fingerprint #{fingerprint}").format(
                    fingerprint=self.data.fingerprint)
                + ("\n" + tr("Train", "Refused: {why} (Train anyway overrides)").format(why=core_text(refused))
                   if refused else ""))
        self._set_running(self.worker is not None)

    @property
    def refused(self) -> str | None:
        """Why the data is too small for a run (None: it may train)."""
        guards = self.guards
        return None if self.data is None else refusal(self.data, guards.min_train_clips,
                                                      guards.min_train_instances, guards.need_val)

    # ----- run --------------------------------------------------------------------------------------
    def job(self, number: int, resume: bool = False, anyway: bool = False) -> TrainSpec:
        """The worker's job for the current settings."""
        rgb = self.backbone.currentData() != POSE  # pose has no adapter and no pretrained weights
        return TrainSpec(project=str(self.project.path), source=str(self.source.currentData()),
                         backbone=str(self.backbone.currentData()),
                         adapter=str(self.adapter.currentData()) if rgb else "dsta",
                         pretrained=(self.weights.text().strip() or None) if rgb else None,
                         epochs=self.epochs.value(), device=self.device.currentText(), number=number,
                         resume=resume,  # a run resumed was let start: its data is not refused now
                         guards=replace(self.guards, train_anyway=anyway or resume))

    def start(self, resume: bool, anyway: bool = False) -> bool:
        """Start a new run (or resume the last one from its last finished epoch); a run on too little data
        only with anyway=True (the "Train anyway" button)."""
        if self.worker is not None or self.data is None:
            return False
        busy = self.work.holding(MODEL_SLOT)
        if busy is not None:
            self.run_label.setText(tr("Train", "{name} is still running: train once it has ended").format(name=busy.name))
            return False
        if self.refused and not anyway and not resume:  # a run resumed was started anyway
            self.run_label.setText(tr("Train", "Refused: {refused}. Train anyway overrides.").format(refused=core_text(self.refused)))
            return False
        resume = resume and self.number is not None
        number = self.number if resume and self.number is not None else load_registry(self.project.path).next_number()
        self.number = number
        self.activate_button.hide()
        self.records = []
        self._draw()
        self.epochs_total = self.epochs.value()
        self._reset_plots(self.epochs_total)
        worker = self.work.start_process(f"Training v{number}", self.job(number, resume, anyway).to_json(),
                                         slot=MODEL_SLOT)
        worker.progress.connect(self._on_progress)
        worker.epoch.connect(self._on_epoch)
        worker.finished.connect(self._on_finished)
        worker.failed.connect(lambda exc: self._on_failed(str(exc)))
        worker.cancelled.connect(self._on_cancelled)
        worker.ended.connect(self._on_ended)
        self.worker = worker
        self.started_at, self.fraction = time.monotonic(), 0.0
        self.run_label.setText(tr("Train", "Training v{number}: starting the worker").format(number=number))
        spec = self.job(number, resume, anyway)
        log.info("training v%d %s by %s: %s on %s, %d epochs, device %s%s", number, "resumed" if resume else "started",
                 self._who(), spec.backbone, spec.source, spec.epochs, spec.device, " (train anyway)" if anyway else "")
        self._set_running(True)
        self.timer.start()
        return True

    def cancel(self) -> None:
        """Stop the run after its current step (Resume continues it)."""
        if self.worker is not None:
            self.worker.cancel()
            self.cancel_button.setEnabled(False)
            self.run_label.setText(tr("Train", "Cancelling…"))

    def _set_running(self, running: bool) -> None:
        can_resume = (not running and self.number is not None
                      and (version_dir(self.project.path, self.number) / "last.pt").is_file()
                      and load_registry(self.project.path).find(str(self.number)) is None)
        self.start_button.setEnabled(not running and self.data is not None and not self.refused)
        self.anyway_button.setVisible(bool(self.refused))
        self.anyway_button.setEnabled(not running and bool(self.refused))
        self.cancel_button.setEnabled(running)
        self.resume_button.setEnabled(bool(can_resume) and self.data is not None)
        rgb = self.backbone.currentData() != POSE
        widgets: tuple[tuple[QWidget, bool], ...] = (
            (self.source, True), (self.backbone, True), (self.epochs, True), (self.device, True),
            (self.adapter, rgb), (self.weights, rgb), (self.browse, rgb))  # pose: no adapter, no weights
        for widget, usable in widgets:
            widget.setEnabled(not running and usable)

    def _on_progress(self, fraction: float, message: str) -> None:
        self.fraction = fraction
        self.bar.setValue(int(1000 * fraction))
        self.bar.setFormat(message)
        self.bar.setTextVisible(True)
        self._tick()

    def _on_epoch(self, record: dict[str, float]) -> None:
        self.records = [r for r in self.records if r["epoch"] != record["epoch"]] + [record]
        self._draw()

    def _draw(self) -> None:
        epochs = [r["epoch"] for r in self.records]
        self.loss_curve.setData(epochs, [r["loss"] for r in self.records])
        with_val = [r for r in self.records if VAL_ACTION_MAP in r]  # per cent, as history.json holds them
        self.action_curve.setData([r["epoch"] for r in with_val], [r[VAL_ACTION_MAP] for r in with_val])
        self.body_curve.setData([r["epoch"] for r in with_val], [r[VAL_BODY_MAP] for r in with_val])

    def remaining_s(self) -> float | None:
        """Estimated seconds left, from the share done so far (None before the first step)."""
        if self.fraction <= 0:
            return None
        elapsed = time.monotonic() - self.started_at
        return elapsed * (1 - self.fraction) / self.fraction

    def _tick(self) -> None:
        if self.worker is None:
            return
        elapsed = time.monotonic() - self.started_at
        done = int(max((r["epoch"] for r in self.records), default=0))
        left = self.remaining_s()
        self.run_label.setText(
            tr("Train", "Training v{number}: epoch {done}/{total} · elapsed {elapsed}").format(
                number=self.number, done=done, total=self.epochs_total, elapsed=clock(elapsed))
            + (tr("Train", " · about {left} left").format(left=clock(left)) if left is not None else ""))

    def _on_finished(self, result: dict[str, Any]) -> None:
        outcome = TrainOutcome.from_json(result)
        entry = outcome.version
        state = tr("Train", "registered and active") if outcome.activated else tr("Train", "registered, NOT active")
        text = tr("Train", "v{number} {state} ({reason}), proposal threshold {threshold:.2f}").format(
            number=entry["number"], state=state, reason=core_text(outcome.reason), threshold=entry["threshold"])
        self.pending_version = None if outcome.activated else int(entry["number"])
        self.activate_button.setVisible(not outcome.activated)
        self.run_label.setText(text)
        log.info("training v%s ended: %s", entry["number"], text)
        self.message.emit(text)
        self.registered.emit(entry)

    def make_active(self) -> None:
        """Make the version the last run registered inactive the active one."""
        if self.pending_version is None:
            return
        chosen = activate(self.project.path, str(self.pending_version))
        log.info("%s made %s the active model", self._who(), chosen.label)
        self.pending_version = None
        self.activate_button.hide()
        self.run_label.setText(tr("Train", "{label} is now the active model").format(label=chosen.label))
        self.message.emit(tr("Train", "{label} is now the active model").format(label=chosen.label))
        self.registered.emit(chosen.to_json())

    def _who(self) -> str:
        user = self.store.user
        return "the owner" if user is None else user.name

    def _on_failed(self, text: str) -> None:
        log.warning("training v%s failed: %s", self.number, text)
        self.run_label.setText(core_text(text))
        self.message.emit(core_text(text))

    def _on_cancelled(self) -> None:
        done = int(max((r["epoch"] for r in self.records), default=0))
        self.run_label.setText(tr("Train", "Cancelled after {done} finished epochs: Resume continues from there").format(done=done))
        log.info("training v%s cancelled after %d finished epochs", self.number, done)
        self.message.emit(tr("Train", "Training v{number} cancelled").format(number=self.number))

    def _on_ended(self) -> None:
        self.timer.stop()
        self.worker = None  # the runner frees it
        self._set_running(False)
