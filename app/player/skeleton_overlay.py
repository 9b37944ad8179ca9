"""The pose skeleton drawn over the player's frame, each limb in its body part's lane colour."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from inference.pose.skeleton import LIMBS
from inference.pose.track import PoseTrack

MIN_VISIBILITY = 0.3  # limbs whose ends MediaPipe thinks hidden are not drawn
JOINT_COLOUR = QColor(240, 240, 240)


class SkeletonOverlay(QWidget):
    """A transparent layer on the frame view: draws the landmarks of the frame on screen."""

    def __init__(self, view: QWidget, colours: dict[str, QColor]) -> None:
        super().__init__(view)
        self.view = view
        self.colours = colours  # body-part name -> lane colour
        self.track: PoseTrack | None = None
        self.frame = 0
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        view.installEventFilter(self)
        self.setGeometry(view.rect())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Follow the view's size."""
        if watched is self.view and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.view.rect())
        return False

    def set_track(self, track: PoseTrack | None) -> None:
        """The clip's landmarks (None: nothing to draw)."""
        self.track = track
        self.view.update()

    def set_frame(self, frame: int) -> None:
        """Draw this frame's pose."""
        self.frame = frame
        if self.isVisible():
            # Through the view, which repaints this layer with it: an update of this transparent
            # layer in the same pass as the view's own (every frame step) made Qt paint the
            # frame twice per step.
            self.view.update()

    def _points(self) -> np.ndarray | None:
        """[33, 3] x, y in widget pixels and visibility of the current frame, or None."""
        track = self.track
        if track is None or not 0 <= self.frame < track.frames or not track.present[self.frame]:
            return None
        rect = self.view.image_rect()  # type: ignore[attr-defined]
        if rect.isEmpty():
            return None
        lm = track.landmarks[self.frame]
        return np.stack([rect.x() + lm[:, 0] * rect.width(), rect.y() + lm[:, 1] * rect.height(),
                         np.nan_to_num(lm[:, 3], nan=1.0)], axis=1)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        """Limbs, then joints."""
        pts = self._points()
        if pts is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        width = max(2.0, self.height() / 160)
        for a, b, part in LIMBS:
            if min(pts[a, 2], pts[b, 2]) < MIN_VISIBILITY:
                continue
            painter.setPen(QPen(self.colours.get(part, JOINT_COLOUR), width, Qt.PenStyle.SolidLine,
                                Qt.PenCapStyle.RoundCap))
            painter.drawLine(QPointF(pts[a, 0], pts[a, 1]), QPointF(pts[b, 0], pts[b, 1]))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(JOINT_COLOUR)
        for x, y, vis in pts:
            if vis >= MIN_VISIBILITY:
                painter.drawEllipse(QPointF(x, y), width * 0.8, width * 0.8)
        painter.end()
