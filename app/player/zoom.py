"""Zoom and pan inside the video: which part of the frame is shown, and where.

Micro-actions are a finger or an eyebrow: at 1080p in a 900-pixel player they are a few
pixels. The view keeps a zoom factor (1 = the whole frame, letterboxed) and the point of the
frame, as fractions of its width and height, that sits in the middle of the view. Painting
draws only the visible part of the frame (`visible_part`), so a step costs the same at any zoom.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_ZOOM = 16.0
ZOOM_STEP = 1.25

Rect = tuple[float, float, float, float]  # x, y, width, height


@dataclass(frozen=True, slots=True)
class VideoZoom:
    """Zoom factor and the frame point (fractions 0..1) at the centre of the view."""

    factor: float = 1.0
    cx: float = 0.5
    cy: float = 0.5

    @property
    def zoomed(self) -> bool:
        """True unless the whole frame is shown."""
        return self.factor > 1.0

    def scaled(self, by: float, at: tuple[float, float] | None = None) -> VideoZoom:
        """Zoom by `by`, keeping the frame point `at` (fractions; default the centre) where it is."""
        factor = min(max(self.factor * by, 1.0), MAX_ZOOM)
        if at is None or factor == self.factor:
            return _clamped(VideoZoom(factor, self.cx, self.cy))
        ax, ay = at
        keep = self.factor / factor  # the anchor keeps its offset from the centre, in view units
        return _clamped(VideoZoom(factor, ax - (ax - self.cx) * keep, ay - (ay - self.cy) * keep))

    def panned(self, dx: float, dy: float) -> VideoZoom:
        """Move the view by (dx, dy) fractions of the frame."""
        return _clamped(VideoZoom(self.factor, self.cx + dx, self.cy + dy))


def _clamped(z: VideoZoom) -> VideoZoom:
    """Keep the view inside the frame (the centre cannot leave the zoomed frame's middle part)."""
    half = 0.5 / z.factor
    return VideoZoom(z.factor, min(max(z.cx, half), 1 - half), min(max(z.cy, half), 1 - half))


def fitted(image: tuple[int, int], view: tuple[int, int]) -> Rect:
    """Where the whole frame goes in the view at zoom 1 (aspect kept, centred)."""
    iw, ih = image
    vw, vh = view
    scale = min(vw / iw, vh / ih)
    w, h = int(iw * scale), int(ih * scale)
    return float((vw - w) // 2), float((vh - h) // 2), float(w), float(h)


def placed(image: tuple[int, int], view: tuple[int, int], zoom: VideoZoom) -> Rect:
    """Where the whole (zoomed) frame lies in view coordinates; it may extend past the view.

    The frame point (cx, cy) sits where the fitted frame's centre was, then the frame is held
    against the view's edges: along an axis where it is wider than the view it always covers
    the view (no black bar beside a part pushed out on the other side), along one where it
    is not it stays centred."""
    fx, fy, fw, fh = fitted(image, view)
    w, h = fw * zoom.factor, fh * zoom.factor
    x = _held(fx + fw / 2, zoom.cx, w, float(view[0]))
    y = _held(fy + fh / 2, zoom.cy, h, float(view[1]))
    return x, y, w, h


def _held(middle: float, at: float, length: float, room: float) -> float:
    """Start of a span of `length` whose point `at` (a fraction) sits at `middle`, moved so that it
    covers `room`, or centred on `middle` when shorter than `room`."""
    if length <= room:
        return middle - length / 2
    return min(max(middle - at * length, room - length), 0.0)


def held_zoom(image: tuple[int, int], view: tuple[int, int], zoom: VideoZoom) -> VideoZoom:
    """`zoom` with its centre moved to where `placed` shows the frame, so a pan past an edge
    is not remembered (the next pan back moves the picture at once)."""
    fx, fy, fw, fh = fitted(image, view)
    x, y, w, h = placed(image, view, zoom)
    return VideoZoom(zoom.factor, (fx + fw / 2 - x) / w, (fy + fh / 2 - y) / h)


def visible_part(image: tuple[int, int], view: tuple[int, int], zoom: VideoZoom) -> tuple[Rect, Rect]:
    """(target in the view, source in the frame's pixels) of the part of the frame on screen."""
    iw, ih = image
    vw, vh = view
    x, y, w, h = placed(image, view, zoom)
    left, top = max(x, 0.0), max(y, 0.0)
    right, bottom = min(x + w, float(vw)), min(y + h, float(vh))
    sx, sy = iw / w, ih / h
    target = (left, top, max(right - left, 0.0), max(bottom - top, 0.0))
    source = ((left - x) * sx, (top - y) * sy, target[2] * sx, target[3] * sy)
    return target, source


def frame_point(image: tuple[int, int], view: tuple[int, int], zoom: VideoZoom,
                pos: tuple[float, float]) -> tuple[float, float]:
    """The frame point (fractions) under view position `pos`."""
    x, y, w, h = placed(image, view, zoom)
    return (pos[0] - x) / w, (pos[1] - y) / h
