"""Play/pause/loop at a chosen speed, driven by the decoder's frame timestamps."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QElapsedTimer, QObject, Qt, QTimer, Signal

from annotator.media.frame_cache import FrameCache

SPEEDS = (0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0)


class Playback(QObject):
    """Advances the playhead in real time × speed; wraps inside the loop range when set.

    The frame on screen at wall time t is the last frame whose decoder timestamp is at or
    before `t0_ms + elapsed × speed`, so variable-frame-rate clips play at their true pace.
    """

    tick = Signal(int)  # frame to show
    playingChanged = Signal(bool)

    def __init__(self, seek: Callable[[int], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._seek = seek
        self.cache: FrameCache | None = None
        self.speed = 1.0
        self.loop: tuple[int, int] | None = None
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._advance)
        self._clock = QElapsedTimer()
        self._t0_ms = 0.0
        self._frame = 0

    @property
    def playing(self) -> bool:
        """Whether playback is running."""
        return self._clock.isValid()

    def start(self, frame: int) -> None:
        """Play from `frame` (from the loop start when `frame` is outside the loop)."""
        cache = self.cache
        if cache is None or cache.count == 0:
            return
        if self.loop is not None and not self.loop[0] <= frame < self.loop[1]:
            frame = self.loop[0]
        if frame >= cache.count - 1 and self.loop is None:
            frame = 0  # at the end: play again from the start, as players do
        self._restart_clock(frame)
        self.playingChanged.emit(True)
        self._schedule()

    def stop(self) -> None:
        """Pause."""
        was = self.playing
        self._timer.stop()
        self._clock.invalidate()
        if was:
            self.playingChanged.emit(False)

    def _restart_clock(self, frame: int) -> None:
        assert self.cache is not None
        self._frame = frame
        self._t0_ms = self.cache.timestamps_ms[frame]
        self._clock.start()

    def _advance(self) -> None:
        cache = self.cache
        if cache is None or not self._clock.isValid():
            return
        now_ms = self._t0_ms + self._clock.elapsed() * self.speed
        frame = cache.frame_at_time(now_ms)
        end = self.loop[1] if self.loop is not None else cache.count - 1
        if frame >= end:
            if self.loop is None:
                if cache.complete:
                    self._seek(end)
                    self.stop()
                    return
                frame = cache.count - 1  # decoder still ahead of us: wait for it
            else:
                self._restart_clock(self.loop[0])
                frame = self.loop[0]
        self._frame = frame
        self._seek(frame)
        self._schedule()

    def _schedule(self) -> None:
        cache = self.cache
        if cache is None:
            return
        nxt = self._frame + 1
        if nxt < cache.count:
            due = (cache.timestamps_ms[nxt] - self._t0_ms) / self.speed - self._clock.elapsed()
        else:
            due = 10.0
        self._timer.start(max(1, int(due)))
