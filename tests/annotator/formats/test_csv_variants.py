"""The MMA-52 CSV variants found in the wild: unnamed first column, no fps column."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.errors import InputError
from annotator.formats import read_annotations, write_annotations
from annotator.formats.mma52_csv import HEADER
from annotator.taxonomy import Taxonomy

# As the MAC 2024 development-phase release: pandas' unnamed index column, no fps column
MAC2024 = (",video_id,start_frame,end_frame,class,total_frames\n"
           "0,196_01_0005_L,12,40,9,300\n1,196_01_0005_L,30,95,24,300\n2,207_02_0011_R,0,29,43,240\n")
UNNAMED_WITH_FPS = (",video_id,start_frame,end_frame,class,total_frames,fps\n"
                    "0,196_01_0005_L,12,40,9,300,29.0\n1,207_02_0011_R,0,29,43,240,30.0\n")


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def test_mac2024_release_imports_with_the_fps_given(mma52: Taxonomy, tmp_path: Path) -> None:
    aset = read_annotations(_write(tmp_path, "dev.csv", MAC2024), "mma52-csv", mma52, fps=30.0)
    assert list(aset.videos) == ["196_01_0005_L", "207_02_0011_R"]
    assert {v.fps for v in aset.videos.values()} == {30.0}
    assert [(i.video_id, i.start_frame, i.end_frame, i.action_id) for i in aset.instances] == [
        ("196_01_0005_L", 12, 40, 9), ("196_01_0005_L", 30, 95, 24), ("207_02_0011_R", 0, 29, 43)]


def test_no_fps_column_and_no_fps_given_is_refused_clearly(mma52: Taxonomy, tmp_path: Path) -> None:
    path = _write(tmp_path, "dev.csv", MAC2024)
    with pytest.raises(InputError, match=r"no fps column; give the fps \(--fps N\)") as info:
        read_annotations(path, "mma52-csv", mma52)
    assert (info.value.file, info.value.place) == (str(path), "line 1")


@pytest.mark.parametrize("text, fps", [(MAC2024, 30.0), (UNNAMED_WITH_FPS, None)])
def test_variants_round_trip_through_the_official_header(mma52: Taxonomy, tmp_path: Path, text: str,
                                                         fps: float | None) -> None:
    first = read_annotations(_write(tmp_path, "in.csv", text), "mma52-csv", mma52, fps=fps)
    (out,) = write_annotations(first, tmp_path / "out.csv", "mma52-csv", mma52)
    assert out.read_text("utf-8").splitlines()[0] == ",".join(HEADER)
    again = read_annotations(out, "mma52-csv", mma52)
    assert again.instances == first.instances and again.videos == first.videos


@pytest.mark.parametrize("header", ["video_id,start_frame,end_frame,class,total_frames,fps",
                                    "idx,video_id,start_frame,end_frame,class,total_frames,fps",
                                    ",video_id,start_frame,end_frame,class,fps"])
def test_other_headers_are_still_refused(mma52: Taxonomy, tmp_path: Path, header: str) -> None:
    with pytest.raises(InputError, match="bad header"):
        read_annotations(_write(tmp_path, "bad.csv", header + "\n"), "mma52-csv", mma52, fps=30.0)


def test_unnamed_first_column_must_still_hold_integers(mma52: Taxonomy, tmp_path: Path) -> None:
    text = UNNAMED_WITH_FPS.replace("\n1,", "\nx,")
    with pytest.raises(InputError, match="id must be an integer") as info:
        read_annotations(_write(tmp_path, "bad.csv", text), "mma52-csv", mma52)
    assert info.value.place == "line 3"
