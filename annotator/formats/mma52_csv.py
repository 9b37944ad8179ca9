"""The official MMA-52 CSV: `id,video_id,start_frame,end_frame,class,total_frames,fps`."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from annotator.errors import InputError
from annotator.formats.common import (
    AnnotationBuilder,
    csv_rows,
    parse_float,
    parse_int,
    write_text_atomic,
)
from annotator.formats.records import AnnotationSet, InstanceRecord, VideoRecord
from annotator.input_checks import check_fps, read_text, short
from annotator.taxonomy import Taxonomy

HEADER = ("id", "video_id", "start_frame", "end_frame", "class", "total_frames", "fps")
ROW_NUMBER_NAMES = ("id", "")  # official name of the first column, and pandas' unnamed index


def _check_header(header: tuple[str, ...], file: str) -> bool:
    """Whether the header has the fps column; InputError when it is no known variant."""
    if header and header[0] in ROW_NUMBER_NAMES and header[1:] in (HEADER[1:], HEADER[1:-1]):
        return header[1:] == HEADER[1:]
    raise InputError(file, "line 1", f"bad header {short(','.join(header))}: expected {','.join(HEADER)!r} "
                                     "(the first column may be unnamed, the fps column may be missing)")


def read_mma52_csv(path: Path, taxonomy: Taxonomy, fps: float | None = None) -> AnnotationSet:
    """Read an official CSV or one of its variants; `fps` is used only when there is no fps column.

    Variants found in the wild: the first column unnamed (the header starts with a comma, as
    pandas writes its index; the MAC 2024 development-phase release is
    `,video_id,start_frame,end_frame,class,total_frames`), and no fps column. The first
    column must hold integers but its values are not kept: writing numbers the rows 0..N-1 in
    order under the official header. The CSV carries no subset and no subject.
    """
    file = str(path)
    rows = csv_rows(read_text(path), file)
    header = tuple(h.strip() for h in next(rows, ("", []))[1])
    has_fps = _check_header(header, file)
    if not has_fps:
        if fps is None:
            raise InputError(file, "line 1", "the header has no fps column; give the fps (--fps N)")
        check_fps(fps, file, "fps argument")
    builder = AnnotationBuilder(file, taxonomy)
    width = len(header)
    for place, row in rows:
        if len(row) != width:
            raise InputError(file, place, f"{len(row)} columns, expected {width}")
        _read_row(row, has_fps, fps, builder, place)
    return builder.finish()


def _read_row(
    row: list[str], has_fps: bool, fps: float | None, builder: AnnotationBuilder, place: str
) -> None:
    file = builder.file
    parse_int(row[0], file, place, "id")
    video_id = row[1].strip()
    start = parse_int(row[2], file, place, "start_frame")
    end = parse_int(row[3], file, place, "end_frame")
    action = parse_int(row[4], file, place, "class")
    total = parse_int(row[5], file, place, "total_frames")
    video_fps = parse_float(row[6], file, place, "fps") if has_fps else fps
    assert video_fps is not None
    builder.add_video(VideoRecord(video_id, video_fps, total), place)
    builder.add_instance(InstanceRecord(video_id, start, end, action), place)


def write_mma52_csv(aset: AnnotationSet, out: Path) -> Path:
    """Write an official CSV, rows numbered 0..N-1 in instance order.

    The CSV has one row per instance, so videos without instances cannot be written and are
    left out; subsets and subjects are not written either (the format has no such column).
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    videos = aset.videos
    for row_id, inst in enumerate(aset.instances):
        video = videos[inst.video_id]
        writer.writerow(
            (
                row_id,
                inst.video_id,
                inst.start_frame,
                inst.end_frame,
                inst.action_id,
                video.total_frames,
                repr(float(video.fps)),
            )
        )
    return write_text_atomic(out, buffer.getvalue())
