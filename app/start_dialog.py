"""First start: choose or create a project, then say who you are (remembered in the settings)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.errors import InputError, PermissionDenied
from annotator.model import Role
from annotator.project import Project
from app.core_text import core_text
from app.i18n import mark, tr

NEW_USER = mark("Start", "New user…")  # shown translated
ROLE_TEXT = {Role.ANNOTATOR: mark("Start", "annotator"), Role.REVIEWER: mark("Start", "reviewer")}


class StartDialog(QDialog):
    """Project folder + user; `accepted` leaves `project` and `user` set."""

    def __init__(self, folder: str | None = None, user: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Start", "MMAD Studio — open a project"))
        self.project: Project | None = None
        self.user: str | None = None
        self.folder = QLineEdit(folder or "")
        self.folder.setPlaceholderText(tr("Start", "project folder (holds project.toml)"))
        browse = QPushButton(tr("Start", "Browse…"))
        browse.clicked.connect(self._browse)
        create = QPushButton(tr("Start", "New project…"))
        create.clicked.connect(self._create)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        row.addWidget(create)
        self.users = QComboBox()
        self.new_name = QLineEdit()
        self.new_name.setPlaceholderText(tr("Start", "your name"))
        self.new_role = QComboBox()
        for role in Role:
            self.new_role.addItem(tr("Start", ROLE_TEXT[role]), role.value)
        self.error = QLabel("")
        self.error.setObjectName("startError")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(tr("Start", "Project"), row)
        form.addRow(tr("Start", "You are"), self.users)
        form.addRow(tr("Start", "New user"), self.new_name)
        form.addRow(tr("Start", "Role"), self.new_role)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.folder.editingFinished.connect(lambda: self._load_users(user))
        self.users.currentTextChanged.connect(self._on_user)
        self._load_users(user)
        self.resize(640, 220)

    def _browse(self) -> None:
        path = QFileDialog.getExistingDirectory(self, tr("Start", "Project folder"), self.folder.text())
        if path:
            self.folder.setText(path)
            self._load_users(None)

    def _create(self) -> None:
        path = QFileDialog.getExistingDirectory(self, tr("Start", "Folder for the new project (MMA-52 taxonomy)"))
        if not path:
            return
        try:
            Project.create(path)
        except InputError as exc:
            self.error.setText(core_text(exc))
            return
        self.folder.setText(path)
        self._load_users(None)

    def _load_users(self, wanted: str | None) -> None:
        self.users.clear()
        self.error.setText("")
        if not self.folder.text().strip():
            self.users.addItem(tr("Start", NEW_USER))
            return
        try:
            project = Project.open(self.folder.text().strip())
            store = project.open_store()
            try:
                names = [a.name for a in store.annotators()]
            finally:
                store.close()
        except (InputError, PermissionDenied) as exc:  # e.g. a team login that may not open it (yet)
            self.error.setText(core_text(exc))
            return
        self.users.addItems(names + [tr("Start", NEW_USER)])
        if wanted in names:
            self.users.setCurrentText(wanted)

    def _on_user(self, text: str) -> None:
        new = text == tr("Start", NEW_USER)
        self.new_name.setEnabled(new)
        self.new_role.setEnabled(new)

    def accept(self) -> None:
        """Open the project as the chosen (or newly added) user; errors stay in the dialog."""
        try:
            project = Project.open(self.folder.text().strip())
            user = self.users.currentText()
            if user == tr("Start", NEW_USER):
                user = self.new_name.text().strip()
                if not user:
                    self.error.setText(tr("Start", "Type your name to add yourself to the project"))
                    return
                store = project.open_store()
                try:
                    if user not in {a.name for a in store.annotators()}:
                        store.add_annotator(user, Role(self.new_role.currentData()))
                finally:
                    store.close()
            # as the window will: a schema newer than this MMAD Studio, or a user that is not there, is
            # said here, not by a traceback when the window opens
            project.open_store(user).close()
        except (InputError, PermissionDenied) as exc:
            self.error.setText(core_text(exc))
            return
        self.project, self.user = project, user
        super().accept()
