"""Clip queue panel: filter, sort, overall progress, open a clip or the next one to do."""

from __future__ import annotations

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.model import AssignmentState
from app.i18n import mark, tr
from app.panels.dock_layout import table_chrome, text_column_width
from app.queue.clip_table import OpenClipHighlight, horizontal_margins, setup_clip_table
from app.queue.queue_model import QueueModel, QueueRow

CLIP_NAME_SAMPLE = "S00_00_0000_R"  # MMA-style clip name, for an empty queue

STATE_FILTERS = ((mark("Queue", "All clips"), None), (mark("Queue", "To do"), AssignmentState.TODO),
                 (mark("Queue", "In progress"), AssignmentState.IN_PROGRESS),
                 (mark("Queue", "Done"), AssignmentState.DONE), (mark("Queue", "Not done"), "open"))


class QueueFilter(QSortFilterProxyModel):
    """Filters by state and by text in the clip name or subject; the model sorts (QueueModel.sort)."""

    def __init__(self, model: QueueModel) -> None:
        super().__init__()
        self.setSourceModel(model)
        self.model = model
        self.state: AssignmentState | str | None = None
        self.text = ""
        model.dataChanged.connect(self._keep_in_order)  # after the proxy's own handler: it was connected first

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the model (keys once per row); this proxy shows its rows in the model's order."""
        self.model.sort(column, order)

    def _keep_in_order(self, top_left: QModelIndex, bottom_right: QModelIndex) -> None:
        if not top_left.column() <= self.model.sort_column <= bottom_right.column():
            return
        for clip_id in [r.clip.id for r in self.model.rows[top_left.row():bottom_right.row() + 1]]:
            row = self.model.row_of(clip_id)
            if row is not None:
                self.model.keep_in_order(row)

    def set_filter(self, state: AssignmentState | str | None, text: str) -> None:
        """Show rows in `state` whose name or subject contains `text`."""
        self.beginFilterChange()
        self.state, self.text = state, text.strip().lower()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        """State and text test."""
        model = self.sourceModel()
        assert isinstance(model, QueueModel)
        row = model.rows[source_row]
        if self.state == "open" and row.state == AssignmentState.DONE:
            return False
        if isinstance(self.state, AssignmentState) and row.state != self.state:
            return False
        return not self.text or self.text in row.clip.name.lower() or self.text in row.clip.subject.lower()


class QueueWidget(QWidget):
    """The annotator's assigned clips; emits clipActivated(clip_id)."""

    clipActivated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queue")
        self.model = QueueModel(self)
        self.proxy = QueueFilter(self.model)
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Queue", "Filter clips or subjects"))
        self.search.setClearButtonEnabled(True)
        self.state_box = QComboBox()
        for text, _ in STATE_FILTERS:
            self.state_box.addItem(tr("Queue", text))
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        setup_clip_table(self.table)
        header = self.table.horizontalHeader()
        # Narrow columns sized to their widest value (ResizeToContents also reserves room for
        # the sort arrow in every header, which starves the clip name); the name takes the rest.
        fm = self.table.fontMetrics()
        header.setMinimumSectionSize(24)
        for column, sample in ((0, "in progress__"), (2, "S000"), (3, "15.0s"), (4, "999")):
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, max(fm.horizontalAdvance(sample), fm.horizontalAdvance(title)) + 18)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.progress = QProgressBar()
        self.progress.setObjectName("queueProgress")
        self.feedback = QLabel("")  # the annotator's agreement with the final result
        self.feedback.setObjectName("queueFeedback")
        self.feedback.setWordWrap(True)
        self.feedback.setStyleSheet("color: #8a93a3")
        self.feedback.hide()
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.state_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.feedback)
        self.search.textChanged.connect(self._refilter)
        self.state_box.currentIndexChanged.connect(self._refilter)
        self.table.activated.connect(self._on_activated)
        self.table.clicked.connect(self._on_activated)
        self.highlight = OpenClipHighlight(self.table, self.model)

    def ideal_width(self) -> int:
        """Width that shows every column, the longest clip name included, without eliding."""
        names = [r.clip.name for r in self.model.rows] or [CLIP_NAME_SAMPLE]
        header = self.table.horizontalHeader()
        fixed = sum(header.sectionSize(c) for c in range(self.model.columnCount()) if c != 1)
        return (fixed + text_column_width(self.table, names, 1) + self.model.mark_width() + table_chrome(self.table)
                + horizontal_margins(self))

    def set_rows(self, rows: list[QueueRow], keep_order: bool = False) -> None:
        """Show these clips (keep_order: in the given order, not sorted by a column)."""
        self.model.set_rows(rows)
        if keep_order:
            self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # -1: the model's own order
        self._update_progress()

    def update_clip(self, clip_id: int, state: AssignmentState | None = None, instances: int | None = None) -> None:
        """Refresh one clip's state or count."""
        self.model.update_row(clip_id, state, instances)
        self._update_progress()

    def replace_rows(self, rows: list[QueueRow]) -> None:
        """Rows read again (a teammate's commit): each updated in place, nothing else re-read."""
        for row in rows:
            self.model.replace_row(row)
        self._update_progress()

    def select_clip(self, clip_id: int) -> None:
        """Mark and highlight the open clip without emitting clipActivated."""
        self.highlight.mark(clip_id)

    def next_open_clip(self, after_clip_id: int | None) -> int | None:
        """The next not-done clip in the displayed order after `after_clip_id` (wrapping round)."""
        if self.proxy.rowCount() == len(self.model.rows):  # nothing filtered out: shown in the model's order
            ids = [r.clip.id for r in self.model.rows]
        else:
            ids = [self.model.rows[self.proxy.mapToSource(self.proxy.index(r, 0)).row()].clip.id
                   for r in range(self.proxy.rowCount())]
        states = {r.clip.id: r.state for r in self.model.rows}
        start = ids.index(after_clip_id) + 1 if after_clip_id in ids else 0
        for clip_id in ids[start:] + ids[:start]:
            if clip_id != after_clip_id and states[clip_id] != AssignmentState.DONE:
                return clip_id
        return None

    def set_feedback(self, text: str) -> None:
        """One line under the progress bar (hidden when empty)."""
        self.feedback.setText(text)
        self.feedback.setVisible(bool(text))

    def _refilter(self) -> None:
        self.proxy.set_filter(STATE_FILTERS[self.state_box.currentIndex()][1], self.search.text())

    def _update_progress(self) -> None:
        done, total = self.model.counts()
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(tr("Queue", "%1 / %2 clips done").replace("%1", str(done)).replace("%2", str(total)))

    def _on_activated(self, index: QModelIndex) -> None:
        source = self.proxy.mapToSource(index)
        if source.isValid():
            self.clipActivated.emit(self.model.rows[source.row()].clip.id)
