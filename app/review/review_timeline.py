"""Stacked review lanes: one lane per annotator (who said what), then the merged lane.

Annotators' bars are coloured by body part like the annotation screen; merged bars by
review status, with the majority outcome or the decision in their text. Bar ids: an
annotator's segment keeps its id, a merged instance uses minus its id, so the two never
collide in one item.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from annotator.model import MergedInstance, MergedStatus, Segment
from annotator.taxonomy import Taxonomy
from app.i18n import mark, tax_name, tr
from app.review.review_model import outcome_text
from app.review.styled_lanes import BarStyle, StyledLanesItem, ghost, install_styled_lanes
from app.timeline.packing import Bar
from app.timeline.timeline_widget import TimelineWidget

STATUS_COLOURS = {
    MergedStatus.NEEDS_REVIEW: QColor(236, 150, 80),
    MergedStatus.RELIABLE: QColor(118, 190, 130),
    MergedStatus.RESOLVED: QColor(128, 160, 214),
}
STATUS_TEXT = {MergedStatus.NEEDS_REVIEW: mark("Review", "needs review"),
               MergedStatus.RELIABLE: mark("Review", "reliable"),
               MergedStatus.RESOLVED: mark("Review", "resolved")}  # translated where shown
CONTRIBUTOR_OUTLINE = QColor(255, 255, 255)
# Annotators' segments are one neutral colour here: on this screen colour means review status
# (body-part colours would repeat the status colours: head orange, upper limb green, body blue).
ANNOTATOR_COLOUR = QColor(150, 158, 172)
# With an instance selected, its contributing segments are bright and outlined, the others dim:
# an outline alone did not tell which segments make up the instance.
CONTRIBUTOR_COLOUR = QColor(226, 230, 238)
OTHER_COLOUR = QColor(150, 158, 172, 70)
MERGED_LANE = mark("Timeline", "merged")  # shown translated (lane_title)


def merged_bar_id(instance_id: int) -> int:
    """The bar id of a merged instance (negative, apart from segment ids)."""
    return -instance_id


def instance_of_bar(bar_id: int | None) -> int | None:
    """The merged instance id of a bar id, or None for an annotator's bar."""
    return -bar_id if bar_id is not None and bar_id < 0 else None


def merged_text(inst: MergedInstance, taxonomy: Taxonomy) -> str:
    """'B1 nodding · needs review: keep' — label, status, and majority or decision."""
    a = taxonomy.action(inst.action_id)
    if inst.status is MergedStatus.RESOLVED:
        return f"{a.code} {tax_name(a.name)} · {outcome_text(inst.decision, taxonomy)}"
    if inst.status is MergedStatus.RELIABLE:
        return f"{a.code} {tax_name(a.name)} · {tr('Review', 'reliable')}"
    return f"{a.code} {tax_name(a.name)} · " + tr("Review", "review: {outcome}?").format(
        outcome=outcome_text(inst.majority, taxonomy))


def merged_style(inst: MergedInstance) -> BarStyle:
    """Status colour; a decided delete is a ghost (kept in the database, out of the ground truth)."""
    colour = STATUS_COLOURS[inst.status]
    if inst.status is MergedStatus.RESOLVED and inst.decision is not None and inst.decision.removes:
        return ghost(QColor(150, 150, 160), alpha=40)
    if inst.status is MergedStatus.NEEDS_REVIEW and inst.majority is not None and inst.majority.removes:
        return BarStyle(colour, QColor(255, 230, 200), dashed=True)
    return BarStyle(colour)


def review_bars(annotators: Sequence[str], segments: Mapping[str, Sequence[Segment]],
                instances: Sequence[MergedInstance], taxonomy: Taxonomy,
                highlight: Sequence[int] = ()) -> tuple[list[Bar], dict[int, BarStyle]]:
    """Bars and styles of every lane; `highlight` outlines the selected instance's segments."""
    bars: list[Bar] = []
    styles: dict[int, BarStyle] = {}
    marked = set(highlight)
    for lane, name in enumerate(annotators):
        for s in segments.get(name, ()):
            assert s.id is not None
            a = taxonomy.action(s.action_id)
            bars.append(Bar(s.id, s.start_frame, s.end_frame, lane, s.action_id, f"{a.code} {tax_name(a.name)}", a.code))
            if not marked:
                styles[s.id] = BarStyle(ANNOTATOR_COLOUR)
            elif s.id in marked:
                styles[s.id] = BarStyle(CONTRIBUTOR_COLOUR, CONTRIBUTOR_OUTLINE)
            else:
                styles[s.id] = BarStyle(OTHER_COLOUR, text=QColor(160, 166, 178))
    lane = len(annotators)
    for m in instances:
        assert m.id is not None
        bar_id = merged_bar_id(m.id)
        bars.append(Bar(bar_id, m.start_frame, m.end_frame, lane, m.action_id, merged_text(m, taxonomy),
                        taxonomy.action(m.action_id).code))
        styles[bar_id] = merged_style(m)
    return bars, styles


class ReviewTimeline(TimelineWidget):
    """The annotation timeline with per-bar styles and lanes named per clip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__([MERGED_LANE], parent)
        self.setObjectName("reviewTimeline")
        self.styled: StyledLanesItem = install_styled_lanes(self)

    def set_lanes(self, names: Sequence[str]) -> None:
        """One lane per name (annotators, then 'merged'); rebuilt only when the names change."""
        if list(names) == self.lane_names:
            return
        self.lane_names = list(names)
        self.lanes.n_lanes = len(self.lane_names)
        self.lanes.lane_rows = [1] * len(self.lane_names)
        self.lanes.lane_top = [0.0] * len(self.lane_names)
        self.set_bars([])

    def set_styled_bars(self, bars: Sequence[Bar], styles: Mapping[int, BarStyle]) -> None:
        """Replace bars and styles; the lanes grow sub-rows where bars overlap."""
        self.styled.styles = dict(styles)
        self.set_bars(bars)
