"""One GraphicsItem drawing every segment bar of the clip, packed into body-part lanes.

Following pyqtgraph's customGraphicsItem pattern, the geometry (packing, lane offsets,
numpy arrays of bar positions) is built once per data change and cached; paint() only
culls to the visible range with numpy and draws pixel-aligned rectangles in device
coordinates, so pan and zoom stay cheap with thousands of bars.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen

from app.i18n import tr
from app.timeline.packing import Bar, pack_rows, rows_per_lane

LANE_GAP = 0.35  # empty space between lane groups, in row units
BAR_INSET = 0.1  # vertical padding of a bar inside its row
EDGE_GRAB_PX = 6  # how close to an edge the mouse must be to resize rather than move
BAR_GAP_PX = 2  # bars stop this short of their end pixel, so touching bars read as two
LABEL_PAD_PX = 3  # label inset from the bar's left edge (and kept free on the right)
LANE_COLOURS = (  # calm, distinguishable on dark grey, one per body part
    QColor(106, 153, 208), QColor(214, 150, 92), QColor(120, 180, 130), QColor(190, 120, 160),
    QColor(196, 180, 96), QColor(120, 176, 186), QColor(170, 140, 210),
)
LANE_SHADES = (QColor(34, 37, 43), QColor(40, 43, 50))
TEXT_COLOUR = QColor(18, 20, 24)
SELECTED_PEN = QColor(255, 255, 255)


def bar_spans(starts: np.ndarray, ends: np.ndarray, sx: float, dx: float) -> tuple[np.ndarray, np.ndarray]:
    """Left and right device pixels of bars from frame `starts` to `ends` (x = sx·frame + dx).

    Each bar ends BAR_GAP_PX short of its end frame's pixel, so a bar that starts where
    another ends (30–100 beside 100–135) is drawn apart from it; a bar is never thinner than
    2 px.
    """
    px0 = np.round(sx * starts + dx)
    px1 = np.maximum(np.round(sx * ends + dx) - BAR_GAP_PX, px0 + 2)
    return px0, px1


def bar_label(text: str, code: str, bar_px: int, metrics: QFontMetrics) -> str:
    """What fits on a bar `bar_px` wide: the whole label; else the label elided if that keeps
    the code and a few letters of the name; else the code alone (B6); else nothing. The
    name is always on the bar's tooltip."""
    width = bar_px - 2 * LABEL_PAD_PX
    if metrics.horizontalAdvance(text) <= width:
        return text
    elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(width, 0))
    if len(elided) - 1 >= len(code) + 4:  # code, a space and three letters before the "…"
        return elided
    return code if code and metrics.horizontalAdvance(code) <= bar_px - 2 else ""


