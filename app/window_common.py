"""What the annotation and review windows share: player over timeline, two docks, keys, layout memory.

ClipWindow holds the frame and plumbing; each window adds its own session, panels, handlers
and status text. Each window kind saves its dock layout under its own STATE_VERSION, so one
kind never restores the other's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

import numpy as np
from PySide6.QtCore import QByteArray, Qt, QTimer, SignalInstance
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QShowEvent, QUndoStack
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QMenu, QMessageBox, QSplitter, QWidget

from annotator.journal import Journal
from annotator.model import Clip
from annotator.progress import CancelToken, Progress
from annotator.store.api import StoreAPI
from app.about import about_html
from app.background import BackgroundWork
from app.controllers.live_feed import LiveFeed
from app.core_text import core_text
from app.find.find_dialog import FindDialog
from app.help_window import GuideWindow, guide_markdown
from app.i18n import LANGUAGES, SYSTEM, menu_title, tr
from app.icons import apply_action_icons, icon
from app.labelling.custom_keys import collisions, normal
from app.labelling.shortcut_editor import ShortcutEditor
from app.labelling.shortcut_sheet import NUDGE_NOTE, ShortcutSheet, keys_markdown, menu_groups, sheet_html
from app.labelling.shortcuts import Shortcut
from app.log_folder import add_log_folder_action
from app.panels.dock_layout import DockFit
from app.panels.video_share import favour_video
from app.player.player_widget import Player
from app.player.zoom import ZOOM_STEP, VideoZoom
from app.queue.clip_table import ClipRowsModel
from app.quitting import ends_with_window
from app.settings import AppSettings, ClipPlace
from app.tasks import TaskHandle
from app.timeline.filmstrip import make_thumbnails
from app.timeline.lane_menu import LaneMenu
from app.timeline.timeline_widget import TimelineWidget
from app.wording import plural

if TYPE_CHECKING:
    from app.model_loop.loop_controller import ModelLoop

MediaResolver = Callable[[Clip], "Path | None"]
Handlers = Mapping[str, Callable[[], object]]
DockSpec = tuple[str, str, QWidget, Qt.DockWidgetArea]  # title, object name, content, side
MESSAGE_MS = 8000  # how long a status-bar message stays


class ClipQueue(Protocol):
    """The queue panel as the window uses it."""

    @property
    def model(self) -> ClipRowsModel[Any]:
        """The queue's rows."""
        ...

    def select_clip(self, clip_id: int) -> None:
        """Highlight a clip without emitting activation."""
        ...

    def next_open_clip(self, after: int | None, /) -> int | None:
        """The next clip still to work on after `after` (wrapping), or None."""
        ...


@runtime_checkable
class LiveSession(Protocol):
    """A session that saves through an edit pipeline (both screens')."""

    saveStatus: SignalInstance

    def go_live(self, journal: Journal | None, feed: LiveFeed | None = None) -> None:
        """Write in the background and follow the feed."""
        ...

    def close(self) -> None:
        """Stop the writer."""
        ...

    def wait_saved(self, timeout: float = 30.0) -> bool:
        """Block until the writer has nothing left."""
        ...


class OpenClip(Protocol):
    """The session as the window uses it."""

    @property
    def clip(self) -> Clip | None:
        """The open clip."""
        ...


