"""The widget that paints one cached frame, letterboxed, without copying the pixels."""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

BACKGROUND = QColor(18, 20, 24)


class FrameView(QWidget):
    """Shows a BGR frame scaled to fit; `painted` and `last_paint_s` let benchmarks time paints."""

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

    def image_rect(self) -> QRect:
        """Where the frame is drawn inside the widget (aspect kept)."""
        if self._image is None:
            return QRect()
        iw, ih = self._image.width(), self._image.height()
        scale = min(self.width() / iw, self.height() / ih)
        w, h = int(iw * scale), int(ih * scale)
        return QRect((self.width() - w) // 2, (self.height() - h) // 2, w, h)

    def global_image_rect(self) -> QRect:
        """Where the picture is on the screen (the whole view while no frame is shown)."""
        rect = self.image_rect() if self._image is not None else self.rect()
        return QRect(self.mapToGlobal(rect.topLeft()), rect.size())

    def paintEvent(self, event: QPaintEvent) -> None:
        """Letterbox background, then the frame."""
        painter = QPainter(self)
        painter.fillRect(self.rect(), BACKGROUND)
        if self._image is None:
            painter.setPen(QColor(150, 156, 166))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self._placeholder)
        else:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, self.smooth)
            painter.drawImage(QRectF(self.image_rect()), self._image)
        painter.end()
        self.painted += 1
        self.last_paint_s = time.perf_counter()
