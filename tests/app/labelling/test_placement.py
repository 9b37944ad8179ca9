"""Placing a popup clear of a rectangle."""

from PySide6.QtCore import QPoint, QRect, QSize

from app.labelling.placement import place_clear_of


def test_right_of_the_video_when_it_fits() -> None:
    video = QRect(400, 100, 600, 340)
    at = place_clear_of(video, QSize(460, 440), QRect(0, 0, 1920, 1080))
    assert at.x() > video.right() and at.y() == video.top()


def test_left_then_below_when_the_right_is_short() -> None:
    bounds = QRect(0, 0, 1600, 900)
    assert place_clear_of(QRect(900, 100, 600, 300), QSize(460, 440), bounds).x() + 460 < 900
    below = place_clear_of(QRect(200, 50, 1200, 300), QSize(460, 440), bounds)
    assert below.y() > 350


def test_least_overlap_when_nothing_fits_and_always_inside() -> None:
    bounds = QRect(0, 0, 800, 600)
    at = place_clear_of(QRect(50, 50, 700, 500), QSize(460, 440), bounds)
    assert QRect(QPoint(0, 0), QSize(800, 600)).contains(QRect(at, QSize(460, 440)))
