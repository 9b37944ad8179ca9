"""Export: stored order, sources, splits, and the real MMA-52 files round-tripping in every format."""
# ruff: noqa: F811  -- test functions take the imported pytest fixtures as arguments

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from annotator.decisions import Decision
from annotator.errors import InputError
from annotator.exporting import export_annotations, export_set, split_project
from annotator.formats import read_annotations
from annotator.importing import import_annotations
from annotator.model import GROUND_TRUTH, MergedInstance, MergedStatus, MergeRule, Segment, Subset
from annotator.project import Project
from annotator.store.api import NewClip
from annotator.store.store import Store
from tests.annotator.store.db import db_url, project, store  # noqa: F401  (pytest fixtures)

D = Decision.parse  # decisions written as their stored text


def _rows(path: Path) -> list[tuple[str, ...]]:
    with path.open(newline="", encoding="utf-8") as f:
        return [tuple(r) for r in csv.reader(f)]


def test_merged_export_keeps_reliable_and_resolved(store: Store) -> None:
    clip = store.add_clips([NewClip("s1_a", "s1", 30.0, 300, subset=Subset.TRAIN)])[0]
    seg = store.add_segment(Segment(None, clip.id, "ann1", 0, 30, 3))

    def inst(start: int, status: MergedStatus, majority: str | None = None) -> MergedInstance:
        return MergedInstance(None, clip.id, start, start + 30, 3, (seg.id or 0,), MergeRule.SINGLE, False,
                              status, majority=majority)

    made = store.replace_unresolved_merged(clip.id, [
        inst(0, MergedStatus.RELIABLE), inst(40, MergedStatus.NEEDS_REVIEW, D("keep")),
        inst(80, MergedStatus.NEEDS_REVIEW, D("delete")), inst(120, MergedStatus.NEEDS_REVIEW, D("keep")),
        inst(160, MergedStatus.NEEDS_REVIEW, D("keep"))])
    store.resolve_merged(made[3].id or 0, 1, D("keep"), 121, 150, 4)
    store.resolve_merged(made[4].id or 0, 1, D("delete"), 160, 190, 3)
    assert export_set(store, "merged").instances == []  # not finalised: not in the dataset
    assert [i.start_frame for i in export_set(store, "merged", include_unresolved=True).instances] == [0, 40, 121]
    store.resolve_merged(made[1].id or 0, 1, D("keep"), 40, 70, 3)
    store.resolve_merged(made[2].id or 0, 1, D("delete"), 80, 110, 3)
    store.finalise_clip(clip.id)
    assert [i.start_frame for i in export_set(store, "merged").instances] == [0, 40, 121]
    with pytest.raises(InputError, match="unknown source"):
        export_set(store, "people")


def test_export_refuses_a_leaking_split(store: Store, tmp_path: Path) -> None:
    for clip in store.add_clips([NewClip("s1_a", "s1", 30.0, 300, subset=Subset.TRAIN),
                                 NewClip("s1_b", "s1", 30.0, 300, subset=Subset.VAL)]):
        store.add_segment(Segment(None, clip.id, GROUND_TRUTH, 10, 40, 3))
    with pytest.raises(InputError, match="s1"):
        export_annotations(store, tmp_path / "out", "mma52-csv")
    summary = split_project(store, seed=3)
    assert sum(summary.clips.values()) == 2 and sum(summary.subjects.values()) == 1
    names = [p.name for p in export_annotations(store, tmp_path / "out", "pointtad-json")]
    assert names[-2:] == ["mmad.json", "mmad_export.json"]


@pytest.mark.realdata
@pytest.mark.slow
def test_real_mma52_round_trips_in_every_format(mma52_dir: Path, tmp_path: Path) -> None:
    project = Project.create(tmp_path / "p")
    store = project.open_store()
    try:
        for name, subset in (("train", Subset.TRAIN), ("val", Subset.VAL)):
            import_annotations(store, mma52_dir / f"{name}.csv", "mma52-csv", subset=subset)
        written = export_annotations(store, tmp_path / "csv", "mma52-csv")
        assert [p.name for p in written] == ["train.csv", "val.csv", "all.csv", "mmad_export.json"]
        for name in ("train", "val"):
            assert _rows(tmp_path / "csv" / f"{name}.csv") == _rows(mma52_dir / f"{name}.csv")
        original = export_set(store)
        for fmt, file in (("opentad-json", "mmad_opentad.json"), ("pointtad-json", "mmad.json")):
            export_annotations(store, tmp_path / fmt, fmt)
            again = Project.create(tmp_path / f"again-{fmt}")
            other = again.open_store()
            try:
                import_annotations(other, tmp_path / fmt / file, fmt)
                back = export_set(other)
            finally:
                other.close()
            assert back.instances == original.instances
            assert back.videos == original.videos
            reread = read_annotations(tmp_path / fmt / file, fmt, project.taxonomy)
            assert reread.instances == original.instances
    finally:
        store.close()


def test_export_all_formats_from_one_read(store: Store, tmp_path: Path) -> None:
    for clip in store.add_clips([NewClip("s1_a", "s1", 30.0, 300, subset=Subset.TRAIN),
                                 NewClip("s2_a", "s2", 30.0, 300, subset=Subset.VAL)]):
        store.add_segment(Segment(None, clip.id, GROUND_TRUTH, 10, 40, 3))
    names = {p.relative_to(tmp_path / "all").as_posix() for p in export_annotations(store, tmp_path / "all", "all")}
    assert names >= {"train.csv", "val.csv", "all.csv", "mmad_opentad_train.json", "mmad_opentad.json",
                     "mmad_train.json", "mmad.json", "elan/s1_a.eaf", "boris_aggregated_val.tsv", "label_studio.json"}
    written = {p.relative_to(tmp_path / "all").as_posix() for p in (tmp_path / "all").rglob("*") if p.is_file()}
    assert written == names  # nothing written that is not listed
    for one in ("mma52-csv", "opentad-json"):  # the same files as the one-format exports
        for path in export_annotations(store, tmp_path / one, one):
            assert path.read_bytes() == (tmp_path / "all" / path.name).read_bytes()
    with pytest.raises(InputError, match="unknown format 'xml'"):
        export_annotations(store, tmp_path / "bad", ["mma52-csv", "xml"])
    assert not (tmp_path / "bad").exists()  # refused before anything is written
