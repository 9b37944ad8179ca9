"""Several processes through torchrun: process group, DDP wrapping, gathering on rank 0.

torchrun (torch.distributed.run) starts one process per GPU and sets RANK, LOCAL_RANK and
WORLD_SIZE; `current()` joins the group they describe (NCCL on GPUs, gloo on CPUs). A single
process without those variables is a world of one and nothing here talks to anyone.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import torch
import torch.distributed as torch_dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel

T = TypeVar("T")


@dataclass(frozen=True)
class Dist:
    """This process's place: rank among world processes, and its GPU index on this machine."""

    rank: int = 0
    world: int = 1
    local_rank: int = 0

    @property
    def is_main(self) -> bool:
        """Rank 0 evaluates, logs and writes files."""
        return self.rank == 0


def current(device: str = "auto") -> Dist:
    """Join the process group torchrun described (once); a world of one without torchrun."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world <= 1:
        return Dist()
    rank, local = int(os.environ["RANK"]), int(os.environ.get("LOCAL_RANK", "0"))
    if not torch_dist.is_initialized():
        gpu = device != "cpu" and torch.cuda.is_available()
        if gpu:
            torch.cuda.set_device(local)
        torch_dist.init_process_group("nccl" if gpu else "gloo")
    return Dist(rank, world, local)


def device_for(dist: Dist, device: torch.device) -> torch.device:
    """Each process's own GPU under torchrun."""
    return torch.device("cuda", dist.local_rank) if device.type == "cuda" and dist.world > 1 else device


def wrap(model: nn.Module, dist: Dist, device: torch.device) -> nn.Module:
    """DistributedDataParallel over the trainable weights (adapters and head) in a world of several."""
    if dist.world == 1:
        return model
    ids = [device.index] if device.type == "cuda" else None
    return DistributedDataParallel(model, device_ids=ids)


def gather_to_main(items: list[T], dist: Dist) -> list[T]:
    """Every process's list joined on rank 0 (rank order); other ranks get an empty list."""
    if dist.world == 1:
        return items
    parts: list[list[T] | None] = [None] * dist.world
    torch_dist.all_gather_object(parts, items)
    return [x for part in parts for x in (part or [])] if dist.is_main else []


def share_from_main(value: Any, dist: Dist) -> Any:
    """Rank 0's value on every rank."""
    if dist.world == 1:
        return value
    box = [value]
    torch_dist.broadcast_object_list(box, src=0)
    return box[0]


def mean_over_ranks(value: float, dist: Dist) -> float:
    """The mean of a number over all processes."""
    if dist.world == 1:
        return value
    on = torch.device("cuda", torch.cuda.current_device()) if torch_dist.get_backend() == "nccl" else None
    t = torch.tensor([value], dtype=torch.float64, device=on)
    torch_dist.all_reduce(t)
    return float(t) / dist.world


def torchrun_command(nproc: int, module: str, args: list[str]) -> list[str]:
    """The torchrun command line running `python -m module args` in nproc processes on this machine."""
    return [sys.executable, "-m", "torch.distributed.run", "--standalone", f"--nproc-per-node={nproc}",
            "-m", module, *args]


@contextmanager
def main_first(dist: Dist) -> Iterator[None]:
    """Rank 0 runs the block first (e.g. filling the frame cache), the others after it, on its results."""
    if dist.world > 1 and not dist.is_main:
        torch_dist.barrier()
    yield
    if dist.world > 1 and dist.is_main:
        torch_dist.barrier()
