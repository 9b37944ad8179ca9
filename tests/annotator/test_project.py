"""Project folders: create, open, bad project.toml, custom taxonomies, database URLs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.errors import InputError
from annotator.model import Clip
from annotator.project import Project
from annotator.store.engine import normalise_url
from annotator.taxonomy import load_taxonomy


def test_create_and_open(tmp_path: Path) -> None:
    created = Project.create(tmp_path / "p", name="Demo")
    opened = Project.open(tmp_path / "p")
    assert (opened.name, opened.taxonomy.name, opened.media_root) == ("Demo", created.taxonomy.name, "media")
    assert (tmp_path / "p" / "project.sqlite").exists() and (tmp_path / "p" / "media").is_dir()
    store = opened.open_store()
    try:
        assert store.clips() == []
    finally:
        store.close()
    clip = Clip(1, "c", "s", 30.0, 10, media_path="sub/c.mp4")
    assert opened.media_path(clip) == tmp_path / "p" / "media" / "sub" / "c.mp4"
    assert opened.media_path(Clip(2, "d", "s", 30.0, 10)) is None
    with pytest.raises(InputError, match="already exists"):
        Project.create(tmp_path / "p")


def test_custom_taxonomy_is_copied_into_the_project(tmp_path: Path) -> None:
    source = tmp_path / "mine.json"
    data = load_taxonomy("mma52").to_json()
    data["name"] = "Mine"
    source.write_text(json.dumps(data), "utf-8")
    Project.create(tmp_path / "p", taxonomy=str(source))
    source.unlink()
    assert Project.open(tmp_path / "p").taxonomy.name == "Mine"


@pytest.mark.parametrize(("text", "words"), [
    (None, "no project.toml"), ("name = [", "invalid TOML"), ("[other]\nx = 1\n", "missing the \\[project\\]"),
    ('[project]\nname = "x"\n', "project.taxonomy"), (b"\xff\xfe", "not UTF-8"),
    (f'[project]\nname = "x"\ntaxonomy = "{"y" * 3000}.json"\n', "unusable file name"),  # beyond NAME_MAX
])
def test_bad_project_file(tmp_path: Path, text: str | bytes | None, words: str) -> None:
    folder = tmp_path / "p"
    folder.mkdir()
    if isinstance(text, bytes):
        (folder / "project.toml").write_bytes(text)
    elif text is not None:
        (folder / "project.toml").write_text(text, "utf-8")
    with pytest.raises(InputError, match=words):
        Project.open(folder)


def test_bad_taxonomy_or_url_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        Project.create(tmp_path / "p", taxonomy=str(tmp_path / "missing.json"))
    assert not (tmp_path / "p").exists()
    with pytest.raises(InputError):
        Project.create(tmp_path / "q", db_url="nonsense://")
    assert not (tmp_path / "q").exists()


def test_postgres_urls_use_psycopg3() -> None:
    assert normalise_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("sqlite:///x") == "sqlite:///x"
