"""The senior reviewer's window: clips to review (left), player over stacked lanes, detail (right)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from annotator.model import Clip, MergedStatus, Role
from annotator.progress import CancelToken, Progress
from annotator.store.api import StoreAPI
from app.controllers.pose import REVIEW_POSE_SHORTCUTS, PoseController
from app.core_text import core_text
from app.i18n import mark, tr
from app.labelling.label_picker import LabelPicker
from app.labelling.shortcut_sheet import NUDGE_NOTE
from app.panels.dock_layout import DockFit
from app.review.instance_detail import InstanceDetail
from app.review.review_model import (
    ReviewRow,
    load_review_rows,
    read_review_clip,
    review_rows_of,
    status_counts,
)
from app.review.review_queue import ReviewQueue
from app.review.review_session import ReviewSession
from app.review.review_shortcuts import REVIEW_MENUS, REVIEW_NOTE, REVIEW_SHORTCUTS
from app.review.review_timeline import MERGED_LANE, ReviewTimeline, instance_of_bar, review_bars
from app.settings import AppSettings
from app.tasks import TaskHandle
from app.timeline.lane_menu import LaneMenu
from app.window_common import ClipWindow, MediaResolver, bind_undo_actions
from app.wording import plural

if TYPE_CHECKING:  # the merge (scipy) is imported when it runs, the export dialog when asked for: not at open
    from app.export.export_dialog import ExportDialog
    from merging.workflow import MergeRun

StoreFactory = Callable[[], StoreAPI]
STALE_STATUS = mark("Review", "changed since merge: re-merge (Ctrl+M)")
STATE_VERSION = 2  # saveState version of the review screen (the annotation screen saves 1)
DETAIL_WIDTH = 340  # the instance detail wraps its text; this fits "Who said what" rows unwrapped

log = logging.getLogger(__name__)


class ReviewWindow(ClipWindow):
    """Wires the review session to the player, lanes, queue and keys."""

    STATE_VERSION = STATE_VERSION
    NO_NEXT_CLIP_CONTEXT = "Review"
    NO_NEXT_CLIP = mark("Review", "No clip left to review")  # Ctrl+N with nothing left to review
    SHEET_NOTE = f"{REVIEW_NOTE} {NUDGE_NOTE}"
    session: ReviewSession
    queue: ReviewQueue
    timeline: ReviewTimeline

    def __init__(self, store: StoreAPI, user: str, media_path: MediaResolver, settings: AppSettings,
                 store_factory: StoreFactory | None = None, project_key: str = "",
                 title: str = "MMAD Studio", defer_queue: bool = False) -> None:
        super().__init__(store, user, media_path, settings, project_key, tr("Review", "{title} — review — {user}").format(title=title, user=user))
        self.store_factory = store_factory
        self.backup: Callable[[], object] | None = None  # Project.backup: a copy after each merge (launch sets it)
        self.session = ReviewSession(store, self, threads=self.runner.threads)
        self.timeline = ReviewTimeline()
        self.picker = LabelPicker(store.taxonomy, self)
        self._edge_armed: tuple[int | None, str] | None = None  # (instance, edge) shown by a first edge key
        self.picker.keep_clear = self.player.view.global_image_rect  # the picker never hides the video
        self.queue = ReviewQueue()
        self.detail = InstanceDetail()
        self.merge_task: TaskHandle | None = None
        self.export_dialog: ExportDialog | None = None
        self._build_layout()
        self.pose = PoseController(self.session, self.player, self.timeline, self.runner, media_path,
                                   Path(project_key) if project_key else None, self, extract=False)
        self.actions_by_id = self._build_menus()
        self.actions_by_id.update(self.pose.install(self, REVIEW_POSE_SHORTCUTS, "review_"))
        self.lane_menu = LaneMenu(self.timeline, settings, user, STATE_VERSION)
        self.lane_menu.install(self.menus["View"], self.actions_by_id["collapse_lanes"],
                               [a.name for a in store.annotators() if a.role is Role.ANNOTATOR])
        self._connect()
        # defer_queue (app.launch): the window is shown first and open_start_clip reads the queue
        # off the UI thread (0.6 s on a 6,000-clip project), then opens the start clip
        self._queue_pending = defer_queue
        if not defer_queue:
            self.reload_queue()

    # ----- construction ------------------------------------------------------------------
    def _build_layout(self) -> None:
        docks = self._build_frame([
            (mark("Window", "Clips to review"), "reviewDockClips", self.queue, Qt.DockWidgetArea.LeftDockWidgetArea),
            (mark("Window", "Instance"), "reviewDockInstance", self.detail, Qt.DockWidgetArea.RightDockWidgetArea)])
        self.queue.setMinimumWidth(220)
        self.detail.setMinimumWidth(300)  # the detail text wraps; below this it gets hard to read
        self.dock_fit = DockFit(self, [(docks[0], self.queue.ideal_width), (docks[1], lambda: DETAIL_WIDTH)])
        self.queue.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys belong to the window's shortcuts

    def _handlers(self) -> dict[str, Callable[[], object]]:
        s, p, t = self.session, self.player, self.timeline
        nudges = {"start_earlier": ("start", -1), "start_later": ("start", 1), "end_later": ("end", 1),
                  "end_earlier": ("end", -1), "start_earlier_5": ("start", -5), "start_later_5": ("start", 5),
                  "end_later_5": ("end", 5), "end_earlier_5": ("end", -5)}
        handlers: dict[str, Callable[[], object]] = {
            "next_clip": self.open_next_clip, "merge": self.start_merge, "finalise": self.finalise,
            "unfinalise": self.unfinalise,
            "reload": self.reload_all,
            "quit": self.close, "accept": s.accept_majority, "keep": s.keep, "delete": s.delete,
            "label": self.ask_label, "undo": s.undo, "redo": s.redo, "next_unresolved": self.next_unresolved,
            "previous_instance": lambda: self.jump(-1), "next_instance": lambda: self.jump(1),
            "take_1": lambda: s.take(0), "take_2": lambda: s.take(1), "take_3": lambda: s.take(2),
            "play": self.play, "step_back": lambda: p.step(-1), "step_forward": lambda: p.step(1),
            "step_back_10": lambda: p.step(-10), "step_forward_10": lambda: p.step(10),
            "gradient": lambda: p.set_gradient(not p.gradient),
            "zoom_in": lambda: t.zoom(1.5), "zoom_out": lambda: t.zoom(1 / 1.5), "zoom_fit": t.fit,
            "shortcut_sheet": self.show_shortcuts, "export": self.show_export,
            **self._view_handlers(),
        }
        for name, (edge, delta) in nudges.items():
            handlers[name] = self._nudger(edge, delta)
        return handlers

    def _nudger(self, edge: str, delta: int) -> Callable[[], object]:
        return lambda: self.nudge(edge, delta)

    def _build_menus(self) -> dict[str, QAction]:
        actions = self._install_shortcuts(REVIEW_SHORTCUTS, REVIEW_MENUS, self._handlers(), name_prefix="review_")
        bind_undo_actions(self.session.undo_stack, actions["undo"], actions["redo"])
        return actions

    def _connect(self) -> None:
        self.queue.clipActivated.connect(self.open_clip_id)
        self.queue.mergeRequested.connect(self.start_merge)
        self.queue.cancelRequested.connect(self.cancel_merge)
        for source in (self.session.message, self.player.message, self.pose.message):
            source.connect(self.show_message)
        self.session.instancesChanged.connect(self.refresh)
        self.session.selectionChanged.connect(self._on_selection)
        self.session.decided.connect(self._refresh_row)
        self.session.clipFinalised.connect(self._refresh_row)
        self.session.clipFinalised.connect(lambda _clip_id: self.refresh())  # the detail says it is final
        self.player.frameChanged.connect(self.timeline.set_playhead)
        self.player.decodeFinished.connect(self._start_thumbnails)
        self.timeline.seekRequested.connect(self.player.seek)
        self.timeline.barSelected.connect(self._on_bar)
        self.timeline.barDropped.connect(self._on_drop)
        self.timeline.barActivated.connect(lambda _bar: self.ask_label())
        self.picker.picked.connect(self._on_picked)
        self.picker.dismissed.connect(self._refocus)

    # ----- clips ---------------------------------------------------------------------------
    def reload_queue(self) -> None:
        """Re-read the clips with merged instances and their counts."""
        self._show_queue(load_review_rows(self.store))

    def _show_queue(self, rows: list[ReviewRow]) -> None:
        self.queue.set_rows(rows)
        if not rows:
            self.show_message(tr("Review", "No merged clips yet: press Ctrl+M to merge the clips whose annotators are done"))

    def _read_queue_then_open(self) -> None:
        """Read the whole queue on a task thread with a connection of its own, show it, then open the
        start clip; the window answers meanwhile (a failed read is tried again on the UI thread,
        where the store's own message is shown)."""
        self.show_message(tr("Review", "Reading the clips to review…"))
        reader = self.task_store()

        def work(_progress: Progress, _cancel: CancelToken) -> list[ReviewRow]:
            try:
                return load_review_rows(reader)
            finally:
                reader.close()

        handle = self.runner.start("review queue", work)
        handle.finished.connect(self._queue_read)
        handle.failed.connect(lambda _exc: self._queue_read(None))

    def _queue_read(self, rows: list[ReviewRow] | None) -> None:
        self._queue_pending = False
        if rows is None:
            self.reload_queue()
        else:
            self.show_message("")  # the "reading" line
            self._show_queue(rows)
        self.reserve_frame_memory()  # for the queue just read, before the start clip opens
        self.open_start_clip()

    def open_clip_id(self, clip_id: int) -> None:
        """Open a clip: lanes, merged instances, video; selects the first instance to review."""
        self._remember_place()
        read = read_review_clip(self.store, clip_id)  # one read of everything shown (one round trip on a server)
        clip = read.clip
        self.timeline.set_clip(clip.frame_count, clip.fps)
        self.session.open_clip(clip, read)  # refresh() sets the lanes from its annotators
        inst = self.session.selected_instance()
        if not self._show_clip_video(clip) and inst is not None:  # back where the reviewer left it, else the instance
            self.player.seek(inst.start_frame)
        self.settings.set_last_clip(self.project_key, f"{self.user}|review", clip_id)
        self._update_status()

    def open_start_clip(self) -> None:
        """The clip reviewed last, else the first clip with instances to review (else the first clip);
        a queue not read yet is read first, off the UI thread."""
        if self._queue_pending:
            self._read_queue_then_open()
            return
        last = self.settings.last_clip(self.project_key, f"{self.user}|review")
        if last in {r.clip.id for r in self.queue.model.rows}:
            self.open_clip_id(int(last))
            return
        nxt = self.queue.next_open_clip(None)
        if nxt is None and self.queue.model.rows:
            nxt = self.queue.model.rows[0].clip.id
        if nxt is not None:
            self.open_clip_id(nxt)

    def _refresh_row(self, clip_id: int) -> None:
        """The open clip's row from what the session shows (nothing read: the session holds the clip as stored)."""
        clip = self.session.clip
        if clip is not None and clip.id == clip_id:
            self.queue.replace_row(ReviewRow(clip, *status_counts(self.session.instances), self.session.merge_problem))
        self._update_status()

    def read_rows(self, store: StoreAPI, clip_ids: list[int]) -> list[Any]:
        """The review queue rows of these clips (on a task thread)."""
        return review_rows_of(store, clip_ids)

    def show_rows(self, rows: list[Any]) -> None:
        """Put rows read again into the queue, in place (the open clip's row follows the session,
        which reads that clip again itself and shows decisions still on their way)."""
        shown = self.session.clip
        for row in rows:
            if shown is None or row.clip.id != shown.id:
                self.queue.replace_row(row)
        self._update_status()

    # ----- merging ---------------------------------------------------------------------------
    def start_merge(self) -> TaskHandle | None:
        """Ctrl+M: merge every ready clip off the UI thread, with progress and Cancel."""
        if self.merge_task is not None and self.merge_task.running:
            self.show_message(tr("Review", "The merge is already running"))
            return None
        factory, backup = self.store_factory, self.backup

        def work(progress: Progress, cancel: CancelToken) -> MergeRun:
            from merging.workflow import run_merge

            store = factory() if factory is not None else self.store
            try:
                run = run_merge(store, progress=progress, cancel=cancel)
            finally:
                if factory is not None:
                    store.close()
            if backup is not None and (run.written or run.stale_resolved):
                backup()  # as `mmad merge` does (docs/ARCHITECTURE.md, "Backups")
            return run

        handle = self.runner.start("merge", work)
        handle.progress.connect(self.queue.set_progress)
        handle.finished.connect(self._on_merged)
        handle.failed.connect(lambda exc: self.show_message(tr("Review", "Merge failed: {exc}").format(exc=core_text(exc))))
        handle.cancelled.connect(lambda: self.show_message(tr("Review", "Merge cancelled; clips already stored stay merged")))
        handle.ended.connect(lambda: self.queue.show_running(False))
        self.queue.show_running(True)
        self.merge_task = handle
        return handle

    def show_export(self) -> None:
        """Ctrl+E: the export dialog (one, non-modal), its counts read afresh."""
        if self.export_dialog is None:
            from app.export.export_dialog import ExportDialog

            factory = self.store_factory or (lambda: self.store.as_user(self.user))  # tests: shared engine
            self.export_dialog = ExportDialog(self.store, factory, self.runner.threads,
                                              Path(self.project_key or ".") / "export", self)
        else:
            self.export_dialog.refresh()
        self.export_dialog.show()
        self.export_dialog.raise_()
        self.export_dialog.activateWindow()

    def cancel_merge(self) -> None:
        """Cancel the running merge."""
        if self.merge_task is not None:
            self.merge_task.cancel()

    def reload_all(self) -> None:
        """F5: re-read the queue and the open clip (annotators' latest work, merges run elsewhere)."""
        self.reload_queue()
        if self.session.clip is not None:
            self.session.reload()
            self._refresh_row(self.session.clip.id)

    def _on_merged(self, run: MergeRun) -> None:
        log.info("merge by %s: %d clips merged, %d instances written, %d decisions kept, %d dropped, %d not ready",
                 self.user, run.merged_clips, run.written, run.kept_resolved, len(run.stale_resolved),
                 len(run.skipped))
        self.reload_queue()
        if self.session.clip is not None:
            self.session.reload()
        self.show_message(tr("Review", "Merged {clips}: {written} written, {kept} kept, {dropped} dropped (changed: back to review), {not_ready} not ready").format(clips=plural(run.merged_clips, 'clip'), written=plural(run.written, 'instance'), kept=plural(run.kept_resolved, 'decision'), dropped=len(run.stale_resolved), not_ready=plural(len(run.skipped), 'clip')))

    # ----- decisions ---------------------------------------------------------------------------
    def ask_label(self) -> None:
        """L: the label picker for the selected instance."""
        inst = self.session.selected_instance()
        if inst is None:
            self.show_message(tr("Review", "Select a merged instance first (click it, N for the next to review)"))
            return
        labels = [seg.action_id for seg in self.session.contributors(inst).values()]
        self.picker.ask(tr("Review", "Label for instance {start_frame}–{end_frame}").format(start_frame=inst.start_frame, end_frame=inst.end_frame), inst.action_id,
                        list(dict.fromkeys(labels)))  # the annotators' labels head the list

    def _on_picked(self, action_id: int) -> None:
        self._refocus()
        self.session.relabel(action_id)

    def _refocus(self) -> None:
        self.activateWindow()
        self.player.view.setFocus()

    def nudge(self, edge: str, delta: int) -> None:
        """Edge keys: move the selected instance's boundary; the player shows the new edge.

        On an undecided instance the first edge key only shows that edge: moving it decides
        "keep, boundaries adjusted", which a look at the edge must not do by accident."""
        inst = self.session.selected_instance()
        if (inst is not None and inst.decision is None and inst.status is MergedStatus.NEEDS_REVIEW
                and self._edge_armed != (inst.id, edge)):
            self._edge_armed = (inst.id, edge)
            shown = inst.start_frame if edge == "start" else inst.end_frame
            self.player.seek(shown)
            self.show_message(tr("Review", "Showing the {edge} edge (frame {shown}) of an undecided instance: the same key again moves it, which decides 'keep, boundaries adjusted'").format(edge=tr("Review", "start") if edge == "start" else tr("Review", "end"), shown=shown))
            return
        frame = self.session.adjust(edge, delta)
        if frame is not None:
            self.player.seek(frame)

    def next_unresolved(self) -> None:
        """N: select the next instance needing review and show its first frame."""
        inst = self.session.next_unresolved(self.session.selected)
        if inst is None:
            clip = self.session.clip
            if clip is not None and self.store.clip(clip.id).finalised:
                self.show_message(tr("Review", "This clip is finalised: Ctrl+N opens the next clip to review"))
            else:
                self.show_message(tr("Review", "Nothing left to review in this clip: Ctrl+Enter finalises it, Ctrl+N opens the next clip"))
            return
        self.session.select(inst.id)
        self.player.seek(inst.start_frame)

    def jump(self, direction: int) -> None:
        """, / .: previous / next instance."""
        inst = self.session.neighbour(direction)
        if inst is not None:
            self.session.select(inst.id)
            self.player.seek(inst.start_frame)

    def finalise(self) -> None:
        """Ctrl+Enter: finalise the open clip after asking (the store refuses while review is left)."""
        clip = self.session.clip
        if clip is None:
            return
        if clip.finalised:
            self.show_message(tr("Review", "This clip is already finalised (Clip > Un-finalise opens it for review again)"))
            return
        if not self.confirm(tr("Review", "Finalise clip {name}? Its merged instances become the ground truth that the export reads (Clip > Un-finalise undoes this).").format(name=clip.name)):
            self.show_message(tr("Review", "Not finalised"))
            return
        if self.session.finalise():
            self.show_message(tr("Review", "Clip {name} finalised: Ctrl+N opens the next clip to review").format(name=clip.name))

    def unfinalise(self) -> None:
        """Clip > Un-finalise: open the finalised clip for review again, after asking."""
        clip = self.session.clip
        if clip is None or not clip.finalised:
            self.show_message(tr("Review", "This clip is not finalised"))
            return
        if self.confirm(tr("Review", "Open clip {name} for review again? It leaves the export until it is finalised again.").format(name=clip.name)):
            self.session.unfinalise()

    def play(self) -> None:
        """Space: play/pause, looping the selected instance when that loop mode is on."""
        inst = self.session.selected_instance()
        self.player.toggle_play(None if inst is None else (inst.start_frame, inst.end_frame))

    # ----- view updates ---------------------------------------------------------------------
    def refresh(self) -> None:
        """Redraw lanes and detail from the session."""
        s = self.session
        inst = s.selected_instance()
        bars, styles = review_bars(s.annotators, s.segments, s.instances, s.taxonomy,
                                   inst.segment_ids if inst is not None else ())
        if s.clip is not None:
            self.timeline.set_lanes([*s.annotators, MERGED_LANE])  # an assignment may have changed since
        self.timeline.set_styled_bars(bars, styles)
        self.timeline.set_selected(-inst.id if inst is not None and inst.id is not None else None)
        fps = s.clip.fps if s.clip is not None else 30.0
        if s.clip is not None and not s.instances:
            self.detail.show_empty_clip(s.clip.finalised)
        else:
            self.detail.show_instance(inst, s.annotators, s.contributors(inst) if inst else {}, s.taxonomy, fps)
        self._update_status()

    def _on_selection(self, _instance_id: object) -> None:
        self._edge_armed = None
        self.refresh()

    def _on_bar(self, bar_id: int | None) -> None:
        instance_id = instance_of_bar(bar_id)
        if instance_id is not None:
            self.session.select(instance_id)
        elif bar_id is not None:  # an annotator's bar: select the instance built from it, if any
            owner = next((m for m in self.session.instances if bar_id in m.segment_ids), None)
            if owner is not None:
                self.session.select(owner.id)

    def _on_drop(self, bar_id: int, start: int, end: int) -> None:
        instance_id = instance_of_bar(bar_id)
        if instance_id is None:
            self.show_message(tr("Review", "Annotators' segments are read-only here: adjust the merged instance instead"))
            self.refresh()
            return
        self.session.select(instance_id)
        if self.session.set_bounds(start, end) is None:
            self.refresh()

    def _status_detail(self, clip: Clip) -> str:
        """Review counts and where the clip stands."""
        needs, reliable, resolved = status_counts(self.session.instances)
        state = (tr("Review", "finalised") if clip.finalised
                 else tr("Review", STALE_STATUS) if self.session.merge_problem is not None
                 else tr("Review", "ready to finalise") if needs == 0 else tr("Review", "in review"))
        return tr("Review", "{needs} to review · {reliable} reliable · {resolved} resolved · {state}").format(
            needs=needs, reliable=reliable, resolved=resolved, state=state)
