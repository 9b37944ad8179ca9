"""`mmad pose PROJECT [CLIP …]`: landmarks of a project's clips, cached; bad clips named."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli.main import main
from tests.inference.pose.test_cache import empty_room


def test_pose_command_computes_caches_and_names_bad_clips(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    proj = tmp_path / "proj"
    assert main(["init", str(proj)]) == 0
    (tmp_path / "vids").mkdir()
    for name in ("12_01_0001", "12_01_0002"):
        empty_room(tmp_path / "vids" / f"{name}.mp4", frames=8)
    assert main(["import-clips", str(proj), str(tmp_path / "vids")]) == 0
    capsys.readouterr()
    assert main(["pose", str(proj), "12_01_0001"]) == 0
    out = capsys.readouterr().out
    assert "12_01_0001: 8 frames, person in 0%" in out and "ms/frame" in out
    assert (proj / "pose" / "12_01_0001.npz").is_file() and not (proj / "pose" / "12_01_0002.npz").exists()
    (tmp_path / "vids" / "12_01_0002.mp4").write_bytes(b"garbage")  # the clip's media, damaged
    assert main(["pose", str(proj)]) == 2
    out = capsys.readouterr().out
    assert "12_01_0001: 8 frames, person in 0% (cached)" in out
    assert "12_01_0002: error:" in out and "12_01_0002.mp4" in out
    assert main(["pose", str(proj), "nope"]) == 2
    assert "'nope'" in capsys.readouterr().err
