"""Probing videos with OpenCV and importing a folder of them."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from annotator.clips import VideoInfo, frame_gaps_ms, import_video_folder, probe_video, rate_problem
from annotator.errors import Cancelled, InputError, RuleViolation
from annotator.model import Clip
from annotator.progress import CancelToken
from annotator.project import Project
from annotator.store.api import NewClip
from annotator.store.store import Store
from tests.annotator.test_recordings import decode, read_stamp, write_stamped_source


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


# ------------------------------------------------------------------ frame rate
DATA = Path(__file__).resolve().parents[1] / "data"


def test_constant_rate_sample_passes_with_its_timestamps() -> None:
    info = probe_video(DATA / "carphone_pristine.mp4")
    assert (info.frame_count, info.width, info.height) == (120, 176, 144)
    assert info.frame_gaps_ms == pytest.approx((1000 / 29.97, 1000 / 29.97), abs=0.01)
    assert rate_problem(info) is None


def test_variable_rate_sample_is_refused_with_its_gaps() -> None:
    vfr = DATA / "vfr_carphone.mp4"
    with pytest.raises(InputError) as caught:
        probe_video(vfr)
    assert str(caught.value) == (f"{vfr}: variable frame rate: frame gaps from 33.4 ms to 100.1 ms; "
                                 "re-encode to a constant rate (e.g. ffmpeg -fps_mode cfr)")
    info = probe_video(vfr, allow_variable_rate=True)
    assert info.frame_count == 67 and info.frame_gaps_ms == pytest.approx((33.367, 100.1), abs=0.01)


def test_rate_problem_tolerates_rounding_but_not_a_wrong_rate() -> None:
    def info(fps: float, gaps: tuple[float, float] | None) -> VideoInfo:
        return VideoInfo(Path("v.mkv"), fps, 100, 8, 8, 100, gaps)

    assert rate_problem(info(30.0, (33.0, 34.0))) is None  # 1 ms container timestamps
    assert rate_problem(info(30.0, None)) is None  # no timestamps to judge by
    assert "variable frame rate: frame gaps from 33.3 ms to 66.7 ms" in (rate_problem(info(30.0, (33.3, 66.7))) or "")
    wrong = rate_problem(info(25.0, (33.3, 33.4))) or ""
    assert wrong.startswith("the container says 25 fps (40.0 ms a frame) but the frames are 33.3 ms apart")
    assert frame_gaps_ms([0.0]) is None and frame_gaps_ms([0.0, 0.0, 0.0]) is None
    assert frame_gaps_ms([0.0, 40.0, 120.0]) == (40.0, 80.0)


def test_folder_import_skips_a_vfr_file_and_imports_the_rest(tmp_path: Path) -> None:
    project = Project.create(tmp_path / "p")
    store = project.open_store()
    try:
        folder = tmp_path / "in"
        folder.mkdir()
        for name in ("vfr_carphone.mp4", "carphone_pristine.mp4"):
            (folder / f"7_{name}").write_bytes((DATA / name).read_bytes())
        report = import_video_folder(store, project, folder, min_seconds=2.0, max_seconds=15.0)
        assert report.created == ["7_carphone_pristine"] and report.warnings == []
        assert report.skipped == [(str(folder / "7_vfr_carphone.mp4"),
                                   "variable frame rate: frame gaps from 33.4 ms to 100.1 ms; "
                                   "re-encode to a constant rate (e.g. ffmpeg -fps_mode cfr)")]
        assert [c.name for c in store.clips()] == ["7_carphone_pristine"]
    finally:
        store.close()


# ------------------------------------------------------------------ long recordings
def test_long_recording_is_cut_into_traceable_clips(tmp_path: Path) -> None:
    project = Project.create(tmp_path / "p")
    store = project.open_store()
    try:
        folder = tmp_path / "in"
        write_stamped_source(folder / "S01_01_0001_L.mp4", 33.0)  # 990 frames at 30 fps -> 3 × 330
        make_video(folder / "S02_01_0001_L.avi", 100)  # 3.3 s: kept whole, with a warning
        report = import_video_folder(store, project, folder)
        assert report.created == ["S02_01_0001_L", "S01_01_0001_L_part01", "S01_01_0001_L_part02",
                                  "S01_01_0001_L_part03"]  # whole files first, then the cut ones
        assert report.cut == [(str(folder / "S01_01_0001_L.mp4"), 3)]
        assert report.warnings == [f"{folder / 'S02_01_0001_L.avi'}: 3.33 s is shorter than the 5 s minimum "
                                   "clip length; imported as it is"]
        whole, *clips = store.clips()
        source = str((folder / "S01_01_0001_L.mp4").resolve())  # outside the media root: absolute
        assert [(c.subject, c.frame_count, c.fps, c.source, c.source_offset_frame, c.media_path)
                for c in clips] == [
            ("S01", 330, 30.0, source, 0, "cuts/S01_01_0001_L_part01.mp4"),
            ("S01", 330, 30.0, source, 330, "cuts/S01_01_0001_L_part02.mp4"),
            ("S01", 330, 30.0, source, 660, "cuts/S01_01_0001_L_part03.mp4")]
        assert (whole.source, whole.source_offset_frame, whole.frame_count) == (None, None, 100)
        for clip in clips:
            media = project.media_path(clip)
            assert media is not None and probe_video(media).frame_count == clip.frame_count
            assert [read_stamp(f) for f in decode(media)] == list(
                range(clip.source_offset_frame or 0, (clip.source_offset_frame or 0) + clip.frame_count))
        again = import_video_folder(store, project, folder)
        assert again.created == [] and "this recording was cut before" in again.skipped[0][1]
    finally:
        store.close()


def test_source_inside_the_media_root_is_recorded_relative(tmp_path: Path) -> None:
    project = Project.create(tmp_path / "p")
    store = project.open_store()
    try:
        write_stamped_source(project.media_dir / "raw" / "S01_01_0001_L.mp4", 16.0)
        report = import_video_folder(store, project, project.media_dir / "raw")
        assert report.cut == [(str(project.media_dir / "raw" / "S01_01_0001_L.mp4"), 2)]
        assert [(c.source, c.source_offset_frame, c.frame_count) for c in store.clips()] == [
            ("raw/S01_01_0001_L.mp4", 0, 240), ("raw/S01_01_0001_L.mp4", 240, 240)]
    finally:
        store.close()


def test_cancelled_or_failed_cut_leaves_no_rows_and_no_files(tmp_path: Path) -> None:
    project = Project.create(tmp_path / "p")
    store = project.open_store()
    try:
        folder = tmp_path / "in"
        write_stamped_source(folder / "S01_01_0001_L.mp4", 20.0)
        write_stamped_source(folder / "S02_01_0001_L.mp4", 20.0)
        before = (store.clips(), store.audit_log(limit=100))
        token = CancelToken()

        def cancel_in_second_cut(fraction: float, message: str) -> None:
            if "S02" in message and "cutting" in message:
                token.cancel()

        with pytest.raises(Cancelled):
            import_video_folder(store, project, folder, progress=cancel_in_second_cut, cancel=token)
        assert (store.clips(), store.audit_log(limit=100)) == before
        assert not (project.media_dir / "cuts").exists()

        class Refusing:  # the database refuses the clips after both cuts succeeded
            def __init__(self, inner: Store) -> None:
                self.inner = inner

            def clips(self) -> list[Clip]:
                return self.inner.clips()

            def add_clips(self, clips: object) -> list[Clip]:
                raise RuleViolation("refused")

        with pytest.raises(RuleViolation):
            import_video_folder(Refusing(store), project, folder)  # type: ignore[arg-type]
        assert (store.clips(), store.audit_log(limit=100)) == before
        assert not (project.media_dir / "cuts").exists()
        with pytest.raises(InputError, match="at most half of max"):
            import_video_folder(store, project, folder, min_seconds=9.0)
    finally:
        store.close()
