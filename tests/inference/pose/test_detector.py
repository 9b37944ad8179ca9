"""The pose detector: demo clips give a detected figure, and it overfits a handful of them."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from annotator.formats.records import AnnotationSet
from annotator.synthetic.dataset import generate_dataset
from annotator.taxonomy import load_taxonomy
from inference.checkpoint import load_detector
from inference.configs import TrainConfig, pose_preset
from inference.data import ClipSample, find_videos
from inference.pose.cache import cache_key, cache_path, load_cached
from inference.pose.data import load_pose_samples
from inference.train import BEST, train, validate

TAXONOMY = load_taxonomy("mma52")
CONFIG = pose_preset(num_classes=52)


@pytest.fixture(scope="module")
def demo_clips(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, AnnotationSet, list[ClipSample]]:
    """Three short clips rendered as `mmad demo` renders them, with their pose features (cached)."""
    folder = tmp_path_factory.mktemp("pose_demo")
    aset = generate_dataset(folder / "media", subjects=1, clips_per_subject=3, seed=3, seconds=(5.0, 5.5))
    samples = load_pose_samples(aset, find_videos(list(aset.videos), folder / "media"), CONFIG, cache_dir=folder)
    return folder, aset, samples


@pytest.mark.slow
def test_demo_clips_give_a_detected_figure(demo_clips: tuple[Path, AnnotationSet, list[ClipSample]]) -> None:
    folder, aset, _ = demo_clips
    for vid in aset.videos:
        track = load_cached(cache_path(folder, vid), cache_key(folder / "media" / f"{vid}.mp4"))
        assert track is not None
        assert track.present.mean() > 0.95, vid
        assert float(track.landmarks[track.present][:, :25, 3].mean()) > 0.7  # head, arms, hips seen


@pytest.mark.slow
def test_pose_detector_overfits_demo_clips(demo_clips: tuple[Path, AnnotationSet, list[ClipSample]],
                                           tmp_path: Path) -> None:
    _, aset, samples = demo_clips
    assert len(aset.instances) >= 5
    torch.set_num_threads(1)  # a busy machine makes two threads much slower than one
    recipe = TrainConfig(epochs=40, batch_size=3, lr=2e-3, warmup_epochs=2, ema_decay=0.99, eval_every=10**6)
    train(CONFIG, recipe, samples, [], TAXONOMY, tmp_path, device="cpu", resume=False)
    model, labels, _ = load_detector(tmp_path / BEST)
    assert model.config.backbone.kind == "pose" and labels == TAXONOMY.action_names
    report = validate(model, samples, TAXONOMY)
    assert report.action.at(0.5) > 0.8


@pytest.mark.slow
def test_train_predict_eval_commands_with_the_pose_backbone(
        demo_clips: tuple[Path, AnnotationSet, list[ClipSample]], capsys: pytest.CaptureFixture[str]) -> None:
    from annotator.formats import write_annotations
    from annotator.formats.records import VideoRecord
    from app.cli.main import main

    folder, aset, _ = demo_clips
    videos = {k: VideoRecord(v.video_id, v.fps, v.total_frames, "train", v.subject) for k, v in aset.videos.items()}
    data = write_annotations(AnnotationSet(videos=videos, instances=aset.instances), folder / "gt.json",
                             "opentad-json", TAXONOMY)[0]
    # --out is the fixture's folder, so the landmarks come from its cache (folder/pose)
    assert main(["train", "--data", str(data), "--videos", str(folder / "media"), "--out", str(folder),
                 "--backbone", "pose", "--epochs", "2", "--device", "cpu"]) == 0
    assert "trained 2 epochs" in capsys.readouterr().out
    first = next(iter(aset.videos))
    preds = folder / "preds.json"
    assert main(["predict", str(folder / "media" / f"{first}.mp4"), "--checkpoint", str(folder / "best.pt"),
                 "--out", str(preds), "--device", "cpu"]) == 0
    assert main(["eval", str(data), str(preds), "--json"]) == 0
    assert '"action"' in capsys.readouterr().out
    assert main(["train", "--data", str(data), "--videos", str(folder / "media"), "--out", str(folder / "run2"),
                 "--backbone", "pose", "--pretrained", "x.pth"]) == 2
