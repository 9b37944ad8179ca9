"""Your place is kept: each clip reopens at its frame and zoom, across restarts (issue 26, item 2)."""

from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.settings import AppSettings, ClipPlace
from tests.app.conftest import ready_window, review_window


def _clip_id(w: object, name: str) -> int:
    return next(r.clip.id for r in w.queue.model.rows if r.clip.name == name)  # type: ignore[attr-defined]


def test_each_clip_reopens_where_it_was_left(qtbot: QtBot, app_project: tuple[Path, str], tmp_path: Path) -> None:
    folder, user = app_project
    w = ready_window(qtbot, folder, user, tmp_path / "s.ini")
    a, b = _clip_id(w, "S01_clip_a"), _clip_id(w, "S01_clip_b")
    w.open_clip_id(a)
    w.player.seek(33)
    w.player.view.zoom_by(2.0)
    w.timeline.view.setXRange(20, 40, padding=0)
    w.open_clip_id(b)
    w.player.seek(7)
    w.open_clip_id(a)
    qtbot.waitUntil(lambda: w.player.current == 33, timeout=5000)  # not frame 0
    assert w.player.view.zoom.factor == 2.0
    w.open_clip_id(b)
    qtbot.waitUntil(lambda: w.player.current == 7, timeout=5000)
    w.open_clip_id(a)
    w.close()
    again = ready_window(qtbot, folder, user, tmp_path / "s.ini")  # a restart
    qtbot.waitUntil(lambda: again.player.current == 33, timeout=5000)
    assert again.session.clip is not None and again.session.clip.id == a
    assert again.player.view.zoom.factor == 2.0  # the video's zoom survives the restart
    x0, x1 = again.timeline.view.viewRange()[0]
    assert abs(x0 - 20) < 0.5 and abs(x1 - 40) < 0.5  # and so does the timeline's
    again.close()


def test_clip_place_round_trip_and_bad_values() -> None:
    from app.player.zoom import VideoZoom
    place = ClipPlace(12, VideoZoom(3.0, 0.25, 0.75), (5.0, 30.0))
    assert ClipPlace.decoded(place.encoded()) == place
    assert ClipPlace.decoded("12;1;0.5;0.5") == ClipPlace(12, VideoZoom())
    for bad in ("", "x", "1;2", "-1;1;0.5;0.5", "1;a;0.5;0.5"):
        assert ClipPlace.decoded(bad) is None


def test_reviewer_reopens_on_the_clip_used_last(qtbot: QtBot, tmp_path: Path) -> None:
    w = review_window(qtbot, tmp_path)
    w.open_start_clip()
    QApplication.processEvents()
    assert w.session.clip is not None
    settings = AppSettings(str(tmp_path / "s.ini"))
    assert settings.last_clip(w.project_key, "rev|review") == w.session.clip.id
    w.close()
