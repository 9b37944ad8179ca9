"""First-start dialog: pick a project folder and a user, or add yourself."""

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from annotator.model import Role
from annotator.project import Project
from app.start_dialog import NEW_USER, StartDialog


def test_lists_users_and_opens_as_one(qtbot: QtBot, app_project: tuple[Path, str]) -> None:
    folder, _ = app_project
    dialog = StartDialog(str(folder), "other")
    qtbot.addWidget(dialog)
    names = [dialog.users.itemText(i) for i in range(dialog.users.count())]
    assert names == ["ann", "other", NEW_USER] and dialog.users.currentText() == "other"
    dialog.accept()
    assert dialog.user == "other" and dialog.project is not None


def test_adds_a_new_reviewer(qtbot: QtBot, app_project: tuple[Path, str]) -> None:
    folder, _ = app_project
    dialog = StartDialog(str(folder))
    qtbot.addWidget(dialog)
    dialog.users.setCurrentText(NEW_USER)
    dialog.accept()
    assert dialog.user is None and "Type your name" in dialog.error.text()
    dialog.new_name.setText("rita")
    dialog.new_role.setCurrentText(Role.REVIEWER.value)
    dialog.accept()
    assert dialog.user == "rita"
    store = Project.open(folder).open_store()
    try:
        assert {a.name: a.role for a in store.annotators()}["rita"] == Role.REVIEWER
    finally:
        store.close()


def test_a_folder_without_a_project_is_explained(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = StartDialog(str(tmp_path))
    qtbot.addWidget(dialog)
    assert "project.toml" in dialog.error.text()
    dialog.accept()
    assert dialog.project is None and "project.toml" in dialog.error.text()


def test_a_project_the_login_may_not_open_is_explained(qtbot: QtBot, app_project: tuple[Path, str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from annotator.errors import PermissionDenied

    def refused(_self: Project, _user: str | None = None) -> None:
        raise PermissionDenied("the project's owner must upgrade the database first (mmad upgrade PROJECT_FOLDER ...)")

    monkeypatch.setattr(Project, "open_store", refused)
    dialog = StartDialog(str(app_project[0]))
    qtbot.addWidget(dialog)
    assert "must upgrade the database first" in dialog.error.text()


def test_a_project_of_a_newer_mmad_studio_is_explained(qtbot: QtBot, app_project: tuple[Path, str]) -> None:
    from tests.annotator.store.test_migrate_fast_path import NEWER_MESSAGE, dump, newer_schema

    project = Project.open(app_project[0])
    before = newer_schema(project)
    dialog = StartDialog(str(app_project[0]), "ann")
    qtbot.addWidget(dialog)
    assert dialog.error.text().endswith(NEWER_MESSAGE)
    dialog.accept()
    assert dialog.project is None and dialog.error.text().endswith(NEWER_MESSAGE)
    assert dump(project) == before
