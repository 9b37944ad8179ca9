"""The player/timeline split a window opens with when no split was saved: the video first.

Qt's split follows the stretch factors, which gave the video about a quarter of a 1,600-pixel
window's width: the timeline took its rows' height and two fifths of the rest. The default
gives the player the height at which the video (16:9 until a clip says otherwise) fills
VIDEO_SHARE of the window's width, never squeezing the timeline below the height its rows need
(TimelineWidget.update_minimum_height); whatever is left goes to the timeline. A split the user
made is saved per window kind and restored instead (ClipWindow._build_frame).
"""

from __future__ import annotations

from PySide6.QtWidgets import QSplitter, QWidget

VIDEO_SHARE = 0.5  # of the window's width
DEFAULT_ASPECT = 16 / 9


def video_first_sizes(total: int, fixed: int, timeline_min: int, chrome: int, window_width: int,
                      aspect: float = DEFAULT_ASPECT) -> tuple[int, int]:
    """(player, timeline) heights out of `total` (less `fixed`, the rows that keep their size): the
    player as tall as a video VIDEO_SHARE of `window_width` wide needs (plus `chrome`, its
    transport bar), the timeline at least `timeline_min`."""
    room = max(total - fixed, 0)
    wanted = int(round(VIDEO_SHARE * window_width / aspect)) + chrome
    player = max(min(wanted, room - timeline_min), 0)
    return player, room - player


def favour_video(splitter: QSplitter, player: QWidget, view: QWidget, timeline: QWidget, window_width: int,
                 aspect: float = DEFAULT_ASPECT) -> None:
    """Give `splitter` (player, timeline, then fixed rows) its video-first sizes."""
    sizes = splitter.sizes()
    if len(sizes) < 2 or sum(sizes) <= 0:
        return
    chrome = max(player.height() - view.height(), 0)
    top, middle = video_first_sizes(sum(sizes), sum(sizes[2:]), timeline.minimumHeight(), chrome, window_width,
                                    aspect)
    splitter.setSizes([top, middle, *sizes[2:]])