def add_shortcut_actions(window: QMainWindow, specs: Sequence[Shortcut], menus: Mapping[str, QMenu],
                         handlers: Handlers, name_prefix: str = "") -> dict[str, QAction]:
    """One window-wide QAction per shortcut, in its menu (one of `menus`), keyed by id.

    A window with a `run_command(handler)` method runs every handler through it (a ClipWindow
    clears a stale status message that way)."""
    run = getattr(window, "run_command", None)
    actions: dict[str, QAction] = {}
    for spec in specs:
        action = QAction(tr("Shortcut", spec.text), window)
        action.setObjectName(f"{name_prefix}{spec.id}")
        action.setShortcuts([QKeySequence(k) for k in spec.keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        if spec.help:
            action.setStatusTip(tr("Shortcut", spec.help))
        action.triggered.connect(lambda _checked=False, h=handlers[spec.id]: run(h) if run else h())
        menus[spec.menu].addAction(action)
        window.addAction(action)  # shortcuts work even while menus are hidden
        actions[spec.id] = action
    return actions


def add_menu(window: QMainWindow, title: str) -> QMenu:
    """A menu in the window's menu bar, before Help (which stays last) when there is one."""
    bar = window.menuBar()
    help_entry = next((a for a in bar.actions() if a.menu() is not None and a.menu().objectName() == "menuHelp"), None)
    menu = QMenu(menu_title(title), bar)
    menu.setObjectName(f"menu{title.replace('&', '')}")
    if help_entry is None:
        bar.addMenu(menu)
    else:
        bar.insertMenu(help_entry, menu)
    return menu


def bind_undo_actions(stack: QUndoStack, undo: QAction, redo: QAction) -> None:
    """The Undo/Redo menu entries follow the stack: enabled when it can, named for the step."""
    stack.canUndoChanged.connect(undo.setEnabled)
    stack.canRedoChanged.connect(redo.setEnabled)
    stack.undoTextChanged.connect(lambda text: undo.setText(tr("Window", "Undo {step}").format(step=core_text(text)).strip()))
    stack.redoTextChanged.connect(lambda text: redo.setText(tr("Window", "Redo {step}").format(step=core_text(text)).strip()))
    undo.setEnabled(stack.canUndo())
    redo.setEnabled(stack.canRedo())


ENDING_TASK_WAIT_MS = 250  # see closeEvent


class ClipWindow(QMainWindow):
    """Player over a timeline with docks either side; subclasses build the rest and call the helpers."""

    STATE_VERSION: ClassVar[int]  # saveState version of this window kind
    NO_NEXT_CLIP: ClassVar[str]  # status message when no clip is left to open (marked for translation)
    NO_NEXT_CLIP_CONTEXT: ClassVar[str]  # its translation context
    SHEET_NOTE: ClassVar[str] = NUDGE_NOTE  # what the ? sheet says under the keys
    timeline: TimelineWidget
    lane_menu: LaneMenu
    queue: ClipQueue
    session: OpenClip
    live_feed: LiveFeed | None = None
    dock_fit: DockFit
    model_loop: ModelLoop | None = None  # the Model menu's propose / train loop, attached by app.launch

    def __init__(self, store: StoreAPI, user: str, media_path: MediaResolver, settings: AppSettings,
                 project_key: str, window_title: str) -> None:
        super().__init__()
        self.store = store
        self.user = user
        self.media_path = media_path
        self.settings = settings
        self.project_key = project_key
        self.runner = BackgroundWork(self)  # the window's one runner of background work (threads, processes)
        self.setWindowTitle(window_title)
        self.player = Player(self.runner.threads)
        self.player.set_budget(settings.cache_budget_bytes)
        self._thumbs: TaskHandle | None = None
        self.sheet: ShortcutSheet | None = None
        self.find_dialog: FindDialog | None = None
        self.guide: GuideWindow | None = None
        self.key_overrides: dict[str, tuple[str, ...]] = {}  # the user's keys in use, by action name
        self._default_keys: dict[str, tuple[str, ...]] = {}
        self.key_editor: ShortcutEditor | None = None
        self.setWindowIcon(icon("app"))
        self._messages = 0  # status messages shown so far (run_command tells whether a command spoke)
        self._place_clip: int | None = None  # the clip shown, whose place is remembered on leaving it
        self._rows_wanted: set[int] = set()  # clips whose queue rows wait to be read again (follow_rows)
        self._rows_task: TaskHandle | None = None
        self._rows_store: StoreAPI | None = None

    # ----- construction --------------------------------------------------------------------------
    def _build_frame(self, docks: Sequence[DockSpec]) -> list[QDockWidget]:
        """Player over timeline in the centre, the docks, the status label; keys go to the window."""
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.player)
        splitter.addWidget(self.timeline)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        saved = self.settings.splitter_state(self.STATE_VERSION)
        self._split_restored = saved is not None and splitter.restoreState(saved)  # as this window kind left it
        self.splitter = splitter
        self.setCentralWidget(splitter)
        made = []
        for title, name, widget, area in docks:
            dock = QDockWidget(tr("Window", title), self)
            dock.setObjectName(name)
            dock.setWidget(widget)
            dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                             | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
            self.addDockWidget(area, dock)
            made.append(dock)
        self.status_clip = QLabel("")
        self.status_clip.setObjectName("statusClip")
        self.statusBar().addPermanentWidget(self.status_clip)
        for w in self.player.findChildren(QWidget):
            if w is not self.player.view and w is not self.player.goto_field:
                w.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys belong to the window's shortcuts
        return made

    def _view_handlers(self) -> dict[str, Callable[[], object]]:
        """Handlers both screens share: go to a frame or time, zoom and pan inside the video."""
        v = self.player.view
        pan = 0.2  # of the visible part per key press
        return {
            "go_to": self.player.ask_position,
            "video_zoom_in": lambda: v.zoom_by(ZOOM_STEP), "video_zoom_out": lambda: v.zoom_by(1 / ZOOM_STEP),
            "video_zoom_reset": lambda: v.set_zoom(VideoZoom()),
            "video_pan_left": lambda: v.pan_by(-pan, 0), "video_pan_right": lambda: v.pan_by(pan, 0),
            "video_pan_up": lambda: v.pan_by(0, -pan), "video_pan_down": lambda: v.pan_by(0, pan),
            "collapse_lanes": lambda: self.lane_menu.toggle_collapse(),
            "find": self.show_find,
        }

    def _install_shortcuts(self, specs: Sequence[Shortcut], menu_names: Sequence[str], handlers: Handlers,
                           name_prefix: str = "") -> dict[str, QAction]:
        """One window-wide QAction per shortcut, in its menu, keyed by id."""
        menus = {name: self.menuBar().addMenu(menu_title(name)) for name in menu_names}
        for name, menu in menus.items():
            menu.setObjectName(f"menu{name}")
        self.menus = menus
        actions = add_shortcut_actions(self, specs, menus, handlers, name_prefix)
        if "Help" in menus:
            help_menu = menus["Help"]
            self.guide_action = help_menu.addAction(icon("help"), tr("Help", "User guide"))
            self.guide_action.setStatusTip(tr("Help", "How annotators and reviewers work here, with your keys"))
            self.guide_action.triggered.connect(self.show_guide)
            self.log_action = add_log_folder_action(help_menu, self)
            self.keys_action = help_menu.addAction(icon("keys"), tr("Help", "Change keyboard shortcuts…"))
            self.keys_action.setStatusTip(tr("Help", "Your own keys; a key may serve one command only"))
            self.keys_action.triggered.connect(self.edit_shortcuts)
            self._add_language_menu(help_menu)
            self.about_action = help_menu.addAction(icon("about"), tr("Help", "About MMAD Studio"))
            self.about_action.triggered.connect(self.show_about)
        apply_action_icons(actions)
        return actions

    def _add_language_menu(self, help_menu: QMenu) -> None:
        """Help > Language: follow the system, or one of the languages the app ships (from the next start)."""
        menu = help_menu.addMenu(tr("Help", "Language"))
        group = QActionGroup(menu)
        self.language_actions: dict[str, QAction] = {}
        for code, name in ((SYSTEM, tr("Help", "As the system")), *LANGUAGES.items()):
            action = menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(self.settings.language == code)
            group.addAction(action)
            action.triggered.connect(lambda _checked=False, c=code: self.choose_language(c))
            self.language_actions[code] = action

    def choose_language(self, code: str) -> None:
        """Store the interface language; it is used from the next start."""
        self.settings.language = code
        self.settings.sync()
        self.show_message(tr("Help", "Language saved: it is used from the next start"))

    def _keyed_actions(self) -> list[QAction]:
        """Every command of this window that has a key (the menus' and the panels' alike)."""
        return [a for a in self.actions() if a.objectName() and a.objectName() in self._default_keys]

    def apply_user_keys(self) -> None:
        """Use the keys the user chose (call once every action exists); a stored choice that
        now collides with a default is not used, and the status bar says so."""
        self._default_keys = {a.objectName(): tuple(normal(k.toString()) for k in a.shortcuts())
                              for a in self.actions() if a.objectName() and a.shortcuts()}
        overrides = self.settings.shortcut_overrides(self.STATE_VERSION)
        merged = {**self._default_keys, **{k: v for k, v in overrides.items() if k in self._default_keys}}
        problems = collisions(merged)
        if problems:
            self.show_message(tr("Window", "Your keyboard shortcuts were not used ({problem}): Help → Change keyboard shortcuts…").format(problem=problems[0]))
            overrides = {}
        self._use_keys(overrides)

    def _use_keys(self, overrides: dict[str, tuple[str, ...]]) -> None:
        self.key_overrides = overrides
        for action in self._keyed_actions():
            keys = overrides.get(action.objectName(), self._default_keys[action.objectName()])
            action.setShortcuts([QKeySequence(k) for k in keys])
        if self.sheet is not None:  # the ? sheet is rebuilt with the keys now in use
            self.sheet.close()
            self.sheet.deleteLater()
            self.sheet = None

    def edit_shortcuts(self) -> None:
        """Help → Change keyboard shortcuts…: edit, check for collisions, store, use."""
        def store(overrides: dict[str, tuple[str, ...]]) -> None:
            self.settings.set_shortcut_overrides(self.STATE_VERSION, overrides)
            self.settings.sync()
            self._use_keys(overrides)
            self.show_message(tr("Window", "Keyboard shortcuts saved") if overrides else tr("Window", "Default keyboard shortcuts in use"))

        self.key_editor = ShortcutEditor(self._keyed_actions(), self._default_keys, store, self)
        self.key_editor.show()

    def show_guide(self) -> None:
        """Help → User guide: the guide, then this screen's keys as they are set now."""
        if self.guide is None:
            self.guide = GuideWindow("", self)
        self.guide.text.setMarkdown(self.guide_text())
        self.guide.show()
        self.guide.raise_()
        self.guide.activateWindow()

    def guide_text(self) -> str:
        """The guide's Markdown, ending with every command of this window that has a key."""
        return f"{guide_markdown()}\n\n{keys_markdown(menu_groups(self.menuBar()))}\n"

    def show_about(self) -> None:
        """Help → About: what this is, and the versions it runs on."""
        QMessageBox.about(self, tr("Window", "About MMAD Studio"), about_html())

    def sheet_html(self) -> str:
        """This screen's shortcut sheet: every command in its menus that has a key, as set now."""
        return sheet_html(menu_groups(self.menuBar()), tr("Help", self.SHEET_NOTE))

    def show_shortcuts(self) -> None:
        """? : show the shortcut sheet (one non-modal window), or hide it when it is showing."""
        if self.sheet is None:
            self.sheet = ShortcutSheet(self, self.sheet_html())
        if self.sheet.isVisible():
            self.sheet.hide()
            return
        self.sheet.show()
        self.sheet.raise_()

    def show_find(self) -> None:
        """Ctrl+F: the Find window (one, non-modal; each time shown it searches again)."""
        if self.find_dialog is None:
            self.find_dialog = FindDialog(self.store, self.user, self.open_at, self)
        else:
            self.find_dialog.search()
        self.find_dialog.show()
        self.find_dialog.raise_()
        self.find_dialog.activateWindow()

    def open_at(self, clip_id: int, frame: int, segment_id: int | None) -> None:
        """Show a found instance: its clip, its first frame, and (where this screen can) select it."""
        if self.session.clip is None or self.session.clip.id != clip_id:
            self.open_clip_id(clip_id)
        self.player.seek(frame)
        if segment_id is not None:
            self._select_found(segment_id)

    def _select_found(self, segment_id: int) -> None:
        """Select a found segment (the annotation screen does; the review screen shows its clip)."""

    def reserve_frame_memory(self) -> None:
        """Commit, in the background, the frame memory the largest clip in the queue needs, and
        record it so that main.py reserves it while it imports at the next start."""
        reserved = self.player.reserve_memory(self.queue.model.clips())
        if reserved is not None:
            self.settings.set_frame_memory(self.project_key, *reserved)

    # ----- clips ---------------------------------------------------------------------------------
    def open_clip_id(self, clip_id: int) -> None:
        """Open a clip (each window kind says how)."""
        raise NotImplementedError

    def reload_queue(self) -> None:
        """Read the whole queue again (each window kind says how)."""
        raise NotImplementedError

    def read_rows(self, store: StoreAPI, clip_ids: list[int]) -> list[Any]:
        """The queue rows of these clips, read on a task thread through `store` (each window kind says how)."""
        raise NotImplementedError

    def show_rows(self, rows: list[Any]) -> None:
        """Put rows read again into the queue, in place (each window kind says how)."""
        raise NotImplementedError

    def follow_rows(self, clips: set[int] | None) -> None:
        """Teammates committed on these clips: read just their queue rows again, off the UI thread, one
        read at a time (clips named meanwhile wait for the next); None (the feed's connection came
        back: anything may have changed) reads the whole queue again."""
        if clips is None:
            self._rows_wanted.clear()
            self.reload_queue()
            return
        listed = {c.id for c in self.queue.model.clips()}
        self._rows_wanted |= clips & listed
        self._read_rows_next()

    def _read_rows_next(self) -> None:
        if self._rows_task is not None or not self._rows_wanted:
            return
        wanted, self._rows_wanted = sorted(self._rows_wanted), set()
        if self._rows_store is None:
            self._rows_store = self.task_store()
        reader, read = self._rows_store, self.read_rows

        def work(_progress: Progress, _cancel: CancelToken) -> list[Any]:
            return read(reader, wanted)

        handle = self.runner.start("queue rows", work)
        handle.finished.connect(self.show_rows)
        handle.ended.connect(self._rows_read)
        self._rows_task = handle

    def task_store(self) -> StoreAPI:
        """The window's user on a store object of a task's own: the window's store, with the
        transaction it may hold open, belongs to the UI thread."""
        return self.store.for_thread()

    def _rows_read(self) -> None:
        self._rows_task = None
        self._read_rows_next()

    def _show_clip_video(self, clip: Clip) -> bool:
        """Start decoding the clip's video (stale thumbnails cancelled), back at the place the user
        left it (frame, video zoom, timeline zoom); select its row, focus the view. True when a
        place was restored."""
        path = self.media_path(clip)
        if self._thumbs is not None:
            self._thumbs.cancel()
        self.player.open_video(None if path is None else str(path), clip.frame_count, clip.fps)
        place = self.settings.clip_place(self.project_key, self.user, clip.id)
        self.player.view.set_zoom(VideoZoom() if place is None else place.zoom)
        self._place_clip = clip.id
        if place is not None:
            self.player.seek(place.frame)  # shown as soon as it is decoded
            if place.span is not None:
                self.timeline.view.setXRange(*place.span, padding=0)
        self.queue.select_clip(clip.id)
        self.player.view.setFocus()
        return place is not None

    def _remember_place(self) -> None:
        """Store where the user leaves the clip shown (kept across clips and restarts); called
        before another clip replaces it in the session, whose timeline then shows the new one."""
        if self._place_clip is not None:
            span = self.timeline.view.viewRange()[0]
            self.settings.set_clip_place(self.project_key, self.user, self._place_clip,
                                         ClipPlace(self.player.current, self.player.view.zoom, (span[0], span[1])))

    def open_next_clip(self) -> None:
        """The next clip still to work on, or a message when none is left."""
        current = self.session.clip.id if self.session.clip else None
        nxt = self.queue.next_open_clip(current)
        if nxt is None:
            self.show_message(tr(self.NO_NEXT_CLIP_CONTEXT, self.NO_NEXT_CLIP))
        else:
            self.open_clip_id(nxt)

    def _start_thumbnails(self, _count: int) -> None:
        cache = self.player.cache
        if cache is None:
            return
        if self._thumbs is not None:
            self._thumbs.cancel()

        def work(progress: Progress, cancel: CancelToken) -> np.ndarray:
            return make_thumbnails(cache, progress=progress, cancel=cancel)

        handle = self.runner.start("thumbnails", work)
        handle.finished.connect(lambda thumbs, c=cache: self._on_thumbs(c, thumbs))
        self._thumbs = handle

    def _on_thumbs(self, cache: object, thumbs: np.ndarray) -> None:
        if cache is self.player.cache:  # a later clip's video replaced this one meanwhile
            self.timeline.set_thumbnails(thumbs)

    # ----- status --------------------------------------------------------------------------------
    def _update_status(self) -> None:
        clip = self.session.clip
        if clip is None:
            self.status_clip.setText(tr("Window", "no clip open"))
            return
        self.status_clip.setText(tr("Window", "{name} · {subject} · {count} @ {fps:g} fps · {detail}").format(name=clip.name, subject=clip.subject, count=plural(clip.frame_count, 'frame'), fps=clip.fps, detail=self._status_detail(clip)))

    def _status_detail(self, clip: Clip) -> str:
        """The window kind's part of the status line for the open clip."""
        raise NotImplementedError

    def confirm(self, question: str) -> bool:
        """Ask a yes/no question (tests replace this)."""
        answer = QMessageBox.question(self, "MMAD Studio", question,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def show_message(self, text: str) -> None:
        """One line in the status bar (rules, refusals, hints); never a modal dialog."""
        self._messages += 1
        self.statusBar().showMessage(text, MESSAGE_MS)

    def run_command(self, handler: Callable[[], object]) -> None:
        """Run one command; a command that says nothing clears the previous message, which
        described an earlier command and would now read as this one's result."""
        before = self._messages
        handler()
        if self._messages == before:
            self.statusBar().clearMessage()

    # ----- layout and closing --------------------------------------------------------------------
    def restoreState(self, state: QByteArray | bytes | bytearray | memoryview,  # noqa: N802
                     version: int | None = None) -> bool:
        """Restore a saved dock layout of this window kind (another kind's is refused)."""
        return self.dock_fit.restored(super().restoreState(state, self.STATE_VERSION if version is None else version))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        """First show: docks at their content's width unless a saved layout was restored."""
        super().showEvent(event)
        self.dock_fit.first_show()
        if not self._split_restored:  # no split saved: the video first, once the layout has its sizes
            self._split_restored = True
            QTimer.singleShot(0, lambda: favour_video(self.splitter, self.player, self.player.view, self.timeline,
                                                      self.width()))

    def go_live(self, journal: Journal | None) -> None:
        """Edits saved in the background through `journal`, teammates' commits shown live, the save
        status ("saving…", "saved", "offline — N edits waiting") at the right of the status bar."""
        session = self.session
        assert isinstance(session, LiveSession)
        self.live_feed = LiveFeed(self.store, parent=self)
        self.live_feed.changed.connect(self.follow_rows)
        self.save_status = QLabel(tr("Window", "saved"))
        self.save_status.setObjectName("saveStatus")
        self.statusBar().addPermanentWidget(self.save_status)
        session.saveStatus.connect(self.save_status.setText)
        session.go_live(journal, self.live_feed)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        """Stop the workers (edits not committed stay in the journal), remember the layout and the playhead, close."""
        session = self.session
        if isinstance(session, LiveSession):
            session.wait_saved(3.0)  # a last chance to commit; what is left stays in the journal
            session.close()
        if self.live_feed is not None:
            self.live_feed.close()
        self._remember_place()
        self.player.close_video()
        # Cancelled tasks hold nothing to save; when the process ends now, their last steps need not be
        # waited for, only long enough for a task to see the cancel (every thread task and worker
        # process of the window, model jobs too)
        self.runner.shutdown(ENDING_TASK_WAIT_MS / 1000 if ends_with_window() else 3.0)
        self.settings.save_window_state(self.saveGeometry(), self.saveState(self.STATE_VERSION))
        self.settings.save_splitter_state(self.STATE_VERSION, self.splitter.saveState())
        self.settings.sync()
        event.accept()
