"""Filmstrip: a row of thumbnails over the visible part of the timeline."""

from __future__ import annotations

import cv2
import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter

from annotator.errors import Cancelled
from annotator.progress import NEVER, CancelToken, Progress, no_progress
from app.player.frame_cache import FrameCache

THUMB_HEIGHT = 54


def make_thumbnails(cache: FrameCache, height: int = THUMB_HEIGHT, progress: Progress = no_progress,
                    cancel: CancelToken = NEVER) -> np.ndarray:
    """Small copies of every decoded frame, (n, height, width, 3) BGR uint8 (pure, for a worker)."""
    n = cache.count
    h0, w0 = cache.plan.height, cache.plan.width
    width = max(2, int(round(w0 * height / h0)))
    out = np.empty((n, height, width, 3), dtype=np.uint8)
    for i in range(n):
        if i % 32 == 0:
            cancel.check()
            progress(i / max(n, 1), f"thumbnails {i}/{n}")
        frame = cache.frame(i)
        if frame is None:  # the cache was released under us (another clip opened)
            raise Cancelled("clip closed")
        cv2.resize(frame, (width, height), dst=out[i], interpolation=cv2.INTER_AREA)
    progress(1.0, f"thumbnails {n}/{n}")
    return out


class FilmstripItem(pg.GraphicsObject):  # type: ignore[misc]  # pyqtgraph ships no type hints
    """Draws, for each thumbnail-sized slot across the view, the frame at the slot's middle.

    Clicking or dragging on the strip scrubs: it reports the frame under the mouse.
    """

    scrubbed = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.thumbs: np.ndarray | None = None
        self._images: list[QImage] = []
        self.total_frames = 1

    def set_thumbnails(self, thumbs: np.ndarray | None, total_frames: int) -> None:
        """Use these thumbnails (None clears the strip)."""
        self.prepareGeometryChange()
        self.thumbs = thumbs
        self.total_frames = max(1, total_frames)
        self._images = []
        if thumbs is not None:
            n, h, w = thumbs.shape[:3]
            self._images = [QImage(thumbs[i].data, w, h, int(thumbs.strides[1]), QImage.Format.Format_BGR888)
                            for i in range(n)]
        self.update()

    def boundingRect(self) -> QRectF:
        """The strip spans the clip, one unit high."""
        return QRectF(0.0, 0.0, float(self.total_frames), 1.0)

    def paint(self, p: QPainter, *args: object) -> None:
        """Thumbnails packed edge to edge at their natural aspect."""
        t = p.transform()
        sx, dx, sy, dy = t.m11(), t.dx(), t.m22(), t.dy()
        top, bottom = dy, sy * 1.0 + dy
        p.save()
        p.resetTransform()
        left, right = dx, sx * self.total_frames + dx
        p.fillRect(QRectF(left, top, right - left, bottom - top), QColor(24, 26, 31))
        if self._images:
            h = bottom - top
            img = self._images[0]
            w = max(8.0, h * img.width() / img.height())
            vb = self.getViewBox()
            x_range = vb.viewRange()[0] if vb is not None else (0, self.total_frames)
            view_left = sx * max(x_range[0], 0) + dx
            view_right = min(right, sx * x_range[1] + dx)
            x = max(left, view_left - (view_left - left) % w)
            n = len(self._images)
            while x < view_right:
                frame = int((x + w / 2 - dx) / sx)
                if 0 <= frame < n:
                    p.drawImage(QRectF(x, top, min(w, right - x), h), self._images[frame],
                                QRectF(0, 0, img.width() * min(1.0, (right - x) / w), img.height()))
                x += w
        p.restore()

    def mouseClickEvent(self, ev: object) -> None:
        """Click: seek to the frame under the mouse."""
        if ev.button() == Qt.MouseButton.LeftButton:  # type: ignore[attr-defined]
            ev.accept()  # type: ignore[attr-defined]
            self._scrub(ev.pos().x())  # type: ignore[attr-defined]

    def mouseDragEvent(self, ev: object) -> None:
        """Drag: scrub through the clip."""
        if ev.button() != Qt.MouseButton.LeftButton:  # type: ignore[attr-defined]
            ev.ignore()  # type: ignore[attr-defined]
            return
        ev.accept()  # type: ignore[attr-defined]
        self._scrub(ev.pos().x())  # type: ignore[attr-defined]

    def _scrub(self, x: float) -> None:
        self.scrubbed.emit(int(round(min(max(x, 0.0), self.total_frames - 1))))
