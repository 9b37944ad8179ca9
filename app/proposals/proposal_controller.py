"""Model proposals on the annotation screen: a ghost lane under the body-part lanes, a score
threshold, and accept (A) / reject (X) / next (P) through the clip session's undo stack.

Only pending proposals of one model version are shown: the registry's active version (at its
calibrated threshold) when the model loop names one, else the clip's newest. A bar's opacity
follows its score. On a control clip (held back to measure what proposals do) none are
shown. Blind mode is not touched (proposals come from a model, never from another annotator).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QSizePolicy, QSlider, QSplitter, QWidget

from annotator.commands import AcceptProposal, RejectProposal
from annotator.model import Proposal, ProposalStatus
from app.controllers.clip_session import ClipSession
from app.i18n import tax_name, tr
from app.labelling.shortcuts import Shortcut
from app.player.player_widget import Player
from app.review.styled_lanes import BarStyle, StyledLanesItem, ghost
from app.timeline.lanes_item import LANE_COLOURS
from app.timeline.packing import Bar
from app.timeline.timeline_widget import MODEL_ROW, TimelineWidget
from app.window_common import add_menu, add_shortcut_actions

log = logging.getLogger(__name__)
DEFAULT_THRESHOLD = 0.3
THRESHOLD_STEP = 0.05
ROW_PX = 22
MAX_ROWS_SHOWN = 4  # the model lane's height stops here; more packed rows share it (thinner)
SELECTED_OUTLINE = QColor(255, 255, 255)


def visible_proposals(proposals: list[Proposal], threshold: float,
                      version: str | None = None) -> tuple[str | None, list[Proposal]]:
    """(`version`, else the newest model version; its pending proposals scoring at least `threshold`, by start)."""
    if not proposals:
        return version, []
    newest = version or max(proposals, key=lambda p: p.id or 0).model_version
    shown = [p for p in proposals if p.model_version == newest and p.status is ProposalStatus.PENDING
             and p.score >= threshold - 1e-9]
    return newest, sorted(shown, key=lambda p: (p.start_frame, p.end_frame, p.id or 0))


def stepped_threshold(value: float, direction: int, anchor: float) -> float:
    """One THRESHOLD_STEP up or down on a grid through `anchor` (the calibrated value), inside 0–1,
    so that n steps down and n steps up come back to where they started (0.12 -> 0 -> 0.12). The
    grid is in whole per cent, as the slider shows it: a finer anchor (0.0069) would otherwise give
    a step the slider rounds back to where it was, and the key would seem dead."""
    grid = sorted({0.0, 1.0, *(round(anchor + k * THRESHOLD_STEP, 2) for k in range(-21, 22)
                               if 0.0 < round(anchor + k * THRESHOLD_STEP, 2) < 1.0)})
    if direction > 0:
        return next((g for g in grid if g > value + 1e-6), 1.0)
    return next((g for g in reversed(grid) if g < value - 1e-6), 0.0)


PROPOSAL_SHORTCUTS = (
    Shortcut("accept_proposal", "Model", "Accept proposal", ("A",), "it becomes your segment (Ctrl+Z undoes)"),
    Shortcut("reject_proposal", "Model", "Reject proposal", ("X",)),
    Shortcut("next_proposal", "Model", "Next proposal", ("P",)),
    Shortcut("previous_proposal", "Model", "Previous proposal", ("Shift+P",)),
    Shortcut("raise_threshold", "Model", "Raise proposal threshold", ("Shift+Up",), "show fewer, surer proposals"),
    Shortcut("lower_threshold", "Model", "Lower proposal threshold", ("Shift+Down",), "show more proposals"),
    Shortcut("reset_threshold", "Model", "Reset proposal threshold", ("Shift+Home",),
             "back to the model version's calibrated value"),
)


def score_alpha(score: float, threshold: float) -> int:
    """Fill opacity of a ghost bar: faint at the threshold, solid for a sure proposal."""
    span = max(1.0 - threshold, 1e-6)
    return int(50 + 150 * min(max((score - threshold) / span, 0.0), 1.0))


class ElidedLabel(QLabel):
    """A one-line label that gives up width gracefully: it elides its text instead of
    forcing the window wider (its full text stays in the tooltip)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.setToolTip(text)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(0)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        """No minimum width: the window's layout decides."""
        return QSize(0, super().minimumSizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        """Draw the text elided to the width the layout gave."""
        painter = QPainter(self)
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), text)


