"""Import and export of annotation and prediction files, one entry point each.

See docs/ARCHITECTURE.md, "File formats" (and "Adding a format").
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from annotator.formats.boris import read_boris_aggregated, read_boris_project, write_boris_aggregated
from annotator.formats.elan_eaf import read_elan, write_elan
from annotator.formats.label_names import read_category_idx, read_label_names, write_category_idx
from annotator.formats.label_studio import read_label_studio, write_label_studio
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
from annotator.formats.timed import NO_MAPPING, Clips, Clocks, LabelMap, Works, read_label_map, single_work
from annotator.taxonomy import Taxonomy

# Read and written (export and import-annotations), then read only.
ANNOTATION_FORMATS = ("mma52-csv", "opentad-json", "pointtad-json", "elan-eaf", "boris-aggregated",
                      "label-studio-json")
IMPORT_ONLY_FORMATS = ("boris-project",)
IMPORT_FORMATS = ANNOTATION_FORMATS + IMPORT_ONLY_FORMATS
# Formats of other tools: times or frames per person, videos resolved against the project's clips.
TOOL_FORMATS = ("elan-eaf", "boris-aggregated", "boris-project", "label-studio-json")
PREDICTION_FORMATS = ("submission-csv", "opentad-results")

__all__ = [
    "ANNOTATION_FORMATS",
    "IMPORT_FORMATS",
    "TOOL_FORMATS",
    "LabelMap",
    "NO_MAPPING",
    "read_label_map",
    "read_works",
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


def read_annotations(path: Path, fmt: str, taxonomy: Taxonomy, *, fps: float | None = None,
                     clips: Clips | None = None, mapping: LabelMap = NO_MAPPING) -> AnnotationSet:
    """Read and validate an annotation file; InputError names the file, place and problem.

    `fps` serves files that do not carry one (a CSV without the fps column, a PointTAD file
    without our "fps" key, an OpenTAD file without "fps"); `clips` (the project's, by name)
    gives the other tools' files their videos' fps and frame counts; `mapping` their labels.
    A file holding several annotators' work is refused: read it with read_works.
    """
    return single_work(read_works(path, fmt, taxonomy, fps=fps, clips=clips, mapping=mapping), str(path))


def read_works(path: Path, fmt: str, taxonomy: Taxonomy, *, fps: float | None = None,
               clips: Clips | None = None, mapping: LabelMap = NO_MAPPING) -> Works:
    """Read a file as each annotator's work it holds (None: a work the file names nobody for)."""
    _check(fmt, IMPORT_FORMATS)
    path = Path(path)
    known = clips or {}
    if fmt == "mma52-csv":
        return {None: read_mma52_csv(path, taxonomy, fps)}
    if fmt == "opentad-json":
        return {None: read_opentad_json(path, taxonomy, fps)}
    if fmt == "pointtad-json":
        return {None: read_pointtad_json(path, taxonomy, fps)}
    if fmt == "elan-eaf":
        return read_elan(path, taxonomy, known, mapping)
    if fmt == "boris-aggregated":
        return read_boris_aggregated(path, taxonomy, known, mapping)
    if fmt == "boris-project":
        return read_boris_project(path, taxonomy, known, mapping)
    return read_label_studio(path, taxonomy, known, mapping)


def write_annotations(aset: AnnotationSet, out: Path, fmt: str, taxonomy: Taxonomy, *, author: str | None = None,
                      media: dict[str, str] | None = None, clocks: Clocks | None = None) -> list[Path]:
    """Write `aset` to `out`; returns every file written (opentad-json adds category_idx.txt
    beside `out`; elan-eaf writes one .eaf per video into the folder `out`). The CSV and BORIS's
    table cannot hold videos without instances. `author` names whose work it is (ELAN tiers,
    Label Studio annotations); `media` maps videos to their files (ELAN's linked media, BORIS's
    media file, Label Studio's video URL); `clocks` put re-encoded clips in their original's times
    (ELAN, BORIS: the formats in times)."""
    _check(fmt, ANNOTATION_FORMATS)
    out = Path(out)
    if fmt == "mma52-csv":
        return [write_mma52_csv(aset, out)]
    if fmt == "opentad-json":
        return write_opentad_json(aset, out, taxonomy)
    if fmt == "pointtad-json":
        return [write_pointtad_json(aset, out)]
    if fmt == "elan-eaf":
        return write_elan(aset, out, taxonomy, author, media, clocks)
    if fmt == "boris-aggregated":
        return [write_boris_aggregated(aset, out, taxonomy, media, clocks)]
    return [write_label_studio(aset, out, taxonomy, author, media)]


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
