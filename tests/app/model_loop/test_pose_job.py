"""The worker's pose job: landmarks extracted into the project's cache, a bad clip named in one line."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from annotator.progress import CancelToken
from app.model_loop import protocol
from app.model_loop.records import PoseSpec
from app.model_loop.worker import run_job
from inference.pose.cache import cache_path
from tests.inference.pose.test_cache import empty_room


def messages(out: io.StringIO) -> list[dict[str, object]]:
    return [m for m in map(protocol.decode, out.getvalue().splitlines()) if m is not None]


@pytest.mark.slow  # MediaPipe extracts two clips
def test_the_pose_job_extracts_into_the_cache_and_names_a_bad_clip(tmp_path: Path) -> None:
    media = empty_room(tmp_path / "clip.mp4", frames=6)
    out = io.StringIO()
    assert run_job(PoseSpec(str(tmp_path), (("clip", str(media)),)).to_json(), out, CancelToken()) == 0
    said = messages(out)
    assert [m["kind"] for m in said][-1] == "result" and any(m["kind"] == "progress" for m in said)
    assert said[-1]["data"] == {"clips": [{"clip": "clip", "frames": 6, "present": 0.0}]}
    assert cache_path(tmp_path, "clip").is_file()
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"\x00" * 512)
    out = io.StringIO()
    assert run_job(PoseSpec(str(tmp_path), (("broken", str(broken)),)).to_json(), out, CancelToken()) == 1
    error = messages(out)[-1]
    assert error["kind"] == "error" and "broken.mp4" in str(error["message"])
    cancelled = CancelToken()
    cancelled.cancel()
    out = io.StringIO()
    assert run_job(PoseSpec(str(tmp_path), (("again", str(media)),)).to_json(), out, cancelled) == 3
    assert not cache_path(tmp_path, "again").exists()
