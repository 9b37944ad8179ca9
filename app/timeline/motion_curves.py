"""Motion curves under the timeline's lanes: one row per body part, on the lanes' frame axis.

Each curve is scaled to its own row (its clip's 99th percentile fills the row, that value
written under the row's name) on a square-root scale, so that the small movements of a
micro-action show beside the large ones; speeds rise with motion, the hand-contact distances
are drawn upside down so that a hand coming close to the face, body or legs also rises. The
curve holds its value over the first and last frames, where a rate has only one side (it
drew a step there). Onsets and offsets (where E snaps an edge) are short ticks along the
row's foot, one per burst of motion. Rows alternate shades like the lanes, and each row's
name is written in its lane's colour.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QGraphicsItem

from app.i18n import mark, tax_name, tr
from app.timeline.lanes_item import LANE_SHADES
from app.timeline.timeline_widget import TimelineWidget
from inference.pose.motion import DISTANCE_PARTS, MotionCurves

# 30 px a row: a curve rises up to about 21 px (15 px at 22 px a row hid the small movements);
# seven rows stay under the lanes' share of the timeline.
ROW_PX = 30
EDGE_HOLD = 2  # frames at each end where the curve holds its neighbour's value
EVENT_GAP = 10  # frames: onsets (or offsets) closer than this to the previous one are one tick
TOP_PAD = 0.1  # row share kept free above the curve's peak: neighbouring rows never touch
FOOT = 0.8  # where a curve at rest sits, as a share of its row from the top
FILL = FOOT - TOP_PAD  # share of a row the curve may use
TICK_AT = 0.9  # onset / offset marks sit here, under the rest line, inside the row
TICK_PX = 4  # their length
TICK_ALPHA = 150
SCALE_COLOUR = QColor(138, 147, 163)
# Each row's scale is written under its name, left of the curves (written at the row's right end,
# it sat on the curves' peaks there); the axis is 86 px wide, so the units are short.
SHORT_UNITS = {"distance (torso lengths)": mark("Timeline", "TL"), "orientation change / s": mark("Timeline", "/s"),
               "speed (torso lengths / s)": mark("Timeline", "TL/s")}  # translated where drawn
NAME_RISE = 6  # px the name moves up to make room for its scale under it


def row_values(curve: np.ndarray, invert: bool) -> np.ndarray:
    """The curve scaled to 0..1 on a square-root scale (NaN kept), inverted for distances, its
    first and last EDGE_HOLD frames holding their neighbour's value."""
    finite = curve[np.isfinite(curve)]
    if finite.size == 0:
        return curve
    low, high = float(finite.min()), float(np.percentile(finite, 99))
    scaled = np.clip((curve - low) / max(high - low, 1e-9), 0.0, 1.0)
    values = np.sqrt(1.0 - scaled if invert else scaled)
    if values.size > 2 * EDGE_HOLD + 1:
        values[:EDGE_HOLD] = values[EDGE_HOLD]
        values[-EDGE_HOLD:] = values[-EDGE_HOLD - 1]
    return values


def row_scale(curve: np.ndarray, invert: bool) -> float | None:
    """The value at a row's top: the clip's 99th percentile (for a distance, drawn upside down,
    its least), None without data."""
    finite = curve[np.isfinite(curve)]
    if finite.size == 0:
        return None
    return float(finite.min()) if invert else float(np.percentile(finite, 99))


def sparse_events(events: np.ndarray, gap: int = EVENT_GAP) -> np.ndarray:
    """The events less those within `gap` frames after the previous one kept (one tick a burst)."""
    kept: list[int] = []
    for frame in np.sort(events):
        if not kept or frame - kept[-1] >= gap:
            kept.append(int(frame))
    return np.asarray(kept, dtype=np.int64)


class ColouredLabelAxis(pg.AxisItem):  # type: ignore[misc]  # pyqtgraph ships no type hints
    """A left axis whose tick labels are each drawn in their own colour (the curve's lane colour),
    each with its row's scale in small grey type under it."""

    def __init__(self, colours: dict[str, QColor]) -> None:
        super().__init__("left")
        self.colours = colours
        self.scales: dict[str, str] = {}  # row name -> the value at its top ("0.52 TL/s")

    def set_scales(self, scales: dict[str, str]) -> None:
        """Write these scales under the row names."""
        if scales != self.scales:
            self.scales = scales
            self.picture = None  # pyqtgraph caches the drawn axis
            self.update()

    def drawPicture(self, p: QPainter, axisSpec: object, tickSpecs: object, textSpecs: list[tuple[QRectF, int, str]]) -> None:  # noqa: N802, N803
        """pyqtgraph's axis line and ticks; then each label in its colour, its scale under it."""
        super().drawPicture(p, axisSpec, tickSpecs, [])
        font = self.style["tickFont"] or p.font()
        small = QFont(font)
        small.setPointSizeF(max(font.pointSizeF() - 2, 6.5))
        for rect, flags, text in textSpecs:
            scale = self.scales.get(text, "")
            p.setFont(font)
            p.setPen(self.colours.get(text, self.textPen().color()))
            p.drawText(rect.translated(0, -NAME_RISE if scale else 0), int(flags), text)
            if scale:
                p.setFont(small)
                p.setPen(SCALE_COLOUR)
                under = QRectF(rect.left() - 20, rect.center().y() + 1, rect.width() + 20, rect.height())
                p.drawText(under, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop), scale)


