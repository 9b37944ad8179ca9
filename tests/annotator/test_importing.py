"""Importing annotation files: ground truth, an annotator's work, reports, refusals."""
# ruff: noqa: F811  -- test functions take the imported pytest fixtures as arguments

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.errors import Cancelled, InputError
from annotator.importing import import_annotations
from annotator.model import GROUND_TRUTH, AssignmentState, Subset
from annotator.progress import CancelToken
from annotator.store.api import NewClip
from annotator.store.store import Store
from tests.annotator.store.db import db_url, project, store  # noqa: F401  (pytest fixtures)

HEADER = "id,video_id,start_frame,end_frame,class,total_frames,fps\n"
ROWS = ["0,196_01_0005_L,0,30,9,168,30.0", "1,196_01_0005_L,20,60,9,168,30.0", "2,196_01_0005_L,0,30,9,168,30.0",
        "3,201_02_0001_R,10,100,21,300,29.0", "4,201_02_0001_R,100,103,1,300,29.0"]


def write(tmp_path: Path, rows: list[str], name: str = "ann.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "\n".join(rows) + "\n", "utf-8")
    return path


def test_ground_truth_import_reports_and_dedups(store: Store, tmp_path: Path) -> None:
    report = import_annotations(store, write(tmp_path, ROWS), "mma52-csv", subset=Subset.VAL)
    assert (report.clips_created, report.instances_imported, report.duplicates_dropped) == (2, 4, 1)
    assert (report.same_action_overlaps, report.short_instances) == (1, 1)
    clips = store.clips()
    assert [(c.name, c.subject, c.fps, c.frame_count, c.subset, c.media_path) for c in clips] == [
        ("196_01_0005_L", "196", 30.0, 168, Subset.VAL, None), ("201_02_0001_R", "201", 29.0, 300, Subset.VAL, None)]
    segs = store.segments(clips[0].id, GROUND_TRUTH)
    assert [(s.start_frame, s.end_frame, s.action_id, s.origin.value) for s in segs] == [
        (0, 30, 9, "imported"), (20, 60, 9, "imported")]
    audit = store.audit_log(limit=1, entity="segments")[0]
    assert audit.action == "import" and '"duplicates_dropped": 1' in (audit.new or "")


def test_annotator_import_marks_clips_done(store: Store, tmp_path: Path) -> None:
    store.add_clips([NewClip("201_02_0001_R", "201", 29.0, 300, subset=Subset.TRAIN)])
    report = import_annotations(store, write(tmp_path, ROWS[3:4]), "mma52-csv", annotator="ann7")
    assert (report.author, report.clips_created, report.clips_in_file) == ("ann7", 0, 1)
    assert store.clip_by_name("201_02_0001_R").subset == Subset.TRAIN  # type: ignore[union-attr]
    me = store.as_user("ann7")
    assert [a.state for a in me.assignments()] == [AssignmentState.DONE]
    assert len(me.segments_by_clip("ann7")) == 1


def test_subject_regex_and_bad_regex(store: Store, tmp_path: Path) -> None:
    path = write(tmp_path, ROWS[:1])
    with pytest.raises(InputError, match="does not match the subject regex"):
        import_annotations(store, path, "mma52-csv", subject_regex=r"^(\d+)_X")
    import_annotations(store, path, "mma52-csv", subject_regex=r"^\d+_(\d+)")
    assert store.clips()[0].subject == "01"


def test_refusals_leave_the_project_untouched(store: Store, tmp_path: Path) -> None:
    import_annotations(store, write(tmp_path, ROWS[:1], "a.csv"), "mma52-csv")
    before = (store.clips(), store.segments_by_clip(GROUND_TRUTH), store.audit_log(limit=1000))
    mismatch = write(tmp_path, ["0,196_01_0005_L,0,30,9,170,30.0", "1,new_1,0,30,9,100,30.0"], "b.csv")
    with pytest.raises(InputError, match="b.csv, video '196_01_0005_L': 170 frames"):
        import_annotations(store, mismatch, "mma52-csv")
    again = write(tmp_path, ["0,new_1,0,30,9,100,30.0", "1,196_01_0005_L,40,80,9,168,30.0"], "c.csv")
    with pytest.raises(InputError, match="c.csv: 'ground-truth' already has segments on clip '196_01_0005_L'"):
        import_annotations(store, again, "mma52-csv")
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        import_annotations(store, write(tmp_path, ROWS[3:], "d.csv"), "mma52-csv", annotator="x", cancel=token)
    assert (store.clips(), store.segments_by_clip(GROUND_TRUTH), store.audit_log(limit=1000)) == before
