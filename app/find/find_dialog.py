"""The Find window: pick an action, a body part or an annotator, get a list; Enter or a
double-click opens the clip at the instance. Reviewers get a second tab: the merged clips
where the annotators disagree most."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.finding import Disagreement, Hit, Query, disagreement, find_instances, searchable_authors
from annotator.store.api import StoreAPI
from app.i18n import mark, tax_name, tr
from app.wording import plural

OpenAt = Callable[[int, int, int | None], None]  # clip id, frame, segment id (or None)
ANY = mark("Find", "any")  # translated where shown
T = TypeVar("T")
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class ResultsModel(QAbstractTableModel, Generic[T]):
    """A read-only table over a list of results: a cell's text is made when the view asks for it
    (a whole project's 55,000 instances show at once; the view asks only for the rows it draws)."""

    def __init__(self, headers: Sequence[str], cells: Callable[[T], tuple[str, ...]],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.headers, self.cells = tuple(headers), cells
        self.results: list[T] = []

    def set_results(self, results: list[T]) -> None:
        """Show these results."""
        self.beginResetModel()
        self.results = results
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        """Number of results."""
        return 0 if parent.isValid() else len(self.results)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        """Number of columns."""
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text; numbers after the first column right-aligned."""
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.TextAlignmentRole) or not index.isValid():
            return None
        text = self.cells(self.results[index.row()])[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return text
        return RIGHT if index.column() and text[:1].isdigit() else None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Column titles."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None


class FindDialog(QDialog):
    """Non-modal; `open_at(clip_id, frame, segment_id)` is how a found instance is shown."""

    def __init__(self, store: StoreAPI, user: str, open_at: OpenAt, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findDialog")
        self.setWindowTitle(tr("Find", "Find in the project"))
        self.store, self.user, self.open_at = store, user, open_at
        self.authors = searchable_authors(store, user)
        self.hits: list[Hit] = []
        self.disputed: list[Disagreement] = []
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_instances(), tr("Find", "Instances"))
        self.reviewer = self.authors != [user]  # an annotator searches their own work only
        if self.reviewer:
            self.tabs.addTab(self._build_disputed(), tr("Find", "Clips where annotators disagree"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.close)
        layout.addWidget(close)
        self.resize(720, 520)
        self.search()

    # ----- construction --------------------------------------------------------------------
    def _build_instances(self) -> QWidget:
        tax = self.store.taxonomy
        self.action_box = QComboBox()
        self.action_box.addItem(tr("Find", ANY), None)
        for a in tax.actions:
            self.action_box.addItem(f"{a.code} {tax_name(a.name)}", a.id)
        self.part_box = QComboBox()
        self.part_box.addItem(tr("Find", ANY), None)
        for b in tax.body_parts:
            self.part_box.addItem(tax_name(b.name), b.id)
        self.author_box = QComboBox()
        if len(self.authors) > 1:
            self.author_box.addItem(tr("Find", ANY), None)
        for name in self.authors:
            self.author_box.addItem(name, name)
        self.author_box.setEnabled(len(self.authors) > 1)
        self.author_box.setToolTip(tr("Find", "Annotators find only their own work (blind annotation)"))
        for combo in (self.action_box, self.part_box, self.author_box):
            combo.currentIndexChanged.connect(self.search)
        form = QFormLayout()
        form.addRow(tr("Find", "Action"), self.action_box)
        form.addRow(tr("Find", "Body part"), self.part_box)
        form.addRow(tr("Find", "Annotator"), self.author_box)
        self.count = QLabel("")
        self.hit_model = ResultsModel[Hit]([tr("Find", "Clip"), tr("Find", "Annotator"), tr("Find", "Frames"), tr("Find", "Action")], self._hit_cells, self)
        self.table = _table(self.hit_model)
        self.table.activated.connect(lambda index: self._open_hit(index.row()))
        page = QWidget()
        column = QVBoxLayout(page)
        column.addLayout(form)
        column.addWidget(self.count)
        column.addWidget(self.table, 1)
        return page

    def _build_disputed(self) -> QWidget:
        self.disputed_model = ResultsModel[Disagreement](
            ["Clip", "Disputed", "Instances", "Share"],
            lambda d: (d.clip_name, str(d.disputed), str(d.instances), f"{d.share:.0%}"), self)
        self.disputed_table = _table(self.disputed_model, stretch_last=False)
        self.disputed_table.activated.connect(lambda index: self._open_disputed(index.row()))
        page = QWidget()
        box = QVBoxLayout(page)
        note = QLabel(tr("Find", "Merged clips, most disputed first: the share of instances the cross-check did not find reliable (to review, or decided by the reviewer). Enter opens the clip."))
        note.setWordWrap(True)
        box.addWidget(note)
        box.addWidget(self.disputed_table, 1)
        self._fill_disputed()
        return page

    # ----- results --------------------------------------------------------------------------
    def query(self) -> Query:
        """The query the boxes describe."""
        return Query(self.action_box.currentData(), self.part_box.currentData(), self.author_box.currentData())

    def search(self) -> None:
        """Run the query and show the instances found."""
        self.hits = find_instances(self.store, self.user, self.query())
        self.hit_model.set_results(self.hits)
        clips = len({h.clip_id for h in self.hits})
        self.count.setText(tr("Find", "{instances} in {clips} · Enter or double-click opens the clip at the instance").format(instances=plural(len(self.hits), 'instance'), clips=plural(clips, 'clip')))

    def _fill_disputed(self) -> None:
        names = {c.id: c.name for c in self.store.clips()}
        self.disputed = disagreement(self.store.merged_outline(), names)  # ids and states only
        self.disputed_model.set_results(self.disputed)

    def _hit_cells(self, h: Hit) -> tuple[str, ...]:
        a = self.store.taxonomy.action(h.action_id)
        return h.clip_name, h.author, f"{h.start_frame}–{h.end_frame}", f"{a.code} {tax_name(a.name)}"

    def _open_hit(self, row: int) -> None:
        if 0 <= row < len(self.hits):
            h = self.hits[row]
            self.open_at(h.clip_id, h.start_frame, h.segment_id)

    def _open_disputed(self, row: int) -> None:
        if 0 <= row < len(self.disputed):
            self.open_at(self.disputed[row].clip_id, 0, None)


def _table(model: QAbstractTableModel, stretch_last: bool = True) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.setAlternatingRowColors(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(stretch_last)
    return table
