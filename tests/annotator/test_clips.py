"""Importing a folder of videos as clips (probed and cut by annotator.media)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.clips import import_video_folder
from annotator.errors import Cancelled, InputError, RuleViolation
from annotator.media.probe import probe_video
from annotator.model import Clip
from annotator.progress import CancelToken
from annotator.project import Project
from annotator.store.api import NewClip
from annotator.store.store import Store
from tests.annotator.media.test_probe import make_video
from tests.annotator.media.test_recordings import decode, read_stamp, write_stamped_source
from tests.annotator.media.video_files import truncated_copy


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


DATA = Path(__file__).resolve().parents[1] / "data"


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


def test_a_damaged_video_is_skipped_or_imported_marked_damaged(tmp_path: Path) -> None:
    project = Project.create(tmp_path / "p")
    store = project.open_store()
    try:
        folder = tmp_path / "in"
        truncated_copy(DATA / "carphone_pristine.mp4", folder / "5_01_0001.mp4", 0.5)
        truncated_copy(DATA / "carphone_pristine.mp4", folder / "5_01_0002.mp4", 1.0)  # whole: not damaged
        report = import_video_folder(store, project, folder)
        assert report.created == ["5_01_0002"]
        assert report.skipped == [(str(folder / "5_01_0001.mp4"),
                                   "damaged: only 56 of the 120 frames its container declares could be read; "
                                   "re-copy or re-encode it, or import it marked damaged with --accept-damaged")]
        assert not store.clip_by_name("5_01_0002").damaged  # type: ignore[union-attr]
        accepted = import_video_folder(store, project, folder, accept_damaged=True)
        assert accepted.created == ["5_01_0001"] and "imported marked damaged" in accepted.warnings[0]
        clip = store.clip_by_name("5_01_0001")
        assert clip is not None and clip.damaged and clip.frame_count == 56
    finally:
        store.close()


def test_every_path_not_imported_is_listed_with_its_reason(tmp_path: Path) -> None:
    project = Project.create(tmp_path / "p")
    store = project.open_store()
    try:
        folder = tmp_path / "in"
        folder.mkdir()
        (folder / "3_01_0001.dat").write_bytes((DATA / "carphone_pristine.mp4").read_bytes())  # a video, misnamed
        (folder / "x.mp4").mkdir()
        (folder / "x.mp4" / "3_01_0002.mp4").write_bytes((DATA / "carphone_pristine.mp4").read_bytes())
        (folder / "notes").write_text("no extension")
        report = import_video_folder(store, project, folder)
        assert report.created == ["3_01_0002"]
        reasons = dict(report.skipped)
        assert reasons[str(folder / "x.mp4")] == "a folder, not a video file"
        assert reasons[str(folder / "3_01_0001.dat")].startswith("extension '.dat' is not a video's (.avi, ")
        assert reasons[str(folder / "notes")].startswith("no extension is not a video's")
        assert len(report.skipped) == 3
        assert f"  skipped {folder / 'x.mp4'}: a folder, not a video file" in report.lines()
    finally:
        store.close()
