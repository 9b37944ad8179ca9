"""Timeline: filmstrip over seven body-part lanes, playhead, pending I/O mark, zoom and pan."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from app.i18n import tax_name, tr
from app.timeline.filmstrip import FilmstripItem
from app.timeline.lane_visibility import LaneFilter, shown_lanes
from app.timeline.lanes_item import LanesItem
from app.timeline.packing import Bar

MIN_VISIBLE_FRAMES = 12
# The timeline's layout rows under the body-part lanes (row 1; the filmstrip is row 0)
FINAL_ROW = 2  # the final result of a finalised clip, beside the annotator's lanes
MODEL_ROW = 3  # model proposals
CURVES_ROW = 4  # motion curves
LANE_MIN_PX = 16  # a body-part lane never gets less: its name and bars stay readable
RULER_PX = 40  # the frame ruler (ticks, numbers and its "frame" title) under the lanes
ZOOM_STEP = 1.25
PLAYHEAD_COLOUR = QColor(240, 86, 86)
MARK_COLOUR = QColor(250, 210, 90, 60)


class FrameAxis(pg.AxisItem):  # type: ignore[misc]  # pyqtgraph ships no type hints
    """Bottom axis in whole frame numbers: no SI prefix scaling, no ticks between frames. A click
    or a drag on it seeks, as on a ruler (ELAN users scrub there); it never pans the view."""

    scrubbed = Signal(int)

    def __init__(self) -> None:
        super().__init__("bottom")
        # Off before the label is shown: pyqtgraph 0.14 still computes a prefix scale when it is
        # turned off later, and kept "m" (x1000) from the initial sub-frame range, so a 316-frame
        # clip read 0..300000 and an empty timeline -400..500.
        self.enableAutoSIPrefix(False)
        self.autoSIPrefixScale = 1.0

    def tickSpacing(self, minVal: float, maxVal: float, size: float) -> list[tuple[float, float]]:  # noqa: N803
        """pyqtgraph's tick levels, less those finer than one frame."""
        levels = [(spacing, offset) for spacing, offset in super().tickSpacing(minVal, maxVal, size)
                  if spacing >= 1]
        return levels or [(1.0, 0.0)]

    def _frame_at(self, scene_pos: QPointF) -> int | None:
        view = self.linkedView()
        return None if view is None else round(view.mapSceneToView(scene_pos).x())

    def mouseClickEvent(self, event: object) -> None:  # noqa: N802
        """A left click seeks to the frame under the mouse."""
        if event.button() == Qt.MouseButton.LeftButton:  # type: ignore[attr-defined]
            frame = self._frame_at(event.scenePos())  # type: ignore[attr-defined]
            if frame is not None:
                self.scrubbed.emit(frame)
            event.accept()  # type: ignore[attr-defined]

    def mouseDragEvent(self, event: object) -> None:  # noqa: N802
        """A left drag scrubs: the playhead follows the mouse."""
        if event.button() != Qt.MouseButton.LeftButton:  # type: ignore[attr-defined]
            event.ignore()  # type: ignore[attr-defined]
            return
        event.accept()  # type: ignore[attr-defined]
        frame = self._frame_at(event.scenePos())  # type: ignore[attr-defined]
        if frame is not None:
            self.scrubbed.emit(frame)


class TimelineViewBox(pg.ViewBox):  # type: ignore[misc]  # pyqtgraph ships no type hints
    """x-only view: the wheel zooms around the playhead, dragging empty space pans."""

    def __init__(self, timeline: TimelineWidget) -> None:
        super().__init__(enableMenu=False)
        self.timeline = timeline
        self.setMouseEnabled(x=True, y=False)
        self.invertY(True)

    def wheelEvent(self, ev: object, axis: object = None) -> None:
        """Zoom centred on the playhead rather than the mouse."""
        delta = ev.delta() if hasattr(ev, "delta") else ev.angleDelta().y()  # type: ignore[attr-defined]
        self.timeline.zoom(ZOOM_STEP if delta > 0 else 1 / ZOOM_STEP)
        ev.accept()  # type: ignore[attr-defined]


def lane_title(name: str) -> str:
    """A lane's name as shown: a body part's in the interface language, 'merged', or an annotator's name."""
    shown = tax_name(name)
    return shown if shown != name else tr("Timeline", name)


