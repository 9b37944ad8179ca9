"""The status-bar face of a running model job: what it does, a progress bar and a cancel button."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from app.i18n import tr


class RunStatus(QWidget):
    """Hidden while no job runs."""

    cancelRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelRunStatus")
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setFixedWidth(140)
        self.bar.setTextVisible(False)
        self.cancel = QPushButton(tr("Model", "Cancel"))
        self.cancel.setObjectName("cancelModelRun")
        self.cancel.clicked.connect(self.cancelRequested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel)
        self.hide()

    def begin(self, text: str) -> None:
        """Show a new job."""
        self.label.setText(text)
        self.bar.setValue(0)
        self.cancel.setEnabled(True)
        self.show()

    def update_progress(self, fraction: float, message: str) -> None:
        """Move the bar; the message goes to the tooltip (the label keeps the job's name)."""
        self.bar.setValue(int(1000 * min(max(fraction, 0.0), 1.0)))
        self.bar.setToolTip(message)

    def end(self) -> None:
        """Hide until the next job."""
        self.hide()
