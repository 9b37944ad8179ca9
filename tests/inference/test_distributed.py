"""Two processes through torchrun (gloo, CPU) train exactly as one process with the same global batch."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import torch

from inference.checkpoint import read_checkpoint
from inference.distributed import torchrun_command
from inference.train import BEST, LAST
from tests.inference import ddp_worker

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_two_gloo_processes_equal_one_process_with_the_same_global_batch(tmp_path: Path) -> None:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
    two = tmp_path / "two"
    done = subprocess.run(torchrun_command(2, "tests.inference.ddp_worker", [str(two), "2"]), cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    one = tmp_path / "one"
    ddp_worker.run(one, 4)
    ranks = [torch.load(two / f"rank{r}.pt", weights_only=True) for r in (0, 1)]
    single = torch.load(one / "rank0.pt", weights_only=True)
    for name, value in ranks[0]["weights"].items():
        assert torch.equal(value, ranks[1]["weights"][name]), name  # DDP keeps the ranks identical
        assert torch.allclose(value, single["weights"][name], atol=2e-5, rtol=1e-4), name
    up = single["weights"]["backbone.blocks.0.adapter.up.weight"]
    assert torch.count_nonzero(up) > 0  # the adapters trained (they start at zero)
    assert ranks[0]["history"] == ranks[1]["history"]  # figures gathered on rank 0, shared with all
    h2, h1 = ranks[0]["history"][0], single["history"][0]
    assert h2["loss"] == pytest.approx(h1["loss"], rel=1e-4)
    assert h2["val_action_mAP_percent"] == pytest.approx(h1["val_action_mAP_percent"], abs=1e-4)
    assert (two / BEST).is_file() and (two / LAST).is_file()
    saved = read_checkpoint(two / LAST)["ranks_rng"]  # every rank's random state, for resume
    assert len(saved) == 2 and not torch.equal(saved[0]["rng"], saved[1]["rng"])
    written = sorted(p.name for p in two.iterdir() if not p.name.startswith("rank"))
    assert written == sorted(p.name for p in one.iterdir() if not p.name.startswith("rank"))