class TimelineWidget(pg.GraphicsLayoutWidget):  # type: ignore[misc]  # pyqtgraph ships no type hints
    """Shows bars and the playhead; reports seeks, selections and drags as signals."""

    seekRequested = Signal(int)
    barSelected = Signal(object)  # bar id or None
    barActivated = Signal(int)  # double-click on a bar
    barDragged = Signal(int, int, int, str)  # id, start, end, edge
    barDropped = Signal(int, int, int)

    def __init__(self, lane_names: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline")
        self.setBackground(QColor(28, 30, 35))
        self.ci.layout.setContentsMargins(4, 4, 8, 4)
        self.ci.layout.setVerticalSpacing(2)
        self.lane_names = list(lane_names)
        self.total_frames = 1
        self.fps = 30.0
        self.lane_filter = LaneFilter()
        self._bars: list[Bar] = []  # every bar, hidden lanes' included
        self._build_filmstrip()
        self._build_lanes()
        self.update_minimum_height()
        # Keys belong to the window's shortcuts; pyqtgraph's own keys (e.g. Ctrl+Z = zoom
        # history in ViewBox) would otherwise swallow undo after a click on the timeline.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def _build_filmstrip(self) -> None:
        self.strip_plot = self.addPlot(row=0, col=0, viewBox=TimelineViewBox(self))
        self.strip_plot.hideButtons()
        self.strip_plot.hideAxis("bottom")
        strip_axis = self.strip_plot.getAxis("left")
        strip_axis.setTicks([[]])  # no ticks: the axis is there only to line the strip up with the lanes
        strip_axis.setWidth(86)
        self.strip_plot.setMaximumHeight(62)
        self.strip_plot.setMinimumHeight(62)
        self.filmstrip = FilmstripItem()
        self.strip_plot.addItem(self.filmstrip)
        self.strip_plot.setYRange(0, 1, padding=0)
        self.strip_playhead = pg.InfiniteLine(angle=90, pen=pg.mkPen(PLAYHEAD_COLOUR, width=2))
        self.strip_plot.addItem(self.strip_playhead)
        self.filmstrip.scrubbed.connect(self.seekRequested)

    def _build_lanes(self) -> None:
        self.view = TimelineViewBox(self)
        self.plot = self.addPlot(row=1, col=0, viewBox=self.view, axisItems={"bottom": FrameAxis()})
        self.plot.hideButtons()
        self.strip_plot.setXLink(self.plot)
        left = self.plot.getAxis("left")
        left.setWidth(86)
        left.setStyle(tickLength=0)
        bottom = self.plot.getAxis("bottom")
        bottom.setLabel(tr("Timeline", "frame"))
        bottom.scrubbed.connect(self._seek_clamped)
        self.lanes = LanesItem(len(self.lane_names))
        self.plot.addItem(self.lanes)
        self._set_x_limits()  # no clip yet: frame 0 alone, not pyqtgraph's default 0..1 range
        self.mark = pg.LinearRegionItem(values=(0, 0), movable=False, brush=pg.mkBrush(MARK_COLOUR),
                                        pen=pg.mkPen(QColor(250, 210, 90), width=1))
        self.mark.setZValue(5)
        self.mark.hide()
        self.plot.addItem(self.mark)
        # Not movable here: a playhead parked on a bar edge must not steal the edge drag.
        # Scrubbing happens on the filmstrip; a click on empty lane space seeks too.
        self.playhead = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen(PLAYHEAD_COLOUR, width=2))
        self.playhead.setZValue(10)
        self.playhead.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.plot.addItem(self.playhead)
        self.lanes.barClicked.connect(self._on_click)
        self.lanes.barDragged.connect(self.barDragged)
        self.lanes.barDoubleClicked.connect(self.barActivated)
        self.lanes.barDropped.connect(self.barDropped)
        self._update_lane_axis()

    def add_linked_row(self, row: int, left_axis: pg.AxisItem | None = None) -> tuple[pg.PlotItem, pg.InfiniteLine]:
        """A plot row under the lanes, x-linked to them, with its own (non-interactive) playhead."""
        axes = {} if left_axis is None else {"left": left_axis}
        plot = self.addPlot(row=row, col=0, viewBox=TimelineViewBox(self), axisItems=axes)
        plot.hideButtons()
        plot.hideAxis("bottom")
        plot.setXLink(self.plot)
        axis = plot.getAxis("left")
        axis.setWidth(86)
        axis.setStyle(tickLength=0)
        playhead = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen(PLAYHEAD_COLOUR, width=2))
        playhead.setZValue(10)  # above whatever the caller adds to the row afterwards
        playhead.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        plot.addItem(playhead)
        self.update_minimum_height()
        return plot, playhead

    # ----- data ---------------------------------------------------------------------------
    def set_clip(self, total_frames: int, fps: float) -> None:
        """New clip: show it whole."""
        self.total_frames = max(1, total_frames)
        self.fps = fps
        self._bars = []
        self.lanes.set_bars([], self.total_frames, self._shown())
        self.filmstrip.set_thumbnails(None, self.total_frames)
        self._set_x_limits()
        self._update_lane_axis()
        self.update_minimum_height()

    def _set_x_limits(self) -> None:
        """Pan and zoom stay inside the clip's frames, and the view shows all of them."""
        # A clip shorter than MIN_VISIBLE_FRAMES (or none: one placeholder frame) must not ask for
        # a span wider than its limits: pyqtgraph then slid the view off to about -11.5..0.5.
        min_span = min(MIN_VISIBLE_FRAMES, self.total_frames)
        for plot in (self.plot, self.strip_plot):
            plot.getViewBox().setLimits(xMin=-0.5, xMax=self.total_frames - 0.5, minXRange=min_span)
        self.fit()

    def set_bars(self, bars: Sequence[Bar]) -> None:
        """Replace the segment bars (lanes grow sub-rows where bars overlap)."""
        self._bars = list(bars)
        self.lanes.set_bars(self._bars, self.total_frames, self._shown())
        self.view.setYRange(-0.15, self.lanes.height_units + 0.15, padding=0)
        self._update_lane_axis()
        self.update_minimum_height()

    def set_lane_filter(self, lane_filter: LaneFilter) -> None:
        """Hide lanes by name and/or collapse the empty ones; the bars stay as they are."""
        self.lane_filter = lane_filter
        self.set_bars(self._bars)

    def _shown(self) -> list[bool]:
        return shown_lanes(self.lane_names, (b.lane for b in self._bars), self.lane_filter)

    def set_selected(self, bar_id: int | None) -> None:
        """Highlight a bar."""
        self.lanes.set_selected(bar_id)

    def set_playhead(self, frame: int) -> None:
        """Move the playhead; scroll when it leaves the visible range."""
        self.playhead.setValue(frame)
        self.strip_playhead.setValue(frame)
        x0, x1 = self.view.viewRange()[0]
        if not x0 <= frame <= x1:
            half = (x1 - x0) / 2
            self.view.setXRange(frame - half, frame + half, padding=0)

    def set_mark(self, start: int | None, end: int | None = None) -> None:
        """Show the pending I (and O) mark, or hide it with None."""
        if start is None:
            self.mark.hide()
            return
        self.mark.setRegion((start, start if end is None else end))
        self.mark.show()

    def set_thumbnails(self, thumbs: np.ndarray | None) -> None:
        """Thumbnails for the filmstrip, one per frame."""
        self.filmstrip.set_thumbnails(thumbs, self.total_frames)

    def update_minimum_height(self) -> None:
        """The widget never gets less height than its rows need (filmstrip, a readable row per
        shown lane, the ruler, the model lane, the motion curves), so a splitter or a growing
        row cannot squeeze the lanes to nothing or push the ruler out of sight."""
        rows = self.lanes.height_units + 0.3  # the rows, the gaps between lanes and the view's margin
        self.plot.setMinimumHeight(int(LANE_MIN_PX * rows) + RULER_PX)
        layout = self.ci.layout
        items = [layout.itemAt(r, 0) for r in range(layout.rowCount())]
        heights = [item.minimumHeight() for item in items if item is not None]
        margins = layout.getContentsMargins()
        total = sum(heights) + layout.verticalSpacing() * max(len(heights) - 1, 0) + margins[1] + margins[3]
        self.setMinimumHeight(int(total) + 2 * self.frameWidth() + 2)

    # ----- view -----------------------------------------------------------------------------
    def zoom(self, factor: float) -> None:
        """Zoom in (factor > 1) or out, keeping the playhead where it is on screen."""
        x0, x1 = self.view.viewRange()[0]
        centre = float(self.playhead.value())
        span = min(max((x1 - x0) / factor, MIN_VISIBLE_FRAMES), self.total_frames)
        left = centre - (centre - x0) * span / (x1 - x0)
        left = min(max(left, -0.5), self.total_frames - 0.5 - span)
        self.view.setXRange(left, left + span, padding=0)

    def pan(self, fraction: float) -> None:
        """Scroll by a fraction of the visible span."""
        x0, x1 = self.view.viewRange()[0]
        shift = (x1 - x0) * fraction
        self.view.setXRange(x0 + shift, x1 + shift, padding=0)

    def fit(self) -> None:
        """Show the whole clip."""
        self.view.setXRange(-0.5, self.total_frames - 0.5, padding=0)

    def _update_lane_axis(self) -> None:
        shown = self.lanes.lane_shown
        ticks = [(y, lane_title(name)) for k, (y, name) in enumerate(zip(self.lanes.lane_centres(), self.lane_names, strict=True))
                 if k >= len(shown) or shown[k]]
        self.plot.getAxis("left").setTicks([ticks, []])

    def _seek_clamped(self, frame: int) -> None:
        self.seekRequested.emit(min(max(frame, 0), self.total_frames - 1))

    def _on_click(self, bar_id: int | None, frame: int) -> None:
        if bar_id is None:
            self.seekRequested.emit(frame)
        self.barSelected.emit(bar_id)
        if bar_id is not None:
            self.lanes.set_selected(bar_id)
