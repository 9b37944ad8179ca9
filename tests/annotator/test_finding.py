"""Find: instances by action, body part, annotator; blind mode; clips by disagreement."""

from pathlib import Path

from annotator.finding import Query, disagreement, find_instances, searchable_authors
from annotator.model import MergedInstance, MergedStatus, MergeRule
from annotator.project import Project
from tests.app.review.conftest import NOD, NOSE, WORK, build_review_project


def test_find_by_action_part_and_annotator_and_blind_mode(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    build_review_project(folder)
    project = Project.open(folder)
    rev = project.open_store("rev")
    try:
        assert searchable_authors(rev, "rev") == ["a1", "a2", "a3"]
        nods = find_instances(rev, "rev", Query(action_id=NOD))
        assert sorted(h.author for h in nods) == ["a1", "a2", "a3"]
        assert all(h.clip_name == "S01_rev" and h.action_id == NOD for h in nods)
        part = rev.taxonomy.body_part_of
        for wanted in (NOD, NOSE):
            found = find_instances(rev, "rev", Query(body_part_id=part(wanted).id))
            expected = [(a, s, e) for a, segs in WORK.items() for s, e, act in segs if part(act) == part(wanted)]
            assert sorted((h.author, h.start_frame, h.end_frame) for h in found) == sorted(expected)
        assert [h.author for h in find_instances(rev, "rev", Query(annotator="a3"))] == ["a3", "a3"]
    finally:
        rev.close()
    a1 = project.open_store("a1")
    try:
        assert searchable_authors(a1, "a1") == ["a1"]
        assert {h.author for h in find_instances(a1, "a1", Query())} == {"a1"}
        assert find_instances(a1, "a1", Query(annotator="a2")) == []  # blind: never another's work
    finally:
        a1.close()


def test_disagreement_orders_clips_by_disputed_share() -> None:
    def inst(clip: int, status: MergedStatus) -> MergedInstance:
        return MergedInstance(None, clip, 0, 10, 1, (), MergeRule.UNION, status is MergedStatus.RELIABLE, status)

    merged = {1: [inst(1, MergedStatus.RELIABLE), inst(1, MergedStatus.NEEDS_REVIEW)],
              2: [inst(2, MergedStatus.NEEDS_REVIEW), inst(2, MergedStatus.RESOLVED)],
              3: [inst(3, MergedStatus.RELIABLE)], 4: []}
    rows = disagreement(merged, {1: "a", 2: "b", 3: "c"})
    assert [(r.clip_name, r.disputed, r.instances) for r in rows] == [("b", 2, 2), ("a", 1, 2), ("c", 0, 1)]
    assert rows[0].share == 1.0
