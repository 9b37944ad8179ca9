"""The widget that paints one cached frame, letterboxed, without copying the pixels."""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QWheelEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.player.zoom import ZOOM_STEP, VideoZoom, frame_point, held_zoom, placed, visible_part

BACKGROUND = QColor(18, 20, 24)
ZOOM_BADGE = QColor(240, 200, 90)


class FrameView(QWidget):
    """Shows a BGR frame scaled to fit, or a zoomed part of it (wheel zooms at the mouse,
    dragging pans); `painted` and `last_paint_s` let benchmarks time paints."""

    zoomChanged = Signal(object)  # VideoZoom

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("frameView")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 180)
        # The frame takes focus so letter keys reach the window's shortcuts, not a text field.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._image: QImage | None = None
        self._pixels: np.ndarray | None = None  # keeps the buffer QImage points into alive
        self._placeholder = "No clip open"
        self.smooth = True
        self.painted = 0
        self.last_paint_s = 0.0  # perf_counter() at the end of the last paint (benchmarks)
        self.zoom = VideoZoom()
        self._drag: tuple[QPointF, VideoZoom] | None = None  # press position and zoom while panning

    def show_frame(self, frame: np.ndarray | None, placeholder: str = "") -> None:
        """Display `frame` (H×W×3 BGR, C-contiguous rows) or a placeholder text."""
        if frame is None:
            self._image, self._pixels = None, None
            self._placeholder = placeholder
        else:
            h, w = frame.shape[:2]
            self._pixels = frame
            self._image = QImage(frame.data, w, h, int(frame.strides[0]), QImage.Format.Format_BGR888)
        self.update()

    def _sizes(self) -> tuple[tuple[int, int], tuple[int, int]]:
        assert self._image is not None
        return (self._image.width(), self._image.height()), (self.width(), self.height())

    def image_rect(self) -> QRect:
        """Where the whole frame lies in the widget (aspect kept; past the edges when zoomed)."""
        if self._image is None:
            return QRect()
        return QRectF(*placed(*self._sizes(), self.zoom)).toRect()

    def global_image_rect(self) -> QRect:
        """Where the picture is on the screen (the whole view while no frame is shown)."""
        rect = self.image_rect().intersected(self.rect()) if self._image is not None else self.rect()
        return QRect(self.mapToGlobal(rect.topLeft()), rect.size())

    # ----- zoom and pan ------------------------------------------------------------------
    def set_zoom(self, zoom: VideoZoom) -> None:
        """Show this part of the frame (held inside the view: see zoom.placed)."""
        if self._image is not None and zoom.zoomed:
            zoom = held_zoom(*self._sizes(), zoom)
        if zoom != self.zoom:
            self.zoom = zoom
            self.update()
            self.zoomChanged.emit(zoom)

    def zoom_by(self, by: float, at: QPointF | None = None) -> None:
        """Zoom in (by > 1) or out around the widget point `at` (default: the view's centre)."""
        anchor = None
        if at is not None and self._image is not None:
            anchor = frame_point(*self._sizes(), self.zoom, (at.x(), at.y()))
        self.set_zoom(self.zoom.scaled(by, anchor))

    def pan_by(self, dx: float, dy: float) -> None:
        """Move the view by fractions of the visible width and height."""
        self.set_zoom(self.zoom.panned(dx / self.zoom.factor, dy / self.zoom.factor))

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        """The wheel zooms at the mouse."""
        steps = event.angleDelta().y() / 120
        if steps:
            self.zoom_by(ZOOM_STEP ** steps, event.position())
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        """Start panning a zoomed frame."""
        if event.button() == Qt.MouseButton.LeftButton and self.zoom.zoomed:
            self._drag = (event.position(), self.zoom)
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        """Pan: the frame follows the mouse."""
        if self._drag is not None and self._image is not None:
            start, zoom = self._drag
            _, _, w, h = placed(*self._sizes(), zoom)
            delta = event.position() - start
            self.set_zoom(zoom.panned(-delta.x() / w, -delta.y() / h))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        """Stop panning."""
        self._drag = None
        self.unsetCursor()
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        """Double-click: the whole frame again."""
        self.set_zoom(VideoZoom())

    def paintEvent(self, event: QPaintEvent) -> None:
        """Letterbox background, then the frame."""
        painter = QPainter(self)
        painter.fillRect(self.rect(), BACKGROUND)
        if self._image is None:
            painter.setPen(QColor(150, 156, 166))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self._placeholder)
        else:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, self.smooth)
            target, source = visible_part(*self._sizes(), self.zoom)
            painter.drawImage(QRectF(*target), self._image, QRectF(*source))  # only the visible part
            if self.zoom.zoomed:
                painter.setPen(ZOOM_BADGE)
                painter.drawText(self.rect().adjusted(8, 6, -8, -6), Qt.AlignmentFlag.AlignTop
                                 | Qt.AlignmentFlag.AlignRight, f"{self.zoom.factor:.1f}×")
        painter.end()
        self.painted += 1
        self.last_paint_s = time.perf_counter()