class LanesItem(pg.GraphicsObject):  # type: ignore[misc]  # pyqtgraph ships no type hints
    """Bars of every segment; emits clicks and drags, never edits anything itself."""

    barClicked = Signal(object, int)  # bar id (None for empty space), frame under the mouse
    barDoubleClicked = Signal(int)  # bar id: change its label
    barDragged = Signal(int, int, int, str)  # id, start, end, edge being moved ("start"/"end"/"move")
    barDropped = Signal(int, int, int)  # id, new start, new end

    def __init__(self, n_lanes: int) -> None:
        super().__init__()
        self.n_lanes = n_lanes
        self.total_frames = 1
        self.bars: list[Bar] = []
        self.selected: int | None = None
        self.lane_rows = [1] * n_lanes
        self.lane_top = [0.0] * n_lanes
        self.lane_shown = [True] * n_lanes  # hidden lanes take no height and draw no bars
        self.height_units = 1.0
        self._ids = np.zeros(0, dtype=np.int64)
        self._start = np.zeros(0)
        self._end = np.zeros(0)
        self._y = np.zeros(0)
        self._lane = np.zeros(0, dtype=np.int64)
        self._drag: tuple[int, str, int, int, float] | None = None  # id, mode, start, end, grab x
        self._preview: tuple[int, int, int] | None = None  # id, start, end while dragging
        self._font = QFont()
        self._font.setPointSizeF(8.5)
        self.setAcceptHoverEvents(True)

    # ----- data -------------------------------------------------------------------------
    def set_bars(self, bars: Sequence[Bar], total_frames: int, shown: Sequence[bool] | None = None) -> None:
        """Replace every bar and rebuild the cached geometry; `shown` says which lanes are drawn."""
        self.prepareGeometryChange()
        self.lane_shown = list(shown) if shown is not None else [True] * self.n_lanes
        self.bars = [b for b in bars if self._lane_shown(b.lane)]
        self.total_frames = max(1, total_frames)
        rows = pack_rows(self.bars)
        self.lane_rows = rows_per_lane(rows, self.bars, self.n_lanes)
        self.lane_top = [0.0] * self.n_lanes
        top = 0.0
        for lane in range(self.n_lanes):
            self.lane_top[lane] = top
            if self._lane_shown(lane):
                top += self.lane_rows[lane] + LANE_GAP
            else:
                self.lane_rows[lane] = 0
        self.height_units = max(top - LANE_GAP, 1.0)
        self._ids = np.array([b.id for b in self.bars], dtype=np.int64)
        self._start = np.array([b.start for b in self.bars], dtype=np.float64)
        self._end = np.array([b.end for b in self.bars], dtype=np.float64)
        self._lane = np.array([b.lane for b in self.bars], dtype=np.int64)
        self._y = np.array([self.lane_top[b.lane] + rows[b.id] for b in self.bars], dtype=np.float64)
        self._preview = None
        self.update()

    def _lane_shown(self, lane: int) -> bool:
        return lane >= len(self.lane_shown) or self.lane_shown[lane]

    def set_selected(self, bar_id: int | None) -> None:
        """Highlight one bar."""
        self.selected = bar_id
        self.update()

    def bar(self, bar_id: int) -> Bar | None:
        """The bar with this id."""
        return next((b for b in self.bars if b.id == bar_id), None)

    def lane_centres(self) -> list[float]:
        """y of each lane group's middle (for the axis labels)."""
        return [self.lane_top[k] + self.lane_rows[k] / 2 for k in range(self.n_lanes)]

    def boundingRect(self) -> QRectF:
        """Everything the item can draw, in frames × row units."""
        return QRectF(-0.5, 0.0, float(self.total_frames), self.height_units)

    # ----- painting -----------------------------------------------------------------------
    def paint(self, p: QPainter, *args: object) -> None:
        """Lane bands, then visible bars in device pixels, labels where they fit."""
        t = p.transform()
        sx, dx, sy, dy = t.m11(), t.dx(), t.m22(), t.dy()
        vb = self.getViewBox()
        x0, x1 = (vb.viewRange()[0] if vb is not None else (0, self.total_frames))
        p.save()
        p.resetTransform()
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        # Bands cover whole frames, -0.5 .. last + 0.5 as the filmstrip and the view's limits do
        # (from 0 they left half a frame bare at the left, and half the view with no clip open).
        left, right = sx * max(x0, -0.5) + dx, sx * min(x1, self.total_frames - 0.5) + dx
        for lane in range(self.n_lanes):
            if not self._lane_shown(lane):
                continue
            y_top = sy * self.lane_top[lane] + dy
            y_bot = sy * (self.lane_top[lane] + self.lane_rows[lane]) + dy
            p.fillRect(QRectF(left, y_top, right - left, y_bot - y_top), LANE_SHADES[lane % 2])
        starts, ends = self._geometry_with_preview()
        visible = np.nonzero((ends >= x0) & (starts <= x1))[0]
        if visible.size:
            px0, px1 = bar_spans(starts[visible], ends[visible], sx, dx)
            py0 = np.round(sy * (self._y[visible] + BAR_INSET) + dy)
            py1 = np.round(sy * (self._y[visible] + 1 - BAR_INSET) + dy)
            self._paint_bars(p, visible, px0, px1, py0, py1)
            self._paint_labels(p, visible, np.maximum(px0, left), px1, py0, py1)
            self._paint_selection(p, visible, px0, px1, py0, py1)
        p.restore()

    def _paint_bars(self, p: QPainter, visible: np.ndarray, px0: np.ndarray, px1: np.ndarray,
                    py0: np.ndarray, py1: np.ndarray) -> None:
        """Visible bars filled with their lane's colour, one drawRects call per lane."""
        lanes = self._lane[visible]
        p.setPen(Qt.PenStyle.NoPen)
        for lane in np.unique(lanes):
            idx = np.nonzero(lanes == lane)[0]
            p.setBrush(LANE_COLOURS[int(lane) % len(LANE_COLOURS)])
            p.drawRects([QRectF(px0[i], py0[i], px1[i] - px0[i], py1[i] - py0[i]) for i in idx])

    def _geometry_with_preview(self) -> tuple[np.ndarray, np.ndarray]:
        if self._preview is None:
            return self._start, self._end
        bar_id, start, end = self._preview
        starts, ends = self._start.copy(), self._end.copy()
        hit = self._ids == bar_id
        starts[hit], ends[hit] = start, end
        return starts, ends

    def _paint_labels(self, p: QPainter, visible: np.ndarray, px0: np.ndarray, px1: np.ndarray,
                      py0: np.ndarray, py1: np.ndarray) -> None:
        if visible.size > 400 or (py1 - py0).max(initial=0) < 11:
            return  # too many or too thin to read: the table and tooltips carry the names
        p.setFont(self._font)
        metrics = QFontMetrics(self._font)
        left = int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
        centred = int(Qt.AlignmentFlag.AlignCenter)
        for k, i in enumerate(visible):
            bar = self.bars[int(i)]
            bar_px = int(px1[k] - px0[k])
            text = bar_label(bar.text, bar.code, bar_px, metrics)
            if not text:
                continue
            p.setPen(self._text_colour(int(i)))
            if text == bar.code and text != bar.text:  # a code alone sits in the middle of its bar
                p.drawText(QRectF(px0[k], py0[k], bar_px, py1[k] - py0[k]), centred, text)
            else:
                p.drawText(QRectF(px0[k] + LABEL_PAD_PX, py0[k], bar_px - LABEL_PAD_PX, py1[k] - py0[k]),
                           left, text)

    def _text_colour(self, index: int) -> QColor:
        """Label colour of bar `index` (one dark colour on every lane colour)."""
        return TEXT_COLOUR

    def _paint_selection(self, p: QPainter, visible: np.ndarray, px0: np.ndarray, px1: np.ndarray,
                         py0: np.ndarray, py1: np.ndarray) -> None:
        if self.selected is None:
            return
        where = np.nonzero(self._ids[visible] == self.selected)[0]
        if not where.size:
            return
        k = int(where[0])
        pen = QPen(SELECTED_PEN)
        pen.setWidth(2)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(QRectF(px0[k], py0[k], px1[k] - px0[k], py1[k] - py0[k]).adjusted(1, 1, -1, -1))

    # ----- mouse ---------------------------------------------------------------------------
    def hit(self, pos: QPointF) -> tuple[int, str] | None:
        """The bar under `pos` (item coordinates) and whether an edge or the body is grabbed."""
        x, y = pos.x(), pos.y()
        tolerance = EDGE_GRAB_PX * (self.pixelWidth() or 0.0)
        inside = np.nonzero((self._y <= y) & (y < self._y + 1)
                            & (self._start - tolerance <= x) & (x <= self._end + tolerance))[0]
        if not inside.size:
            return None
        # Prefer the selected bar, then the shortest one (it is the hardest to hit).
        order = sorted(inside, key=lambda i: (self._ids[i] != self.selected, self._end[i] - self._start[i]))
        i = int(order[0])
        if abs(x - self._start[i]) <= tolerance:
            mode = "start"
        elif abs(x - self._end[i]) <= tolerance:
            mode = "end"
        else:
            mode = "move"
        return int(self._ids[i]), mode

    def hoverEvent(self, ev: object) -> None:
        """Resize cursor over bar edges, hand over bodies."""
        if getattr(ev, "isExit", lambda: True)():
            self.unsetCursor()
            return
        found = self.hit(ev.pos())  # type: ignore[attr-defined]
        if found is None:
            self.unsetCursor()
            self.setToolTip("")
            return
        if found[1] == "move":
            self.setCursor(Qt.CursorShape.OpenHandCursor)
        else:
            self.setCursor(Qt.CursorShape.SizeHorCursor)
        bar = self.bar(found[0])
        if bar is not None:  # the full name even where the bar is too short to show it
            self.setToolTip(tr("Timeline", "{text}  ·  frames {start}–{end}  ·  drag edges to resize, double-click to relabel").format(text=bar.text, start=bar.start, end=bar.end))

    def mouseClickEvent(self, ev: object) -> None:
        """Click: select the bar under the mouse, or report the frame (seek) on empty space."""
        if ev.button() != Qt.MouseButton.LeftButton:  # type: ignore[attr-defined]
            return
        ev.accept()  # type: ignore[attr-defined]
        pos = ev.pos()  # type: ignore[attr-defined]
        found = self.hit(pos)
        self.barClicked.emit(None if found is None else found[0], self._frame_at(pos.x()))
        if found is not None and ev.double():  # type: ignore[attr-defined]
            self.barDoubleClicked.emit(found[0])

    def mouseDragEvent(self, ev: object) -> None:
        """Drag an edge to resize, the body to move; empty space is left to the view (pan)."""
        if ev.button() != Qt.MouseButton.LeftButton:  # type: ignore[attr-defined]
            ev.ignore()  # type: ignore[attr-defined]
            return
        if ev.isStart():  # type: ignore[attr-defined]
            found = self.hit(ev.buttonDownPos())  # type: ignore[attr-defined]
            if found is None:
                ev.ignore()  # type: ignore[attr-defined]
                return
            bar = self.bar(found[0])
            assert bar is not None
            self._drag = (bar.id, found[1], bar.start, bar.end, ev.buttonDownPos().x())  # type: ignore[attr-defined]
            self.selected = bar.id
        if self._drag is None:
            ev.ignore()  # type: ignore[attr-defined]
            return
        ev.accept()  # type: ignore[attr-defined]
        bar_id, mode, start, end = self._drag_to(ev.pos().x())  # type: ignore[attr-defined]
        self._preview = (bar_id, start, end)
        self.update()
        if ev.isFinish():  # type: ignore[attr-defined]
            self._drag = None
            self.barDropped.emit(bar_id, start, end)
        else:
            self.barDragged.emit(bar_id, start, end, mode)

    def _drag_to(self, x: float) -> tuple[int, str, int, int]:
        assert self._drag is not None
        bar_id, mode, start, end, grab_x = self._drag
        last = self.total_frames - 1
        if mode == "start":
            return bar_id, mode, min(max(self._frame_at(x), 0), end - 1), end
        if mode == "end":
            return bar_id, mode, start, max(min(self._frame_at(x), last), start + 1)
        shift = int(round(x - grab_x))
        shift = min(max(shift, -start), last - end)
        return bar_id, mode, start + shift, end + shift

    def _frame_at(self, x: float) -> int:
        return int(round(min(max(x, 0.0), self.total_frames - 1)))
