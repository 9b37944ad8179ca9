"""`mmad model-info`, `eval`, `train`, `predict` end to end on tiny synthetic clips."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.formats import read_predictions, write_annotations, write_predictions
from annotator.formats.records import AnnotationSet, InstanceRecord, PredictionRecord, VideoRecord
from annotator.taxonomy import load_taxonomy
from app.cli.main import main
from tests.inference.synthetic_clips import make_clips, write_mp4

TAXONOMY = load_taxonomy("mma52")


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_model_info_vit_s_counts_beside_the_paper(capsys: pytest.CaptureFixture[str]) -> None:
    expected = {"dsta": (1.81, 1.80), "tia": (0.96, 0.96), "standard": (0.85, 0.85), "full": (20.87, 20.89)}
    for adapter, (ours, paper) in expected.items():
        code, out, _ = run(["model-info", "--config", "vit-s", "--adapter", adapter, "--json"], capsys)
        info = json.loads(out)
        assert code == 0
        assert round(info["counts_mib"]["trainable_backbone"], 2) == ours
        assert info["paper_table4_mib"] == paper
    code, out, _ = run(["model-info", "--config", "vit-s", "--adapter", "dsta"], capsys)
    assert "1.81M" in out and "Table 4" in out and "1.80M" in out
    code, out, _ = run(["model-info", "--adapter", "dsta", "--dsta-variant", "printed", "--json"], capsys)
    assert round(json.loads(out)["counts_mib"]["adapters"], 2) == 1.38


def test_eval_csv_ground_truth_and_submission_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    aset = AnnotationSet(videos={"v1": VideoRecord("v1", 30.0, 300), "v2": VideoRecord("v2", 30.0, 300)},
                         instances=[InstanceRecord("v1", 0, 60, 9), InstanceRecord("v2", 30, 90, 24)])
    gt = write_annotations(aset, tmp_path / "gt.csv", "mma52-csv", TAXONOMY)[0]
    preds = [PredictionRecord("v1", 0.0, 2.0, 10, 0.9), PredictionRecord("v2", 1.0, 3.0, 24, 0.8)]
    pred_file = write_predictions(preds, tmp_path / "pred.csv", "submission-csv", TAXONOMY)
    code, out, _ = run(["eval", str(gt), str(pred_file), "--json"], capsys)
    report = json.loads(out)
    assert code == 0
    assert report["action"]["average_mAP"] == pytest.approx(0.5)  # nodding missed (labelled shaking head)
    assert report["body"]["average_mAP"] == pytest.approx(1.0)
    assert report["AVG"] == pytest.approx(0.75)
    code, out, _ = run(["eval", str(gt), str(pred_file)], capsys)
    assert "AVG 75.00" in out


def test_eval_bad_input_is_one_line_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gt = tmp_path / "gt.txt"
    gt.write_text("x")
    code, _, err = run(["eval", str(gt), str(tmp_path / "p.csv")], capsys)
    assert code == 2 and "gt.txt" in err and len(err.strip().splitlines()) == 1


@pytest.fixture(scope="module")
def clip_folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, AnnotationSet]:
    folder = tmp_path_factory.mktemp("videos")
    clips, aset = make_clips(4, n_frames=150, seed=2)
    subsets = ["train", "train", "val", "val"]
    for (vid, rec), subset, clip in zip(list(aset.videos.items()), subsets, clips, strict=True):
        aset.videos[vid] = VideoRecord(vid, rec.fps, rec.total_frames, subset, rec.subject)
        write_mp4(folder / f"{vid}.mp4", clip)
    return folder, aset


@pytest.mark.slow
def test_train_from_opentad_json_then_predict_and_eval(tmp_path: Path, clip_folder: tuple[Path, AnnotationSet],
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    videos, aset = clip_folder
    data = write_annotations(aset, tmp_path / "mma.json", "opentad-json", TAXONOMY)[0]
    run_dir = tmp_path / "run"
    code, out, err = run(["train", "--data", str(data), "--videos", str(videos), "--out", str(run_dir),
                          "--config", "tiny", "--adapter", "tia", "--epochs", "2", "--device", "cpu",
                          "--pyramid", "conv"], capsys)
    assert code == 0, err
    assert "trained 2 epochs on 2 videos (2 for validation)" in out
    assert (run_dir / "best.pt").is_file() and (run_dir / "last.pt").is_file()
    from inference.checkpoint import read_checkpoint

    assert read_checkpoint(run_dir / "best.pt")["model_config"]["head"]["pyramid"] == "conv"
    # the same schedule as a project run's (inference.recipe.schedule): a 2-epoch run warms up for half an epoch
    assert read_checkpoint(run_dir / "last.pt")["train_config"]["warmup_epochs"] == 0.5
    clips = sorted(str(p) for p in videos.glob("*.mp4"))
    out_json = tmp_path / "pred.json"
    code, out, err = run(["predict", *clips, "--checkpoint", str(run_dir / "best.pt"), "--out", str(out_json)],
                         capsys)
    assert code == 0, err
    preds = read_predictions(out_json, "opentad-results", TAXONOMY)
    assert {p.video_id for p in preds} == set(aset.videos)
    code, out, err = run(["eval", str(data), str(out_json), "--json", "--subset", "val"], capsys)
    assert code == 0, err
    assert 0.0 <= json.loads(out)["AVG"] <= 1.0


def test_train_needs_data_and_predict_needs_a_destination(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                                          ) -> None:
    code, _, err = run(["train", "--out", str(tmp_path / "r"), "--config", "tiny"], capsys)
    assert code == 2 and "PROJECT" in err
    code, _, err = run(["predict", "v.mp4", "--checkpoint", str(tmp_path / "c.pt")], capsys)
    assert code == 2 and "--out" in err
    code, _, err = run(["predict", "v.mp4", "--checkpoint", str(tmp_path / "c.pt"), "--out", "x.json"], capsys)
    assert code == 2 and "c.pt" in err and "not found" in err


def _project_of(tmp_path: Path, clip_folder: tuple[Path, AnnotationSet]) -> Path:
    import shutil

    from annotator.importing import import_annotation_set
    from annotator.model import Subset
    from annotator.project import Project

    videos, aset = clip_folder
    project = Project.create(tmp_path / "proj")
    store = project.open_store()
    try:
        import_annotation_set(store, aset, "synthetic")
        for clip in store.clips():
            shutil.copy(videos / f"{clip.name}.mp4", project.media_dir / f"{clip.name}.mp4")
            store.attach_media(clip.id, f"{clip.name}.mp4", clip.fps, clip.frame_count, 64, 64)
        store.set_subsets({c.id: Subset(aset.videos[c.name].subset) for c in store.clips()})
    finally:
        store.close()
    return project.path


@pytest.mark.slow
def test_cli_and_added_runs_are_versions_and_cli_proposals_equal_the_windows(
        tmp_path: Path, clip_folder: tuple[Path, AnnotationSet], capsys: pytest.CaptureFixture[str]) -> None:
    from annotator.exporting import default_source
    from annotator.models_registry import load_registry
    from annotator.project import Project
    from app.model_loop.proposing import clip_ref, propose_clips

    videos, aset = clip_folder
    proj = _project_of(tmp_path, clip_folder)
    tiny = ["--config", "tiny", "--epochs", "1", "--device", "cpu"]
    code, out, err = run(["train", str(proj), *tiny], capsys)  # 2 training clips: refused, nothing written
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "training refused: only 2 training clips (at least 5 needed)" in err
    assert load_registry(proj).versions == ()
    code, out, err = run(["train", str(proj), *tiny, "--source", "merged", "--train-anyway"], capsys)
    assert code == 2 and "source merged" in err and "not finalised" in err  # --source as export takes it
    code, out, err = run(["train", str(proj), *tiny, "--min-train-clips", "2", "--min-train-instances", "1"], capsys)
    assert code == 0, err
    project = Project.open(proj)
    store = project.open_store()
    try:
        source = default_source(store)  # what `mmad export` writes by default
        clips = store.clips()
    finally:
        store.close()
    assert f"training data: source {source} (as mmad export writes it), train 2 clips" in out
    assert "val 2 clips" in out and "registered v1 tiny-dsta@" in out and "as the active model" in out
    data = write_annotations(aset, tmp_path / "mma.json", "opentad-json", TAXONOMY)[0]
    run_dir = tmp_path / "elsewhere"
    code, out, err = run(["train", "--data", str(data), "--videos", str(videos), "--out", str(run_dir), *tiny,
                          "--adapter", "none", "--seed", "3"], capsys)
    assert code == 0, err
    code, out, err = run(["models", str(proj), "--add", str(run_dir)], capsys)
    assert code == 0, err
    assert "registered v2 tiny-none@" in out
    registry = load_registry(proj)
    first, second = registry.versions
    assert first.val is not None and second.val is not None and second.test is None  # no test clips
    assert second.fingerprint == json.loads((run_dir / "data.json").read_text())["fingerprint"] != ""
    assert first.instances["train"] > 0 and (proj / second.checkpoint).is_file()
    code, out, err = run(["models", str(proj)], capsys)
    assert code == 0 and "v1 tiny-dsta@" in out and "v2 tiny-none@" in out
    assert f"2 clips / {first.instances['train']} inst" in out and f"{100 * second.val.avg:.1f}" in out
    # the CLI stores what the window's propose job proposes
    code, out, err = run(["predict", str(proj), "--checkpoint", str(proj / first.checkpoint), "--store"], capsys)
    assert code == 0, err
    window = propose_clips(proj / first.checkpoint, first.name,
                           [clip_ref(c, project.media_dir / f"{c.name}.mp4") for c in clips])
    store = project.open_store()
    try:
        for c in clips:
            stored = sorted((p.start_frame, p.end_frame, p.action_id, round(p.score, 4))
                            for p in store.proposals(c.id, first.name))
            assert stored == sorted(window.proposals[c.id])
    finally:
        store.close()
    assert sum(len(rows) for rows in window.proposals.values()) > 0
    assert f"stored {sum(len(rows) for rows in window.proposals.values())} proposals" in out


def test_train_nproc_runs_the_same_command_through_torchrun(monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    calls: list[list[str]] = []

    def fake_run(command: list[str], check: bool) -> subprocess.CompletedProcess[str]:
        calls.append(command)
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(subprocess, "run", fake_run)
    code, _, _ = run(["train", "proj", "--nproc", "4", "--out", "runs/r", "--config", "vit-s"], capsys)
    assert code == 0
    assert calls == [[sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc-per-node=4",
                      "-m", "app.cli.main", "train", "proj", "--out", "runs/r", "--config", "vit-s"]]


def test_a_vit_adapter_run_without_weights_is_refused_in_one_line(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from annotator.project import Project

    Project.create(tmp_path / "p")
    code, _, err = run(["train", str(tmp_path / "p"), "--config", "vit-s", "--adapter", "dsta"], capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "--pretrained FILE" in err and "--random-backbone" in err
    code, _, err = run(["train", str(tmp_path / "p"), "--config", "vit-s", "--window", "100", "--random-backbone"],
                       capsys)
    assert code == 2 and "--window 100: must be a positive multiple of 32" in err
