"""What every format reader shares: decoding, number parsing, subset words and validation."""

from __future__ import annotations

import csv
import io
import json
import math
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from annotator.errors import InputError
from annotator.formats.records import AnnotationSet, InstanceRecord, VideoRecord
from annotator.input_checks import (
    MAX_FRAME,
    check_frame_number,
    check_seconds,
    check_video,
    frame_at,
    parse_json,
    read_text,
    short,
)
from annotator.model import MIN_SEGMENT_SECONDS, Subset
from annotator.taxonomy import Taxonomy

# Each format's own words for the store's subsets.
OPENTAD_SUBSETS = {Subset.TRAIN: "training", Subset.VAL: "validation", Subset.TEST: "testing"}
POINTTAD_SUBSETS = {Subset.TRAIN: "train", Subset.VAL: "val", Subset.TEST: "test"}
# The word written for a clip no split has placed yet: OpenTAD's and PointTAD's loaders read
# every entry's subset and fail on a missing key, and pick no entry under this word.
NO_SUBSET = "unassigned"


def parse_int(text: str, file: str, place: str, name: str) -> int:
    """An integer field the store can hold, or InputError naming the field."""
    try:
        value = int(text)
    except ValueError:
        raise InputError(file, place, f"{name} must be an integer, got {short(text)}") from None
    return value if -MAX_FRAME <= value <= MAX_FRAME else check_frame_number(value, file, place, name)


def parse_float(text: str, file: str, place: str, name: str) -> float:
    """A finite float field, or InputError naming the field."""
    try:
        value = float(text)
    except ValueError:
        raise InputError(file, place, f"{name} must be a number, got {short(text)}") from None
    if not math.isfinite(value):
        raise InputError(file, place, f"{name} must be finite, got {short(text)}")
    return value


def csv_rows(text: str, file: str, delimiter: str = ",") -> Iterator[tuple[str, list[str]]]:
    """("line N", row) for each non-blank row of a CSV (or, with delimiter "\t", TSV) text, N the
    line the row ends on; a row the csv module cannot read (a field over its 131,072-character
    limit) is an InputError."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError(file, f"line {reader.line_num}", f"unreadable CSV row: {exc}") from None
        if row and (len(row) > 1 or row[0].strip()):
            yield f"line {reader.line_num}", row


def subset_from_word(word: object, words: dict[Subset, str], file: str, place: str) -> Subset | None:
    """The store subset for a format's subset word (None when the key is absent or says unassigned)."""
    if word is None or word == NO_SUBSET:
        return None
    for subset, own in words.items():
        if word == own:
            return subset
    known = ", ".join(repr(w) for w in words.values())
    raise InputError(file, place, f"unknown subset {short(word)} (expected one of {known})")


def frame_of(seconds: float, fps: float) -> int:
    """The frame index a time in seconds names (seconds = frame / fps; docs/ARCHITECTURE.md, "Data model
    and roles"); for times already checked (a file's times go through input_checks.frame_at)."""
    return round(seconds * fps)


def seconds_of(frame: int, fps: float) -> float:
    """The time in seconds of a frame index."""
    return frame / fps


class AnnotationBuilder:
    """Collects one file's videos and instances, checking each as it comes."""

    def __init__(self, file: str, taxonomy: Taxonomy) -> None:
        self.file = file
        self.n_actions = len(taxonomy.actions)
        self.videos: dict[str, VideoRecord] = {}
        self.video_place: dict[str, str] = {}
        self.instances: list[InstanceRecord] = []
        self.duplicates: list[InstanceRecord] = []
        self._seen: set[InstanceRecord] = set()

    def add_video(self, video: VideoRecord, place: str) -> None:
        """Declare a video; a second declaration must agree with the first."""
        known = self.videos.get(video.video_id)
        if known is None:
            check_video(video.video_id, video.subject, video.fps, video.total_frames, self.file, place)
            self.videos[video.video_id] = video
            self.video_place[video.video_id] = place
        elif (known.total_frames, known.fps) != (video.total_frames, video.fps):
            raise InputError(
                self.file,
                place,
                f"video {short(video.video_id)}: total_frames {short(video.total_frames)}, fps {video.fps!r} differ "
                f"from total_frames {known.total_frames}, fps {known.fps!r} given at {self.video_place[video.video_id]}",
            )

    def add_instance(self, inst: InstanceRecord, place: str) -> None:
        """Add an instance of a declared video; exact repeats go to duplicates."""
        video = self.videos[inst.video_id]
        if not 0 <= inst.action_id < self.n_actions:
            raise InputError(
                self.file, place, f"unknown class id {inst.action_id} (expected 0..{self.n_actions - 1})"
            )
        if inst.start_frame < 0:
            raise InputError(self.file, place, f"negative start_frame {inst.start_frame}")
        if inst.end_frame <= inst.start_frame:
            raise InputError(
                self.file, place, f"end_frame {inst.end_frame} is not after start_frame {inst.start_frame}"
            )
        if inst.end_frame >= video.total_frames:
            raise InputError(
                self.file,
                place,
                f"end_frame {inst.end_frame} is out of range: video {inst.video_id} has {video.total_frames} "
                f"frames, so the last 0-based frame is {video.total_frames - 1}",
            )
        if inst in self._seen:
            self.duplicates.append(inst)
            return
        self._seen.add(inst)
        self.instances.append(inst)

    def finish(self) -> AnnotationSet:
        """The checked set, with its overlap and short-instance counts."""
        return AnnotationSet(
            videos=self.videos,
            instances=self.instances,
            duplicates=self.duplicates,
            same_action_overlaps=count_same_action_overlaps(self.instances),
            short_instances=count_short(self.instances, self.videos),
        )


