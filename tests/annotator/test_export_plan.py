"""The export plan counts what the export writes, and reports a leaking split."""

from pathlib import Path

from annotator.export_plan import UNSPLIT, plan_export
from annotator.exporting import export_annotations, split_project
from annotator.formats import read_annotations
from annotator.model import Subset
from annotator.project import Project
from annotator.store.api import NewClip
from merging.finalise import finalise_clips
from tests.app.review.conftest import build_review_project


def test_counts_match_the_written_files_and_leakage_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    build_review_project(folder)
    owner = Project.open(folder).open_store()
    try:
        assert plan_export(owner, "merged").total_clips == 0  # nothing finalised: nothing merged to export
        finalise_clips(owner.as_user("rev"), ["S01_rev"])
        unsplit = plan_export(owner, "merged")
        assert list(unsplit.subsets) == [UNSPLIT] and unsplit.leakage is None
        split_project(owner, (0.5, 0.5, 0.0), seed=0)
        plan = plan_export(owner, "merged")
        assert plan.leakage is None and plan.total_clips == 1  # S02_wait is not finished
        assert {s for c in plan.subsets.values() for s in c.subjects} == {"S01"}
        written = export_annotations(owner, tmp_path / "out", "opentad-json", "merged")
        assert written
        everything = read_annotations(tmp_path / "out" / "mmad_opentad.json", "opentad-json", owner.taxonomy)
        assert len(everything.instances) == plan.total_instances
        (extra,) = owner.add_clips([NewClip(name="S01_more", subject="S01", fps=30.0, frame_count=60)])
        where = {c.subject: c.subset for c in owner.clips() if c.subset is not None}
        other = next(s for s in Subset if s != where["S01"])
        owner.set_subsets({extra.id: other})
        leaking = plan_export(owner, "merged")
        assert leaking.leakage is not None and "S01" in leaking.leakage
    finally:
        owner.close()
