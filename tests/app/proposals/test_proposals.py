"""Model proposals in the annotation window: ghost lane, threshold, accept / reject / edit, undo."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from annotator.model import Origin, Proposal, ProposalStatus, Segment
from annotator.project import Project
from annotator.store.api import ClipView
from app.launch import build_window
from app.main_window import MainWindow
from app.proposals.proposal_controller import visible_proposals
from app.settings import AppSettings

NoMod = Qt.KeyboardModifier.NoModifier
Ctrl = Qt.KeyboardModifier.ControlModifier


def add_proposals(folder: Path) -> None:
    """Three proposals of model v1 on the first clip (one below the default 0.3 threshold)."""
    store = Project.open(folder).open_store()
    try:
        clip = store.clip_by_name("S01_clip_a")
        assert clip is not None
        store.add_proposals(clip.id, "v1", [
            Proposal(None, clip.id, "v1", 5, 20, 9, 0.82),
            Proposal(None, clip.id, "v1", 25, 40, 43, 0.55),
            Proposal(None, clip.id, "v1", 42, 55, 24, 0.12),
        ])
    finally:
        store.close()


@pytest.fixture
def window(qtbot: QtBot, app_project: tuple[Path, str], tmp_path: Path) -> Iterator[MainWindow]:
    folder, user = app_project
    add_proposals(folder)
    w = build_window(Project.open(folder), user, AppSettings(str(tmp_path / "settings.ini")))
    assert isinstance(w, MainWindow)
    qtbot.addWidget(w)
    w.resize(1400, 800)
    w.show()
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=3000)
    w.open_start_clip()
    yield w
    w.close()


def key(qtbot: QtBot, w: MainWindow, k: Qt.Key, mod: Qt.KeyboardModifier = NoMod) -> None:
    qtbot.keyClick(QApplication.focusWidget() or w, k, mod)


def stored(folder: Path) -> tuple[list[Segment], dict[int, ProposalStatus]]:
    store = Project.open(folder).open_store("ann")
    try:
        clip = store.clip_by_name("S01_clip_a")
        assert clip is not None
        return store.segments(clip.id, "ann"), {p.start_frame: p.status for p in store.proposals(clip.id)}
    finally:
        store.close()


def test_visible_proposals_filters_newest_pending_by_score() -> None:
    ps = [Proposal(1, 1, "v1", 0, 9, 1, 0.9), Proposal(2, 1, "v2", 5, 15, 1, 0.4),
          Proposal(3, 1, "v2", 1, 8, 2, 0.2), Proposal(4, 1, "v2", 0, 7, 3, 0.8, ProposalStatus.REJECTED)]
    version, shown = visible_proposals(ps, 0.3)
    assert version == "v2" and [p.id for p in shown] == [2]
    assert [p.id for p in visible_proposals(ps, 0.0)[1]] == [3, 2]
    assert visible_proposals([], 0.5) == (None, [])


def test_ghost_lane_and_threshold(window: MainWindow) -> None:
    ctl = window.proposals
    assert ctl.model_version == "v1"
    assert [p.score for p in ctl.shown] == [0.82, 0.55]  # 0.12 is under the 0.30 threshold
    assert [b.text.split()[0] for b in ctl.lane.bars] == ["0.82", "0.55"]
    assert ctl.lane.styles[ctl.shown[0].id or 0].dashed
    ctl.panel.slider.setValue(0)
    assert len(ctl.shown) == 3
    ctl.panel.slider.setValue(60)
    assert [p.score for p in ctl.shown] == [0.82]
    assert "1 of 3" in ctl.panel.info.text()
    assert window.session.segments == []  # proposals are not segments until accepted


def test_accept_then_edit_then_undo(qtbot: QtBot, window: MainWindow, app_project: tuple[Path, str]) -> None:
    folder = app_project[0]
    key(qtbot, window, Qt.Key.Key_P)
    assert window.proposals.selected is not None and window.player.current == 5
    key(qtbot, window, Qt.Key.Key_A)
    segs, status = stored(folder)
    assert [(s.start_frame, s.end_frame, s.action_id, s.origin, s.confidence) for s in segs] == [
        (5, 20, 9, Origin.PROPOSAL_ACCEPTED, 0.82)]
    assert status[5] is ProposalStatus.ACCEPTED
    first_id = segs[0].id
    assert [p.start_frame for p in window.proposals.shown] == [25]  # the accepted one left the ghost lane
    key(qtbot, window, Qt.Key.Key_BracketRight)  # the created segment is selected: end one frame later
    segs, _ = stored(folder)
    assert (segs[0].end_frame, segs[0].origin) == (21, Origin.PROPOSAL_EDITED)
    key(qtbot, window, Qt.Key.Key_Z, Ctrl)
    assert stored(folder)[0][0].origin is Origin.PROPOSAL_ACCEPTED
    key(qtbot, window, Qt.Key.Key_Z, Ctrl)
    segs, status = stored(folder)
    assert segs == [] and status[5] is ProposalStatus.PENDING
    assert [p.start_frame for p in window.proposals.shown] == [5, 25]
    key(qtbot, window, Qt.Key.Key_Z, Ctrl | Qt.KeyboardModifier.ShiftModifier)  # redo: the same row again
    segs, status = stored(folder)
    assert len(segs) == 1 and segs[0].origin is Origin.PROPOSAL_ACCEPTED and status[5] is ProposalStatus.ACCEPTED
    assert segs[0].id == first_id


def test_accept_is_one_store_transaction(qtbot: QtBot, window: MainWindow, app_project: tuple[Path, str]) -> None:
    folder = app_project[0]
    key(qtbot, window, Qt.Key.Key_P)
    key(qtbot, window, Qt.Key.Key_A)
    store = Project.open(folder).open_store()
    try:
        entries = [e for e in store.audit_log(limit=10) if e.entity in ("proposal", "segment")]
    finally:
        store.close()
    assert [(e.action, e.entity) for e in entries] == [("accept", "proposal"), ("add", "segment")]
    assert '"segment_id": ' in (entries[0].new or "")


def test_proposal_answered_on_another_desktop(qtbot: QtBot, window: MainWindow,
                                             app_project: tuple[Path, str]) -> None:
    folder = app_project[0]
    other = Project.open(folder).open_store("ann")
    try:
        other.set_proposal_status(window.proposals.shown[0].id or 0, ProposalStatus.REJECTED)
    finally:
        other.close()
    window.proposals.select(window.proposals.shown[0].id)
    key(qtbot, window, Qt.Key.Key_A)
    segs, status = stored(folder)
    assert segs == [] and status[5] is ProposalStatus.REJECTED
    assert "is rejected, not pending" in window.statusBar().currentMessage()


def test_reject_and_undo(qtbot: QtBot, window: MainWindow, app_project: tuple[Path, str]) -> None:
    folder = app_project[0]
    key(qtbot, window, Qt.Key.Key_X)  # nothing selected: a message, nothing stored
    assert "Select a proposal" in window.statusBar().currentMessage()
    window.proposals.select(window.proposals.shown[1].id)
    key(qtbot, window, Qt.Key.Key_X)
    segs, status = stored(folder)
    assert segs == [] and status[25] is ProposalStatus.REJECTED
    assert [p.start_frame for p in window.proposals.shown] == [5]
    key(qtbot, window, Qt.Key.Key_Z, Ctrl)
    assert stored(folder)[1][25] is ProposalStatus.PENDING
    assert [p.start_frame for p in window.proposals.shown] == [5, 25]


def test_accept_refused_by_rules_changes_nothing(qtbot: QtBot, window: MainWindow,
                                                  app_project: tuple[Path, str]) -> None:
    folder = app_project[0]
    store = Project.open(folder).open_store()
    clip = store.clip_by_name("S01_clip_a")
    assert clip is not None
    (short,) = store.add_proposals(clip.id, "v2", [Proposal(None, clip.id, "v2", 10, 12, 9, 0.9)])  # 2 frames
    store.close()
    window.proposals.reload()
    window.proposals.select(short.id)
    key(qtbot, window, Qt.Key.Key_A)
    segs, status = stored(folder)
    assert segs == [] and status[10] is ProposalStatus.PENDING
    assert "refused" in window.statusBar().currentMessage()


def test_opening_a_clip_reads_its_proposals_once(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    store = window.session.store
    real = store.clip_view
    reads: list[int] = []

    def counting(clip_id: int, author: str) -> ClipView:
        reads.append(clip_id)
        return real(clip_id, author)

    monkeypatch.setattr(store, "clip_view", counting)  # the open clip's one read brings its proposals
    ids = {c.name: c.id for c in store.clips()}
    window.open_clip_id(ids["S01_clip_b"])
    assert reads == [ids["S01_clip_b"]]  # twice before: segmentsChanged, then clipOpened
    assert window.proposals.shown == [] and window.proposals.model_version is None
    reads.clear()
    window.open_clip_id(ids["S01_clip_a"])
    assert reads == [ids["S01_clip_a"]]
    assert [p.score for p in window.proposals.shown] == [0.82, 0.55]
    window.proposals.select(window.proposals.shown[0].id)
    reads.clear()
    window.open_clip_id(ids["S01_clip_a"])  # the same clip again: read once, selection dropped
    assert reads == [ids["S01_clip_a"]]
    assert window.proposals.selected is None and len(window.proposals.shown) == 2
