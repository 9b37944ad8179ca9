"""Docks that open at their content's width, and a saved layout that belongs to one window kind.

QMainWindow.resizeDocks does nothing useful before the window is shown (the dock layout has
no geometry yet), so the widths are applied on the first show instead, and only when no
saved layout was restored: a user's own arrangement always wins. Each window kind saves its
state under its own version number, so the review screen's layout is never forced onto the
annotation screen (QMainWindow.restoreState refuses a state of another version).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QDockWidget, QHeaderView, QMainWindow, QStyle, QTableView

SECTION_PADDING = 18  # header text margins plus the sort indicator's room
MAX_DOCK_SHARE = 0.3  # one dock never takes more than this share of the window on first show
SIZE_SAMPLE_ROWS = 100  # rows ResizeToContents measures: a 6,000-clip queue would measure 1,000 (Qt's default)


class DockFit:
    """Gives a window's docks their ideal widths on first show unless a saved layout was restored."""

    def __init__(self, window: QMainWindow, docks: Sequence[tuple[QDockWidget, Callable[[], int]]]) -> None:
        self._window = window
        self._docks = list(docks)
        self._restored = False
        self._shown = False

    def restored(self, ok: bool) -> bool:
        """Record the result of QMainWindow.restoreState; returns it unchanged."""
        self._restored = self._restored or ok
        return ok

    def first_show(self) -> None:
        """Call from showEvent: size the docks once, after the layout exists."""
        if self._shown:
            return
        self._shown = True
        if not self._restored:
            self.fit()

    def fit(self) -> None:
        """Resize the docks to their content's ideal widths (capped to a share of the window)."""
        cap = max(200, int(self._window.width() * MAX_DOCK_SHARE))
        widths = [min(cap, ideal()) for _, ideal in self._docks]
        self._window.resizeDocks([d for d, _ in self._docks], widths, Qt.Orientation.Horizontal)


def text_column_width(table: QTableView, samples: Sequence[str], column: int) -> int:
    """Width a column needs to show the widest of `samples` and its own header."""
    fm = table.fontMetrics()
    title = str(table.model().headerData(column, Qt.Orientation.Horizontal))
    widest = max([fm.horizontalAdvance(s) for s in samples] + [table.horizontalHeader().fontMetrics()
                                                                 .horizontalAdvance(title)])
    return widest + SECTION_PADDING


def table_chrome(table: QAbstractItemView) -> int:
    """Frame plus vertical scroll bar: what a table needs besides its columns."""
    scroll = table.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
    return 2 * table.frameWidth() + scroll + 2


def natural_width(table: QTableView, column: int) -> int:
    """A column's width as ResizeToContents would make it (cells and header)."""
    header = table.horizontalHeader()
    return max(table.sizeHintForColumn(column), header.sectionSizeHint(column), header.minimumSectionSize())


def fit_columns_without_scrolling(table: QTableView, stretch: int) -> None:
    """Size every column to its content, let `stretch` take the rest and elide, never scroll sideways."""
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setResizeContentsPrecision(SIZE_SAMPLE_ROWS)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
