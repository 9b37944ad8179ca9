"""The instance table edits through the session and follows its selection."""

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from annotator.project import Project
from app.controllers.clip_session import ClipSession
from app.panels.instance_table import ACTION, END, START, InstanceTable


def test_table_edits_and_selection(qtbot: QtBot, app_project: tuple[Path, str]) -> None:
    folder, user = app_project
    store = Project.open(folder).open_store(user)
    try:
        session = ClipSession(store, user)
        table = InstanceTable(session)
        qtbot.addWidget(table)
        clip = store.clips()[0]
        session.open_clip(clip)
        a = session.add(30, 50, 9)
        b = session.add(5, 20, 41)
        assert a is not None and b is not None
        model = table.instances
        assert [model.index(r, START).data() for r in range(2)] == ["5", "30"]  # sorted by start
        assert model.index(0, 3).data() == "0.50"  # 15 frames at 30 fps
        assert model.index(1, 4).data().endswith("nodding") and model.index(1, 5).data() == "head"
        assert table.currentIndex().row() == 0  # b (just added) is selected
        assert model.setData(model.index(1, END), 55, Qt.ItemDataRole.EditRole)
        assert store.segments(clip.id, user)[0].end_frame == 55
        assert not model.setData(model.index(1, START), 56, Qt.ItemDataRole.EditRole)  # start after end
        assert not model.setData(model.index(1, START), "x", Qt.ItemDataRole.EditRole)
        assert store.segments(clip.id, user)[0].start_frame == 30
        assert model.setData(model.index(1, ACTION), 10, Qt.ItemDataRole.EditRole)
        assert store.taxonomy.action(store.segments(clip.id, user)[0].action_id).name == "shaking head"
        table.selectRow(1)
        assert session.selected == a.id
        session.select(b.id)
        assert table.currentIndex().row() == 0
    finally:
        store.close()
