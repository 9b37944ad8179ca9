"""The split a window opens with when none was saved: the video first, the timeline's rows kept."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from app.panels.video_share import VIDEO_SHARE, video_first_sizes
from tests.app.conftest import shown_window


def test_the_player_gets_the_height_for_half_the_width_but_never_the_timelines_rows() -> None:
    # 1,920 wide: a 16:9 video half as wide needs 540 px, plus 30 of transport
    assert video_first_sizes(1200, 20, 500, 30, 1920) == (570, 610)
    # too little height: the timeline keeps what its rows need, the player gets the rest
    assert video_first_sizes(830, 20, 516, 30, 1600) == (294, 516)
    # a 4:3 clip needs more height for the same width
    player, _ = video_first_sizes(2000, 0, 300, 0, 1600, 4 / 3)
    assert player == round(VIDEO_SHARE * 1600 * 3 / 4)


def test_a_window_without_a_saved_split_opens_video_first(qtbot: QtBot, app_project: tuple[Path, str],
                                                          tmp_path: Path) -> None:
    folder, user = app_project
    w = shown_window(qtbot, folder, user, tmp_path / "s.ini", (1600, 1150))
    qtbot.waitUntil(lambda: w.player.view.height() > 400, timeout=3000)
    player, timeline = w.splitter.sizes()[:2]
    # a 16:9 video 800 px wide (half the window) fits: the view is as tall as it needs, and the
    # timeline gets the rest (Qt's stretch factors gave the player 3/5 of what the rows left)
    assert abs(w.player.view.height() - VIDEO_SHARE * 1600 * 9 / 16) <= 2 and w.player.view.width() >= 800
    assert timeline >= w.timeline.minimumHeight() and player + timeline + w.splitter.sizes()[2] == sum(w.splitter.sizes())
    w.splitter.setSizes([300, sum(w.splitter.sizes()) - 300 - w.splitter.sizes()[2], w.splitter.sizes()[2]])
    w.close()
    again = shown_window(qtbot, folder, user, tmp_path / "s.ini", (1600, 1150))
    qtbot.wait(10)
    assert again.splitter.sizes()[0] == 300  # the user's split wins over the default
    again.close()
