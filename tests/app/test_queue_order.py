"""The annotation queue's displayed order: by column, ties in their previous order, kept while editing."""

from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from annotator.model import AssignmentState, Clip
from app.queue.queue_model import QueueRow
from app.queue.queue_widget import QueueWidget

PLAN = ((AssignmentState.DONE, "S01", 30.0, 2), (AssignmentState.TODO, "S00", 12.5, 0),
        (AssignmentState.IN_PROGRESS, "S01", 30.0, 2), (AssignmentState.TODO, "S02", 8.0, 5),
        (AssignmentState.DONE, "S00", 12.5, 0), (AssignmentState.TODO, "S01", 30.0, 2),
        (AssignmentState.IN_PROGRESS, "S02", 8.0, 1), (AssignmentState.TODO, "S00", 30.0, 0))
STATE_RANK = {AssignmentState.TODO: 0, AssignmentState.IN_PROGRESS: 1, AssignmentState.DONE: 2}


def tied_rows() -> list[QueueRow]:
    """Clips that tie on every column but the name, given in an order that is not the name order."""
    order = (5, 2, 7, 0, 3, 6, 1, 4)
    return [QueueRow(Clip(10 + k, f"{PLAN[k][1]}_c{k}", PLAN[k][1], PLAN[k][2], int(PLAN[k][2] * 10)),
                     PLAN[k][0], PLAN[k][3]) for k in order]


def shown(q: QueueWidget) -> list[int]:
    """Clip ids in the order the table shows them."""
    return [q.model.rows[q.proxy.mapToSource(q.proxy.index(r, 0)).row()].clip.id for r in range(q.proxy.rowCount())]


def key(row: QueueRow, column: int) -> Any:
    return (STATE_RANK[row.state] if row.state else 3, row.clip.name, row.clip.subject, row.clip.duration,
            row.instances)[column]


def test_each_column_sorts_stably_over_the_order_shown_before(qtbot: QtBot) -> None:
    from PySide6.QtCore import Qt

    q = QueueWidget()
    qtbot.addWidget(q)
    given = tied_rows()
    q.set_rows(given)
    by_id = {r.clip.id: r for r in given}
    expected = [r.clip.id for r in sorted(given, key=lambda r: r.clip.name)]
    assert shown(q) == expected  # the default: by name
    for column, order in ((0, Qt.SortOrder.AscendingOrder), (2, Qt.SortOrder.DescendingOrder),
                          (3, Qt.SortOrder.AscendingOrder), (4, Qt.SortOrder.DescendingOrder),
                          (0, Qt.SortOrder.DescendingOrder), (1, Qt.SortOrder.DescendingOrder)):
        q.table.sortByColumn(column, order)
        keys = {i: key(by_id[i], column) for i in expected}
        expected = sorted(expected, key=keys.__getitem__, reverse=order == Qt.SortOrder.DescendingOrder)
        assert shown(q) == expected, (column, order)
    q.set_rows(given, keep_order=True)
    assert shown(q) == [r.clip.id for r in given]


def test_new_rows_sort_by_the_chosen_column_ties_in_the_given_order(qtbot: QtBot) -> None:
    from PySide6.QtCore import Qt

    q = QueueWidget()
    qtbot.addWidget(q)
    q.table.sortByColumn(3, Qt.SortOrder.DescendingOrder)
    given = tied_rows()
    q.set_rows(given)
    assert shown(q) == [r.clip.id for r in sorted(given, key=lambda r: r.clip.duration, reverse=True)]
    q.state_box.setCurrentIndex(1)  # to do only
    assert shown(q) == [r.clip.id for r in sorted(given, key=lambda r: r.clip.duration, reverse=True)
                        if r.state is AssignmentState.TODO]


def test_an_edited_row_moves_after_its_new_equals_when_sorted_by_that_column(qtbot: QtBot) -> None:
    from PySide6.QtCore import Qt

    q = QueueWidget()
    qtbot.addWidget(q)
    given = tied_rows()
    q.set_rows(given)
    q.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    before = shown(q)
    q.select_clip(11)
    q.update_clip(11, state=AssignmentState.IN_PROGRESS)  # to do -> in progress: last of the in-progress rows
    moved = [i for i in before if i != 11]
    last_in_progress = max(k for k, i in enumerate(moved) if i in (12, 16))
    assert shown(q) == moved[:last_in_progress + 1] + [11] + moved[last_in_progress + 1:]
    assert q.table.selectionModel().selectedRows()[0].row() == last_in_progress + 1  # the highlight follows it
    q.table.sortByColumn(4, Qt.SortOrder.DescendingOrder)
    assert [q.model.rows[q.model.row_of(i) or 0].instances for i in shown(q)] == [5, 2, 2, 2, 1, 0, 0, 0]
    first, before = shown(q)[0], shown(q)
    q.update_clip(first, instances=2)  # 5 -> 2: still in order where it is, it stays first
    assert shown(q) == before
    last = before[-1]
    q.update_clip(last, instances=2)  # 0 -> 2: out of order, it goes after the other twos
    assert shown(q) == before[:4] + [last] + before[4:-1]
    q.update_clip(before[4], state=AssignmentState.DONE)  # not the sorted column: nothing moves
    assert shown(q) == before[:4] + [last] + before[4:-1]


def test_sorting_asks_the_model_for_no_sort_keys_cell_by_cell(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """The model sorts once by keys it computes (a sorting proxy asked data() twice per comparison)."""
    from PySide6.QtCore import Qt

    from app.queue.queue_model import SORT_ROLE, QueueModel

    asked: list[int] = []
    plain = QueueModel.data

    def counting(self: QueueModel, index: object, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        asked.append(role)
        return plain(self, index, role)  # type: ignore[arg-type]

    monkeypatch.setattr(QueueModel, "data", counting)
    q = QueueWidget()
    qtbot.addWidget(q)
    q.set_rows(tied_rows())
    q.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert shown(q)[0] in (10, 14)  # done first
    assert SORT_ROLE not in asked


def test_the_next_clip_to_do_follows_the_order_shown_filtered_or_not(qtbot: QtBot) -> None:
    from PySide6.QtCore import Qt

    q = QueueWidget()
    qtbot.addWidget(q)
    q.set_rows(tied_rows())
    q.table.sortByColumn(3, Qt.SortOrder.DescendingOrder)
    order = shown(q)
    not_done = [i for i in order if q.model.rows[q.model.row_of(i) or 0].state is not AssignmentState.DONE]
    assert q.next_open_clip(None) == not_done[0] and q.next_open_clip(not_done[0]) == not_done[1]
    q.search.setText("S02")
    s02 = [i for i in not_done if i in shown(q)]
    assert len(s02) == 2 and q.next_open_clip(s02[0]) == s02[1] and q.next_open_clip(s02[1]) == s02[0]
