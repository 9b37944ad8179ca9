"""What the annotator's and the reviewer's clip queues share: a row-per-clip table model and view setup."""

from __future__ import annotations

from functools import cache
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QMargins,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QMouseEvent, QPainter, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget

from annotator.model import Clip
from app.i18n import tr
from app.wording import plural

Index = QModelIndex | QPersistentModelIndex
ROW_HEIGHT = 24  # px: compact rows, so a 15-clip queue fits without scrolling
DAMAGED_COLOUR = QColor(232, 160, 64)  # a clip from a damaged video: its name and mark
ICON_PX = 14


def damaged_tip(clip: Clip) -> str:
    """What a tooltip adds for a clip imported from a damaged video ("" when it is not)."""
    if not clip.damaged:
        return ""
    return tr("Queue", " · damaged video: only {frames} ({seconds:.1f} s) could be read, "
                       "the rest of the recording is missing").format(frames=plural(clip.frame_count, "frame"),
                                                                      seconds=clip.duration)


@cache
def damaged_icon() -> QIcon:
    """A small amber warning triangle (drawn, so it needs no font glyph and no file)."""
    pixmap = QPixmap(ICON_PX, ICON_PX)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(DAMAGED_COLOUR))
    s = float(ICON_PX)
    painter.drawPolygon(QPolygonF([QPointF(s / 2, 0.5), QPointF(s - 0.5, s - 1), QPointF(0.5, s - 1)]))
    painter.setPen(QPen(QColor(40, 30, 10), 1.6))
    painter.drawLine(QPointF(s / 2, s * 0.32), QPointF(s / 2, s * 0.62))
    painter.drawPoint(QPointF(s / 2, s * 0.78))
    painter.end()
    return QIcon(pixmap)


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
    NAME_COLUMN: ClassVar[int] = 0  # the clip name's column (drawn bold for the open clip)
    HEADER_TIPS: ClassVar[tuple[str, ...]] = ()  # header tooltips, one per column, or none at all

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[RowT] = []
        self.open_id: int | None = None  # the clip open in the window: its row is drawn bold

    def set_open(self, clip_id: int | None) -> None:
        """Mark the open clip's row (and unmark the previous one)."""
        before, self.open_id = self.open_id, clip_id
        for cid in {before, clip_id} - {None}:
            i = self.row_of(int(cid))  # type: ignore[arg-type]
            if i is not None:
                self.emit_row_changed(i)

    def open_font(self, row: RowT, column: int) -> QFont | None:
        """Bold for the open clip's name (FontRole; the narrow columns keep their font), else None."""
        if row.clip.id != self.open_id or column != self.NAME_COLUMN:
            return None
        font = QFont()
        font.setBold(True)
        return font

    def damaged_mark(self, row: RowT, column: int, role: int) -> Any:
        """The damaged-video mark of the name cell (icon, amber text) for this role, else None."""
        if not row.clip.damaged or column != self.NAME_COLUMN:
            return None
        if role == Qt.ItemDataRole.DecorationRole:
            return damaged_icon()
        if role == Qt.ItemDataRole.ForegroundRole:
            return DAMAGED_COLOUR
        return None

    def mark_width(self) -> int:
        """Room the damaged mark takes beside a clip name (0 when no row has one)."""
        return ICON_PX + 6 if any(r.clip.damaged for r in self.rows) else 0

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
            return tr("Queue", self.COLUMNS[section])
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


class OpenClipHighlight(QObject):
    """Keeps a clip table's highlighted row on the open clip, and only there.

    A right or middle click would otherwise select a row without opening it, and filtering
    would move the highlight to whatever row is left; the open clip is also drawn bold, so
    it stays marked wherever the selection is.
    """

    def __init__(self, table: QTableView, model: ClipRowsModel[Any]) -> None:
        super().__init__(table)
        self.table = table
        self.model = model
        table.viewport().installEventFilter(self)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # arrow keys belong to the window, not the list
        view_model = table.model()
        view_model.layoutChanged.connect(self.refresh)
        view_model.modelReset.connect(self.refresh)
        view_model.rowsInserted.connect(self.refresh)
        view_model.rowsRemoved.connect(self.refresh)

    def mark(self, clip_id: int | None) -> None:
        """The clip now open: bold, highlighted and scrolled to."""
        self.model.set_open(clip_id)
        self.refresh()

    def refresh(self) -> None:
        """Highlight the open clip's row if it is shown, else nothing."""
        index = self._view_index()
        if index is None or not index.isValid():
            self.table.clearSelection()
            return
        self.table.selectRow(index.row())
        self.table.scrollTo(index)

    def _view_index(self) -> QModelIndex | None:
        if self.model.open_id is None:
            return None
        row = self.model.row_of(self.model.open_id)
        if row is None:
            return None
        index = self.model.index(row, 0)
        view_model = self.table.model()
        return view_model.mapFromSource(index) if isinstance(view_model, QSortFilterProxyModel) else index

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Only the left button selects (and opens); other buttons leave the highlight alone."""
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick):
            assert isinstance(event, QMouseEvent)
            return event.button() != Qt.MouseButton.LeftButton
        return False
