"""The window side of the model loop never imports torch (only its worker process does)."""

from __future__ import annotations

import subprocess
import sys

from app.model_loop import protocol


def test_window_modules_do_not_import_torch() -> None:
    code = ("import sys, app.launch, app.model_loop.attach, app.model_loop.train_dialog, "
            "app.model_loop.models_dialog, app.model_loop.warm, app.cli.cmd_models; "
            "print(sorted(m for m in ('torch', 'inference.train', 'inference.predict') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip() == "[]"


def test_protocol_lines_round_trip_and_other_output_is_ignored() -> None:
    line = protocol.encode(protocol.EPOCH, record={"epoch": 1, "loss": 2.5})
    assert line.endswith("\n")
    assert protocol.decode(line.strip()) == {"kind": "epoch", "record": {"epoch": 1, "loss": 2.5}}
    assert protocol.decode("Warning: something a library printed") is None
    assert protocol.decode(protocol.MARKER + "{not json") is None
    assert protocol.decode(protocol.MARKER + "[1, 2]") is None
