"""`mmad merge`, `mmad agreement` and `mmad finalise` end to end on a small SQLite project."""

import json
import re
from dataclasses import replace

import pytest

from annotator.model import AssignmentState, Proposal, Role, Segment
from annotator.project import Project
from annotator.store.api import NewClip
from app.cli.main import main


@pytest.fixture
def project_dir(tmp_path, new_sqlite_project):
    p = new_sqlite_project(tmp_path / "proj", "proj")
    store = p.open_store()
    for name in ("a1", "a2", "a3"):
        store.add_annotator(name, Role.ANNOTATOR)
    clips = store.add_clips([NewClip("c0", "s1", 30.0, 300), NewClip("c1", "s1", 30.0, 300)])
    for clip in clips:
        for name in ("a1", "a2", "a3"):
            store.assign(clip.id, name)
    for name, (s, e) in zip(("a1", "a2", "a3"), ((10, 60), (12, 60), (10, 58)), strict=True):
        store.as_user(name).add_segment(Segment(None, clips[0].id, name, s, e, 9))
        store.set_assignment_state(clips[0].id, name, AssignmentState.DONE)
    store.close()
    return p.path


def test_merge_command(project_dir, capsys):
    assert main(["merge", str(project_dir), "--threshold", "0.95"]) == 0
    out = capsys.readouterr().out
    assert "merged 1 clip, skipped 1: 1 not done: 1 instance, 0 reliable, 1 need review" in out
    assert "skipped c1:" not in out and "(--verbose names every skipped clip and why)" in out
    assert main(["merge", str(project_dir), "--threshold", "0.95", "--verbose"]) == 0
    assert "skipped c1: not done: a1 (todo), a2 (todo), a3 (todo)" in capsys.readouterr().out


def test_merge_bad_input(project_dir, capsys, tmp_path):
    assert main(["merge", str(project_dir), "--clips", "zz"]) == 2
    assert "no clip of that name" in capsys.readouterr().err
    assert main(["merge", str(tmp_path / "nowhere")]) == 2
    with pytest.raises(SystemExit):
        main(["merge", str(project_dir), "--threshold", "1.5"])


