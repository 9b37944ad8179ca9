"""last.pt kept in memory between writes: what is written is the epoch that was kept."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from annotator.errors import Cancelled
from annotator.progress import CancelToken
from annotator.taxonomy import load_taxonomy
from inference.checkpoint import LastCheckpoint, read_checkpoint
from inference.configs import TrainConfig, pose_preset
from inference.data import ClipSample
from inference.train import LAST, train


def data(weight: torch.Tensor, epoch: int) -> dict[str, object]:
    return {"format": "mmad-dsta-1", "state_dict": {"w": weight}, "train_state": {"epoch": epoch}}


def test_a_kept_epoch_is_written_on_flush_as_it_was_kept(tmp_path: Path) -> None:
    last = LastCheckpoint(tmp_path / "last.pt", every_s=3600)
    weight = torch.zeros(3)
    last.keep(data(weight, 1))
    assert not (tmp_path / "last.pt").exists()  # not due yet
    weight += 5  # training goes on changing the live tensors
    last.flush()
    saved = read_checkpoint(tmp_path / "last.pt")
    assert saved["train_state"]["epoch"] == 1 and torch.equal(saved["state_dict"]["w"], torch.zeros(3))
    (tmp_path / "last.pt").unlink()
    last.flush()  # nothing kept since: nothing written again
    assert not (tmp_path / "last.pt").exists()


def test_now_or_a_due_epoch_is_written_at_once(tmp_path: Path) -> None:
    slow = LastCheckpoint(tmp_path / "a.pt", every_s=3600)
    slow.keep(data(torch.ones(2), 4), now=True)
    assert read_checkpoint(tmp_path / "a.pt")["train_state"]["epoch"] == 4 and slow.pending is None
    eager = LastCheckpoint(tmp_path / "b.pt", every_s=0)
    eager.keep(data(torch.ones(2), 1))
    assert read_checkpoint(tmp_path / "b.pt")["train_state"]["epoch"] == 1


def pose_samples() -> list[ClipSample]:
    rng = np.random.default_rng(0)
    feats = rng.normal(size=(120, 187)).astype(np.float32)
    segs = np.array([[10.0, 40.0]], np.float32)
    return [ClipSample(v, feats, 30.0, 240, segs, np.array([3])) for v in ("a", "b")]  # two steps an epoch


def test_a_cancelled_run_leaves_its_last_finished_epoch(tmp_path: Path) -> None:
    token = CancelToken()

    def cancel_in_epoch_three(fraction: float, message: str) -> None:
        if message.startswith("epoch 3 step 1/2"):  # checked before step 2: epoch 3 never finishes
            token.cancel()

    recipe = TrainConfig(epochs=5, batch_size=1, lr=1e-3, warmup_epochs=1, checkpoint_every_s=3600)
    with pytest.raises(Cancelled):
        train(pose_preset(), recipe, pose_samples(), [], load_taxonomy("mma52"), tmp_path, device="cpu",
              progress=cancel_in_epoch_three, cancel=token)
    assert read_checkpoint(tmp_path / LAST)["train_state"]["epoch"] == 2  # written only when the run ended
