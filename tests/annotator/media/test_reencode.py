"""Re-encoding a variable-rate video to constant-rate H.264 with imageio-ffmpeg's FFmpeg, the
map back to the original's times, and `import-clips --reencode`."""

from __future__ import annotations

import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest

from annotator.clips import import_video_folder
from annotator.errors import InputError
from annotator.media.probe import probe_video
from annotator.media.reencode import REENCODED_FOLDER, constant_rate, read_timing, reencode, timing_path
from annotator.project import Project
from app.cli.main import main

DATA = Path(__file__).resolve().parents[2] / "data"
VFR = DATA / "vfr_carphone.mp4"


def _frames(path: Path) -> tuple[list[np.ndarray], list[float]]:
    capture = cv2.VideoCapture(str(path))
    frames, stamps = [], []
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        frames.append(frame.astype(np.int16))
        stamps.append(capture.get(cv2.CAP_PROP_POS_MSEC))
    capture.release()
    return frames, stamps


@pytest.fixture(scope="module")
def reencoded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("re") / "vfr_carphone.mp4"
    reencode(VFR, out)
    return out


def test_vfr_clip_steps_frame_exactly_against_the_decoders_timestamps(reencoded: Path) -> None:
    original, stamps = _frames(VFR)
    frames, _ = _frames(reencoded)
    timing = read_timing(reencoded)
    assert timing is not None and timing.fps == pytest.approx(30000 / 1001)
    assert list(timing.times_ms) == pytest.approx(stamps, abs=0.01)  # FFmpeg's and OpenCV's clocks agree
    info = probe_video(reencoded)  # constant rate now: the probe refuses no gap
    assert info.frame_count == len(frames) == 118  # 3.904 s at 29.97 fps, the last frame included
    index = {t: j for j, t in enumerate(timing.times_ms)}
    for k, frame in enumerate(frames):
        shown = index[timing.time_of_frame(k)]
        distances = [float(np.abs(frame - g).mean()) for g in original]
        assert int(np.argmin(distances)) == shown, k  # frame k is the original frame the timestamps say


def test_original_times_round_trip_through_the_reencoded_clip(reencoded: Path) -> None:
    timing = read_timing(reencoded)
    assert timing is not None
    for t in timing.times_ms:
        assert timing.time_of_frame(timing.frame_of_time(t)) == t
    # a frame between two originals (a gap of 3 frames) shows the earlier original
    assert timing.time_of_frame(timing.frame_of_time(timing.times_ms[41]) + 1) == timing.times_ms[41]


def test_rate_is_the_fastest_snapped_to_a_common_one() -> None:
    assert constant_rate([0.0, 33.3667, 66.7333, 166.8]) == pytest.approx(30000 / 1001)
    assert constant_rate([0.0, 40.0, 120.0]) == 25.0
    assert constant_rate([0.0]) == 30.0


def test_a_file_ffmpeg_cannot_read_is_one_line(tmp_path: Path) -> None:
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"not a video at all" * 10)
    with pytest.raises(InputError) as caught:
        reencode(junk, tmp_path / "out" / "junk.mp4")
    assert str(caught.value).startswith(str(junk)) and "\n" not in str(caught.value)
    assert not (tmp_path / "out" / "junk.mp4").exists()


def test_import_clips_reencode(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = Project.create(tmp_path / "p")
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(VFR, folder / "7_vfr.mp4")
    (folder / "7_junk.mp4").write_bytes(b"junk" * 50)
    seen: list[str] = []
    store = project.open_store()
    try:
        report = import_video_folder(store, project, folder, min_seconds=2.0, reencode_odd=True,
                                     progress=lambda f, m: seen.append(m))
        assert report.created == ["7_vfr"]
        assert report.reencoded == [(str(folder / "7_vfr.mp4"), "variable frame rate: frame gaps from 33.4 ms to "
                                     "100.1 ms; re-encode to a constant rate (e.g. ffmpeg -fps_mode cfr)")]
        assert report.skipped[0][0] == str(folder / "7_junk.mp4") and "FFmpeg" in report.skipped[0][1]
        [clip] = store.clips()
        assert clip.media_path == f"{REENCODED_FOLDER}/7_vfr.mp4" and clip.frame_count == 118
        assert clip.source == (folder / "7_vfr.mp4").resolve().as_posix()
        assert any(m.startswith("re-encoding 7_vfr.mp4: frame") for m in seen)  # progress per file
        media = project.media_dir / REENCODED_FOLDER
        assert sorted(p.name for p in media.iterdir()) == ["7_vfr.mp4", "7_vfr.timing.json"]  # junk left nothing
        assert timing_path(media / "7_vfr.mp4").exists()
    finally:
        store.close()
    # ELAN in the original's times: an instance starting at clip frame 30 starts at the original's frame 30
    csv = tmp_path / "gt.csv"
    csv.write_text("id,video_id,start_frame,end_frame,class,total_frames,fps\n"
                   f"0,7_vfr,30,62,9,118,{clip.fps!r}\n")
    assert main(["import-annotations", str(tmp_path / "p"), str(csv), "--format", "mma52-csv", "--ground-truth"]) == 0
    assert main(["export", str(tmp_path / "p"), str(tmp_path / "out"), "--format", "elan-eaf", "--original-times",
                 "--source", "ground-truth"]) == 0
    eaf = (tmp_path / "out" / "elan" / "7_vfr.eaf").read_text()
    timing = read_timing(media / "7_vfr.mp4")
    assert timing is not None
    assert f'TIME_VALUE="{round(timing.times_ms[30])}"' in eaf  # 1001 ms: the clip's own clock would say the same
    assert f'TIME_VALUE="{round(timing.time_of_frame(62))}"' in eaf  # frame 62 repeats the original frame at 2002 ms
    assert round(timing.time_of_frame(62)) != round(62 * 1000 / clip.fps)  # the clip clock: 2069
    assert Path(timing.original).as_uri() in eaf
    capsys.readouterr()
    assert main(["import-annotations", str(tmp_path / "p"), str(tmp_path / "out" / "elan"), "--format", "elan-eaf",
                 "--annotator", "x"]) == 2
    assert "its times are the original video's" in capsys.readouterr().err
