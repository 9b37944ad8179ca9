"""Motion curves under the timeline's lanes: one row per body part, on the lanes' frame axis.

Each curve is scaled to its own row (its clip's 99th percentile fills the row); speeds rise
with motion, the hand-contact distances are drawn upside down so that a hand coming close
to the face, body or legs also rises. Onsets and offsets are marked with short ticks.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsItem

from app.timeline.timeline_widget import TimelineWidget
from inference.pose.motion import DISTANCE_PARTS, MotionCurves

ROW_PX = 16
FILL = 0.8  # share of a row the curve may use


def row_values(curve: np.ndarray, invert: bool) -> np.ndarray:
    """The curve scaled to 0..1 (NaN kept), inverted for distances."""
    finite = curve[np.isfinite(curve)]
    if finite.size == 0:
        return curve
    low, high = float(finite.min()), float(np.percentile(finite, 99))
    scaled = np.clip((curve - low) / max(high - low, 1e-9), 0.0, 1.0)
    return 1.0 - scaled if invert else scaled


class MotionCurvesPlot:
    """A plot row of the timeline's layout, x-linked to the lanes, that draws the curves."""

    def __init__(self, timeline: TimelineWidget, parts: Sequence[str], colours: Sequence[QColor], row: int) -> None:
        self.parts = list(parts)
        self.colours = list(colours)
        self.plot, self.playhead = timeline.add_linked_row(row)
        axis = self.plot.getAxis("left")
        axis.setTicks([[(i + 0.5, f"{p} ·") for i, p in enumerate(self.parts)], []])
        self.plot.getViewBox().invertY(True)
        self.plot.setYRange(0, len(self.parts), padding=0)
        self.plot.setFixedHeight(ROW_PX * len(self.parts) + 6)
        # The curve items are made with the first curves to draw (a clip's pose arrives after the
        # window is on screen): 14 pyqtgraph items cost the window's start-up about 10 ms.
        self.items: list[pg.PlotDataItem] = []
        self.ticks: list[pg.ScatterPlotItem] = []
        timeline.setMinimumHeight(timeline.minimumHeight() + self.plot.height())

    def _make_items(self) -> None:
        for colour in self.colours:
            item = pg.PlotDataItem(pen=pg.mkPen(colour, width=1.5), connect="finite")
            # The playhead crosses every curve at each frame step: redraw them from a pixmap
            # (refreshed only when the curves or the zoom change), not by stroking the paths again.
            item.curve.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            self.plot.addItem(item)
            self.items.append(item)
            ticks = pg.ScatterPlotItem(symbol="|", size=7, pen=pg.mkPen(colour.lighter(140)), brush=None)
            ticks.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            self.plot.addItem(ticks)
            self.ticks.append(ticks)

    def set_curves(self, motion: MotionCurves | None) -> None:
        """Draw these curves (None clears them)."""
        if not self.items:
            if motion is None:
                return  # nothing drawn yet, nothing to clear
            self._make_items()
        for row, part in enumerate(self.parts):
            item, ticks = self.items[row], self.ticks[row]
            curve = None if motion is None else motion.curves.get(part)
            if curve is None or motion is None:
                item.setData([], [])
                ticks.setData([], [])
                continue
            values = row_values(curve, part in DISTANCE_PARTS)
            item.setData(np.arange(len(values)), row + 1 - 0.1 - FILL * values)
            events = np.concatenate([motion.onsets[part], motion.offsets[part]])
            ticks.setData(events.astype(float), np.full(len(events), row + 0.85))

    def set_playhead(self, frame: int) -> None:
        """Follow the player."""
        self.playhead.setValue(frame)