class ProposalPanel(QWidget):
    """One line under the timeline: model version, counts, score threshold slider."""

    thresholdChanged = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("proposalPanel")
        self.info = QLabel(tr("Proposals", "No model proposals for this clip"))
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 100)
        self.slider.setValue(int(DEFAULT_THRESHOLD * 100))
        self.slider.setFixedWidth(180)
        self.slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.value = QLabel()
        self.hint = ElidedLabel(tr("Proposals", "A accept · X reject · P / Shift+P next / previous · "
                                                "edit after accepting = proposal-edited"))
        self.hint.setStyleSheet("color: #8a93a3")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 8, 2)
        layout.addWidget(self.info)
        layout.addWidget(self.hint, 1)
        layout.addWidget(QLabel(tr("Proposals", "min score")))
        layout.addWidget(self.slider)
        layout.addWidget(self.value)
        self.slider.valueChanged.connect(self._on_slider)
        self._on_slider(self.slider.value())
        self.setMaximumHeight(30)

    def threshold(self) -> float:
        """The score threshold, 0–1."""
        return self.slider.value() / 100

    def set_threshold(self, value: float, quiet: bool = False) -> None:
        """Move the slider (whole per cent, inside 0–1); `quiet` does not announce the change."""
        self.slider.blockSignals(quiet)
        self.slider.setValue(round(min(max(value, 0.0), 1.0) * 100))
        self.slider.blockSignals(False)
        self.value.setText(f"{self.threshold():.2f}")

    def _on_slider(self, value: int) -> None:
        self.value.setText(f"{value / 100:.2f}")
        self.thresholdChanged.emit(value / 100)


