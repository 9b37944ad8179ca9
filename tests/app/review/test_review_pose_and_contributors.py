"""The review screen shows the skeleton and motion curves and which segments make the selected instance."""

from pathlib import Path

from pytestqt.qtbot import QtBot

from app.review.review_timeline import CONTRIBUTOR_COLOUR, OTHER_COLOUR, review_bars
from tests.app.conftest import review_window
from tests.app.review.conftest import NOD


def test_review_screen_has_skeleton_and_curves(qtbot: QtBot, tmp_path: Path) -> None:
    w = review_window(qtbot, tmp_path)
    w.open_start_clip()
    assert w.pose.curves.plot in [w.timeline.ci.layout.itemAt(r, 0) for r in range(w.timeline.ci.layout.rowCount())]
    action = w.actions_by_id["toggle_skeleton"]
    assert [k.toString() for k in action.shortcuts()] == ["Shift+K"]  # K stays "keep"
    hidden = w.pose.overlay.isHidden()
    action.trigger()
    assert w.pose.overlay.isHidden() != hidden
    assert not w.pose.snap_edge()  # nothing to snap on merged instances
    w.close()


def test_selected_instance_brightens_its_segments_and_dims_the_rest(qtbot: QtBot, tmp_path: Path) -> None:
    w = review_window(qtbot, tmp_path)
    w.open_start_clip()
    s = w.session
    nod = next(m for m in s.instances if m.action_id == NOD)
    _bars, styles = review_bars(s.annotators, s.segments, s.instances, s.taxonomy, nod.segment_ids)
    segment_ids = [seg.id for segs in s.segments.values() for seg in segs]
    assert {styles[i].fill.rgba() for i in nod.segment_ids} == {CONTRIBUTOR_COLOUR.rgba()}
    others = [i for i in segment_ids if i not in nod.segment_ids]
    assert others and {styles[i].fill.rgba() for i in others} == {OTHER_COLOUR.rgba()}
    w.close()
