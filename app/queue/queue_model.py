"""Rows of the clip queue: the user's assigned clips with state and own instance count."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from annotator.model import AssignmentState, Clip
from annotator.store.api import StoreAPI
from app.i18n import mark, tr
from app.queue.clip_table import ClipRowsModel, Index, damaged_tip
from app.wording import plural

STATE_TEXT = {AssignmentState.TODO: mark("Queue", "to do"),
              AssignmentState.IN_PROGRESS: mark("Queue", "in progress"),
              AssignmentState.DONE: mark("Queue", "done"), None: "–"}
STATE_COLOUR = {AssignmentState.TODO: QColor(170, 176, 186), AssignmentState.IN_PROGRESS: QColor(236, 190, 96),
                AssignmentState.DONE: QColor(122, 196, 132), None: QColor(120, 120, 120)}
FINAL_COLOUR = QColor(128, 160, 214)  # finalised by the reviewer: read only
COLUMNS = (mark("Queue", "State"), mark("Queue", "Clip"), mark("Queue", "Subj."),
           mark("Queue", "Len"), mark("Queue", "Inst."))
SORT_ROLE = int(Qt.ItemDataRole.UserRole) + 1


@dataclass(frozen=True, slots=True)
class QueueRow:
    """One clip in the queue."""

    clip: Clip
    state: AssignmentState | None
    instances: int


def load_queue(store: StoreAPI, user: str | None) -> list[QueueRow]:
    """The user's assigned clips in stored order (every clip for the owner or an unassigned reviewer)."""
    clips = {c.id: c for c in store.clips()}
    if user is None:
        return [QueueRow(c, None, 0) for c in clips.values()]
    counts = {cid: len(segs) for cid, segs in store.segments_by_clip(user).items()}
    rows = [QueueRow(clips[a.clip_id], a.state, counts.get(a.clip_id, 0))
            for a in store.assignments(user) if a.clip_id in clips]
    rows.sort(key=lambda r: r.clip.id)
    return rows


class QueueModel(ClipRowsModel[QueueRow]):
    """Table model over QueueRow; update_row keeps the view in step after each edit."""

    COLUMNS = COLUMNS
    NAME_COLUMN = 1

    def update_row(self, clip_id: int, state: AssignmentState | None = None, instances: int | None = None) -> None:
        """Change one clip's state and/or instance count."""
        for i, row in enumerate(self.rows):
            if row.clip.id == clip_id:
                self.rows[i] = QueueRow(row.clip, state if state is not None else row.state,
                                        instances if instances is not None else row.instances)
                self.emit_row_changed(i)
                return

    def counts(self) -> tuple[int, int]:
        """(done, total) for the progress bar."""
        return sum(r.state == AssignmentState.DONE for r in self.rows), len(self.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text, sort keys, colours."""
        if not index.isValid():
            return None
        row, col = self.rows[index.row()], index.column()
        mark = self.damaged_mark(row, col, role)
        if mark is not None:
            return mark
        if role == Qt.ItemDataRole.DisplayRole:
            state = tr("Queue", "final") if row.clip.finalised else tr("Queue", STATE_TEXT[row.state])
            return (state, row.clip.name, row.clip.subject,
                    f"{row.clip.duration:.1f}s", str(row.instances))[col]
        if role == SORT_ROLE:
            order = {AssignmentState.TODO: 0, AssignmentState.IN_PROGRESS: 1, AssignmentState.DONE: 2, None: 3}
            return (order[row.state], row.clip.name, row.clip.subject, row.clip.duration, row.instances)[col]
        if role == Qt.ItemDataRole.FontRole:
            return self.open_font(row, col)
        if role == Qt.ItemDataRole.ForegroundRole and col == 0:
            return FINAL_COLOUR if row.clip.finalised else STATE_COLOUR[row.state]
        if role == Qt.ItemDataRole.TextAlignmentRole and col >= 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            final = " · finalised by the reviewer: read only" if row.clip.finalised else ""
            return (f"{row.clip.name}: {plural(row.clip.frame_count, 'frame')} at {row.clip.fps:g} fps{final}"
                    f"{damaged_tip(row.clip)}")
        return None
