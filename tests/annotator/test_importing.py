"""Importing annotation files: ground truth, an annotator's work, reports, refusals."""
# ruff: noqa: F811  -- test functions take the imported pytest fixtures as arguments

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.errors import Cancelled, InputError
from annotator.formats.records import AnnotationSet, InstanceRecord, VideoRecord
from annotator.importing import import_annotation_set, import_annotations
from annotator.model import GROUND_TRUTH, AssignmentState, Role, Subset
from annotator.progress import CancelToken
from annotator.store.api import NewClip
from annotator.store.store import Store
from tests.annotator.store.db import db_url, project, store  # noqa: F401  (pytest fixtures)

HEADER = "id,video_id,start_frame,end_frame,class,total_frames,fps\n"
ROWS = ["0,196_01_0005_L,0,30,9,168,30.0", "1,196_01_0005_L,20,60,9,168,30.0", "2,196_01_0005_L,0,30,9,168,30.0",
        "3,201_02_0001_R,10,100,21,300,29.0", "4,201_02_0001_R,100,106,1,300,29.0"]
SHORT = "5,201_02_0001_R,100,105,1,300,29.0"  # 5 frames at 29 fps: 0.172 s


def write(tmp_path: Path, rows: list[str], name: str = "ann.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "\n".join(rows) + "\n", "utf-8")
    return path


def test_ground_truth_import_reports_and_dedups(store: Store, tmp_path: Path) -> None:
    report = import_annotations(store, write(tmp_path, ROWS), "mma52-csv", subset=Subset.VAL)
    assert (report.clips_created, report.instances_imported, report.duplicates_dropped) == (2, 4, 1)
    assert report.same_action_overlaps == 1
    clips = store.clips()
    assert [(c.name, c.subject, c.fps, c.frame_count, c.subset, c.media_path) for c in clips] == [
        ("196_01_0005_L", "196", 30.0, 168, Subset.VAL, None), ("201_02_0001_R", "201", 29.0, 300, Subset.VAL, None)]
    segs = store.segments(clips[0].id, GROUND_TRUTH)
    assert [(s.start_frame, s.end_frame, s.action_id, s.origin.value) for s in segs] == [
        (0, 30, 9, "imported"), (20, 60, 9, "imported")]
    assert [(s.start_frame, s.end_frame) for s in store.segments(clips[1].id, GROUND_TRUTH)] == [(10, 100), (100, 106)]
    audit = store.audit_log(limit=1, entity="segments")[0]
    assert audit.action == "import" and '"duplicates_dropped": 1' in (audit.new or "")


def test_annotator_import_marks_clips_done(store: Store, tmp_path: Path) -> None:
    store.add_clips([NewClip("201_02_0001_R", "201", 29.0, 300, subset=Subset.TRAIN)])
    store.add_annotator("ann7", Role.ANNOTATOR)
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
    store.add_annotator("x", Role.ANNOTATOR)
    before = (store.clips(), store.segments_by_clip(GROUND_TRUTH), store.audit_log(limit=1000))
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        import_annotations(store, write(tmp_path, ROWS[3:], "d.csv"), "mma52-csv", annotator="x", cancel=token)
    short = write(tmp_path, ["0,new_2,0,30,9,100,30.0", *ROWS[3:], SHORT], "e.csv")
    with pytest.raises(InputError) as caught:
        import_annotations(store, short, "mma52-csv")
    assert str(caught.value) == (f"{short}, line 5: instance 100-105 of video '201_02_0001_R' (class 1) lasts "
                                 "0.172 s (5 frames), shorter than the minimum 0.2 s (6 frames at 29 fps)")
    assert (store.clips(), store.segments_by_clip(GROUND_TRUTH), store.audit_log(limit=1000)) == before


@pytest.mark.parametrize(("fmt", "data", "place"), [
    ("opentad-json", {"database": {"9_01_0001": {"duration": 10.0, "frame": 300, "fps": 30.0, "annotations": [
        {"label": "nodding", "segment": [1.0, 2.0]}, {"label": "nodding", "segment": [3.0, 3.1]}]}}},
     "database.9_01_0001.annotations[1].segment"),
    ("pointtad-json", {"9_01_0001": {"duration": 10.0, "fps": 30.0, "actions": [[9, 1.0, 2.0], [9, 3.0, 3.1]]}},
     "9_01_0001.actions[1]"),
])
def test_short_instances_in_json_are_refused_at_their_key(store: Store, tmp_path: Path, fmt: str,
                                                           data: dict[str, object], place: str) -> None:
    path = tmp_path / "ann.json"
    path.write_text(json.dumps(data), "utf-8")
    with pytest.raises(InputError) as caught:
        import_annotations(store, path, fmt)
    assert str(caught.value).startswith(f"{path}, {place}: instance 90-93 of video '9_01_0001' (class 9) lasts "
                                        "0.100 s (3 frames), shorter than the minimum 0.2 s (6 frames at 30 fps)")
    assert store.clips() == [] and store.audit_log(limit=10) == []


def test_short_instance_without_a_file_names_its_video(store: Store) -> None:
    aset = AnnotationSet(videos={"v_1": VideoRecord("v_1", 30.0, 100)}, instances=[InstanceRecord("v_1", 0, 5, 2)])
    with pytest.raises(InputError, match=r"^synthetic, video 'v_1': instance 0-5 .* 0\.167 s \(5 frames\)"):
        import_annotation_set(store, aset, "synthetic")
    assert store.clips() == []
