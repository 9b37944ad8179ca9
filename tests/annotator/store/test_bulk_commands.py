"""The whole-project store calls: each bulk command is one transaction (a failure injected after its
writes leaves the database as it was), and the whole-project reads agree with the per-clip ones."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.errors import PermissionDenied
from annotator.model import GROUND_TRUTH, Subset
from annotator.project import Project
from annotator.store.api import BulkImport, NewClip, NewSegment
from annotator.store.core import StoreCore
from annotator.store.store import Store
from annotator.synthetic.demo import ANNOTATORS, REVIEWER
from annotator.synthetic.scale import build_scale_project
from merging.workflow import run_merge
from tests.merging.per_clip import dump

CLIPS = 30


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, mma52_dir: Path) -> Path:
    """A merged SQLite scale project of the first CLIPS real clips (built once, copied)."""
    folder = tmp_path_factory.mktemp("bulk") / "proj"
    build_scale_project(folder, mma52_dir, limit=CLIPS, noise="low")
    store = Project.open(folder).open_store(REVIEWER)
    run_merge(store)
    store.close()
    return folder


@pytest.fixture
def store(template: Path, tmp_path: Path) -> Store:
    shutil.copytree(template, tmp_path / "proj")
    return Project.open(tmp_path / "proj").open_store()


def _import(store: Store) -> None:
    store.import_bulk(BulkImport(author="annotator4", new_clips=[NewClip("x_1", "x", 30.0, 90)], subsets={},
                                 segments=[NewSegment("x_1", 0, 30, 3)], mark_done_for="annotator4",
                                 clip_names=["x_1"]))


@pytest.mark.parametrize("command", [
    _import,
    lambda store: store.assign_many([c.id for c in store.clips()], ["annotator4"]),
    lambda store: store.set_subsets({c.id: Subset.TEST for c in store.clips()}),
], ids=["import", "assign", "split"])
def test_a_failure_after_a_bulk_commands_writes_leaves_the_database_as_it_was(
        store: Store, command: Callable[[Store], object], monkeypatch: pytest.MonkeyPatch) -> None:
    from annotator.model import Role

    store.add_annotator("annotator4", Role.ANNOTATOR)
    url = store._engine.url.render_as_string(hide_password=False)
    before = dump(url)

    def fails(*_args: object, **_kw: object) -> None:  # the audit row is each command's last write
        raise RuntimeError("injected failure")

    monkeypatch.setattr(StoreCore, "_audit", fails)
    with pytest.raises(RuntimeError, match="injected failure"):
        command(store)
    assert dump(url) == before
    store.close()


def test_whole_project_reads_agree_with_the_per_clip_reads(store: Store) -> None:
    rev = store.as_user(REVIEWER)
    by_author = {a: rev.segments_by_clip(a) for a in (*ANNOTATORS, GROUND_TRUTH)}
    assert rev.live_segment_ids() == {s.id for segs in by_author.values() for ss in segs.values() for s in ss}
    assert rev.segment_counts() == {(cid, a): len(ss) for a, segs in by_author.items() for cid, ss in segs.items()}
    outline = rev.merged_outline()
    assert {cid: [(m.id, m.status, m.segment_ids) for m in ms] for cid, ms in outline.items()} == \
        {cid: [(m.id, m.status, m.segment_ids) for m in ms] for cid, ms in rev.merged_by_clip().items()}
    ann = store.as_user(ANNOTATORS[0])
    assert ann.segment_counts(ANNOTATORS[0]) == {(cid, ANNOTATORS[0]): n for (cid, a), n in rev.segment_counts().items()
                                                 if a == ANNOTATORS[0]}
    assert ann.merged_outline() == {}  # nothing finalised: blind mode hides the merge
    for refused in (ann.live_segment_ids, ann.segment_counts, lambda: ann.segment_counts(ANNOTATORS[1])):
        with pytest.raises(PermissionDenied):
            refused()
    store.close()
