"""Lanes whose bars each carry their own colour and stroke (review status, ghost proposals).

The annotation timeline colours bars by lane (body part). The review lanes colour merged
instances by review status and annotators' bars by body part, and proposals are drawn as
ghost bars (translucent fill, dashed outline). Geometry, culling, labels, selection and the
mouse come from LanesItem; only the fill and outline per bar differ.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from app.timeline.lanes_item import LANE_COLOURS, LanesItem
from app.timeline.packing import Bar
from app.timeline.timeline_widget import TimelineWidget


@dataclass(frozen=True, slots=True)
class BarStyle:
    """How one bar is filled and outlined."""

    fill: QColor
    outline: QColor | None = None
    dashed: bool = False
    text: QColor = field(default_factory=lambda: QColor(18, 20, 24))


class StyledLanesItem(LanesItem):
    """LanesItem with a style per bar id (bars without one get their lane's colour)."""

    def __init__(self, n_lanes: int) -> None:
        super().__init__(n_lanes)
        self.styles: dict[int, BarStyle] = {}

    def set_styled_bars(self, bars: Sequence[Bar], styles: Mapping[int, BarStyle], total_frames: int) -> None:
        """Replace the bars and their styles."""
        self.styles = dict(styles)
        self.set_bars(bars, total_frames)

    def _style(self, index: int) -> BarStyle:
        bar_id = int(self._ids[index])
        found = self.styles.get(bar_id)
        if found is not None:
            return found
        return BarStyle(LANE_COLOURS[int(self._lane[index]) % len(LANE_COLOURS)])

    def _paint_bars(self, p: QPainter, visible: np.ndarray, px0: np.ndarray, px1: np.ndarray,
                    py0: np.ndarray, py1: np.ndarray) -> None:
        """Each visible bar with its own fill and outline."""
        for k, i in enumerate(visible):
            self._paint_bar(p, self._style(int(i)), QRectF(px0[k], py0[k], px1[k] - px0[k], py1[k] - py0[k]))

    def _text_colour(self, index: int) -> QColor:
        """Label colour from the bar's style."""
        return self._style(index).text

    @staticmethod
    def _paint_bar(p: QPainter, style: BarStyle, rect: QRectF) -> None:
        p.setBrush(style.fill)
        if style.outline is None:
            p.setPen(Qt.PenStyle.NoPen)
        else:
            pen = QPen(style.outline)
            pen.setWidth(1)
            if style.dashed:
                pen.setStyle(Qt.PenStyle.DashLine)
            p.setPen(pen)
            rect = rect.adjusted(0.5, 0.5, -0.5, -0.5)
        p.drawRect(rect)


def install_styled_lanes(timeline: TimelineWidget) -> StyledLanesItem:
    """Swap a TimelineWidget's LanesItem for a StyledLanesItem, keeping its signal wiring."""
    old = timeline.lanes
    timeline.plot.removeItem(old)
    item = StyledLanesItem(old.n_lanes)
    timeline.lanes = item
    timeline.plot.addItem(item)
    item.barClicked.connect(timeline._on_click)
    item.barDragged.connect(timeline.barDragged)
    item.barDoubleClicked.connect(timeline.barActivated)
    item.barDropped.connect(timeline.barDropped)
    timeline._update_lane_axis()
    return item


def ghost(colour: QColor, alpha: int = 70) -> BarStyle:
    """A ghost bar: translucent fill, dashed outline of the full colour, light text."""
    fill = QColor(colour)
    fill.setAlpha(alpha)
    return BarStyle(fill, QColor(colour), dashed=True, text=QColor(225, 228, 235))

