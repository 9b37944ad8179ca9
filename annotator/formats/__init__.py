"""Import and export of annotation and prediction files, one entry point each.

See docs/ARCHITECTURE.md, "File formats" (and "Adding a format").
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from annotator.formats.label_names import read_category_idx, read_label_names, write_category_idx
from annotator.formats.mma52_csv import read_mma52_csv, write_mma52_csv
from annotator.formats.opentad_json import (
    read_opentad_json,
    read_opentad_results,
    write_opentad_json,
    write_opentad_results,
)
from annotator.formats.pointtad_json import read_pointtad_json, write_pointtad_json
from annotator.formats.records import AnnotationSet, InstanceRecord, PredictionRecord, VideoRecord
from annotator.formats.submission_csv import read_submission_csv, write_submission_csv
from annotator.taxonomy import Taxonomy

ANNOTATION_FORMATS = ("mma52-csv", "opentad-json", "pointtad-json")
PREDICTION_FORMATS = ("submission-csv", "opentad-results")

__all__ = [
    "ANNOTATION_FORMATS",
    "PREDICTION_FORMATS",
    "AnnotationSet",
    "InstanceRecord",
    "PredictionRecord",
    "VideoRecord",
    "read_annotations",
    "write_annotations",
    "read_predictions",
    "write_predictions",
    "read_label_names",
    "read_category_idx",
    "write_category_idx",
]


def _check(fmt: str, known: tuple[str, ...]) -> None:
    if fmt not in known:
        raise ValueError(f"unknown format {fmt!r} (expected one of {', '.join(known)})")


def read_annotations(path: Path, fmt: str, taxonomy: Taxonomy, *, fps: float | None = None) -> AnnotationSet:
    """Read and validate an annotation file; InputError names the file, place and problem.

    `fps` serves files that do not carry one (a CSV without the fps column, a PointTAD file
    without our "fps" key, an OpenTAD file without "fps").
    """
    _check(fmt, ANNOTATION_FORMATS)
    path = Path(path)
    if fmt == "mma52-csv":
        return read_mma52_csv(path, taxonomy, fps)
    if fmt == "opentad-json":
        return read_opentad_json(path, taxonomy, fps)
    return read_pointtad_json(path, taxonomy, fps)


def write_annotations(aset: AnnotationSet, out: Path, fmt: str, taxonomy: Taxonomy) -> list[Path]:
    """Write `aset` to the file `out`; returns every file written (opentad-json adds
    category_idx.txt beside `out`). The CSV cannot hold videos without instances."""
    _check(fmt, ANNOTATION_FORMATS)
    out = Path(out)
    if fmt == "mma52-csv":
        return [write_mma52_csv(aset, out)]
    if fmt == "opentad-json":
        return write_opentad_json(aset, out, taxonomy)
    return [write_pointtad_json(aset, out)]


def read_predictions(path: Path, fmt: str, taxonomy: Taxonomy) -> list[PredictionRecord]:
    """Read and validate a prediction file."""
    _check(fmt, PREDICTION_FORMATS)
    path = Path(path)
    if fmt == "submission-csv":
        return read_submission_csv(path, taxonomy)
    return read_opentad_results(path, taxonomy)


def write_predictions(preds: Sequence[PredictionRecord], path: Path, fmt: str, taxonomy: Taxonomy) -> Path:
    """Write predictions (seconds, full float precision) to `path`."""
    _check(fmt, PREDICTION_FORMATS)
    path = Path(path)
    if fmt == "submission-csv":
        return write_submission_csv(preds, path)
    return write_opentad_results(preds, path, taxonomy)
