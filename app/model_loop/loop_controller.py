"""The Model menu's loop: propose with the active version, train a version, choose one.

Runs every job in a worker process through the window's runner (app.background, slot "model":
one model job at a time, whether started here or by the Train dialog); this side imports no
torch. A prewarmed worker (app.model_loop.warm) waits for the next job once the window is shown.
Proposals are stored here, in the window's own store, only once a job has succeeded, so a
failed, cancelled or killed worker leaves the store as it was. The registry and the control
setting are re-read at each use (another window or `mmad models --activate` may change them).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu

from annotator.errors import ConflictError, InputError, PermissionDenied, RuleViolation, StoreBusy
from annotator.model import Clip, Proposal
from annotator.models_registry import ModelVersion, load_registry
from annotator.project import Project
from annotator.proposal_control import ControlSetting, control_setting
from annotator.store.api import StoreAPI
from app.background import MODEL_SLOT, BackgroundWork
from app.core_text import core_text
from app.i18n import tr
from app.labelling.shortcuts import Shortcut
from app.model_loop.process import WorkerProcess
from app.model_loop.run_status import RunStatus
from app.model_loop.warm import WarmSpare
from app.proposals.proposal_controller import DEFAULT_THRESHOLD, ProposalController
from app.window_common import add_shortcut_actions

PROPOSE_SHORTCUTS = (
    Shortcut("propose_clip", "Model", "Propose for this clip", ("Ctrl+P",), "run the active model on the open clip"),
    Shortcut("propose_queue", "Model", "Propose for my queue", ("Ctrl+Shift+P",),
             "run the active model on every clip of your queue not done yet"),
    Shortcut("cancel_model_run", "Model", "Cancel the model run", ("Ctrl+Shift+K",)),
)
MODELS_SHORTCUTS = (Shortcut("show_models", "Model", "Models…", ("Ctrl+Shift+M",), "the project's trained versions"),)
log = logging.getLogger(__name__)
TRAIN_SHORTCUTS = (Shortcut("train_model", "Model", "Train a model…", ("Ctrl+Shift+T",),
                            "train a new version on the finalised clips of the stored split"),)


class ModelLoop(QObject):
    """The Model menu entries, and the propose job they started (run by the window's runner)."""

    message = Signal(str)
    proposalsStored = Signal(int)  # how many
    versionsChanged = Signal()

    def __init__(self, window: QMainWindow, work: BackgroundWork, project: Project, store: StoreAPI,
                 proposals: ProposalController | None = None,
                 queue_clips: Callable[[], list[Clip]] = list) -> None:
        super().__init__(window)
        self.window = window
        self.work = work
        self.project = project
        self.store = store
        self.proposals = proposals
        self.queue_clips = queue_clips
        self.job: WorkerProcess | None = None  # the propose job started here
        self.status = RunStatus()
        self.status.cancelRequested.connect(self.cancel)
        window.statusBar().addPermanentWidget(self.status)
        self.train_dialog: Any = None
        self.models_dialog: Any = None
        if proposals is not None:
            proposals.control_clip = lambda name: self.control().is_control(name)
        self.refresh()

    # ----- menu -----------------------------------------------------------------------------------
    def install(self, menu: QMenu, can_propose: bool, can_train: bool) -> dict[str, QAction]:
        """Add the loop's entries to the window's Model menu."""
        specs = (*(PROPOSE_SHORTCUTS if can_propose else ()), *MODELS_SHORTCUTS, *(TRAIN_SHORTCUTS if can_train else ()))
        menu.addSeparator()
        handlers = {"propose_clip": self.propose_clip, "propose_queue": self.propose_queue,
                    "cancel_model_run": self.cancel, "show_models": self.show_models, "train_model": self.show_train}
        return add_shortcut_actions(self.window, specs, {"Model": menu}, handlers)

    @property
    def spare(self) -> WarmSpare:
        """The window's prewarmed worker (its runner's)."""
        return self.work.spare

    # ----- registry -------------------------------------------------------------------------------
    def active(self) -> ModelVersion | None:
        """The registry's active version (None when no model was trained in the app)."""
        try:
            return load_registry(self.project.path).active_version()
        except InputError as exc:
            self.message.emit(core_text(exc))
            return None

    def control(self) -> ControlSetting:
        """The project's control-clip setting (the default when project.toml is unreadable)."""
        try:
            return control_setting(self.project.path)
        except InputError:
            return ControlSetting()

    def refresh(self) -> None:
        """Show the active version's proposals at its calibrated threshold."""
        active = self.active()
        if self.proposals is not None:
            self.proposals.show_version(None if active is None else active.name,
                                        DEFAULT_THRESHOLD if active is None else active.threshold)
        self.versionsChanged.emit()

    # ----- propose --------------------------------------------------------------------------------
    def propose_clip(self) -> bool:
        """Ctrl+P: propose for the open clip."""
        clip = self.proposals.session.clip if self.proposals is not None else None
        if clip is None:
            self.message.emit(tr("Model", "Open a clip first"))
            return False
        if self.control().is_control(clip.name):
            self.message.emit(tr("Model", "{name} is a control clip: proposals are held back there to measure their effect").format(name=clip.name))
            return False
        version = self.active()
        if version is not None and self.store.proposals(clip.id, version.name):
            self.message.emit(tr("Model", "{name} already has the proposals of {label} (the same model gives the same ones): Shift+Down shows more of them").format(name=clip.name, label=version.label))
            return False
        return self._propose([clip], f"Proposing for {clip.name}")

    def propose_queue(self) -> bool:
        """Ctrl+Shift+P: propose for every clip of the queue not done, control clips left out."""
        control = self.control()
        version = self.active()
        clips = [c for c in self.queue_clips() if not control.is_control(c.name)
                 and (version is None or not self.store.proposals(c.id, version.name))]
        if not clips:
            self.message.emit(tr("Model", "No clip of your queue needs proposals (control clips and clips already proposed for by the active version are left out)"))
            return False
        return self._propose(clips, f"Proposing for {len(clips)} clips")

    def _propose(self, clips: list[Clip], text: str) -> bool:
        version = self.active()
        if version is None:
            self.message.emit(tr("Model", "No trained model yet: a reviewer trains one (Model ▸ Train a model…)"))
            return False
        from app.model_loop.proposing import clip_ref
        from app.model_loop.records import ProposeSpec

        usable = tuple(clip_ref(c, path) for c in clips if (path := media_of(self.project, c)) is not None)
        if not usable:
            self.message.emit(tr("Model", "These clips have no video file to propose on"))
            return False
        job = ProposeSpec(version.name, str(self.project.path / version.checkpoint), usable, "cpu",
                          str(self.project.path))  # the project keeps pose landmarks
        return self.start(job.to_json(), text, lambda result: self._store(result, version))

    def _store(self, result: dict[str, Any], version: ModelVersion) -> None:
        stored, refused = store_proposals(self.store, result, version.name)
        if self.proposals is not None:
            self.proposals.reload()
        shown = len(self.proposals.shown) if self.proposals is not None else 0
        log.info("proposals of %s stored: %d over %d clips%s", version.name, stored,
                 len(result.get("proposals", {})), f", {len(refused)} clips refused: {refused[0]}" if refused else "")
        self.message.emit(tr("Model", "{label}: {stored} proposals stored, {shown} shown from score {threshold:.2f} "
                             "(Shift+Up / Shift+Down move it)").format(label=version.label, stored=stored, shown=shown,
                                                                        threshold=version.threshold)
                          + (tr("Model", "; {count} clip(s) refused: {first}").format(
                              count=len(refused), first=core_text(refused[0])) if refused else ""))
        self.proposalsStored.emit(stored)

    # ----- jobs -----------------------------------------------------------------------------------
    def start(self, job: dict[str, Any], text: str, on_result: Callable[[dict[str, Any]], None]) -> bool:
        """Run a job in a worker process unless a model job (here or in the Train dialog) is running;
        True when started."""
        busy = self.work.holding(MODEL_SLOT)
        if busy is not None:
            name, here = busy.name, busy is self.job
            self.message.emit(tr("Model", "{name} is still running (Ctrl+Shift+K cancels it)").format(name=name) if here
                              else tr("Model", "{name} is still running (the Train dialog cancels it)").format(name=name))
            return False
        worker = self.work.start_process(text, job, slot=MODEL_SLOT)
        worker.progress.connect(self.status.update_progress)
        worker.finished.connect(on_result)
        worker.failed.connect(lambda exc: self.message.emit(core_text(str(exc))))
        worker.failed.connect(lambda exc: log.warning("%s", exc))  # names the job already
        worker.cancelled.connect(lambda: self.message.emit(tr("Model", "{text}: cancelled, nothing stored").format(text=text)))
        worker.cancelled.connect(lambda: log.info("%s: cancelled, nothing stored", text))
        worker.ended.connect(self._ended)
        self.job = worker
        self.status.begin(text)
        log.info("%s: started", text)
        self.message.emit(f"{text}…")
        return True

    def _ended(self) -> None:
        self.status.end()
        self.job = None  # the runner frees it

    def cancel(self) -> None:
        """Cancel the running job (if any)."""
        if self.job is not None:
            self.job.cancel()
            self.status.cancel.setEnabled(False)

    def warm_up_later(self) -> None:
        """Start a prewarmed worker in a moment, so that the first job skips torch's import."""
        self.work.warm_up_later()

    # ----- dialogs --------------------------------------------------------------------------------
    def show_models(self) -> None:
        """The registry as a dialog (a reviewer may change the active version there)."""
        from app.model_loop.models_dialog import ModelsDialog

        if self.models_dialog is None:
            user = self.store.user
            self.models_dialog = ModelsDialog(self.project.path, can_activate=user is None or user.role == "reviewer",
                                              parent=self.window)
            self.models_dialog.activated.connect(lambda _n: self.refresh())
            self.versionsChanged.connect(self.models_dialog.reload)
        self.models_dialog.reload()
        self.models_dialog.show()
        self.models_dialog.raise_()

    def show_train(self) -> None:
        """The train dialog (non-modal: the app stays usable while it trains)."""
        from app.model_loop.train_dialog import TrainDialog

        if self.train_dialog is None:
            self.train_dialog = TrainDialog(self.project, self.store, parent=self.window, work=self.work)
            self.train_dialog.registered.connect(lambda _v: self.refresh())
            self.train_dialog.message.connect(self.message)
        self.train_dialog.reload()
        self.train_dialog.show()
        self.train_dialog.raise_()


def store_proposals(store: StoreAPI, result: dict[str, Any], version: str) -> tuple[int, list[str]]:
    """Store a propose job's result (ProposeResult's JSON): (proposals stored, one message per clip the
    store refused)."""
    from app.model_loop.records import ProposeResult

    stored = 0
    refused: list[str] = []
    for clip_id, rows in ProposeResult.from_json(result).proposals.items():
        found = [Proposal(None, int(clip_id), version, int(s), int(e), int(a), float(p)) for s, e, a, p in rows]
        try:  # one transaction per clip: a refused clip stores nothing of its own
            stored += len(store.add_proposals(int(clip_id), version, found))
        except (InputError, RuleViolation, PermissionDenied, ConflictError, StoreBusy) as exc:
            refused.append(str(exc))
    return stored, refused


def media_of(project: Project, clip: Clip) -> Path | None:
    """The clip's video file when it exists."""
    path = project.media_path(clip)
    return path if path is not None and path.is_file() else None
