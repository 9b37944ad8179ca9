"""Player: frame view, transport bar and the background decode of the open clip."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.errors import InputError
from annotator.media.decode import decode_into, new_cache
from annotator.media.frame_cache import DEFAULT_BUDGET_BYTES, POOL, FrameCache, largest_plan
from annotator.media.gradient import temporal_gradient
from annotator.media.probe import probe_video
from annotator.model import Clip
from annotator.progress import CancelToken, Progress
from app.core_text import core_text
from app.i18n import mark, tr
from app.player.frame_view import FrameView
from app.player.goto import parse_position
from app.player.playback import SPEEDS, Playback
from app.tasks import TaskHandle, TaskRunner
from app.wording import plural

LOOP_MODES = (mark("Player", "No loop"), mark("Player", "Loop segment"),
              mark("Player", "Loop ±{n} frames"))


class Player(QWidget):
    """Shows frame `current` of the open clip; every move goes through `seek`."""

    frameChanged = Signal(int)
    cacheProgress = Signal(float)
    decodeFinished = Signal(int)  # frames decoded
    message = Signal(str)

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.budget_bytes = DEFAULT_BUDGET_BYTES
        self.cache: FrameCache | None = None
        self.total = 0  # frames the clip should have (store), refined by the decoder
        self.fps = 30.0
        self.current = 0
        self.gradient = False
        self.loop_window = 15
        self._decode: TaskHandle | None = None
        self._shown: int | None = None
        self.view = FrameView()
        self.playback = Playback(self.seek, self)
        self.playback.playingChanged.connect(self._on_playing)
        self._build_transport()

    # ----- layout ---------------------------------------------------------------------
    def _build_transport(self) -> None:
        self.play_button = QToolButton()
        self.play_button.setText("❚❚")
        self.play_button.setFixedWidth(self.play_button.sizeHint().width() + 6)  # ▶ and ❚❚ alike: no jump
        self.play_button.setText("▶")
        self.play_button.setToolTip(tr("Player", "Play / pause (Space)"))
        self.play_button.clicked.connect(self.toggle_play)
        self.position = QLabel("")  # empty until a clip is open (a lone dash read as a stray mark)
        self.position.setObjectName("framePosition")
        self.position.setToolTip(tr("Player", "Click, or press Ctrl+G, to go to a frame (123) or a time (12.5s)"))
        self.position.mousePressEvent = lambda _e: self.ask_position()  # type: ignore[method-assign]
        self.goto_field = QLineEdit()
        self.goto_field.setObjectName("gotoField")
        self.goto_field.setPlaceholderText(tr("Player", "frame or 12.5s"))
        self.goto_field.setToolTip(tr("Player", "A frame number (123) or a time (12.5s, 1:02.5); Enter goes there, Esc cancels"))
        self.goto_field.setFixedWidth(self.goto_field.fontMetrics().horizontalAdvance("frame or 12.5s__") + 16)
        self.goto_field.returnPressed.connect(self._go_typed)
        self.goto_field.installEventFilter(self)
        self.goto_field.hide()
        self.speed_box = QComboBox()
        for speed in SPEEDS:
            self.speed_box.addItem(f"{speed:g}×", speed)
        self.speed_box.setCurrentIndex(SPEEDS.index(1.0))
        self.speed_box.setToolTip(tr("Player", "Playback speed ( - / = )"))
        self.speed_box.currentIndexChanged.connect(self._on_speed)
        self.loop_box = QComboBox()
        self.loop_box.addItems([tr("Player", m).format(n=self.loop_window) for m in LOOP_MODES])
        self.loop_box.setToolTip(tr("Player", "Loop the selected segment or a window around the playhead (L)"))
        self.gradient_button = QPushButton(tr("Player", "Δ frame"))
        self.gradient_button.setCheckable(True)
        self.gradient_button.setToolTip(tr("Player", "Temporal gradient: difference from the previous frame (G)"))
        self.gradient_button.toggled.connect(self.set_gradient)
        self.decode_bar = QProgressBar()
        self.decode_bar.setMaximumWidth(160)
        # It may shrink: shown while a clip decodes, it must not widen the player's minimum, or
        # the main window takes the width from its docks for good (the clip names got elided).
        self.decode_bar.setMinimumWidth(40)
        self.decode_bar.setTextVisible(True)
        self.decode_bar.setFormat(tr("Player", "decoding %p%"))
        self.decode_bar.hide()
        self.cancel_button = QToolButton()
        self.cancel_button.setText("✕")
        self.cancel_button.setToolTip(tr("Player", "Stop decoding"))
        self.cancel_button.clicked.connect(self.cancel_decode)
        self.cancel_button.hide()
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 2, 6, 2)
        left: tuple[QWidget, ...] = (self.play_button, self.goto_field, self.position)
        right: tuple[QWidget, ...] = (self.decode_bar, self.cancel_button, self.gradient_button,
                                      self.loop_box, self.speed_box)
        for w in left:
            bar.addWidget(w)
        bar.addStretch(1)
        for w in right:
            bar.addWidget(w)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.view, 1)
        layout.addLayout(bar)

    # ----- go to a frame or a time ------------------------------------------------------
    def ask_position(self) -> None:
        """Ctrl+G (or a click on the position): type a frame or a time to go to."""
        self.goto_field.setText(str(self.current))
        self.goto_field.show()
        self.goto_field.setFocus()
        self.goto_field.selectAll()

    def go_to(self, text: str) -> bool:
        """Go to a typed frame (`123`) or time (`12.5s`); False, with a message, if unreadable."""
        try:
            pos = parse_position(text)
        except ValueError as exc:
            self.message.emit(core_text(exc))
            return False
        if pos.frame is not None:
            frame = pos.frame
        else:
            assert pos.seconds is not None
            ms = pos.seconds * 1000.0
            frame = self.cache.frame_at_time(ms) if self.cache is not None else int(round(ms * self.fps / 1000))
        if not 0 <= frame <= self.last_frame():
            self.message.emit(tr("Player", "'{text}' is past the clip's end (frame {last}); showing the last frame").format(text=text.strip(), last=self.last_frame()))
        self.seek(frame)
        return True

    def _go_typed(self) -> None:
        if self.go_to(self.goto_field.text()):
            self._close_goto()

    def _close_goto(self) -> None:
        self.goto_field.hide()
        self.view.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Enter and Esc belong to the go-to field while it is open (not to the window's
        shortcuts); Esc leaves it without moving, and so does clicking elsewhere."""
        if watched is self.goto_field:
            if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) \
                    and event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                event.accept()
                return True
            if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                    and event.key() == Qt.Key.Key_Escape:
                self._close_goto()
                return True
            if event.type() == QEvent.Type.FocusOut:
                self.goto_field.hide()
        return super().eventFilter(watched, event)

    def set_budget(self, budget_bytes: int) -> None:
        """Frame memory budget for the next clip (and for the spare chunks kept between clips)."""
        self.budget_bytes = budget_bytes
        POOL.limit_bytes = budget_bytes

    def reserve_memory(self, clips: Iterable[Clip]) -> tuple[int, int] | None:
        """Commit, on a worker, the frame memory the largest of these clips needs, so that the
        first clip opened decodes as fast as a reopened one; returns (chunk bytes, chunks)."""
        plan = largest_plan(((c.width, c.height, c.frame_count) for c in clips
                             if c.media_path and c.width and c.height), self.budget_bytes)
        if plan is None:
            return None
        chunk_bytes, chunks = plan.chunk_bytes, plan.chunks

        def work(_progress: Progress, cancel: CancelToken) -> int:
            return POOL.reserve(chunk_bytes, chunks, cancel)

        self.runner.start("reserve frame memory", work)
        return chunk_bytes, chunks

    # ----- opening --------------------------------------------------------------------
    def open_video(self, path: str | None, total_frames: int, fps: float) -> None:
        """Start decoding `path` in the background; frame 0 appears as soon as it is decoded."""
        self.close_video()
        self.total, self.fps, self.current = max(total_frames, 1), fps, 0
        self.frameChanged.emit(0)  # every playhead (timeline, model lane) starts the new clip at 0
        if path is None:
            self.view.show_frame(None, tr("Player", "This clip has no video attached"))
            self._update_position()
            return
        try:
            probe = probe_video(path, count_frames=False)
        except InputError as exc:
            self.view.show_frame(None, core_text(exc))
            self.message.emit(core_text(exc))
            self._update_position()
            return
        cache = new_cache(probe, self.budget_bytes)
        self.cache = cache
        self.playback.cache = cache
        self.view.show_frame(None, tr("Player", "Decoding…"))

        def work(progress: Progress, cancel: CancelToken) -> int:
            return decode_into(cache, progress, cancel)

        handle = self.runner.start(f"decode {path}", work)
        handle.progress.connect(lambda f, _m, c=cache: self._on_decode_progress(c, f))
        handle.finished.connect(lambda n, c=cache: self._on_decoded(c, int(n)))
        handle.failed.connect(lambda exc, c=cache: self._on_decode_failed(c, exc))
        handle.cancelled.connect(lambda: self.decode_bar.hide())
        self._decode = handle
        self.decode_bar.setValue(0)
        self.decode_bar.show()
        self.cancel_button.show()
        self._update_position()

    @property
    def decoding(self) -> TaskHandle | None:
        """The open clip's decode while it runs (work that must wait for it starts after it)."""
        handle = self._decode
        return handle if handle is not None and handle.active else None

    def close_video(self) -> None:
        """Stop playback and decoding; the old cache is freed once its worker has stopped."""
        self.playback.stop()
        self.playback.cache = None
        old_cache, handle = self.cache, self._decode
        # Wait (a frame or so) for a cancelled decoder, so its memory is free before the
        # next clip allocates: the cache budget holds for the whole process.
        stopped = handle is None or handle.cancel_and_wait(2.0)
        if old_cache is not None:
            if stopped:
                old_cache.release()
            else:
                assert handle is not None
                handle.ended.connect(old_cache.release)
        self._decode = None
        self.cache = None
        self._shown = None
        self.position.setText("")  # open_video writes the next clip's
        self.decode_bar.hide()
        self.cancel_button.hide()

    def cancel_decode(self) -> None:
        """Stop decoding; frames decoded so far stay usable."""
        if self._decode is not None:
            self._decode.cancel()
        self.cancel_button.hide()

    def _on_decode_progress(self, cache: FrameCache, fraction: float) -> None:
        if cache is not self.cache:
            return
        self.decode_bar.setValue(int(fraction * 100))
        self.cacheProgress.emit(fraction)
        if self._shown != self.current and cache.frame(self.current) is not None:
            self._show(self.current)

    def _on_decoded(self, cache: FrameCache, count: int) -> None:
        if cache is not self.cache:
            return
        self.decode_bar.hide()
        self.cancel_button.hide()
        if count != self.total:
            self.message.emit(tr("Player", "The video has {count}; the clip record says {total}.").format(count=plural(count, 'decodable frame'), total=self.total))
        if cache.error:
            self.message.emit(cache.error)
        if self._shown != self.current:
            self._show(self.current)
        self.decodeFinished.emit(count)

    def _on_decode_failed(self, cache: FrameCache, exc: object) -> None:
        if cache is not self.cache:
            return
        self.decode_bar.hide()
        self.cancel_button.hide()
        self.view.show_frame(None, core_text(exc))
        self.message.emit(core_text(exc))

    # ----- moving ---------------------------------------------------------------------
    def seek(self, frame: int) -> None:
        """Go to `frame` (clamped to the clip) and paint it if decoded."""
        frame = min(max(int(frame), 0), self.last_frame())
        changed = frame != self.current
        self.current = frame
        self._show(frame)
        if changed:
            self.frameChanged.emit(frame)

    def step(self, delta: int) -> None:
        """Move by `delta` frames (pauses playback: stepping means looking closely)."""
        self.playback.stop()
        self.seek(self.current + delta)

    def last_frame(self) -> int:
        """Index of the clip's last frame."""
        if self.cache is not None and self.cache.complete:
            return max(self.cache.count - 1, 0)
        return self.total - 1

    def _show(self, frame: int) -> None:
        cache = self.cache
        image = None if cache is None else cache.frame(frame)
        if image is not None and self.gradient:
            image = temporal_gradient(image, cache.frame(frame - 1) if cache else None)
        if image is None:
            if cache is not None:
                self.view.show_frame(None, tr("Player", "Frame {frame} is still decoding…").format(frame=frame))
            self._shown = None
        else:
            self.view.show_frame(image)
            self._shown = frame
        self._update_position()

    def _update_position(self) -> None:
        ms = self.cache.time_ms(self.current) if self.cache is not None else None
        seconds = ms / 1000.0 if ms is not None else self.current / self.fps
        self.position.setText(
            tr("Player", "frame {frame} / {last}").format(frame=self.current, last=self.last_frame()) + f"    {seconds:7.3f} s"
            + ("" if ms is not None or self.cache is None else tr("Player", " (est.)"))
        )

    # ----- playback -------------------------------------------------------------------
    def toggle_play(self, loop_range: tuple[int, int] | None = None) -> None:
        """Play or pause; `loop_range` is the selected segment when looping a segment."""
        if self.playback.playing:
            self.playback.stop()
            return
        mode = self.loop_box.currentIndex()
        if mode == 1 and loop_range is not None:
            self.playback.loop = loop_range
        elif mode == 2:
            n = self.loop_window
            self.playback.loop = (max(0, self.current - n), min(self.last_frame(), self.current + n))
        else:
            self.playback.loop = None
        self.playback.start(self.current)

    def cycle_loop_mode(self) -> None:
        """Next loop mode (no loop → segment → ±N frames)."""
        self.loop_box.setCurrentIndex((self.loop_box.currentIndex() + 1) % len(LOOP_MODES))

    def change_speed(self, steps: int) -> None:
        """Slower (-1) or faster (+1) through the speed list."""
        index = min(max(self.speed_box.currentIndex() + steps, 0), len(SPEEDS) - 1)
        self.speed_box.setCurrentIndex(index)

    def set_gradient(self, on: bool) -> None:
        """Show the temporal gradient instead of the frame."""
        self.gradient = on
        if self.gradient_button.isChecked() != on:
            self.gradient_button.setChecked(on)
        self._show(self.current)

    def _on_speed(self, index: int) -> None:
        self.playback.speed = float(self.speed_box.itemData(index))
        if self.playback.playing:
            self.playback.start(self.current)

    def _on_playing(self, playing: bool) -> None:
        self.play_button.setText("❚❚" if playing else "▶")
        # Smooth scaling costs a few ms per frame; playback favours steady timing.
        self.view.smooth = not playing
