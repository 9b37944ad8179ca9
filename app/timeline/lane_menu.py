"""View → Lanes: collapse the empty lanes, hide named lanes (an annotator's, in review).

The choice is the user's: stored in the settings per user and window kind, and applied to
every clip opened afterwards.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from app.i18n import tr
from app.settings import AppSettings
from app.timeline.lane_visibility import LaneFilter
from app.timeline.timeline_widget import TimelineWidget, lane_title


class LaneMenu:
    """Keeps a timeline's lane filter, its menu entries and the user's settings in step."""

    def __init__(self, timeline: TimelineWidget, settings: AppSettings, user: str, window_kind: int) -> None:
        self.timeline = timeline
        self.settings = settings
        self.user = user
        self.window_kind = window_kind
        self.collapse_action: QAction | None = None
        self.name_actions: dict[str, QAction] = {}
        timeline.set_lane_filter(settings.lane_filter(user, window_kind))

    @property
    def lane_filter(self) -> LaneFilter:
        """The filter in use."""
        return self.timeline.lane_filter

    def install(self, menu: QMenu, collapse_action: QAction, names: Sequence[str] = ()) -> None:
        """Make `collapse_action` checkable and add a 'Show lanes' entry per name to `menu`."""
        self.collapse_action = collapse_action
        collapse_action.setCheckable(True)
        collapse_action.setChecked(self.lane_filter.collapse_empty)
        if not names:
            return
        sub = menu.addMenu(tr("Timeline", "Show lanes"))
        sub.setObjectName("showLanesMenu")
        for name in names:
            action = sub.addAction(lane_title(name))
            action.setCheckable(True)
            action.setChecked(name not in self.lane_filter.hidden)
            action.triggered.connect(lambda _checked=False, n=name: self.toggle_lane(n))
            self.name_actions[name] = action

    def toggle_collapse(self) -> None:
        """H: collapse the lanes without a bar, or show them again."""
        f = self.lane_filter
        self._apply(LaneFilter(f.hidden, not f.collapse_empty))

    def toggle_lane(self, name: str) -> None:
        """Hide lane `name`, or show it again."""
        self._apply(self.lane_filter.toggled(name))

    def _apply(self, lane_filter: LaneFilter) -> None:
        self.timeline.set_lane_filter(lane_filter)
        self.settings.set_lane_filter(self.user, self.window_kind, lane_filter)
        if self.collapse_action is not None:
            self.collapse_action.setChecked(lane_filter.collapse_empty)
        for name, action in self.name_actions.items():
            action.setChecked(name not in lane_filter.hidden)
