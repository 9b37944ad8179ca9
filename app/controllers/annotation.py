"""Keyboard and mouse commands of the annotation screen, joining player, timeline and session.

Each public method here is the handler of one shortcut id in app.labelling.shortcuts.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.controllers.clip_session import ClipSession
from app.i18n import tax_name, tr
from app.labelling.label_picker import LabelPicker
from app.player.player_widget import Player
from app.timeline.packing import Bar
from app.timeline.timeline_widget import TimelineWidget
from app.wording import plural


class AnnotationController(QObject):
    """Marks (I/O), labelling, nudges, jumps, deletes, splits; playback keys."""

    message = Signal(str)

    def __init__(self, session: ClipSession, player: Player, timeline: TimelineWidget,
                 picker: LabelPicker, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.player = player
        self.timeline = timeline
        self.picker = picker
        self.mark: int | None = None  # frame of the pending I
        self._pending: tuple[int, int] | None = None  # I..O waiting for a label
        self._relabel: int | None = None  # segment waiting for a new label
        self._drag_edge = "start"  # edge being dragged, so the drop shows that edge's frame
        session.segmentsChanged.connect(self.refresh_bars)
        session.selectionChanged.connect(timeline.set_selected)
        session.clipOpened.connect(self._on_clip)
        player.frameChanged.connect(self._on_frame)
        timeline.seekRequested.connect(player.seek)
        timeline.barSelected.connect(session.select)
        timeline.barDragged.connect(self._on_drag)
        timeline.barDropped.connect(self._on_drop)
        timeline.barActivated.connect(self._relabel_bar)
        picker.picked.connect(self._on_picked)
        picker.dismissed.connect(self._on_dismissed)

    # ----- view updates ------------------------------------------------------------------------
    def _on_clip(self, clip: object) -> None:
        self.mark = self._pending = self._relabel = None
        self.timeline.set_mark(None)
        c = self.session.clip
        if c is None:
            self.timeline.set_clip(1, 30.0)
        else:
            self.timeline.set_clip(c.frame_count, c.fps)
        self.refresh_bars()
        self.timeline.set_playhead(0)

    def refresh_bars(self) -> None:
        """Redraw the timeline from the session's segments."""
        tax = self.session.taxonomy
        bars = []
        for s in self.session.segments:
            assert s.id is not None
            action = tax.action(s.action_id)
            bars.append(Bar(s.id, s.start_frame, s.end_frame, action.body_part.id, s.action_id,
                            f"{action.code} {tax_name(action.name)}", action.code))
        self.timeline.set_bars(bars)
        self.timeline.set_selected(self.session.selected)

    def _on_frame(self, frame: int) -> None:
        self.timeline.set_playhead(frame)
        if self.mark is not None and self._pending is None:
            self.timeline.set_mark(min(self.mark, frame), max(self.mark, frame))

    # ----- marking and labelling ------------------------------------------------------------------
    def mark_in(self) -> None:
        """I: remember the playhead as the start of a new segment."""
        if self.session.clip is None or self.session.refuse_if_read_only():
            return
        self.mark = self.player.current
        self.timeline.set_mark(self.mark, self.mark)
        self.message.emit(tr("Annotation", "Start marked at frame {mark}: move to the end and press O").format(mark=self.mark))

    def mark_out(self) -> None:
        """O: end at the playhead, then ask for the label."""
        if self.session.clip is None:
            return
        if self.mark is None:
            self.message.emit(tr("Annotation", "Press I at the start of the action first, then O at its end"))
            return
        start, end = sorted((self.mark, self.player.current))
        if end - start < self.session.min_length():
            self.message.emit(tr("Annotation", "Too short: {length}; a segment needs at least {shortest} (0.2 s). Move further and press O again").format(length=plural(end - start, 'frame'), shortest=plural(self.session.min_length(), 'frame')))
            return
        self._pending = (start, end)
        self.timeline.set_mark(start, end)
        self.picker.ask(tr("Annotation", "Action for frames {start}–{end}").format(start=start, end=end))

    def change_label(self) -> None:
        """C: pick a new action for the selected segment."""
        seg = self.session.selected_segment()
        if seg is None:
            self.message.emit(tr("Annotation", "Select a segment first (click it, or , / . to jump)"))
            return
        self._relabel = seg.id
        self.picker.ask(tr("Annotation", "New action for {start_frame}–{end_frame}").format(start_frame=seg.start_frame, end_frame=seg.end_frame), seg.action_id)

    def _refocus(self) -> None:
        # Hand the keyboard back to the main window once the picker closes.
        self.player.view.window().activateWindow()
        self.player.view.setFocus()

    def _relabel_bar(self, segment_id: int) -> None:
        self.session.select(segment_id)
        self.change_label()

    def _on_picked(self, action_id: int) -> None:
        self._refocus()
        if self._relabel is not None:
            self.session.edit(self._relabel, action_id=action_id)
            self._relabel = None
            return
        if self._pending is None:
            return
        start, end = self._pending
        self._pending = None
        added = self.session.add(start, end, action_id)
        if added is not None:
            self.clear_mark()
            name = tax_name(self.session.taxonomy.action(action_id).name)
            hint = self.session.overlap_hint(added.id)
            self.message.emit(tr("Annotation", "Added '{name}' {start}–{end}").format(name=name, start=start, end=end)
                              + (f" · {hint}" if hint else ""))
        else:
            self.timeline.set_mark(start, end)  # keep the mark so the user can adjust and retry

    def _on_dismissed(self) -> None:
        self._refocus()
        self._pending = None
        self._relabel = None

    def clear_mark(self) -> None:
        """Forget the pending I mark."""
        self.mark = None
        self._pending = None
        self.timeline.set_mark(None)

    def clear(self) -> None:
        """Esc: clear the mark, then the selection."""
        if self.mark is not None:
            self.clear_mark()
        else:
            self.session.select(None)

    # ----- editing the selected segment -----------------------------------------------------------
    def _selected_id(self) -> int | None:
        seg = self.session.selected_segment()
        if seg is None:
            self.message.emit(tr("Annotation", "Select a segment first (click it, or , / . to jump)"))
            return None
        return seg.id

    def nudge(self, edge: str, delta: int) -> None:
        """Move the selected segment's start or end edge; the player shows the new edge frame."""
        seg_id = self._selected_id()
        if seg_id is None:
            return
        frame = self.session.nudge(seg_id, edge, delta)
        if frame is not None:
            self.player.seek(frame)

    def delete_segment(self) -> None:
        """Delete the selected segment."""
        seg_id = self._selected_id()
        if seg_id is not None and self.session.delete(seg_id):
            self.message.emit(tr("Annotation", "Segment deleted (Ctrl+Z brings it back)"))

    def split_segment(self) -> None:
        """Split the selected segment at the playhead."""
        seg_id = self._selected_id()
        if seg_id is not None:
            self.session.split(seg_id, self.player.current)

    def join_segment(self) -> None:
        """Join the selected segment with an overlapping one of the same action."""
        seg_id = self._selected_id()
        if seg_id is not None:
            self.session.join(seg_id)

    def jump(self, direction: int) -> None:
        """, / .: select the previous/next segment and show its first frame."""
        seg = self.session.neighbour(self.player.current, direction)
        if seg is None:
            self.message.emit(tr("Annotation", "No segment after the playhead") if direction > 0
                              else tr("Annotation", "No segment before the playhead"))
            return
        self.session.select(seg.id)
        self.player.seek(seg.start_frame)

    def _on_drag(self, seg_id: int, start: int, end: int, edge: str) -> None:
        self._drag_edge = edge
        self.player.seek(end if edge == "end" else start)

    def _on_drop(self, seg_id: int, start: int, end: int) -> None:
        if self.session.edit(seg_id, start=start, end=end):
            self.player.seek(end if self._drag_edge == "end" else start)
        else:
            self.refresh_bars()  # drop refused: put the bar back where the store has it
        self.session.select(seg_id)

    # ----- playback -----------------------------------------------------------------------------
    def play(self) -> None:
        """Space: play/pause (looping the selected segment when that loop mode is on)."""
        seg = self.session.selected_segment()
        if seg is None and self.player.loop_box.currentIndex() == 1 and not self.player.playback.playing:
            self.message.emit(tr("Annotation", "Loop segment: no segment selected, playing without a loop"))
        self.player.toggle_play(None if seg is None else (seg.start_frame, seg.end_frame))
