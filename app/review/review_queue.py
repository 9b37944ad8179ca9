"""Reviewer's clip queue: clips with merged instances and their counts, plus 'merge ready clips'."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.model import MergedStatus
from app.core_text import core_text
from app.i18n import mark, tr
from app.panels.dock_layout import (
    fit_columns_without_scrolling,
    natural_width,
    table_chrome,
    text_column_width,
)
from app.queue.clip_table import (
    ClipRowsModel,
    Index,
    OpenClipHighlight,
    damaged_tip,
    horizontal_margins,
    setup_clip_table,
)
from app.review.review_model import STATES, ReviewRow, clip_state
from app.review.review_timeline import STATUS_COLOURS

COLUMNS = (mark("Queue", "Clip"), mark("Queue", "Review"), mark("Queue", "Rel."),
           mark("Queue", "Res."), mark("Queue", "State"))  # the clip name starts with the subject
HEADER_TIPS = ("clip (its name starts with the subject)", "instances that need review", "reliable instances",
               "instances resolved by a reviewer",
               "open / ready to finalise / changed since its merge: merge it again (Ctrl+M) / final")
FINAL_COLOUR = QColor(122, 196, 132)
STALE_COLOUR = QColor(232, 112, 96)
REMERGE_HINT = mark("Review", "Ctrl+M merges it again once its annotators are done")


class ReviewQueueModel(ClipRowsModel[ReviewRow]):
    """Table model over ReviewRow."""

    COLUMNS = COLUMNS
    HEADER_TIPS = HEADER_TIPS

    def replace_row(self, row: ReviewRow) -> None:
        """Update one clip's counts and state in place."""
        i = self.row_of(row.clip.id)
        if i is None:
            return
        self.rows[i] = row
        self.emit_row_changed(i)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text and colours."""
        if not index.isValid():
            return None
        row, col = self.rows[index.row()], index.column()
        mark = self.damaged_mark(row, col, role)
        if mark is not None:
            return mark
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.clip.name, str(row.needs_review), str(row.reliable), str(row.resolved), tr("Review", clip_state(row)))[col]
        if role == Qt.ItemDataRole.FontRole:
            return self.open_font(row, col)
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == 1 and row.needs_review:
                return STATUS_COLOURS[MergedStatus.NEEDS_REVIEW]
            if col == 4 and row.clip.finalised:
                return FINAL_COLOUR
            if col == 4 and row.stale:
                return STALE_COLOUR
        if role == Qt.ItemDataRole.TextAlignmentRole and 1 <= col <= 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            counts = (tr("Review", "{needs} need review, {reliable} reliable, {resolved} resolved").format(
                needs=row.needs_review, reliable=row.reliable, resolved=row.resolved) if row.total
                      else tr("Review", "no instances: every annotator finished it without marking anything"))
            stale = f"\n{core_text(row.merge_problem)} ({tr('Review', REMERGE_HINT)})" if row.stale else ""
            return (tr("Review", "{name} (subject {subject}): {counts}").format(
                name=row.clip.name, subject=row.clip.subject, counts=counts) + f"{damaged_tip(row.clip)}{stale}")
        return None


class ReviewQueue(QWidget):
    """Clips to review; the merge button with its progress and Cancel; emits clipActivated."""

    clipActivated = Signal(int)
    mergeRequested = Signal()
    cancelRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewQueue")
        self.model = ReviewQueueModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        setup_clip_table(self.table)
        fit_columns_without_scrolling(self.table, stretch=0)
        self.merge_button = QPushButton(tr("Queue", "Merge ready clips"))
        self.merge_button.setObjectName("mergeButton")
        self.merge_button.setToolTip(tr("Review", "Merge every clip whose annotators are all done (Ctrl+M); decisions already made are kept"))
        self.cancel_button = QPushButton(tr("Queue", "Cancel"))
        self.cancel_button.hide()
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.hide()
        self.summary = QLabel("")
        self.summary.setObjectName("reviewSummary")
        self.summary.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.merge_button, 1)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        self.table.activated.connect(self._activated)
        self.table.clicked.connect(self._activated)
        self.highlight = OpenClipHighlight(self.table, self.model)
        self.merge_button.clicked.connect(self.mergeRequested)
        self.cancel_button.clicked.connect(self.cancelRequested)

    def ideal_width(self) -> int:
        """Width that shows every column, the longest clip name included."""
        names = [r.clip.name for r in self.model.rows] or ["S00_00_0000_R"]
        others = sum(natural_width(self.table, c) for c in range(1, len(COLUMNS) - 1))
        state = max(natural_width(self.table, len(COLUMNS) - 1), text_column_width(self.table, [tr("Review", s) for s in STATES], len(COLUMNS) - 1))
        return (others + state + text_column_width(self.table, names, 0) + self.model.mark_width() + table_chrome(self.table)
                + horizontal_margins(self))

    def set_rows(self, rows: list[ReviewRow]) -> None:
        """Show these clips and the totals."""
        self.model.set_rows(rows)  # the open clip stays marked and highlighted (OpenClipHighlight)
        self.update_summary()

    def replace_row(self, row: ReviewRow) -> None:
        """One clip's counts changed (a decision, a finalise): its row and the totals follow."""
        self.model.replace_row(row)
        self.update_summary()

    def update_summary(self) -> None:
        """The totals line above the table."""
        rows = self.model.rows
        needs = sum(r.needs_review for r in rows)
        final = sum(r.clip.finalised for r in rows)
        stale = sum(r.stale for r in rows)
        changed = f" · {stale} to re-merge" if stale else ""
        self.summary.setText(tr("Review", "{clips} merged clips · {needs} instances need review · {final} finalised{changed}").format(clips=len(rows), needs=needs, final=final, changed=changed))

    def select_clip(self, clip_id: int) -> None:
        """Mark and highlight the open clip's row without emitting activation."""
        self.highlight.mark(clip_id)

    def next_open_clip(self, after: int | None) -> int | None:
        """The next clip with instances to review, after `after` (wrapping)."""
        rows = self.model.rows
        ids = [r.clip.id for r in rows]
        pos = ids.index(after) if after in ids else -1
        ordered = rows[pos + 1:] + rows[:pos + 1]
        return next((r.clip.id for r in ordered if r.needs_review and not r.clip.finalised), None)

    def show_running(self, running: bool) -> None:
        """Swap the merge button for progress and Cancel while the merge runs."""
        self.merge_button.setEnabled(not running)
        self.cancel_button.setVisible(running)
        self.progress.setVisible(running)
        if running:
            self.progress.setValue(0)

    def set_progress(self, fraction: float, message: str) -> None:
        """Progress of the running merge."""
        self.progress.setValue(int(round(1000 * fraction)))
        self.progress.setFormat(f"{message} · %p%")

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.clipActivated.emit(self.model.rows[index.row()].clip.id)
