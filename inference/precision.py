"""Mixed precision on CUDA: bfloat16 where the GPU has it, float16 with a gradient scaler where not."""

from __future__ import annotations

import torch

AMP_DTYPES = ("auto", "bfloat16", "float16")


def amp_dtype(device: torch.device, wanted: str = "auto") -> torch.dtype:
    """bfloat16 on GPUs that support it (Ampere and later), float16 on older ones; `wanted` forces one."""
    if wanted not in AMP_DTYPES:
        raise ValueError(f"unknown mixed-precision type {wanted!r} (one of {', '.join(AMP_DTYPES)})")
    if wanted == "float16" or (wanted == "auto" and device.type == "cuda" and not torch.cuda.is_bf16_supported()):
        return torch.float16
    return torch.bfloat16


def autocast_for(device: torch.device, enabled: bool = True, wanted: str = "auto") -> torch.autocast:
    """Autocast in amp_dtype on CUDA; a disabled context elsewhere (CPU runs stay float32)."""
    return torch.autocast(device_type=device.type, dtype=amp_dtype(device, wanted),
                          enabled=enabled and device.type == "cuda")


def make_scaler(device: torch.device, enabled: bool = True, wanted: str = "auto") -> torch.amp.GradScaler:
    """A gradient scaler that is active only for float16 autocast (bfloat16 needs none)."""
    active = enabled and device.type == "cuda" and amp_dtype(device, wanted) == torch.float16
    return torch.amp.GradScaler("cuda", enabled=active)
