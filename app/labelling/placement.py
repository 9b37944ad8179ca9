"""Where a popup goes so that it hides nothing the user is looking at (the video)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize

GAP_PX = 8  # space between the popup and what it keeps clear of


def place_clear_of(avoid: QRect, size: QSize, bounds: QRect) -> QPoint:
    """Top-left corner for a popup of `size` inside `bounds` that does not cover `avoid`.

    Tried in order: right of it, left of it (both top-aligned with it), below it, above
    it; the first that fits wins. When none fits, the one covering the least of `avoid`.
    """
    w, h = size.width(), size.height()
    candidates = [
        QPoint(avoid.right() + 1 + GAP_PX, avoid.top()),
        QPoint(avoid.left() - GAP_PX - w, avoid.top()),
        QPoint(avoid.left(), avoid.bottom() + 1 + GAP_PX),
        QPoint(avoid.left(), avoid.top() - GAP_PX - h),
    ]
    placed = [_inside(QRect(p, size), bounds) for p in candidates]
    for rect in placed:
        if not rect.intersects(avoid):
            return rect.topLeft()
    return min(placed, key=lambda r: _area(r.intersected(avoid))).topLeft()


def _inside(rect: QRect, bounds: QRect) -> QRect:
    """`rect` moved (not resized) to lie inside `bounds` as far as it can."""
    x = min(max(rect.x(), bounds.left()), bounds.right() + 1 - rect.width())
    y = min(max(rect.y(), bounds.top()), bounds.bottom() + 1 - rect.height())
    return QRect(QPoint(max(x, bounds.left()), max(y, bounds.top())), rect.size())


def _area(rect: QRect) -> int:
    return max(rect.width(), 0) * max(rect.height(), 0) if rect.isValid() else 0