class ProposalController(QObject):
    """Shows the clip's pending proposals as ghost bars and answers them through the session."""

    message = Signal(str)

    def __init__(self, session: ClipSession, player: Player, timeline: TimelineWidget,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.player = player
        self.timeline = timeline
        self.panel = ProposalPanel()
        self.model_version: str | None = None
        self.active_version: str | None = None  # set by the model loop from the registry
        self.calibrated = DEFAULT_THRESHOLD  # the active version's threshold, what a reset goes back to
        self.clip_thresholds: dict[int, float] = {}  # each clip's threshold, where the user moved it
        self._threshold_clip: int | None = None  # the clip the slider shows the threshold of
        self.control_clip: Callable[[str], bool] = lambda _name: False
        self.is_control = False
        self.shown: list[Proposal] = []
        self.pending_total = 0
        self.selected: int | None = None
        self._build_lane()
        # The session's model holds the clip's proposals with this user's answers; every edit, its
        # commit and opening a clip emit proposalsChanged (before clipOpened, which only drops the
        # old clip's selection): the lane is redrawn from the model, never read again.
        session.proposalsChanged.connect(self.redraw)
        session.clipOpened.connect(self._on_clip_opened)
        self.panel.thresholdChanged.connect(self._on_threshold)
        player.frameChanged.connect(self.playhead.setValue)

    def _build_lane(self) -> None:
        t = self.timeline
        self.plot, self.playhead = t.add_linked_row(MODEL_ROW)
        self.lane = StyledLanesItem(1)
        self.plot.addItem(self.lane)
        self.lane.barClicked.connect(self._on_click)
        self.lane.barDoubleClicked.connect(self._accept_bar)
        self.lane.barDropped.connect(lambda *_: self._draw())  # proposals are not dragged: accept, then edit
        self._draw()

    def install(self, window: QMainWindow) -> dict[str, QAction]:
        """Put the panel under the timeline and a Model menu with the keys into the window."""
        central = window.centralWidget()
        if isinstance(central, QSplitter):
            central.addWidget(self.panel)
            central.setStretchFactor(central.count() - 1, 0)
            # No handle over the one-line panel: dragging it could only squeeze the timeline.
            central.handle(central.count() - 1).setEnabled(False)
        menu = add_menu(window, "&Model")
        handlers: dict[str, Callable[[], object]] = {
            "accept_proposal": self.accept, "reject_proposal": self.reject,
            "next_proposal": lambda: self.jump(1), "previous_proposal": lambda: self.jump(-1),
            "raise_threshold": lambda: self.step_threshold(1), "lower_threshold": lambda: self.step_threshold(-1),
            "reset_threshold": self.reset_threshold}
        self.menu = menu
        return add_shortcut_actions(window, PROPOSAL_SHORTCUTS, {"Model": menu}, handlers)

    def show_version(self, version: str | None, threshold: float) -> None:
        """Show `version`'s proposals (None: each clip's newest) from `threshold` on."""
        if version != self.active_version or abs(threshold - self.calibrated) > 1e-9:
            self.clip_thresholds.clear()  # another calibration: the clips' own thresholds no longer apply
        self.active_version = version
        self.calibrated = threshold
        self.panel.set_threshold(threshold, quiet=True)
        self._threshold_clip = None
        self.redraw()

    def step_threshold(self, direction: int) -> None:
        """Shift+Up / Shift+Down: raise or lower this clip's score threshold by one step."""
        self.panel.set_threshold(stepped_threshold(self.panel.threshold(), direction, self.calibrated))
        self.message.emit(tr("Proposals", "Proposal threshold {threshold:.2f} on this clip: {shown} shown").format(threshold=self.panel.threshold(), shown=len(self.shown)))

    def reset_threshold(self) -> None:
        """Shift+Home: this clip's threshold back to the model version's calibrated value."""
        self.panel.set_threshold(self.calibrated)
        self.message.emit(tr("Proposals", "Proposal threshold back to the calibrated {calibrated:.2f}: {shown} shown").format(calibrated=self.calibrated, shown=len(self.shown)))

    def _on_threshold(self, value: float) -> None:
        clip = self.session.clip
        if clip is not None:
            if abs(value - self.calibrated) < 1e-9:
                self.clip_thresholds.pop(clip.id, None)
            else:
                self.clip_thresholds[clip.id] = value
        self.redraw()  # the session's model holds the proposals: nothing to read again

    # ----- data ---------------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the open clip again (new proposals were stored, e.g. by the model loop) and redraw."""
        if self.session.clip is None:
            self.redraw()
        else:
            self.session.reload()

    def redraw(self) -> None:
        """Take the clip's proposals from the session's model and redraw the ghost lane."""
        clip = self.session.clip
        clip_id = None if clip is None else clip.id
        if clip_id != self._threshold_clip:  # another clip: its own threshold, else the calibrated one
            self._threshold_clip = clip_id
            self.panel.set_threshold(self.clip_thresholds.get(clip_id, self.calibrated) if clip_id is not None
                                     else self.calibrated, quiet=True)
        self.is_control = clip is not None and self.control_clip(clip.name)
        found = [] if clip is None or self.is_control else self.session.proposals
        self.model_version, self.shown = visible_proposals(found, self.panel.threshold(), self.active_version)
        self.pending_total = sum(p.status is ProposalStatus.PENDING and p.model_version == self.model_version
                                 for p in found)
        if self.proposal(self.selected) is None:
            self.selected = None
        self._draw()

    def _on_clip_opened(self, _clip: object) -> None:
        if self.selected is not None:
            self.selected = None
            self._draw()

    def proposal(self, proposal_id: int | None) -> Proposal | None:
        """A shown proposal by id."""
        return next((p for p in self.shown if p.id == proposal_id), None)

    def _draw(self) -> None:
        tax = self.session.taxonomy
        bars, styles = [], {}
        for p in self.shown:
            assert p.id is not None
            a = tax.action(p.action_id)
            bars.append(Bar(p.id, p.start_frame, p.end_frame, 0, p.action_id, f"{p.score:.2f} {a.code} {tax_name(a.name)}", a.code))
            style = ghost(LANE_COLOURS[a.body_part.id % len(LANE_COLOURS)], score_alpha(p.score, self.panel.threshold()))
            styles[p.id] = (BarStyle(style.fill, SELECTED_OUTLINE, True, style.text) if p.id == self.selected
                            else style)
        total = self.session.clip.frame_count if self.session.clip is not None else 1
        self.lane.set_styled_bars(bars, styles, total)
        self.lane.set_selected(self.selected)
        rows = self.lane.height_units
        self.plot.setYRange(-0.1, rows + 0.1, padding=0)
        # Bounded: 100 proposals at a low threshold pack into about 20 rows, which grew the lane
        # until it crushed the body-part lanes; past MAX_ROWS_SHOWN the rows get thinner instead.
        height = int(ROW_PX * min(max(rows, 1), MAX_ROWS_SHOWN) + 8)
        if self.plot.minimumHeight() != height:
            self.plot.setFixedHeight(height)
            self.timeline.update_minimum_height()
        self.plot.getAxis("left").setTicks([[(rows / 2, tr("Timeline", "model"))], []])
        self._update_panel()

    def _update_panel(self) -> None:
        if self.is_control:
            self.panel.info.setText(tr("Proposals", "Control clip: no proposals (they are held back here to measure their effect)"))
            return
        if self.model_version is None or not self.pending_total:
            self.panel.info.setText(tr("Proposals", "No model proposals for this clip"))
            return
        threshold = self.panel.threshold()
        if not self.shown:  # not "the model found nothing": they are all under the threshold
            self.panel.info.setText(tr("Proposals", "Model {version}: none of {total} pending proposals scores "
                                       "{threshold} or more (Shift+Down shows more)").format(
                version=self.model_version, total=self.pending_total, threshold=f"{threshold:.2f}"))
            return
        self.panel.info.setText(tr("Proposals", "Model {version}: {shown} of {total} pending proposals score "
                                   "{threshold} or more").format(version=self.model_version, shown=len(self.shown),
                                                                 total=self.pending_total, threshold=f"{threshold:.2f}"))

    # ----- answers ----------------------------------------------------------------------------
    def select(self, proposal_id: int | None) -> None:
        """Select a proposal (None clears)."""
        self.selected = proposal_id if self.proposal(proposal_id) is not None else None
        self._draw()

    def _accept_bar(self, proposal_id: int) -> None:
        self.select(proposal_id)
        self.accept()

    def _on_click(self, proposal_id: int | None, frame: int) -> None:
        if proposal_id is None:
            self.player.seek(frame)
        self.select(proposal_id)

    def _target(self) -> Proposal | None:
        found = self.proposal(self.selected)
        if found is None:
            self.message.emit(tr("Proposals", "Select a proposal first (click its ghost bar, or P for the next one)"))
        return found

    def accept(self) -> bool:
        """A: the proposal becomes the annotator's segment (selected, so edit keys refine it)."""
        target = self._target()
        if target is None:
            return False
        command = AcceptProposal(target, self.session.author)
        if not self.session.run(command):
            return False
        log.info("proposal %s accepted by %s: %s %d-%d score %.2f", target.id, self.session.author,
                 target.model_version, target.start_frame, target.end_frame, target.score)
        self.session.select(command.temp_id)
        self.player.seek(target.start_frame)
        self.message.emit(tr("Proposals", "Accepted {score:.2f} {name}: edit it with [ ] or C (it becomes proposal-edited), Ctrl+Z undoes").format(score=target.score, name=tax_name(self.session.taxonomy.action(target.action_id).name)))
        return True

    def reject(self) -> bool:
        """X: mark the selected proposal rejected."""
        target = self._target()
        if target is None:
            return False
        ok = self.session.run(RejectProposal(target))
        if ok:
            log.info("proposal %s rejected by %s: %s %d-%d score %.2f", target.id, self.session.author,
                     target.model_version, target.start_frame, target.end_frame, target.score)
            self.message.emit(tr("Proposals", "Proposal rejected (Ctrl+Z brings it back)"))
        return ok

    def jump(self, direction: int) -> None:
        """P / Shift+P: the next / previous shown proposal from the playhead; shows its first frame."""
        frame = self.player.current
        if direction > 0:
            later = [p for p in self.shown if p.start_frame > frame or
                     (p.start_frame == frame and self.selected is not None and (p.id or 0) > self.selected)]
            pick = later[0] if later else None
        else:
            earlier = [p for p in self.shown if p.start_frame < frame]
            pick = earlier[-1] if earlier else None
        if pick is None:
            self.message.emit(tr("Proposals", "No proposal after the playhead") if direction > 0
                              else tr("Proposals", "No proposal before the playhead"))
            return
        self.select(pick.id)
        self.player.seek(pick.start_frame)
