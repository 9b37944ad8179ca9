# ruff: noqa: F811  -- test functions take the imported pytest fixtures as arguments
"""`main.py FOLDER` on a team (PostgreSQL) project opens as the user of the desktop's login, never as the owner."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from annotator.project import Project
from app.launch import choose_project, login_user
from app.settings import AppSettings, project_folder
from tests.annotator.store.db import db_url  # noqa: F401  (pytest fixture)
from tests.annotator.store.test_team import Team, team  # noqa: F401  (pytest fixture)


def test_a_team_desktop_opens_as_its_logins_user(qtbot: QtBot, team: Team, tmp_path: Path) -> None:
    url = f"{team.url}%20-crole%3D{team.login['ann2']}"
    desk = str(Project.join(url, tmp_path / "desk", "ann2", None)[0].path)
    settings = AppSettings(str(tmp_path / "s.ini"))
    settings.set_user_for(project_folder(desk), "ann1")  # remembered from someone else's session
    assert login_user(desk) == "ann2"
    chosen = choose_project(settings, desk, None)
    assert chosen is not None and chosen[1] == "ann2"
    store = chosen[2]  # opened once, as the login's user: the window keeps this one
    assert store is not None and store.user is not None and store.user.name == "ann2"
    store.close()
    assert login_user(str(tmp_path / "nowhere")) is None  # not a project: choose_project says why