def test_agreement_command(project_dir, capsys, tmp_path):
    # before any merge: the annotators' figures are there, the stored reliable share is not
    assert main(["agreement", str(project_dir), "--json"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert "1 compared clip has no stored merge" in captured.err
    assert data["overall"]["reliable_share"] is None and data["clips_without_stored_merge"] == 1
    # (10,60) (12,60) (10,58): one nod group; pairwise tIoUs 48/50, 48/50, 46/50 all >= 0.9
    assert data["overall"]["f1"] == {"0.3": 1.0, "0.5": 1.0, "0.7": 1.0, "0.9": 1.0}
    assert data["overall"]["segments"] == 3 and data["overall"]["instances"] == 1
    assert [c["name"] for c in data["per_clip"]] == ["c0"]  # by name, not database id; c1 is not done
    # ĵ = a1 (s: 1 + .96 + .96), k̂ = a2 (tie with a3, lower id), union [10, 60]: offsets 0, 2, 0 / 0, 0, -2
    assert data["overall"]["start_offset_mean"] == pytest.approx(2 / 3)
    assert data["overall"]["end_offset_mean"] == pytest.approx(-2 / 3)


def test_agreement_share_is_what_the_merge_stored(project_dir, capsys, tmp_path):
    # the merge at 0.95 stores the nod (joint tIoU 46/50 = 0.92) as not reliable; the report agrees,
    # where a fresh cross-check at the default 0.9 would have called it reliable
    assert main(["merge", str(project_dir), "--threshold", "0.95"]) == 0
    assert "0 reliable" in capsys.readouterr().out
    assert main(["agreement", str(project_dir), "--json", "--out", str(tmp_path / "rep")]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert data["overall"]["reliable_share"] == 0.0 and data["clips_without_stored_merge"] == 0
    assert "no stored merge" not in captured.err
    assert "stored by `mmad merge`" in data["methods"]["reliable_share"]
    assert (tmp_path / "rep" / "offsets.png").read_bytes()[:4] == b"\x89PNG"
    saved = json.loads((tmp_path / "rep" / "agreement.json").read_text())
    assert saved["overall"] == data["overall"]
    assert "stored by `mmad merge`" in (tmp_path / "rep" / "agreement.md").read_text()


def test_agreement_compares_the_shared_proposals_only(project_dir, capsys, tmp_path):
    # a1's own model loop stored proposals of its own (private, requested_by a1): they were never in a2's
    # or a3's lanes, so the annotator-model agreement and the model version compared leave them out
    store = _store(project_dir)
    try:
        c0 = next(c.id for c in store.clips() if c.name == "c0")
        store.add_proposals(c0, "v1", [Proposal(None, c0, "v1", 10, 60, 9, 0.9)])  # shared: everyone's lane
        a1 = store.as_user("a1")
        a1.add_proposals(c0, "v1", [Proposal(None, c0, "v1", 100, 150, 9, 0.9),
                                    Proposal(None, c0, "v1", 200, 250, 9, 0.9)])
        a1.add_proposals(c0, "v2", [Proposal(None, c0, "v2", 10, 60, 9, 0.9)])  # the newest stored: a1's own
    finally:
        store.close()
    assert main(["agreement", str(project_dir), "--json"]) == 0
    effect = json.loads(capsys.readouterr().out)["proposal_effect"]
    assert effect["model_version"] == "v1" and effect["private_proposals_left_out"] == 3
    with_proposals = effect["rows"][0]
    assert with_proposals["condition"] == "with proposals" and with_proposals["model_f1"] == 1.0
    assert main(["agreement", str(project_dir), "--out", str(tmp_path / "rep")]) == 0
    assert "3 proposal(s) that annotators' own model loops stored are left out" in (
        tmp_path / "rep" / "proposal_effect.md").read_text()


def _store(project_dir, user=None):
    return Project.open(project_dir).open_store(user)


def _merged_with_reviewer(project_dir, capsys, *merge_args):
    """Merge the project and add reviewer 'boss'; returns the audit log as it then stands."""
    assert main(["merge", str(project_dir), *merge_args]) == 0
    store = _store(project_dir)
    try:
        store.add_annotator("boss", Role.REVIEWER)
        return store.audit_log(limit=1000)
    finally:
        store.close()
        capsys.readouterr()


def test_finalise_accepts_the_majority_as_the_reviewer_and_logs_each_decision(project_dir, capsys):
    _merged_with_reviewer(project_dir, capsys, "--threshold", "0.95")  # the nod needs review: keep
    assert main(["finalise", str(project_dir), "c0", "--as", "boss"]) == 0
    assert "finalised 1 clip, 1 decision taken from the majority as boss" in capsys.readouterr().out
    store = _store(project_dir)
    try:
        c0 = store.clip_by_name("c0")
        assert c0 is not None and c0.finalised
        (inst,) = store.merged_instances(c0.id)
        assert (inst.status.value, str(inst.decision), inst.decided_by) == ("resolved", "keep", "boss")
        log = [(e.user, e.action, e.entity) for e in store.audit_log(limit=3)]
        assert log[:2] == [("boss", "finalise", "clip"), ("boss", "resolve", "merged")]
    finally:
        store.close()
    assert main(["finalise", str(project_dir), "c0", "--as", "boss"]) == 0  # already final: named, not a failure
    assert "already finalised: c0" in capsys.readouterr().out


def test_finalise_refuses_annotators_unknown_clips_and_clips_without_majority(project_dir, capsys):
    before = _merged_with_reviewer(project_dir, capsys, "--threshold", "0.95")
    assert main(["finalise", str(project_dir), "c0", "--as", "a1"]) == 2
    assert "a1 is an annotator: only a reviewer may finalise clips" in capsys.readouterr().err
    assert main(["finalise", str(project_dir), "c0", "zz", "--as", "boss"]) == 2
    assert "zz: no clip of that name" in capsys.readouterr().err
    assert main(["finalise", str(project_dir), "--as", "boss"]) == 2  # neither clips nor --all-reliable
    assert main(["finalise", str(project_dir), "c1", "--as", "boss"]) == 1  # its annotators are not done
    assert "c1: 3 of its 3 annotators not done yet" in capsys.readouterr().out
    store = _store(project_dir)
    try:
        assert store.audit_log(limit=1000) == before  # nothing decided, nothing finalised
    finally:
        store.close()


def test_finalise_refuses_a_clip_changed_after_its_merge_and_keeps_no_decision(project_dir, capsys):
    _merged_with_reviewer(project_dir, capsys, "--threshold", "0.95")  # the nod needs review, majority keep
    store = _store(project_dir)
    try:
        c0 = store.clip_by_name("c0").id
        (seg,) = store.segments(c0, "a2")
        store.as_user("a2").update_segment(replace(seg, end_frame=80))  # a2 changes their mind after the merge
        before = store.audit_log(limit=1000)
    finally:
        store.close()
    assert main(["finalise", str(project_dir), "c0", "--as", "boss"]) == 1
    out = capsys.readouterr().out
    assert "finalised 0 clips, 0 decisions" in out
    assert re.search(r"left as it was: c0: clip 'c0' changed after its merge \(a2 edited at [-\d]+ [:\d]+ UTC\): "
                     r"merge it again before finalising", out)
    store = _store(project_dir)
    try:
        assert store.audit_log(limit=1000) == before  # the majority decision was rolled back with the refusal
        assert not store.clip_by_name("c0").finalised
    finally:
        store.close()
    assert main(["merge", str(project_dir), "--threshold", "0.95"]) == 0
    assert main(["finalise", str(project_dir), "c0", "--as", "boss"]) == 0
    assert "finalised 1 clip," in capsys.readouterr().out


def test_the_data_layer_refuses_an_annotator_who_bypasses_the_command(project_dir):
    from annotator.errors import PermissionDenied
    from merging.finalise import finalise_clips

    assert main(["merge", str(project_dir), "--threshold", "0.95"]) == 0
    store = _store(project_dir, "a1")
    try:
        with pytest.raises(PermissionDenied):
            finalise_clips(store, ["c0"])
    finally:
        store.close()


def test_finalise_all_reliable_takes_only_clips_whose_instances_are_all_reliable(project_dir, capsys):
    _merged_with_reviewer(project_dir, capsys)  # at 0.9 the nod is reliable
    assert main(["finalise", str(project_dir), "--all-reliable", "--as", "boss"]) == 0
    assert "finalised 1 clip, 0 decisions" in capsys.readouterr().out
    store = _store(project_dir)
    try:
        assert [c.name for c in store.clips() if c.finalised] == ["c0"]
    finally:
        store.close()


def test_a_clip_everyone_finished_empty_is_merged_finalised_counted_and_exported(project_dir, capsys, tmp_path):
    store = _store(project_dir)
    try:
        c1 = store.clip_by_name("c1")
        assert c1 is not None
        for name in ("a1", "a2", "a3"):
            store.set_assignment_state(c1.id, name, AssignmentState.DONE)  # done, nothing seen
        store.add_clips([NewClip("c2", "s2", 30.0, 300)])  # another subject for the split
    finally:
        store.close()
    _merged_with_reviewer(project_dir, capsys)
    assert main(["finalise", str(project_dir), "--all-reliable", "--as", "boss"]) == 0
    assert "finalised 2 clips, 0 decisions" in capsys.readouterr().out
    assert main(["split", str(project_dir), "--ratios", "0.5,0.5,0"]) == 0
    capsys.readouterr()
    assert main(["stats", str(project_dir), "--source", "merged", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert (stats["subsets"]["all"]["videos"], stats["subsets"]["all"]["instances"]) == (2, 1)
    out = tmp_path / "out"
    assert main(["export", str(project_dir), str(out), "--format", "all", "--source", "merged"]) == 0
    assert "1 clip has no instances" in capsys.readouterr().out
    database = json.loads((out / "mmad_opentad.json").read_text("utf-8"))["database"]
    assert database["c1"]["annotations"] == [] and len(database["c0"]["annotations"]) == 1
    assert database["c1"]["subset"] == database["c0"]["subset"]  # one subject, one subset
    assert "c2" not in database  # never annotated: not ground truth
    assert main(["merge", str(project_dir), "--verbose"]) == 0  # a finalised clip is never merged again
    out = capsys.readouterr().out
    assert out.startswith("merged 0 clips, skipped 3: 1 unassigned, 2 finalised:") and "skipped c1: finalised" in out


def test_finalise_names_a_merged_clip_whose_merge_is_missing(project_dir, capsys):
    store = _store(project_dir)
    try:
        (c1,) = [c for c in store.clips() if c.name == "c1"]
        for name in ("a1", "a2", "a3"):
            store.set_assignment_state(c1.id, name, AssignmentState.DONE)
        store.as_user("a1").add_segment(Segment(None, c1.id, "a1", 10, 60, 9))
        store.add_annotator("boss", Role.REVIEWER)
    finally:
        store.close()
    assert main(["finalise", str(project_dir), "c1", "--as", "boss"]) == 1
    assert "c1: no merged instances (run mmad merge first)" in capsys.readouterr().out
