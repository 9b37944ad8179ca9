"""The final result on a finalised clip, as a read-only lane beside the annotator's own.

Once the reviewer finalises a clip, its annotators may see the ground truth (the merged
instances kept after review). The lane shows those instances; a final instance the annotator
has no matching segment for is outlined (missed), and the annotator's segments that match no
final instance are drawn as red ghosts in the same lane (yours only), so each difference is
marked where it happened. Matching is merging's: same action, tIoU >= 0.5, one to one.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor

from annotator.model import MergedInstance, Segment
from app.controllers.clip_session import ClipSession
from app.i18n import tax_name, tr
from app.review.styled_lanes import BarStyle, StyledLanesItem, ghost
from app.timeline.lanes_item import LANE_COLOURS
from app.timeline.packing import Bar
from app.timeline.timeline_widget import FINAL_ROW, TimelineWidget

ROW_PX = 22
MAX_ROWS = 3
MISSED_OUTLINE = QColor(255, 170, 60)
YOURS_ONLY = QColor(235, 90, 90)
YOURS_ONLY_ID = 1 << 40  # bar ids of the annotator's unmatched segments, apart from instance ids


def difference_bars(segments: Sequence[Segment], final: Sequence[MergedInstance],
                    colour_of: dict[int, QColor]) -> tuple[list[Bar], dict[int, BarStyle], int, int]:
    """Bars of the final lane: final instances (outlined where missed), then the annotator's
    segments that match none (red ghosts); with the counts missed and yours-only."""
    # Imported here: merging pulls in scipy, which the window's start-up must not import.
    from annotator.exporting import merged_kept
    from merging.proposal_effect import match_pairs

    kept = [m for m in final if merged_kept(m, False)]
    mine = [(s.start_frame, s.end_frame, s.action_id) for s in segments]
    truth = [(m.start_frame, m.end_frame, m.action_id) for m in kept]
    pairs = match_pairs(mine, truth)
    matched_mine, matched_final = {i for i, _ in pairs}, {j for _, j in pairs}
    bars: list[Bar] = []
    styles: dict[int, BarStyle] = {}
    for j, m in enumerate(kept):
        assert m.id is not None
        missed = j not in matched_final
        bars.append(Bar(m.id, m.start_frame, m.end_frame, 0, m.action_id,
                        ("missed: " if missed else "") + str(m.action_id), ""))
        styles[m.id] = BarStyle(colour_of.get(m.action_id, LANE_COLOURS[0]), MISSED_OUTLINE if missed else None)
    for i, s in enumerate(segments):
        if i not in matched_mine and s.id is not None:
            bar_id = YOURS_ONLY_ID + s.id
            bars.append(Bar(bar_id, s.start_frame, s.end_frame, 0, s.action_id, "yours only", ""))
            styles[bar_id] = ghost(YOURS_ONLY, 60)
    return bars, styles, len(kept) - len(matched_final), len(segments) - len(matched_mine)


class FinalResultLane(QObject):
    """Shows the final result under the lanes while the open clip is finalised; hidden otherwise."""

    message = Signal(str)

    def __init__(self, session: ClipSession, timeline: TimelineWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.timeline = timeline
        self.plot, self.playhead = timeline.add_linked_row(FINAL_ROW)
        self.lane = StyledLanesItem(1)
        self.plot.addItem(self.lane)
        self.plot.getAxis("left").setToolTip(tr("Feedback", "The clip's final result after review (read only): an orange outline is an instance you did not mark, a red ghost is a segment of yours the final result does not have"))
        self.missed = 0
        self.yours_only = 0
        self._set_shown(False)
        session.segmentsChanged.connect(self.reload)

    def _set_shown(self, shown: bool, rows: float = 1.0) -> None:
        self.plot.setVisible(shown)
        self.plot.setFixedHeight(int(ROW_PX * min(max(rows, 1.0), MAX_ROWS) + 8) if shown else 0)
        self.timeline.update_minimum_height()

    def reload(self) -> None:
        """Read the final result of the open clip when it is finalised (else hide the lane)."""
        clip = self.session.clip
        if clip is None or not clip.finalised:
            if self.plot.isVisible():
                self._set_shown(False)
            return
        tax = self.session.taxonomy
        colours = {a.id: LANE_COLOURS[a.body_part.id % len(LANE_COLOURS)] for a in tax.actions}
        final = self.session.final  # read with the clip (StoreAPI.clip_view), nothing read here
        bars, styles, self.missed, self.yours_only = difference_bars(list(self.session.segments), final, colours)
        labelled = [Bar(b.id, b.start, b.end, b.lane, b.action_id, _label(b, tax.action(b.action_id).code,
                                                                         tax_name(tax.action(b.action_id).name)),
                        tax.action(b.action_id).code) for b in bars]
        self.lane.set_styled_bars(labelled, styles, clip.frame_count)
        rows = self.lane.height_units
        self.plot.setYRange(-0.1, rows + 0.1, padding=0)
        self.plot.getAxis("left").setTicks([[(rows / 2, tr("Timeline", "final"))], []])
        self._set_shown(True, rows)
        self.message.emit(tr("Feedback", "{name} is finalised by the reviewer; its final result is under your lanes: {missed} instance(s) you did not mark (orange outline), {yours_only} of yours not in it (red)").format(name=clip.name, missed=self.missed, yours_only=self.yours_only))


def _label(bar: Bar, code: str, name: str) -> str:
    if bar.text == "yours only":
        return f"yours only: {code} {name}"
    return f"missed: {code} {name}" if bar.text.startswith("missed") else f"{code} {name}"
