"""Filmstrip: a row of thumbnails over the visible part of the timeline."""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter

from annotator.errors import Cancelled
from annotator.media.frame_cache import FrameCache
from annotator.progress import NEVER, CancelToken, Progress, no_progress

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


def slot_frames(thumb_px: float, px_per_frame: float) -> int:
    """Frames per filmstrip slot so a slot is about one thumbnail wide (at least one frame)."""
    return max(1, int(round(thumb_px / px_per_frame)))


class FilmstripItem(pg.GraphicsObject):  # type: ignore[misc]  # pyqtgraph ships no type hints
    """Tiles the clip with slots of whole frames, about a thumbnail wide, each showing its middle
    frame; slot edges are frame edges, so the strip lines up with the lanes' x-axis at any zoom.

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
        """The strip spans the clip exactly as the lanes do: frame i covers [i - 0.5, i + 0.5)."""
        return QRectF(-0.5, 0.0, float(self.total_frames), 1.0)

    def paint(self, p: QPainter, *args: object) -> None:
        """One slot per `step` frames, tiling the clip exactly; each shows its middle frame."""
        t = p.transform()
        sx, dx, sy, dy = t.m11(), t.dx(), t.m22(), t.dy()
        top, h = dy, sy * 1.0

        def px(frame_edge: float) -> float:  # data x → device x
            return sx * frame_edge + dx

        p.save()
        p.resetTransform()
        left, right = px(-0.5), px(self.total_frames - 0.5)
        p.fillRect(QRectF(left, top, right - left, h), QColor(24, 26, 31))
        if self._images and sx > 0:
            img = self._images[0]
            step = slot_frames(h * img.width() / img.height(), sx)
            first, last = self._visible_frames()
            for start in range(first - first % step, last + 1, step):
                self._draw_slot(p, start, step, px, top, h)
        p.restore()

    def _visible_frames(self) -> tuple[int, int]:
        vb = self.getViewBox()
        x0, x1 = vb.viewRange()[0] if vb is not None else (-0.5, self.total_frames - 0.5)
        return max(0, int(x0 + 0.5)), min(self.total_frames - 1, int(x1 + 0.5))

    def _draw_slot(self, p: QPainter, start: int, step: int, px: Callable[[float], float],
                   top: float, h: float) -> None:
        """Slot [start, start + step) from its frame edges; the image is centre-cropped to fit."""
        end = min(start + step, self.total_frames)
        frame = (start + end - 1) // 2
        if frame >= len(self._images):  # no thumbnail for it (short decode): leave the slot dark
            return
        img = self._images[frame]
        x0, x1 = px(start - 0.5), px(end - 0.5)
        full = px(start + step - 0.5) - x0  # a clipped last slot keeps the others' scale
        iw, ih = float(img.width()), float(img.height())
        src_w, src_h = min(iw, ih * full / h), min(ih, iw * h / full)  # same aspect as the slot
        src = QRectF((iw - src_w) / 2, (ih - src_h) / 2, src_w * (x1 - x0) / full, src_h)
        p.drawImage(QRectF(x0, top, x1 - x0, h), img, src)

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