def count_same_action_overlaps(instances: Iterable[InstanceRecord]) -> int:
    """How many instances start before an earlier-starting instance of the same action in the
    same video has ended (strict overlap in seconds; touching end-to-start does not count)."""
    groups: dict[tuple[str, int], list[tuple[int, int]]] = defaultdict(list)
    for inst in instances:
        groups[(inst.video_id, inst.action_id)].append((inst.start_frame, inst.end_frame))
    count = 0
    for spans in groups.values():
        if len(spans) < 2:
            continue
        spans.sort()
        reach = spans[0][1]
        for start, end in spans[1:]:
            if start < reach:
                count += 1
            reach = max(reach, end)
    return count


def count_short(instances: Iterable[InstanceRecord], videos: dict[str, VideoRecord]) -> int:
    """How many instances last less than MIN_SEGMENT_SECONDS."""
    return sum(
        1
        for i in instances
        if (i.end_frame - i.start_frame) < MIN_SEGMENT_SECONDS * videos[i.video_id].fps - 1e-9
    )


def load_json(path: Path) -> object:
    """The file's JSON value; InputError naming line and column when it is malformed or too deep."""
    return parse_json(read_text(path), str(path))


def json_object(value: object, file: str, place: str) -> dict[str, Any]:
    """value as a JSON object, or InputError."""
    if not isinstance(value, dict):
        raise InputError(file, place, f"expected an object, got {_json_kind(value)}")
    return value


def json_list(value: object, file: str, place: str) -> list[Any]:
    """value as a JSON array, or InputError."""
    if not isinstance(value, list):
        raise InputError(file, place, f"expected an array, got {_json_kind(value)}")
    return value


def json_number(value: object, file: str, place: str) -> float:
    """value as a finite JSON number (not a boolean), or InputError."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(file, place, f"expected a number, got {_json_kind(value)} {short(value)}")
    number = float(value) if not isinstance(value, int) or abs(value) < 2**1000 else math.inf
    if not math.isfinite(number):
        raise InputError(file, place, f"expected a finite number, got {short(value)}")
    return number


def json_int(value: object, file: str, place: str) -> int:
    """value as a JSON integer (a float with an integral value is accepted), or InputError."""
    if isinstance(value, float) and value.is_integer():
        return check_frame_number(int(value), file, place, "integer")
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(file, place, f"expected an integer, got {_json_kind(value)} {short(value)}")
    return check_frame_number(value, file, place, "integer")


def json_str(value: object, file: str, place: str) -> str:
    """value as a JSON string, or InputError."""
    if not isinstance(value, str):
        raise InputError(file, place, f"expected a string, got {_json_kind(value)}")
    return value


def json_segment(value: object, file: str, place: str) -> tuple[float, float]:
    """A [start_s, end_s] pair of times in seconds (each within ±MAX_SECONDS)."""
    pair = json_list(value, file, place)
    if len(pair) != 2:
        raise InputError(file, place, f"expected [start, end], got {len(pair)} values")
    return json_seconds(pair[0], file, f"{place}[0]"), json_seconds(pair[1], file, f"{place}[1]")


def json_seconds(value: object, file: str, place: str) -> float:
    """value as a time in seconds: a JSON number within ±MAX_SECONDS."""
    return check_seconds(json_number(value, file, place), file, place, "time")


def json_frame(value: object, fps: float, file: str, place: str) -> int:
    """The frame a JSON time in seconds names at `fps`, range-checked before the conversion."""
    return frame_at(json_number(value, file, place), fps, file, place, "time")


def action_from_json(name: object, label_id: object, taxonomy: Taxonomy, file: str, place: str) -> int:
    """The action id from a label name and/or a label id; both must agree when both are given."""
    by_name: int | None = None
    if name is not None:
        label = json_str(name, file, f"{place}.label")
        try:
            by_name = taxonomy.action_by_name(label).id
        except KeyError:
            raise InputError(
                file, f"{place}.label", f"unknown label name {short(label)} in taxonomy {taxonomy.name}"
            ) from None
    if label_id is None:
        if by_name is None:
            raise InputError(file, place, "missing key 'label'")
        return by_name
    by_id = json_int(label_id, file, f"{place}.label_id")
    if not 0 <= by_id < len(taxonomy.actions):
        raise InputError(
            file, f"{place}.label_id", f"unknown class id {by_id} (expected 0..{len(taxonomy.actions) - 1})"
        )
    if by_name is not None and by_name != by_id:
        raise InputError(file, place, f"label {short(name)} is id {by_name} but label_id says {by_id}")
    return by_id


def _json_kind(value: object) -> str:
    kinds = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return kinds.get(type(value), "a number")


def write_json(value: object, out: Path) -> Path:
    """Write JSON as UTF-8; floats keep full precision (repr)."""
    return write_text_atomic(out, json.dumps(value, ensure_ascii=False))


def write_text_atomic(path: Path, text: str) -> Path:
    """Write UTF-8 text through a temporary file and a rename, so a crash never leaves a
    half-written file; creates the parent folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    os.replace(tmp, path)
    return path
