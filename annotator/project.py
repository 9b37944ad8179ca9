"""A project: a folder holding project.toml, the media root and (by default) a SQLite file."""

from __future__ import annotations

import shutil
import tomllib
from dataclasses import dataclass
from pathlib import Path

import tomli_w

from annotator.errors import InputError
from annotator.input_checks import check_name, read_text, short
from annotator.model import Clip
from annotator.store.engine import normalise_url, shown_url, split_password, sqlite_url
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
            Store.open(normalise_url(db_url), loaded, None, insecure).close()
        else:
            project.open_store().close()  # creates the schema; fails before project.toml exists
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
        snapshot = Store.stored_taxonomy(url, insecure)
        loaded = parse_taxonomy(snapshot, source="project_meta.taxonomy")
        folder.mkdir(parents=True, exist_ok=True)
        settings: dict[str, str | bool] = {"name": folder.resolve().name, "taxonomy": CUSTOM_TAXONOMY_FILE,
                                           "media_root": media or "media", "database": bare_url}
        if insecure:
            settings["insecure"] = True
        project = cls(folder, str(settings["name"]), CUSTOM_TAXONOMY_FILE, media or "media", bare_url, loaded, insecure)
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
        return cls(folder, table["name"], spec, media_root, db_url, taxonomy, insecure)

    @property
    def database_url(self) -> str:
        """The SQLAlchemy URL of the project's database."""
        return self.db_url or sqlite_url(self.path / DEFAULT_DB_FILE)

    @property
    def media_dir(self) -> Path:
        """The folder clip media paths are relative to."""
        return self.path / self.media_root

    def open_store(self, user: str | None = None) -> Store:
        """Open the database as `user` (None: the owner, no role restriction)."""
        return Store.open(self.database_url, self.taxonomy, user, self.insecure)

    def media_path(self, clip: Clip) -> Path | None:
        """The absolute path of a clip's video, or None when it has no media attached."""
        if clip.media_path is None:
            return None
        return self.media_dir / clip.media_path
