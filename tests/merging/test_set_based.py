"""The set-based merge and finalise write exactly the rows, ids and audit entries the per-clip paths
wrote (real MMA-52 clips with simulated annotators on both backends; the demo project), and a
failure in the middle of a bulk command leaves the database as it was."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from annotator.errors import Cancelled
from annotator.model import MergedStatus
from annotator.progress import CancelToken
from annotator.project import Project
from annotator.store import merged_bulk
from annotator.store.store import Store
from annotator.synthetic.demo import ANNOTATORS, REVIEWER, build_demo
from annotator.synthetic.scale import build_scale_project
from merging.finalise import finalise_clips
from merging.workflow import run_merge
from tests.annotator.store.db import _pg_problem
from tests.conftest import PG_URL
from tests.merging.per_clip import dump, per_clip_finalise, per_clip_merge

CLIPS = 40  # real MMA-52 clips in the fixture project (a few hundred segments)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, mma52_dir: Path) -> Path:
    """A SQLite scale project of the first CLIPS real clips, low noise (built once, copied)."""
    folder = tmp_path_factory.mktemp("scale") / "proj"
    build_scale_project(folder, mma52_dir, limit=CLIPS, noise="low")
    return folder


@pytest.fixture(params=["sqlite", "postgresql"])
def twins(request: pytest.FixtureRequest, tmp_path: Path, template: Path, mma52_dir: Path) -> Iterator[tuple[Project, Project]]:
    """Two identical projects: one for the per-clip path, one for the set-based path."""
    if request.param == "sqlite":
        for name in ("a", "b"):
            shutil.copytree(template, tmp_path / name)
        yield Project.open(tmp_path / "a"), Project.open(tmp_path / "b")
        return
    problem = _pg_problem()
    if problem:
        pytest.skip(problem)
    schemas = [f"mmad_test_i23_{uuid.uuid4().hex[:10]}" for _ in range(2)]
    admin = create_engine(PG_URL)
    try:
        with admin.begin() as conn:
            for schema in schemas:
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        for name, schema in zip("ab", schemas, strict=True):
            build_scale_project(tmp_path / name, mma52_dir, limit=CLIPS, noise="low",
                                db_url=f"{PG_URL}?options=-csearch_path%3D{schema}")
        yield Project.open(tmp_path / "a"), Project.open(tmp_path / "b")
    finally:
        with admin.begin() as conn:
            for schema in schemas:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def _review_and_edit(store: Store) -> None:
    """The same reviewer decisions and annotator edits on either twin: decisions on the first clips'
    open instances, then one annotator moves a segment under a decision (that decision goes stale)."""
    rev = store.as_user(REVIEWER)
    decided = 0
    for _, instances in sorted(rev.merged_by_clip().items())[:8]:
        for m in instances:
            if m.status is MergedStatus.NEEDS_REVIEW and m.majority is not None:
                rev.resolve_merged(m.id or 0, m.version, m.majority, m.start_frame, m.end_frame, m.action_id)
                decided += 1
    assert decided >= 3
    first = min(rev.merged_by_clip())
    resolved = next(m for m in rev.merged_instances(first) if m.status is MergedStatus.RESOLVED)
    author = next(a for a in ANNOTATORS if any(s.id in resolved.segment_ids for s in store.segments(first, a)))
    segment = next(s for s in store.segments(first, author) if s.id in resolved.segment_ids)
    store.as_user(author).update_segment(replace(segment, end_frame=segment.end_frame - 1))


def test_merge_and_finalise_write_what_the_per_clip_paths_wrote(twins: tuple[Project, Project]) -> None:
    per, bulk = (p.open_store(REVIEWER) for p in twins)
    try:
        per_clip_merge(per)
        run = run_merge(bulk)
        assert run.merged_clips == CLIPS and run.written > CLIPS
        assert dump(twins[0].database_url) == dump(twins[1].database_url)
        for store in (per, bulk):  # decisions, a stale one among them, then the merge again
            _review_and_edit(store)
        per_clip_merge(per)
        again = run_merge(bulk)
        assert again.kept_resolved >= 2
        assert dump(twins[0].database_url) == dump(twins[1].database_url)
        per_skipped = per_clip_finalise(per, reliable=True)
        bulk_run = finalise_clips(bulk, reliable=True)
        assert bulk_run.finalised and list(bulk_run.skipped) == per_skipped
        open_clips = [c.name for c in per.clips() if not c.finalised][:12]
        per_skipped = per_clip_finalise(per, open_clips)
        bulk_run = finalise_clips(bulk, open_clips)
        assert bulk_run.decisions > 0 and list(bulk_run.skipped) == per_skipped
        assert dump(twins[0].database_url) == dump(twins[1].database_url)
    finally:
        per.close()
        bulk.close()


def test_the_demo_project_merges_and_finalises_as_the_per_clip_paths_did(tmp_path: Path) -> None:
    build_demo(tmp_path / "a", subjects=2, clips_per_subject=4, seed=4, size=(64, 64))
    shutil.copytree(tmp_path / "a", tmp_path / "b")
    per, bulk = (Project.open(tmp_path / n).open_store(REVIEWER) for n in "ab")
    try:
        per_clip_merge(per)
        assert run_merge(bulk).merged_clips > 0
        per_skipped = per_clip_finalise(per, [c.name for c in per.clips()])
        assert list(finalise_clips(bulk, [c.name for c in bulk.clips()]).skipped) == per_skipped
    finally:
        per.close()
        bulk.close()
    assert dump(Project.open(tmp_path / "a").database_url) == dump(Project.open(tmp_path / "b").database_url)


def test_a_failure_half_way_through_a_bulk_merge_or_finalise_leaves_the_database_as_it_was(
        twins: tuple[Project, Project], monkeypatch: pytest.MonkeyPatch) -> None:
    project = twins[1]
    monkeypatch.setattr(merged_bulk, "CLIP_CHUNK", 7)  # several rounds of statements in the transaction
    store = project.open_store(REVIEWER)
    try:
        before = dump(project.database_url)
        calls = {"n": 0}
        real = merged_bulk.MergedBulkMixin._audit_many

        def fails_on_the_third_round(self: Store, *args: object) -> None:
            calls["n"] += 1
            if calls["n"] == 3:
                raise RuntimeError("injected failure")
            real(self, *args)  # type: ignore[arg-type]

        monkeypatch.setattr(merged_bulk.MergedBulkMixin, "_audit_many", fails_on_the_third_round)
        with pytest.raises(RuntimeError, match="injected failure"):
            run_merge(store)
        assert calls["n"] == 3 and dump(project.database_url) == before
        monkeypatch.setattr(merged_bulk.MergedBulkMixin, "_audit_many", real)
        cancel = CancelToken()
        with pytest.raises(Cancelled):
            run_merge(store, progress=lambda f, m: cancel.cancel() if "stored the merge" in m else None,
                      cancel=cancel)
        assert dump(project.database_url) == before
        run_merge(store)
        merged = dump(project.database_url)
        calls["n"] = 0
        monkeypatch.setattr(merged_bulk.MergedBulkMixin, "_audit_many", fails_on_the_third_round)
        with pytest.raises(RuntimeError, match="injected failure"):
            finalise_clips(store, [c.name for c in store.clips()])
        assert dump(project.database_url) == merged
    finally:
        store.close()


@pytest.mark.slow
def test_merging_a_larger_part_of_the_scale_project_stays_under_a_memory_bound(
        tmp_path: Path, mma52_dir: Path) -> None:
    """300 real clips, about 2,800 segments: the merge reads, merges and writes them in well under
    8 MB of Python allocations (about 14 MB were measured for 1,000 clips: it grows with the
    project's work, not with statements or ORM objects held across chunks)."""
    import tracemalloc

    build_scale_project(tmp_path / "proj", mma52_dir, limit=300, noise="low")
    store = Project.open(tmp_path / "proj").open_store(REVIEWER)
    try:
        run_merge(store, clip_names=[c.name for c in store.clips()[:5]])  # imports and caches warmed first
        tracemalloc.start()
        try:
            run = run_merge(store)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    finally:
        store.close()
    assert run.merged_clips == 300 and peak < 8_000_000, f"peak {peak / 1e6:.1f} MB"
