"""The annotation window: queue (left), player over timeline (centre), instances (right)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from annotator.model import AssignmentState, Clip
from annotator.progress import CancelToken, Progress
from annotator.store.api import StoreAPI
from app.controllers.annotation import AnnotationController
from app.controllers.clip_session import ClipSession
from app.controllers.pose import PoseController
from app.feedback.final_lane import FinalResultLane
from app.i18n import mark, tr
from app.labelling.label_picker import LabelPicker
from app.labelling.shortcuts import MENUS, SHORTCUTS
from app.panels.dock_layout import DockFit
from app.panels.instance_table import InstanceTable
from app.proposals.proposal_controller import ProposalController
from app.queue.queue_model import STATE_TEXT, load_queue, queue_rows
from app.queue.queue_widget import QueueWidget
from app.queue.useful_order import useful_rows
from app.settings import AppSettings
from app.timeline.lane_menu import LaneMenu
from app.timeline.timeline_widget import TimelineWidget
from app.window_common import ClipWindow, MediaResolver, bind_undo_actions
from app.wording import plural

STATE_VERSION = 1  # saveState version of this window kind (the review window uses its own)


class MainWindow(ClipWindow):
    """Composes the panels; the controllers do the work, this only wires and shows."""

    STATE_VERSION = STATE_VERSION
    NO_NEXT_CLIP_CONTEXT = "Annotation"
    NO_NEXT_CLIP = mark("Annotation", "No clip left to do — well done")  # N with every clip done
    session: ClipSession
    queue: QueueWidget

    def __init__(self, store: StoreAPI, user: str, media_path: MediaResolver, settings: AppSettings,
                 project_key: str = "", title: str = "MMAD Studio") -> None:
        super().__init__(store, user, media_path, settings, project_key, f"{title} — {user}")
        self.session = ClipSession(store, user, self, threads=self.runner.threads)
        self.timeline = TimelineWidget([b.name for b in store.taxonomy.body_parts])
        self.picker = LabelPicker(store.taxonomy, self)
        self.picker.keep_clear = self.player.view.global_image_rect  # the picker never hides the video
        self.controller = AnnotationController(self.session, self.player, self.timeline, self.picker, self)
        self.queue = QueueWidget()
        self.instances = InstanceTable(self.session)
        self.final_lane = FinalResultLane(self.session, self.timeline, self)
        self.proposals = ProposalController(self.session, self.player, self.timeline, self)
        self.pose = PoseController(self.session, self.player, self.timeline, self.runner, media_path,
                                   Path(project_key) if project_key else None, self, ahead=self._clips_ahead)
        self._build_layout()
        self.actions_by_id = self._build_menus()
        self.actions_by_id.update(self.proposals.install(self))
        self.lane_menu = LaneMenu(self.timeline, settings, user, STATE_VERSION)
        self.lane_menu.install(self.menus["View"], self.actions_by_id["collapse_lanes"])
        self.actions_by_id.update(self.pose.install(self))
        self._connect()
        self.reload_queue()

    # ----- construction --------------------------------------------------------------------------
    def _build_layout(self) -> None:
        docks = self._build_frame([
            (mark("Window", "Clips"), "dockClips", self.queue, Qt.DockWidgetArea.LeftDockWidgetArea),
            (mark("Window", "Instances"), "dockInstances", self.instances, Qt.DockWidgetArea.RightDockWidgetArea)])
        self.dock_fit = DockFit(self, [(docks[0], self.queue.ideal_width), (docks[1], self.instances.ideal_width)])

    def _handlers(self) -> dict[str, Callable[[], object]]:
        c, p, t = self.controller, self.player, self.timeline
        return {
            "next_clip": self.open_next_clip,
            "mark_done": lambda: self.mark_done(False),
            "mark_done_empty": lambda: self.mark_done(True),
            "reopen_clip": self.session.reopen,
            "quit": self.close,
            "undo": self.session.undo,
            "redo": self.session.redo,
            "mark_in": c.mark_in, "mark_out": c.mark_out, "change_label": c.change_label,
            "delete_segment": c.delete_segment, "split_segment": c.split_segment,
            "join_segment": c.join_segment,
            "start_earlier": lambda: c.nudge("start", -1), "start_later": lambda: c.nudge("start", 1),
            "end_later": lambda: c.nudge("end", 1), "end_earlier": lambda: c.nudge("end", -1),
            "start_earlier_5": lambda: c.nudge("start", -5), "start_later_5": lambda: c.nudge("start", 5),
            "end_later_5": lambda: c.nudge("end", 5), "end_earlier_5": lambda: c.nudge("end", -5),
            "previous_segment": lambda: c.jump(-1), "next_segment": lambda: c.jump(1),
            "clear": c.clear, "play": c.play,
            "step_back": lambda: p.step(-1), "step_forward": lambda: p.step(1),
            "step_back_10": lambda: p.step(-10), "step_forward_10": lambda: p.step(10),
            "go_start": lambda: p.step(-p.current), "go_end": lambda: p.step(p.last_frame() - p.current),
            "loop_mode": p.cycle_loop_mode, "slower": lambda: p.change_speed(-1),
            "faster": lambda: p.change_speed(1), "gradient": lambda: p.set_gradient(not p.gradient),
            "zoom_in": lambda: t.zoom(1.5), "zoom_out": lambda: t.zoom(1 / 1.5), "zoom_fit": t.fit,
            "shortcut_sheet": self.show_shortcuts,
            **self._view_handlers(),
        }

    def _build_menus(self) -> dict[str, QAction]:
        actions = self._install_shortcuts(SHORTCUTS, MENUS, self._handlers())
        bind_undo_actions(self.session.undo_stack, actions["undo"], actions["redo"])
        return actions

    def _connect(self) -> None:
        self.queue.clipActivated.connect(self.open_clip_id)
        for source in (self.session.message, self.controller.message, self.player.message,
                       self.proposals.message, self.pose.message, self.final_lane.message):
            source.connect(self.show_message)
        self.session.segmentsChanged.connect(self._on_segments)
        self.session.stateChanged.connect(self._on_state)
        self.player.decodeFinished.connect(self._start_thumbnails)
        self.instances.segmentActivated.connect(self._on_table_pick)

    # ----- clips ---------------------------------------------------------------------------------
    def reload_queue(self) -> None:
        """Re-read the queue from the store."""
        rows = load_queue(self.store, self.user)
        useful = useful_rows(self.store, rows, Path(self.project_key) if self.project_key else None)
        self.queue.set_rows(useful or rows, keep_order=useful is not None)
        finalised = [r.clip.id for r in rows if r.clip.finalised]  # no read at all before the first one
        self.queue.set_feedback("")
        if finalised:
            self._start_feedback(finalised)
        if not rows:
            self.show_message(tr("Annotation", "No clips are assigned to {user} in this project (the project owner assigns them: mmad assign)").format(user=self.user))

    def _start_feedback(self, finalised: list[int]) -> None:
        """The annotator's agreement with the final result, read off the UI thread: on a big
        project it reads every segment of theirs and the whole merge (0.65 s on 6,000 clips)."""
        store = self.store.as_user(self.user)  # its own transaction state, used by the worker alone

        def work(_progress: Progress, _cancel: CancelToken) -> str:
            from merging.final_agreement import agreement_with_final  # scipy: not at start-up

            return agreement_with_final(store, self.user, finalised).text()

        handle = self.runner.start("final agreement", work)
        handle.finished.connect(self.queue.set_feedback)

    def read_rows(self, store: StoreAPI, clip_ids: list[int]) -> list[Any]:
        """The queue rows of these clips (on a task thread)."""
        return queue_rows(store, self.user, clip_ids)

    def show_rows(self, rows: list[Any]) -> None:
        """Put rows read again into the queue, in place; the open clip's state and count are the
        session's (they include edits still on their way to the store)."""
        clip, state = self.session.clip, self.session.state
        if clip is not None and state is not None:
            rows = [replace(r, state=state, instances=len(self.session.segments)) if r.clip.id == clip.id else r
                    for r in rows]
        self.queue.replace_rows(rows)
        self._update_status()

    def open_clip_id(self, clip_id: int) -> None:
        """Open a clip: its segments, its video (decoded in the background), the timeline."""
        self._remember_place()
        row = self.queue.model.row_of(clip_id)  # the session's one read brings the clip as stored
        self.session.open_clip(self.queue.model.rows[row].clip if row is not None else self.store.clip(clip_id))
        clip = self.session.clip
        assert clip is not None
        self._show_clip_video(clip)
        self.settings.set_last_clip(self.project_key, self.user, clip_id)
        self._update_status()

    def _clips_ahead(self) -> Iterator[tuple[str, Path]]:
        """(name, media) of the queue's clips not done after the open one, in the queue's order."""
        rows = self.queue.model.rows
        current = self.session.clip.id if self.session.clip is not None else None
        start = next((k + 1 for k, r in enumerate(rows) if r.clip.id == current), 0)
        for row in rows[start:] + rows[:start]:
            if row.clip.id != current and row.state is not AssignmentState.DONE:
                path = self.media_path(row.clip)
                if path is not None:
                    yield row.clip.name, path

    def open_start_clip(self) -> None:
        """Reopen the clip used last, else the first one not done."""
        last = self.settings.last_clip(self.project_key, self.user)
        ids = {r.clip.id for r in self.queue.model.rows}
        if last in ids:
            self.open_clip_id(int(last))  # at the place it was left
            return
        nxt = self.queue.next_open_clip(None)
        if nxt is not None:
            self.open_clip_id(nxt)

    def mark_done(self, no_instances: bool) -> None:
        """Mark the clip done (or done with no instances); with proposals still pending, ask once."""
        pending = len(self.proposals.shown)
        if pending and not self.confirm(tr("Annotation", "{count} on this clip still pending (neither accepted nor rejected). Mark the clip done anyway?").format(count=plural(pending, 'model proposal'))):
            self.show_message(tr("Annotation", "Not marked done: {count} still pending (P jumps to the next)").format(count=plural(pending, 'proposal')))
            return
        was_done = self.session.state is AssignmentState.DONE
        self.session.mark_done(no_instances)
        if not was_done and self.session.state is AssignmentState.DONE and self.session.clip is not None:
            self.show_message(tr("Annotation", "Clip {name} done: N opens the next clip to do").format(name=self.session.clip.name))

    # ----- reactions ---------------------------------------------------------------------------
    def _on_segments(self) -> None:
        if self.session.clip is not None:
            self.queue.update_clip(self.session.clip.id, instances=len(self.session.segments))
        self._update_status()

    def _on_state(self, state: AssignmentState | None) -> None:
        if self.session.clip is not None and state is not None:
            self.queue.update_clip(self.session.clip.id, state=state)
        self._update_status()

    def _select_found(self, segment_id: int) -> None:
        """A found segment is selected, ready for the edge keys."""
        self.session.select(segment_id)

    def _on_table_pick(self, segment_id: int) -> None:
        seg = self.session.segment(segment_id)
        if seg is not None:
            self.player.seek(seg.start_frame)

    def _status_detail(self, clip: Clip) -> str:
        """Instances drawn and the assignment state."""
        return f"{plural(len(self.session.segments), 'instance')} · {tr('Queue', STATE_TEXT[self.session.state])}"

