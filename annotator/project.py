"""A project: a folder holding project.toml, the media root and (by default) a SQLite file."""

from __future__ import annotations

import logging
import shutil
import tomllib
from dataclasses import dataclass
from pathlib import Path

import tomli_w

from annotator.errors import InputError
from annotator.input_checks import check_name, read_text, short
from annotator.model import Clip
from annotator.store import backups
from annotator.store.engine import database_name, normalise_url, shown_url, split_password, sqlite_url
from annotator.store.store import Store
from annotator.taxonomy import BUNDLED, Taxonomy, load_taxonomy, parse_taxonomy

PROJECT_FILE = "project.toml"
DEFAULT_DB_FILE = "project.sqlite"
CUSTOM_TAXONOMY_FILE = "taxonomy.json"


@dataclass(frozen=True, slots=True)
class Project:
    """An opened project folder and its settings."""

    path: Path
    name: str
    taxonomy_spec: str  # "mma52", "mma82", or a file name inside the project
    media_root: str
    db_url: str | None  # None: the default SQLite file inside the folder
    taxonomy: Taxonomy
    insecure: bool = False  # PostgreSQL off this machine without TLS (joined with --insecure)
    backup_keep: int = backups.DEFAULT_KEEP  # project.toml [backups] keep
    backup_every_hours: float = backups.DEFAULT_EVERY_HOURS  # project.toml [backups] every_hours

    @classmethod
    def create(cls, path: str | Path, name: str | None = None, taxonomy: str = "mma52",
               db_url: str | None = None, media_root: str = "media", insecure: bool = False) -> Project:
        """Make a new project folder (refused if it already holds a project) and its database."""
        folder = Path(path)
        if (folder / PROJECT_FILE).exists():
            raise InputError(str(folder / PROJECT_FILE), None, "a project already exists here")
        loaded = load_taxonomy(taxonomy)  # validate before writing anything
        made_folder = not folder.exists()
        folder.mkdir(parents=True, exist_ok=True)
        try:
            return cls._create_in(folder, name, taxonomy, loaded, db_url, media_root, insecure)
        except BaseException:
            if made_folder:
                shutil.rmtree(folder, ignore_errors=True)
            raise

    @classmethod
    def _create_in(cls, folder: Path, name: str | None, taxonomy: str, loaded: Taxonomy, db_url: str | None,
                   media_root: str, insecure: bool) -> Project:
        spec = taxonomy.lower().replace("-", "")
        if spec not in BUNDLED:
            shutil.copyfile(taxonomy, folder / CUSTOM_TAXONOMY_FILE)
            spec = CUSTOM_TAXONOMY_FILE
        settings: dict[str, str | bool] = {"name": name or folder.resolve().name, "taxonomy": spec,
                                           "media_root": media_root}
        database = None
        if db_url:
            _backend, database, _had_password = split_password(db_url)
            settings["database"] = database
        if insecure:
            settings["insecure"] = True
        project = cls(folder, str(settings["name"]), spec, media_root, database, loaded, insecure)
        if db_url:  # the first open may need the URL's password; the folder never keeps it
            store = Store.open(normalise_url(db_url), loaded, None, insecure)
        else:
            store = project.open_store(backup=False)  # creates the schema; fails before project.toml exists
        try:
            store.remember_name(project.name)
        finally:
            store.close()
        (folder / media_root).mkdir(parents=True, exist_ok=True)
        (folder / PROJECT_FILE).write_text(tomli_w.dumps({"project": settings}), "utf-8")
        return project

    @classmethod
    def join(cls, url: str, path: str | Path, user: str | None, media: str | None = None,
             insecure: bool = False) -> tuple[Project, bool]:
        """A desktop's folder for an existing PostgreSQL project: its URL without the password, the
        stored taxonomy, and this desktop's media folder; (project, whether the URL held a password).

        The user must exist and, on a team project, be the one the URL's login belongs to.
        """
        folder = Path(path)
        if (folder / PROJECT_FILE).exists():
            raise InputError(str(folder / PROJECT_FILE), None, "a project already exists here")
        backend, bare_url, had_password = split_password(url)
        if backend != "postgresql":
            raise InputError(shown_url(url), None, "only a PostgreSQL project can be joined (a SQLite project is one desktop's)")
        if not user:
            raise InputError("--as", None, "say who joins (--as NAME)")
        meta = Store.stored_meta(url, insecure)
        snapshot = meta["taxonomy"]
        loaded = parse_taxonomy(snapshot, source="project_meta.taxonomy")
        folder.mkdir(parents=True, exist_ok=True)
        # the team project's own name (older projects: their database's), not this desktop's folder
        name = meta.get("name") or database_name(bare_url) or folder.resolve().name
        settings: dict[str, str | bool] = {"name": name, "taxonomy": CUSTOM_TAXONOMY_FILE,
                                           "media_root": media or "media", "database": bare_url}
        if insecure:
            settings["insecure"] = True
        project = cls(folder, name, CUSTOM_TAXONOMY_FILE, media or "media", bare_url, loaded, insecure)
        Store.open(url, loaded, user, insecure).close()  # the user exists and the login may act as them
        (folder / CUSTOM_TAXONOMY_FILE).write_text(snapshot, "utf-8")
        (folder / PROJECT_FILE).write_text(tomli_w.dumps({"project": settings}), "utf-8")
        return project, had_password

    @classmethod
    def open(cls, path: str | Path) -> Project:
        """Read a project folder's project.toml (clear InputError when missing or bad)."""
        folder = Path(path)
        file = folder / PROJECT_FILE
        if not file.is_file():
            raise InputError(str(file), None, "not a project folder (no project.toml; run mmad init)")
        try:
            data = tomllib.loads(read_text(file))
        except tomllib.TOMLDecodeError as exc:
            raise InputError(str(file), None, f"invalid TOML: {exc}") from None
        except RecursionError:
            raise InputError(str(file), None, "invalid TOML: arrays or tables nested too deeply") from None
        table = data.get("project")
        if not isinstance(table, dict):
            raise InputError(str(file), "[project]", "missing the [project] table")
        for key in ("name", "taxonomy", "media_root", "database"):
            value = table.get(key, "media" if key == "media_root" else None)
            if key in ("name", "taxonomy") and (not isinstance(value, str) or not value):
                raise InputError(str(file), f"project.{key}", "missing or not a string")
            if value is not None and not isinstance(value, str):
                raise InputError(str(file), f"project.{key}", "must be a string")
            if value is not None:
                check_name(value, str(file), f"project.{key}", key, 4096)
        spec = table["taxonomy"]
        bundled = spec.replace("-", "").lower() in BUNDLED
        try:
            present = bundled or (folder / spec).is_file()
        except OSError as exc:  # a name the file system refuses (too long, ...): not a file we can read
            raise InputError(str(file), "project.taxonomy", f"unusable file name {short(spec)}: {exc.strerror}") from None
        if not present:
            raise InputError(str(file), "project.taxonomy", f"no taxonomy file {short(spec)} in the project folder")
        taxonomy = load_taxonomy(spec if bundled else folder / spec)
        media_root = table.get("media_root", "media")
        db_url = table.get("database")
        insecure = table.get("insecure", False)
        if not isinstance(insecure, bool):
            raise InputError(str(file), "project.insecure", "must be true or false")
        keep, every = _backup_settings(data.get("backups", {}), str(file))
        return cls(folder, table["name"], spec, media_root, db_url, taxonomy, insecure,
                   backup_keep=keep, backup_every_hours=every)

    @property
    def database_url(self) -> str:
        """The SQLAlchemy URL of the project's database."""
        return self.db_url or sqlite_url(self.path / DEFAULT_DB_FILE)

    @property
    def media_dir(self) -> Path:
        """The folder clip media paths are relative to."""
        return self.path / self.media_root

    @property
    def sqlite_file(self) -> Path | None:
        """The project's SQLite file (None on PostgreSQL)."""
        if self.db_url is None:
            return self.path / DEFAULT_DB_FILE
        if self.db_url.startswith("sqlite:///"):
            return Path(self.db_url.removeprefix("sqlite:///"))
        return None

    @property
    def backup_dir(self) -> Path:
        """Where the SQLite backups are kept."""
        return self.path / backups.BACKUP_DIR

    def open_store(self, user: str | None = None, backup: bool = True) -> Store:
        """Open the database as `user` (None: the owner, no role restriction); a SQLite project is
        backed up first when its newest backup is older than backup_every_hours. A damaged file is
        one DamagedDatabase naming it and the newest backup."""
        file = self.sqlite_file
        try:
            store = Store.open(self.database_url, self.taxonomy, user, self.insecure)
        except Exception as exc:
            problem = backups.is_damage(exc)
            if problem is None or file is None:
                raise
            raise backups.damaged_error(file, self.backup_dir, problem) from None
        if backup and file is not None:
            try:
                backups.backup_if_due(file, self.backup_dir, self.backup_keep, self.backup_every_hours)
            except OSError as exc:  # a read-only folder or a full disk must not keep the project shut
                logging.getLogger(__name__).warning("no backup of %s: %s", file, exc)
            except BaseException:  # a damaged database: said now, before anyone writes to it
                store.close()
                raise
        return store

    def backup(self) -> Path | None:
        """A backup of a SQLite project now (after a merge or an import); None on PostgreSQL."""
        file = self.sqlite_file
        return None if file is None else backups.make_backup(file, self.backup_dir, self.backup_keep)

    def media_path(self, clip: Clip) -> Path | None:
        """The absolute path of a clip's video, or None when it has no media attached."""
        if clip.media_path is None:
            return None
        return self.media_dir / clip.media_path


def _backup_settings(table: object, file: str) -> tuple[int, float]:
    """project.toml's [backups] keep (copies kept, at least 1) and every_hours (> 0)."""
    if not isinstance(table, dict):
        raise InputError(file, "[backups]", "must be a table")
    keep = table.get("keep", backups.DEFAULT_KEEP)
    every = table.get("every_hours", backups.DEFAULT_EVERY_HOURS)
    if isinstance(keep, bool) or not isinstance(keep, int) or not 1 <= keep <= 10_000:
        raise InputError(file, "backups.keep", f"must be a whole number from 1 to 10,000, got {short(keep)}")
    if isinstance(every, bool) or not isinstance(every, int | float) or not 0 < every <= 10_000:
        raise InputError(file, "backups.every_hours", f"must be a number of hours above 0, got {short(every)}")
    return keep, float(every)
