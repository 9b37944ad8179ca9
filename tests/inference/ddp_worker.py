"""One process of the 2-process gloo test (started by torchrun): one epoch of the tiny config.

Arguments: OUT_DIR PER_PROCESS_BATCH [DEVICE] (cpu: gloo, the default; cuda: NCCL). Writes OUT_DIR/rank<r>.pt with this process's final weights.
"""

from __future__ import annotations

import sys
from pathlib import Path

import torch

from annotator.taxonomy import load_taxonomy
from inference.configs import TrainConfig, preset
from inference.distributed import current
from inference.train import train
from tests.inference.synthetic_clips import as_samples, make_clips

CLIPS, VAL_CLIPS = 8, 2


def run(out: Path, batch: int, device: str = "cpu") -> None:
    """Train on the shared synthetic clips and save this process's weights."""
    clips, aset = make_clips(CLIPS + VAL_CLIPS, n_frames=120, seed=4)
    samples = as_samples(clips, aset, stride=2)
    config = TrainConfig(epochs=1, batch_size=batch, lr=1e-3, warmup_epochs=0.5, seed=3)
    result = train(preset("tiny", "tia", num_classes=52), config, samples[:CLIPS], samples[CLIPS:],
                   load_taxonomy("mma52"), out, device=device)
    assert result.model is not None
    weights = {k: v.cpu() for k, v in result.model.state_dict().items()}
    torch.save({"weights": weights, "history": result.history}, out / f"rank{current(device).rank}.pt")


if __name__ == "__main__":
    torch.set_num_threads(1)
    run(Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else "cpu")
