"""What the annotator's and the reviewer's clip queues share: a row-per-clip table model and view setup."""

from __future__ import annotations

from typing import Any, ClassVar, Generic, Protocol, TypeVar

from PySide6.QtCore import QAbstractTableModel, QMargins, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget

from annotator.model import Clip

Index = QModelIndex | QPersistentModelIndex
ROW_HEIGHT = 24  # px: compact rows, so a 15-clip queue fits without scrolling


class ClipRow(Protocol):
    """A queue row: anything that names its clip."""

    @property
    def clip(self) -> Clip:
        """The clip this row shows."""
        ...


RowT = TypeVar("RowT", bound=ClipRow)


class ClipRowsModel(QAbstractTableModel, Generic[RowT]):
    """Flat table of one row per clip; subclasses set COLUMNS (HEADER_TIPS optional) and data()."""

    COLUMNS: ClassVar[tuple[str, ...]] = ()
    HEADER_TIPS: ClassVar[tuple[str, ...]] = ()  # header tooltips, one per column, or none at all

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[RowT] = []

    def set_rows(self, rows: list[RowT]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def clips(self) -> list[Clip]:
        """The clip of every row, in row order."""
        return [r.clip for r in self.rows]

    def row_of(self, clip_id: int) -> int | None:
        """Model row of a clip."""
        return next((i for i, r in enumerate(self.rows) if r.clip.id == clip_id), None)

    def emit_row_changed(self, i: int) -> None:
        """Tell the views every cell of row `i` changed."""
        self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.COLUMNS) - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Number of clips."""
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Number of columns."""
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Column titles (and tooltips where HEADER_TIPS gives them)."""
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole and self.HEADER_TIPS:
            return self.HEADER_TIPS[section]
        return None


def setup_clip_table(table: QTableView) -> None:
    """Whole-row single selection, read-only, no row numbers, compact alternating rows."""
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
    table.setAlternatingRowColors(True)


def horizontal_margins(widget: QWidget) -> int:
    """Left plus right contents margin of the widget's layout (0 without one)."""
    layout = widget.layout()
    margins = layout.contentsMargins() if layout is not None else QMargins()
    return margins.left() + margins.right()
