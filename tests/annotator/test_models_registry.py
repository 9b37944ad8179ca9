"""The model registry file, the control-clip setting and what a training run would learn from."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from annotator.errors import InputError
from annotator.model import GROUND_TRUTH, Role, Subset
from annotator.models_registry import (
    ModelVersion,
    Scores,
    activate,
    add_version,
    load_registry,
    registry_path,
)
from annotator.project import Project
from annotator.proposal_control import ControlSetting, control_setting, set_control_setting
from annotator.store.api import BulkImport, NewClip, NewSegment
from annotator.training_data import MERGED, default_source, fingerprint, training_data


def version(number: int, name: str, threshold: float = 0.4) -> ModelVersion:
    return ModelVersion(number, name, "2026-01-01T00:00:00+00:00", f"models/{number}/best.pt", "pose", "-",
                        GROUND_TRUTH, {"train": 4, "val": 2}, "abc", 3, Scores(0.5, 0.6, 0.55), None, threshold, 0.7)


def test_versions_round_trip_and_the_newest_is_active(tmp_path: Path) -> None:
    assert load_registry(tmp_path).active_version() is None
    add_version(tmp_path, version(1, "pose-none@aaaa1111"))
    add_version(tmp_path, version(1, "pose-none@bbbb2222"))  # number taken meanwhile: renumbered
    registry = load_registry(tmp_path)
    assert [v.number for v in registry.versions] == [1, 2]
    assert registry.active_version() == registry.versions[1]
    assert registry.versions[0].val == Scores(0.5, 0.6, 0.55) and registry.versions[0].total_clips == 6


def test_activate_by_number_or_name_prefix_and_refuse_unknown(tmp_path: Path) -> None:
    add_version(tmp_path, version(1, "pose-none@aaaa1111"))
    add_version(tmp_path, version(2, "pose-none@bbbb2222"))
    assert activate(tmp_path, "v1").number == 1
    assert load_registry(tmp_path).active_version().name == "pose-none@aaaa1111"  # type: ignore[union-attr]
    assert activate(tmp_path, "pose-none@bbbb").number == 2
    before = registry_path(tmp_path).read_text()
    with pytest.raises(InputError, match="no such model version; known: v1 pose-none@aaaa1111"):
        activate(tmp_path, "pose-none@")  # ambiguous prefix
    assert registry_path(tmp_path).read_text() == before


def test_a_broken_registry_file_is_named(tmp_path: Path) -> None:
    registry_path(tmp_path).parent.mkdir()
    registry_path(tmp_path).write_text("{\"versions\": [{\"number\": 1}]}")
    with pytest.raises(InputError, match="registry.json: not a model registry"):
        load_registry(tmp_path)


def test_control_clips_are_chosen_per_clip_at_the_share(tmp_path: Path) -> None:
    project = Project.create(tmp_path / "p")
    assert control_setting(project.path) == ControlSetting(0.1, 0)
    names = [f"S{i:03d}_clip" for i in range(2000)]
    share = sum(ControlSetting(0.1).is_control(n) for n in names) / len(names)
    assert 0.08 < share < 0.12
    assert [ControlSetting(0.3, 5).is_control(n) for n in names[:50]] == [
        ControlSetting(0.3, 5).is_control(n) for n in names[:50]]  # the same answer for every annotator
    set_control_setting(project.path, ControlSetting(0.25, 3))
    assert control_setting(project.path) == ControlSetting(0.25, 3)
    assert Project.open(project.path).name == "p"  # the rest of project.toml is kept
    (project.path / "project.toml").write_text((project.path / "project.toml").read_text().replace("0.25", "2.5"))
    with pytest.raises(InputError, match="control_share"):
        control_setting(project.path)


def _project(tmp_path: Path) -> Project:
    project = Project.create(tmp_path / "p")
    store = project.open_store()
    try:
        store.add_annotator("rev", Role.REVIEWER)
        clips = [NewClip(f"S{s}_c{k}", f"S{s}", 30.0, 90, media_path=f"S{s}_c{k}.mp4") for s in (1, 2, 3) for k in (1, 2)]
        clips.append(NewClip("S4_c1", "S4", 30.0, 90))  # no media
        store.import_bulk(BulkImport(GROUND_TRUTH, clips, {}, [NewSegment("S1_c1", 5, 40, 3), NewSegment("S2_c1", 0, 30, 9)],
                                     clip_names=[c.name for c in clips]))
        subsets = {"S1": Subset.TRAIN, "S2": Subset.VAL, "S3": Subset.TEST, "S4": Subset.TRAIN}
        store.set_subsets({c.id: subsets[c.subject] for c in store.clips()})
    finally:
        store.close()
    for name in ("S1_c1", "S1_c2", "S2_c1", "S2_c2", "S3_c1"):
        (project.media_dir / f"{name}.mp4").write_bytes(b"x")
    return project


def test_training_data_counts_per_subset_and_says_what_it_leaves_out(tmp_path: Path) -> None:
    project = _project(tmp_path)
    store = project.open_store()
    try:
        assert default_source(store) == GROUND_TRUTH
        data = training_data(project, store)
        assert data.clips == {"train": 2, "val": 2, "test": 1}
        assert data.instances == {"train": 1, "val": 1}
        assert data.subjects == {"train": ["S1"], "val": ["S2"], "test": ["S3"]}
        assert data.left_out == {"without media": 2}
        assert data.ids(Subset.VAL) == ["S2_c1", "S2_c2"]
        assert data.fingerprint == fingerprint(data.annotations) and len(data.fingerprint) == 12
        assert "train: 2 clips, 1 instances, subjects S1" in data.summary()
        with pytest.raises(InputError, match="no training clips: 5 clips not finalised, 2 clips without media"):
            training_data(project, store, MERGED)
    finally:
        store.close()


def test_clips_with_nothing_to_train_on_are_named_not_lost(tmp_path: Path) -> None:
    project = _project(tmp_path)
    store = project.open_store()
    try:
        store.add_annotator("ann", Role.ANNOTATOR)
        for clip in store.clips():
            store.assign(clip.id, "ann")  # in the workflow: ground truth only where imported
        data = training_data(project, store)
        assert data.left_out == {"without media": 2, "with nothing in source ground-truth": 3}
        with pytest.raises(InputError, match=r"no training clips: 5 clips with nothing an annotator may read "
                                             r"\(the ground truth and others' work: finalised clips only\)"):
            training_data(project, store.as_user("ann"))  # the demo's annotator saw "the project has no clips"
    finally:
        store.close()


def test_a_worse_new_version_is_registered_inactive(tmp_path: Path) -> None:
    from annotator.models_registry import register_version

    good = version(1, "pose-none@aaaa1111")  # val AVG 0.55
    assert register_version(tmp_path, good)[1:] == (True, "the first version")
    worse = replace(version(2, "pose-none@bbbb2222"), val=Scores(0.1, 0.2, 0.15))
    entry, active, why = register_version(tmp_path, worse)
    assert not active and entry.number == 2 and "15.00 % < 55.00 % of the active v1" in why
    assert load_registry(tmp_path).active_version().number == 1  # type: ignore[union-attr]
    no_val = replace(version(3, "pose-none@cccc3333"), val=None)  # 1 clip, no validation: never replaces
    assert not register_version(tmp_path, no_val)[1]
    better = replace(version(4, "pose-none@dddd4444"), val=Scores(0.6, 0.6, 0.6))
    assert register_version(tmp_path, better)[1]
    assert load_registry(tmp_path).active_version().number == 4  # type: ignore[union-attr]
    assert [v.number for v in load_registry(tmp_path).versions] == [1, 2, 3, 4]


def test_too_small_training_data_is_refused_with_the_reason(tmp_path: Path) -> None:
    from annotator.training_data import refusal

    project = _project(tmp_path)
    store = project.open_store()
    try:
        data = training_data(project, store)
    finally:
        store.close()
    assert refusal(data, 5, 20) == "only 2 training clips (at least 5 needed)"
    assert refusal(data, 2, 20) == "only 1 training instances (at least 20 needed)"
    assert refusal(data, 2, 1) is None
    no_val = replace(data, clips={"train": 2, "test": 1})
    assert "no validation clips" in (refusal(no_val, 2, 1) or "")
    assert "Export dialog" in (refusal(no_val, 2, 1) or "")  # the window can split: it says where
    assert refusal(no_val, 2, 1, need_val=False) is None


def test_an_equal_version_replaces_the_active_one_and_so_does_any_over_one_without_val(tmp_path: Path) -> None:
    from annotator.models_registry import register_version, should_activate

    first = version(1, "pose-none@aaaa1111")  # val AVG 0.55
    assert should_activate(replace(first, number=2), first) == (True, f"val AVG mAP 55.00 % >= 55.00 % of {first.label}")
    blind = replace(first, val=None)  # trained anyway on data without validation clips
    assert should_activate(first, blind) == (True, f"the active {blind.label} has no validation figures")
    assert should_activate(replace(blind, number=2), blind) == (True, "neither has validation figures")
    register_version(tmp_path, blind)
    assert register_version(tmp_path, replace(first, number=2, name="pose-none@bbbb2222"))[1]
    assert load_registry(tmp_path).active_version().number == 2  # type: ignore[union-attr]
