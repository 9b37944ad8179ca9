"""Probing videos with OpenCV and importing a folder of them."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from annotator.clips import import_video_folder, probe_video
from annotator.errors import Cancelled, InputError
from annotator.progress import CancelToken
from annotator.project import Project
from annotator.store.api import NewClip


def make_video(path: Path, frames: int, fps: float = 30.0, size: tuple[int, int] = (64, 48)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, size)
    for i in range(frames):
        writer.write(np.full((size[1], size[0], 3), (i * 7) % 255, np.uint8))
    writer.release()
    return path


def test_probe_counts_decodable_frames(tmp_path: Path) -> None:
    info = probe_video(make_video(tmp_path / "a.avi", 17, fps=29.0))
    assert (info.fps, info.frame_count, info.width, info.height) == (29.0, 17, 64, 48)
    assert info.duration == pytest.approx(17 / 29)


def test_probe_refuses_bad_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        probe_video(tmp_path / "missing.avi")
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"not a video at all" * 50)
    with pytest.raises(InputError, match="junk.mp4"):
        probe_video(junk)
    empty = tmp_path / "empty.avi"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="empty.avi"):
        probe_video(empty)
    truncated = tmp_path / "cut.avi"
    truncated.write_bytes(make_video(tmp_path / "full.avi", 10).read_bytes()[:300])
    with pytest.raises(InputError, match="cut.avi"):
        probe_video(truncated)


def test_import_folder_creates_attaches_and_skips(tmp_path: Path) -> None:
    project = Project.create(tmp_path / "p")
    store = project.open_store()
    try:
        store.add_clips([NewClip("7_01_0002", "7", 30.0, 12)])  # from an annotation file, no media yet
        make_video(project.media_dir / "s9" / "9_01_0001.avi", 12)
        make_video(project.media_dir / "7_01_0002.avi", 12)
        make_video(tmp_path / "elsewhere" / "x.avi", 5)
        (project.media_dir / "broken.mp4").write_bytes(b"\x00" * 100)
        report = import_video_folder(store, project, project.media_dir)
        assert report.created == ["9_01_0001"] and report.attached == ["7_01_0002"]
        assert [Path(f).name for f, _ in report.skipped] == ["broken.mp4"]
        clip = store.clip_by_name("9_01_0001")
        assert clip is not None and (clip.subject, clip.frame_count, clip.media_path) == ("9", 12, "s9/9_01_0001.avi")
        assert project.media_path(clip) == project.media_dir / "s9" / "9_01_0001.avi"
        again = import_video_folder(store, project, project.media_dir)
        assert again.created == [] and len(again.skipped) == 3
        token = CancelToken()
        token.cancel()
        with pytest.raises(Cancelled):
            import_video_folder(store, project, tmp_path / "elsewhere", cancel=token)
        assert store.clip_by_name("x") is None
        import_video_folder(store, project, tmp_path / "elsewhere", subject_regex=r"^(x)")
        assert store.clip_by_name("x").media_path == str((tmp_path / "elsewhere" / "x.avi").resolve())  # type: ignore[union-attr]
        with pytest.raises(InputError, match="video folder not found"):
            import_video_folder(store, project, tmp_path / "nope")
    finally:
        store.close()
