"""Training end to end on tiny synthetic clips: overfitting, checkpoints, resume, determinism, cancel."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from annotator.errors import Cancelled, InputError
from annotator.progress import CancelToken
from annotator.taxonomy import Taxonomy, load_taxonomy
from inference.checkpoint import load_detector, read_checkpoint
from inference.configs import TrainConfig, preset
from inference.data import ClipSample, find_videos, load_samples
from inference.predict import predict_frames, predict_videos
from inference.train import BEST, LAST, VAL_ACTION_MAP, percent_figures, train, validate
from tests.inference.synthetic_clips import as_samples, make_clips, write_mp4


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_taxonomy("mma52")


@pytest.fixture(scope="module")
def clip_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[ClipSample]]:
    folder = tmp_path_factory.mktemp("clips")
    clips, aset = make_clips(4, n_frames=240, seed=3)
    for clip, vid in zip(clips, aset.videos, strict=True):
        write_mp4(folder / f"{vid}.mp4", clip)
    config = preset("tiny", "dsta", num_classes=52)
    return folder, load_samples(aset, find_videos(list(aset.videos), folder), config)


@pytest.fixture(scope="module")
def overfit_run(clip_files: tuple[Path, list[ClipSample]], taxonomy: Taxonomy,
                tmp_path_factory: pytest.TempPathFactory) -> Path:
    _, samples = clip_files
    out = tmp_path_factory.mktemp("run")
    config = TrainConfig(epochs=60, batch_size=2, lr=1e-3, warmup_epochs=2, ema_decay=0.99, eval_every=20,
                         patience=1000)
    train(preset("tiny", "dsta", num_classes=52), config, samples, samples, taxonomy, out, device="cpu")
    return out


@pytest.mark.slow
def test_tiny_dsta_overfits_a_handful_of_clips(overfit_run: Path, clip_files: tuple[Path, list[ClipSample]],
                                               taxonomy: Taxonomy) -> None:
    model, labels, data = load_detector(overfit_run / BEST)
    assert labels == taxonomy.action_names
    report = validate(model, clip_files[1], taxonomy)
    print(f"\noverfit: action-level mAP@0.5 {100 * report.action.at(0.5):.2f}\n{report.table()}")
    assert report.action.at(0.5) > 0.8
    assert data["metrics"]["action"]["mAP"]["0.5"] == pytest.approx(report.action.at(0.5))


@pytest.mark.slow
def test_save_load_gives_identical_predictions(overfit_run: Path, clip_files: tuple[Path, list[ClipSample]]
                                               ) -> None:
    folder, samples = clip_files
    first, _, _ = load_detector(overfit_run / BEST)
    second, _, _ = load_detector(overfit_run / BEST)
    sample = samples[0]
    a = predict_frames(first, sample.video_id, sample.frames, sample.fps, sample.total_frames)
    b = predict_frames(second, sample.video_id, sample.frames, sample.fps, sample.total_frames)
    assert a and a == b
    from_file = predict_videos(second, [folder / f"{sample.video_id}.mp4"])
    assert from_file == a  # the file path gives the video id from its name
    assert all(0 <= p.t_start < p.t_end <= sample.total_frames / sample.fps for p in a)


@pytest.mark.slow
def test_checkpoints_are_plain_data(overfit_run: Path) -> None:
    for name in (BEST, LAST):
        data = torch.load(overfit_run / name, weights_only=True)
        assert data["model_config"]["name"] == "tiny" and len(data["labels"]) == 52
    assert "optimizer" in read_checkpoint(overfit_run / LAST)
    history = json.loads((overfit_run / "history.json").read_text("utf-8"))
    best = read_checkpoint(overfit_run / BEST)["metrics"]["action"]["average_mAP"]
    assert max(r[VAL_ACTION_MAP] for r in history if VAL_ACTION_MAP in r) == pytest.approx(100 * best)


def test_history_and_progress_give_map_in_per_cent_labelled() -> None:
    from inference.evaluate import EvaluationReport, MapResult

    action = MapResult((0.5,), [0], np.array([[0.0091]]))
    body = MapResult((0.5,), [0], np.array([[0.25]]))
    figures = percent_figures(EvaluationReport(action, body))
    assert figures == {VAL_ACTION_MAP: pytest.approx(0.91), "val_body_mAP_percent": pytest.approx(25.0),
                       "val_action_mAP@0.5_percent": pytest.approx(0.91)}


def quick_samples(count: int = 2) -> list[ClipSample]:
    clips, aset = make_clips(count, n_frames=150, seed=5)
    return as_samples(clips, aset, stride=2)


def final_weights(path: Path) -> dict[str, torch.Tensor]:
    return read_checkpoint(path)["state_dict"]


def test_same_seed_same_run_and_resume_continues_exactly(tmp_path: Path, taxonomy: Taxonomy) -> None:
    samples = quick_samples()
    config = preset("tiny", "tia", num_classes=52)
    three = TrainConfig(epochs=3, batch_size=1, lr=1e-3, warmup_epochs=1, val_max_keep=200)  # quick validation
    train(config, three, samples, [], taxonomy, tmp_path / "a", device="cpu")
    train(config, three, samples, [], taxonomy, tmp_path / "b", device="cpu")
    # stop after 2 of 3 epochs, then resume
    token = CancelToken()

    def cancel_after_two(fraction: float, message: str) -> None:
        if message.startswith("epoch 2:"):
            token.cancel()

    with pytest.raises(Cancelled):
        train(config, three, samples, [], taxonomy, tmp_path / "c", device="cpu", progress=cancel_after_two,
              cancel=token)
    assert read_checkpoint(tmp_path / "c" / LAST)["train_state"]["epoch"] == 2
    result = train(config, three, samples, [], taxonomy, tmp_path / "c", device="cpu")
    assert result.epochs_run == 3
    a, b, c = (final_weights(tmp_path / x / BEST) for x in "abc")
    for key in a:
        assert torch.equal(a[key], b[key]), key
        assert torch.equal(a[key], c[key]), key


def test_early_stop_when_validation_map_stops_improving(tmp_path: Path, taxonomy: Taxonomy) -> None:
    samples = quick_samples()
    empty_val = [ClipSample(s.video_id, s.frames, s.fps, s.total_frames, np.zeros((0, 2)),
                            np.zeros(0, np.int64)) for s in samples[:1]]
    config = TrainConfig(epochs=10, batch_size=2, lr=1e-3, patience=2, val_max_keep=200)
    result = train(preset("tiny", "standard", num_classes=52), config, samples, empty_val, taxonomy,
                   tmp_path, device="cpu")
    assert result.stopped_early and result.epochs_run == 3 and result.best_epoch == 1


def test_resume_refuses_a_different_model_and_empty_training_set(tmp_path: Path, taxonomy: Taxonomy) -> None:
    samples = quick_samples(1)
    config = TrainConfig(epochs=1, batch_size=1)
    train(preset("tiny", "dsta", num_classes=52), config, samples, [], taxonomy, tmp_path, device="cpu")
    with pytest.raises(InputError, match="different model"):
        train(preset("tiny", "tia", num_classes=52), TrainConfig(epochs=2), samples, [], taxonomy, tmp_path,
              device="cpu")
    with pytest.raises(InputError, match="no training clips"):
        train(preset("tiny", num_classes=52), config, [], [], taxonomy, tmp_path / "x", device="cpu")


def test_cancel_before_the_first_step(tmp_path: Path, taxonomy: Taxonomy) -> None:
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        train(preset("tiny", num_classes=52), TrainConfig(epochs=1), quick_samples(1), [], taxonomy, tmp_path,
              device="cpu", cancel=token)


def test_not_a_checkpoint_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "x.pt"
    torch.save({"weights": torch.zeros(1)}, path)
    with pytest.raises(InputError, match="not an MMAD detector checkpoint"):
        load_detector(path)
    with pytest.raises(InputError, match="not found"):
        load_detector(tmp_path / "missing.pt")
