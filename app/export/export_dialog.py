"""The export dialog: the subject split (ratios, seed, who is in each subset), the leakage
check, the counts of what will be written, the formats, a progress bar. The files are
written by annotator.exporting.export_annotations, the function `mmad export` calls, on a
worker thread with its own store."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.errors import InputError
from annotator.export_plan import UNSPLIT, ExportPlan, plan_export
from annotator.exporting import SplitSummary, export_annotations, split_project
from annotator.formats import ANNOTATION_FORMATS, TOOL_FORMATS
from annotator.model import GROUND_TRUTH
from annotator.progress import CancelToken, Progress
from annotator.splits import DEFAULT_RATIOS
from annotator.store.api import StoreAPI
from app.core_text import core_text
from app.i18n import mark, tr
from app.tasks import TaskHandle, TaskRunner
from app.wording import plural

StoreFactory = Callable[[], StoreAPI]
FORMAT_TIPS = {
    "elan-eaf": mark("Export", "ELAN: one .eaf per clip in elan/, a tier per body part, the taxonomy as a controlled vocabulary"),
    "boris-aggregated": mark("Export", "BORIS aggregated events (TSV): one STATE row per instance, times in seconds"),
    "label-studio-json": mark("Export", "Label Studio JSON: a task per clip, TimelineLabels ranges in frames"),
}
SOURCES = ((mark("Export", "Merged and reviewed (reliable + resolved)"), "merged"),
           (mark("Export", "Ground truth"), GROUND_TRUTH))  # translated where shown


class ExportDialog(QDialog):
    """Non-modal; reads through `store`, writes through a store of its own made by `store_factory`."""

    def __init__(self, store: StoreAPI, store_factory: StoreFactory, runner: TaskRunner, default_dir: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle(tr("Export", "Export the dataset"))
        self.store, self.store_factory, self.runner = store, store_factory, runner
        self.task: TaskHandle | None = None
        self.plan = ExportPlan()
        layout = QVBoxLayout(self)
        layout.addWidget(self._build_split())
        layout.addWidget(self._build_what(default_dir))
        layout.addWidget(self._build_counts(), 1)
        layout.addLayout(self._build_run())
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.close)
        layout.addWidget(close)
        self.resize(640, 640)
        self.refresh()

    # ----- construction ---------------------------------------------------------------------
    def _build_split(self) -> QGroupBox:
        box = QGroupBox(tr("Export", "Subject split (whole subjects per subset)"))
        self.ratio_boxes = []
        ratios = QHBoxLayout()
        for name, value in zip(("train", "val", "test"), DEFAULT_RATIOS, strict=True):
            spin = QDoubleSpinBox()
            spin.setRange(0.0, 1.0)
            spin.setSingleStep(0.01)
            spin.setDecimals(2)
            spin.setValue(value)
            spin.setObjectName(f"ratio_{name}")
            ratios.addWidget(QLabel(name))
            ratios.addWidget(spin)
            self.ratio_boxes.append(spin)
        self.seed_box = QSpinBox()
        self.seed_box.setRange(0, 1_000_000)
        ratios.addWidget(QLabel(tr("Export", "seed")))
        ratios.addWidget(self.seed_box)
        self.split_button = QPushButton(tr("Export", "Split again"))
        self.split_button.setToolTip(tr("Export", "Assign whole subjects to train/val/test with these ratios and seed, and store it (as mmad split)"))
        self.split_button.clicked.connect(self.split)
        ratios.addWidget(self.split_button)
        self.leakage = QLabel("")
        self.leakage.setObjectName("leakageResult")
        self.leakage.setWordWrap(True)
        self.split_warning = QLabel("")  # the last split was balanced on too little data
        self.split_warning.setObjectName("splitWarning")
        self.split_warning.setWordWrap(True)
        self.split_warning.setStyleSheet("color: #ec9650;")
        self.split_warning.hide()
        column = QVBoxLayout(box)
        column.addLayout(ratios)
        column.addWidget(self.leakage)
        column.addWidget(self.split_warning)
        return box

    def _build_what(self, default_dir: Path) -> QGroupBox:
        box = QGroupBox(tr("Export", "What and where"))
        form = QFormLayout(box)
        self.source_box = QComboBox()
        for text, source in SOURCES:
            self.source_box.addItem(tr("Export", text), source)
        self.source_box.currentIndexChanged.connect(self.refresh)
        form.addRow(tr("Export", "Annotations"), self.source_box)
        formats = QGridLayout()
        self.format_boxes: dict[str, QCheckBox] = {}
        for k, name in enumerate(ANNOTATION_FORMATS):
            check = QCheckBox(name)
            check.setChecked(name not in TOOL_FORMATS)  # training formats by default; other tools' on request
            check.setToolTip(tr("Export", FORMAT_TIPS[name]) if name in FORMAT_TIPS else "")
            self.format_boxes[name] = check
            formats.addWidget(check, k // 3, k % 3)
        form.addRow(tr("Export", "Formats"), formats)
        folder = QHBoxLayout()
        self.folder_edit = QLineEdit(str(default_dir))
        browse = QPushButton(tr("Export", "Browse…"))
        browse.clicked.connect(self._browse)
        folder.addWidget(self.folder_edit, 1)
        folder.addWidget(browse)
        form.addRow(tr("Export", "Folder"), folder)
        return box

    def _build_counts(self) -> QGroupBox:
        box = QGroupBox(tr("Export", "What will be written"))
        self.counts = QTableWidget(0, 4)
        self.counts.setHorizontalHeaderLabels([tr("Export", "Subset"), tr("Export", "Clips"), tr("Export", "Instances"),
                                               tr("Export", "Subjects")])
        self.counts.verticalHeader().hide()
        self.counts.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.counts.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.total = QLabel("")
        column = QVBoxLayout(box)
        column.addWidget(self.counts)
        column.addWidget(self.total)
        return box

    def _build_run(self) -> QHBoxLayout:
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setFormat("%p%")
        self.progress.hide()
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.export_button = QPushButton(tr("Export", "Export"))
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.export)
        self.cancel_button = QPushButton(tr("Export", "Cancel"))
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.progress)
        row.addWidget(self.cancel_button)
        row.addWidget(self.export_button)
        return row

    # ----- reading -----------------------------------------------------------------------------
    def source(self) -> str:
        """The chosen annotations."""
        return str(self.source_box.currentData())

    def formats(self) -> list[str]:
        """The ticked formats."""
        return [name for name, box in self.format_boxes.items() if box.isChecked()]

    def refresh(self) -> None:
        """Re-read the counts and the leakage check."""
        self.plan = plan_export(self.store, self.source())
        self.counts.setRowCount(len(self.plan.subsets))
        for row, (name, c) in enumerate(self.plan.subsets.items()):
            cells = [name, str(c.clips), str(c.instances), f"{len(c.subjects)}: {', '.join(c.subjects)}"]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col in (1, 2):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.counts.setItem(row, col, item)
        self.total.setText(tr("Export", "{clips}, {instances} per format, one file per subset plus one with everything").format(clips=plural(self.plan.total_clips, 'clip'), instances=plural(self.plan.total_instances, 'instance')))
        ok = self.plan.leakage is None
        split_made = any(name != UNSPLIT for name in self.plan.subsets)
        if ok and not split_made:  # nothing to check yet: "passed" read as if a split had been checked
            self.leakage.setText(tr("Export", "Leakage check: no split stored yet (Split stores one)"))
        else:
            self.leakage.setText(tr("Export", "Leakage check: passed, no subject is in two subsets") if ok else tr("Export", "Leakage check: FAILED: {leakage}. Split again before exporting.").format(leakage=self.plan.leakage))
        self.leakage.setStyleSheet("color: #76be82;" if ok else "color: #ec9650;")
        self.export_button.setEnabled(ok and self.task is None)

    # ----- actions -----------------------------------------------------------------------------
    def split(self) -> None:
        """Store a new subject split with the ratios and seed shown."""
        ratios = [b.value() for b in self.ratio_boxes]
        if abs(sum(ratios) - 1.0) > 1e-6:
            self.status.setText(tr("Export", "The ratios add up to {total:.2f}; they must add up to 1").format(total=sum(ratios)))
            return
        try:
            summary = split_project(self.store, ratios, self.seed_box.value(), self.source())
        except InputError as exc:
            self.status.setText(core_text(exc))
            return
        stratified = sum(summary.instances.values())
        on = (tr("Export", "balanced on {count} of {source}").format(count=plural(stratified, "instance"),
                                                                      source=summary.source) if stratified
              else tr("Export", "no {source} instances yet: balanced on clip counts only").format(source=summary.source))
        subsets = tr("Export", ", ").join(f"{k} {plural(v, 'subject')}" for k, v in summary.subjects.items())
        self.status.setText(tr("Export", "Split stored: {subsets}; {how}").format(subsets=subsets, how=on))
        self.show_split_warning(summary)
        self.refresh()

    def show_split_warning(self, summary: SplitSummary) -> None:
        """Say so when the split just stored was balanced on too little data for every subset asked for
        to get instances (one finalised instance balances nothing); hide the warning otherwise."""
        starved = summary.starved()
        total = sum(summary.instances.values())
        if not starved or not total:  # no instances at all: the status line says so already
            self.split_warning.hide()
            return
        self.split_warning.setText(tr("Export", "Too little data to balance the split on (instances: {instances}, "
                                                "subjects with instances: {subjects}): {subsets} got none. Finalise "
                                                "more clips (or import ground truth), then split again.").format(
            instances=total, subjects=summary.labelled_subjects, subsets=", ".join(starved)))
        self.split_warning.show()

    def export(self) -> TaskHandle | None:
        """Write the files on a worker (its own store), with progress and Cancel."""
        formats = self.formats()
        if not formats:
            self.status.setText(tr("Export", "Tick at least one format"))
            return None
        out_dir, source, factory = Path(self.folder_edit.text()).expanduser(), self.source(), self.store_factory

        def work(progress: Progress, cancel: CancelToken) -> list[Path]:
            store = factory()
            try:
                return export_annotations(store, out_dir, formats, source, progress=progress, cancel=cancel)
            finally:
                store.close()

        handle = self.runner.start("export", work)
        handle.progress.connect(self._on_progress)
        handle.finished.connect(lambda paths: self.status.setText(
            tr("Export", "Wrote {count} to {out_dir}").format(count=plural(len(paths), 'file'), out_dir=out_dir)))
        handle.failed.connect(lambda exc: self.status.setText(tr("Export", "Export failed: {exc}").format(exc=core_text(exc))))
        handle.cancelled.connect(lambda: self.status.setText(tr("Export", "Export cancelled; files written so far stay")))
        handle.ended.connect(self._on_ended)
        self.task = handle
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.show()
        self.export_button.setEnabled(False)
        return handle

    def cancel(self) -> None:
        """Stop the running export."""
        if self.task is not None:
            self.task.cancel()

    def _on_progress(self, fraction: float, message: str) -> None:
        self.progress.setValue(int(round(1000 * fraction)))
        self.status.setText(message)

    def _on_ended(self) -> None:
        self.task = None
        self.cancel_button.hide()
        self.export_button.setEnabled(self.plan.leakage is None)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("Export", "Export folder"), self.folder_edit.text())
        if folder:
            self.folder_edit.setText(folder)
