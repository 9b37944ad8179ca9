"""The EMA of the trainable weights: the multi-tensor update is the per-parameter formula."""

from __future__ import annotations

import torch

from inference.configs import pose_preset
from inference.model import Detector
from inference.train import EMA


def test_update_blends_every_trainable_weight_with_the_warm_up_decay() -> None:
    torch.manual_seed(0)
    model = Detector(pose_preset())
    ema = EMA(model, decay=0.99)
    expected = {name: t.clone() for name, t in ema.shadow.items()}
    for step in range(1, 6):
        with torch.no_grad():
            for param in model.parameters():
                param.add_(torch.randn_like(param))
        ema.update(model)
        d = min(0.99, (1 + step) / (10 + step))
        for name, param in model.named_parameters():
            expected[name].mul_(d).add_(param.detach(), alpha=1 - d)
    assert ema.updates == 5 and expected.keys() == ema.shadow.keys()
    for name, value in expected.items():
        assert torch.equal(ema.shadow[name], value), name
    assert not torch.equal(ema.shadow["head.cls_out.weight"], dict(model.named_parameters())["head.cls_out.weight"])
