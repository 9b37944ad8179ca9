"""Side panel: the open clip's instances as an editable table, in step with the timeline."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from annotator.model import Segment
from app.controllers.clip_session import ClipSession
from app.i18n import mark, tax_name, tr
from app.panels.dock_layout import natural_width, table_chrome, text_column_width

COMMON_NAME_SHARE = 0.8  # the Action column fits this share of the taxonomy's names in full
COLUMNS = (mark("Instances", "Start"), mark("Instances", "End"),
           mark("Instances", "Len"), mark("Instances", "Sec"),
           mark("Instances", "Action"), mark("Instances", "Body part"))
HEADER_TIPS = (mark("Instances", "first frame"),
               mark("Instances", "end frame (the action ends where this frame begins)"),
               mark("Instances", "length in frames (end - start)"),
               mark("Instances", "length in seconds (frames / fps)"),
               mark("Instances", "action (double-click to change)"),
               mark("Instances", "body part (follows from the action)"))
START, END, FRAMES, SECONDS, ACTION, BODY = range(6)
Index = QModelIndex | QPersistentModelIndex


class InstanceModel(QAbstractTableModel):
    """Rows are the session's segments (sorted by start); edits go through the session."""

    def __init__(self, session: ClipSession) -> None:
        super().__init__()
        self.session = session
        self.rows: list[Segment] = []
        session.segmentsChanged.connect(self.refresh)

    def refresh(self) -> None:
        """Re-read the session's segments."""
        self.beginResetModel()
        self.rows = list(self.session.segments)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Number of instances."""
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Number of columns."""
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Column titles."""
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return tr("Instances", COLUMNS[section])
        if role == Qt.ItemDataRole.ToolTipRole:
            return tr("Instances", HEADER_TIPS[section])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Start, end and action are editable."""
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.column() in (START, END, ACTION) else base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Frames, seconds from the clip's fps, action and body part names."""
        if not index.isValid():
            return None
        seg, col = self.rows[index.row()], index.column()
        clip = self.session.clip
        fps = clip.fps if clip is not None else 30.0
        if role == Qt.ItemDataRole.DisplayRole:
            action = self.session.taxonomy.action(seg.action_id)
            return (str(seg.start_frame), str(seg.end_frame), str(seg.length_frames),
                    f"{seg.length_frames / fps:.2f}", f"{action.code}  {tax_name(action.name)}", tax_name(action.body_part.name))[col]
        if role == Qt.ItemDataRole.EditRole:
            return (seg.start_frame, seg.end_frame, seg.length_frames, 0, seg.action_id, 0)[col]
        if role == Qt.ItemDataRole.TextAlignmentRole and col <= SECONDS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            action = self.session.taxonomy.action(seg.action_id)
            return (f"{action.code} {tax_name(action.name)} ({tax_name(action.body_part.name)}): frames {seg.start_frame}–"
                    f"{seg.end_frame}, {seg.start_frame / fps:.3f} s – {seg.end_frame / fps:.3f} s")
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Apply an edit through the session (refused edits leave the row as it was)."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        seg = self.rows[index.row()]
        assert seg.id is not None
        try:
            number = int(value)
        except (TypeError, ValueError):
            self.session.message.emit(tr("Instances", "'{text}' is not a frame number").format(text=value))
            return False
        col = index.column()
        if col == START:
            return self.session.edit(seg.id, start=number)
        if col == END:
            return self.session.edit(seg.id, end=number)
        if col == ACTION:
            return self.session.edit(seg.id, action_id=number)
        return False

    def row_of(self, segment_id: int | None) -> int | None:
        """Row of a segment id."""
        return next((i for i, s in enumerate(self.rows) if s.id == segment_id), None)


class ActionDelegate(QStyledItemDelegate):
    """A combo box listing every action as 'code  name'."""

    def __init__(self, session: ClipSession) -> None:
        super().__init__()
        self.session = session

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        """The combo box editor."""
        box = QComboBox(parent)
        for action in self.session.taxonomy.actions:
            box.addItem(f"{action.code}  {tax_name(action.name)}", action.id)
        return box

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        """Show the current action."""
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        """Write the chosen action id."""
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class InstanceTable(QTableView):
    """Selecting a row selects the segment; the session's selection selects the row."""

    segmentActivated = Signal(int)  # double-click / Enter: jump the player to it

    def __init__(self, session: ClipSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("instanceTable")
        self.session = session
        self.instances = InstanceModel(session)
        self.setModel(self.instances)
        self._delegate = ActionDelegate(session)
        self.setItemDelegateForColumn(ACTION, self._delegate)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(24)
        self.setAlternatingRowColors(True)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ACTION, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(34)
        self._syncing = False
        self.selectionModel().currentRowChanged.connect(self._on_row)
        session.selectionChanged.connect(self.show_selection)
        self.instances.modelReset.connect(lambda: self.show_selection(session.selected))

    def ideal_width(self) -> int:
        """Width that shows the numbers, the body part and the Action of common names in full."""
        names = sorted((f"{a.code}  {tax_name(a.name)}" for a in self.session.taxonomy.actions), key=len)
        common = names[int(len(names) * COMMON_NAME_SHARE) - 1] if names else "A1  action"
        others = sum(natural_width(self, c) for c in range(len(COLUMNS)) if c != ACTION)
        return others + text_column_width(self, [common], ACTION) + table_chrome(self)

    def show_selection(self, segment_id: int | None) -> None:
        """Select the row of this segment (or nothing)."""
        self._syncing = True
        row = self.instances.row_of(segment_id)
        if row is None:
            self.clearSelection()
        else:
            self.selectRow(row)
            self.scrollTo(self.instances.index(row, 0))
        self._syncing = False

    def _on_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._syncing or not current.isValid():
            return
        seg = self.instances.rows[current.row()]
        self.session.select(seg.id)
        if seg.id is not None:
            self.segmentActivated.emit(seg.id)
