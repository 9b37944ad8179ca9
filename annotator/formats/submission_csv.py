"""Challenge submission CSV of predictions: `,video_id,t_start,t_end,class,score` in seconds."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from annotator.errors import InputError
from annotator.formats.common import csv_rows, parse_float, parse_int, write_text_atomic
from annotator.formats.records import PredictionRecord
from annotator.input_checks import check_seconds, read_text, short
from annotator.taxonomy import Taxonomy

HEADER = ("", "video_id", "t_start", "t_end", "class", "score")


def read_submission_csv(path: Path, taxonomy: Taxonomy) -> list[PredictionRecord]:
    """Read detections; the first (unnamed) column is a row number and is not kept."""
    file = str(path)
    rows = csv_rows(read_text(path), file)
    header = tuple(h.strip() for h in next(rows, ("", []))[1])
    if header != HEADER:
        raise InputError(file, "line 1", f"bad header {short(','.join(header))}: expected {','.join(HEADER)!r}")
    n_actions = len(taxonomy.actions)
    preds: list[PredictionRecord] = []
    for place, row in rows:
        if len(row) != len(HEADER):
            raise InputError(file, place, f"{len(row)} columns, expected {len(HEADER)}")
        start = check_seconds(parse_float(row[2], file, place, "t_start"), file, place, "t_start")
        end = check_seconds(parse_float(row[3], file, place, "t_end"), file, place, "t_end")
        action = parse_int(row[4], file, place, "class")
        score = parse_float(row[5], file, place, "score")
        if not row[1].strip():
            raise InputError(file, place, "empty video_id")
        if end < start:
            raise InputError(file, place, f"t_end {end!r} is before t_start {start!r}")
        if not 0 <= action < n_actions:
            raise InputError(file, place, f"unknown class id {action} (expected 0..{n_actions - 1})")
        preds.append(PredictionRecord(row[1].strip(), start, end, action, score))
    return preds


def write_submission_csv(preds: Sequence[PredictionRecord], path: Path) -> Path:
    """Write detections in the order given, floats at full precision."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    for i, p in enumerate(preds):
        writer.writerow((i, p.video_id, repr(p.t_start), repr(p.t_end), p.action_id, repr(p.score)))
    return write_text_atomic(path, buffer.getvalue())