class RowBands(pg.GraphicsObject):  # type: ignore[misc]  # pyqtgraph ships no type hints
    """Alternating row shades under the curves, over the clip's frames (as the lanes have)."""

    def __init__(self, rows: int) -> None:
        super().__init__()
        self.rows = rows
        self.frames = 1
        self.setZValue(-10)

    def set_frames(self, frames: int) -> None:
        """The clip's length: the bands span its frames."""
        self.prepareGeometryChange()
        self.frames = max(1, frames)
        self.update()

    def boundingRect(self) -> QRectF:
        """The clip's frames × every row."""
        return QRectF(-0.5, 0.0, float(self.frames), float(self.rows))

    def paint(self, p: QPainter, *args: object) -> None:
        """One fill per row."""
        for row in range(self.rows):
            p.fillRect(QRectF(-0.5, row, float(self.frames), 1.0), LANE_SHADES[row % 2])


class MotionCurvesPlot:
    """A plot row of the timeline's layout, x-linked to the lanes, that draws the curves."""

    def __init__(self, timeline: TimelineWidget, parts: Sequence[str], colours: Sequence[QColor], row: int) -> None:
        self.parts = list(parts)
        self.colours = list(colours)
        self.axis = ColouredLabelAxis(dict(zip(map(tax_name, self.parts), self.colours, strict=True)))
        self.plot, self.playhead = timeline.add_linked_row(row, self.axis)
        self.axis.setTicks([[(i + 0.5, tax_name(p)) for i, p in enumerate(self.parts)], []])
        self.plot.getViewBox().invertY(True)
        self.plot.setYRange(0, len(self.parts), padding=0)
        self.plot.setFixedHeight(ROW_PX * len(self.parts) + 6)
        self.bands = RowBands(len(self.parts))
        self.bands.hide()  # shown with the first curves: no clip, no pose, no rows to tell apart
        self.axis.setToolTip(tr("Timeline", "How much each body part moves (hands: how near they come to the face, body "
                                "or legs), each row scaled to this clip; ticks mark where a movement starts "
                                "or stops (E snaps a segment's edge there). Under each name, the value at the "
                                "row's top: TL/s torso lengths a second, /s the head's orientation change a "
                                "second, TL (hands) the nearest distance in torso lengths"))
        self.plot.addItem(self.bands)
        # The curve items are made with the first curves to draw (a clip's pose arrives after the
        # window is on screen): 14 pyqtgraph items cost the window's start-up about 10 ms.
        self.items: list[pg.PlotDataItem] = []
        self.ticks: list[pg.ScatterPlotItem] = []
        timeline.update_minimum_height()

    def _make_items(self) -> None:
        for colour in self.colours:
            item = pg.PlotDataItem(pen=pg.mkPen(colour, width=1.5), connect="finite")
            # The playhead crosses every curve at each frame step: redraw them from a pixmap
            # (refreshed only when the curves or the zoom change), not by stroking the paths again.
            item.curve.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            self.plot.addItem(item)
            self.items.append(item)
            mark = QColor(colour.lighter(130))
            mark.setAlpha(TICK_ALPHA)
            ticks = pg.ScatterPlotItem(symbol="|", size=TICK_PX, pen=pg.mkPen(mark, width=1), brush=None)
            ticks.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            self.plot.addItem(ticks)
            self.ticks.append(ticks)

    def set_curves(self, motion: MotionCurves | None) -> None:
        """Draw these curves (None clears them)."""
        if not self.items:
            if motion is None:
                return  # nothing drawn yet, nothing to clear
            self._make_items()
        frames = 0
        scales: dict[str, str] = {}
        for row, part in enumerate(self.parts):
            item, ticks = self.items[row], self.ticks[row]
            curve = None if motion is None else motion.curves.get(part)
            if curve is None or motion is None:
                item.setData([], [])
                ticks.setData([], [])
                continue
            frames = max(frames, len(curve))
            values = row_values(curve, part in DISTANCE_PARTS)
            item.setData(np.arange(len(values)), row + FOOT - FILL * values)
            events = np.concatenate([sparse_events(motion.onsets[part]), sparse_events(motion.offsets[part])])
            ticks.setData(events.astype(float), np.full(len(events), row + TICK_AT))
            top = row_scale(curve, part in DISTANCE_PARTS)
            if top is not None:
                unit = motion.unit(part)
                scales[part] = f"{top:.2g} {tr('Timeline', SHORT_UNITS.get(unit, unit))}"
        self.axis.set_scales(scales)
        self.bands.set_frames(frames)
        self.bands.setVisible(frames > 0)

    def set_playhead(self, frame: int) -> None:
        """Follow the player."""
        self.playhead.setValue(frame)
