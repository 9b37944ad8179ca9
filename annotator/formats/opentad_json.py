"""OpenTAD / ActivityNet JSON: annotations (`database`) and detection results (`results`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from annotator.errors import InputError
from annotator.formats.common import (
    NO_SUBSET,
    OPENTAD_SUBSETS,
    AnnotationBuilder,
    action_from_json,
    json_frame,
    json_int,
    json_list,
    json_number,
    json_object,
    json_seconds,
    json_segment,
    json_str,
    load_json,
    seconds_of,
    subset_from_word,
    write_json,
)
from annotator.formats.label_names import CATEGORY_IDX, write_category_idx
from annotator.formats.records import AnnotationSet, InstanceRecord, PredictionRecord, VideoRecord
from annotator.input_checks import check_fps, frame_at
from annotator.model import Subset
from annotator.taxonomy import Taxonomy


def read_opentad_json(path: Path, taxonomy: Taxonomy, fps: float | None = None) -> AnnotationSet:
    """Read `{"database": {video: {...}}}`; frames come back as round(seconds * fps).

    A video's fps is its own "fps" key, else the `fps` argument, else "frame" / "duration".
    Its frame count is "frame", else round(duration * fps). Labels are action names
    ("label"), an optional "label_id" must agree with the name.
    """
    file = str(path)
    top = json_object(load_json(path), file, "top level")
    if "database" not in top:
        raise InputError(file, "top level", "missing key 'database'")
    database = json_object(top["database"], file, "database")
    builder = AnnotationBuilder(file, taxonomy)
    for video_id, raw in database.items():
        place = f"database.{video_id}"
        entry = json_object(raw, file, place)
        video = _video(video_id, entry, fps, file, place)
        builder.add_video(video, place)
        for i, ann in enumerate(json_list(entry.get("annotations", []), file, f"{place}.annotations")):
            _instance(video, ann, taxonomy, builder, f"{place}.annotations[{i}]")
    return builder.finish()


def _video(video_id: str, entry: dict[str, Any], fps: float | None, file: str, place: str) -> VideoRecord:
    if "duration" not in entry and "frame" not in entry:
        raise InputError(file, place, "missing key 'duration'")
    duration = json_seconds(entry["duration"], file, f"{place}.duration") if "duration" in entry else None
    frames = json_int(entry["frame"], file, f"{place}.frame") if "frame" in entry else None
    if "fps" in entry:
        video_fps = check_fps(json_number(entry["fps"], file, f"{place}.fps"), file, f"{place}.fps")
    elif fps is not None:
        video_fps = check_fps(fps, file, "fps argument")
    elif frames is not None and duration:
        video_fps = frames / duration
    else:
        raise InputError(
            file, place, "no fps: the video has neither 'fps' nor both 'frame' and 'duration'; give the fps"
        )
    if frames is None:
        assert duration is not None
        frames = json_frame(duration, video_fps, file, f"{place}.duration")
    subset = subset_from_word(entry.get("subset"), OPENTAD_SUBSETS, file, f"{place}.subset")
    subject = (
        json_str(entry["subject"], file, f"{place}.subject") if entry.get("subject") is not None else None
    )
    return VideoRecord(video_id, video_fps, frames, subset, subject)


def _instance(
    video: VideoRecord, raw: object, taxonomy: Taxonomy, builder: AnnotationBuilder, place: str
) -> None:
    file = builder.file
    ann = json_object(raw, file, place)
    if "segment" not in ann:
        raise InputError(file, place, "missing key 'segment'")
    start_s, end_s = json_segment(ann["segment"], file, f"{place}.segment")
    action = action_from_json(ann.get("label"), ann.get("label_id"), taxonomy, file, place)
    start = frame_at(start_s, video.fps, file, f"{place}.segment[0]", "start")
    end = frame_at(end_s, video.fps, file, f"{place}.segment[1]", "end")
    builder.add_instance(InstanceRecord(video.video_id, start, end, action), f"{place}.segment")


def write_opentad_json(aset: AnnotationSet, out: Path, taxonomy: Taxonomy) -> list[Path]:
    """Write the database JSON to `out` and category_idx.txt beside it; every video is kept,
    also those without instances."""
    by_video: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for inst in aset.instances:
        fps = aset.videos[inst.video_id].fps
        by_video[inst.video_id].append(
            {
                "label": taxonomy.action(inst.action_id).name,
                "label_id": inst.action_id,
                "segment": [seconds_of(inst.start_frame, fps), seconds_of(inst.end_frame, fps)],
            }
        )
    database: dict[str, Any] = {}
    for video_id, video in aset.videos.items():
        entry: dict[str, Any] = {"duration": video.duration, "frame": video.total_frames, "fps": video.fps}
        entry["subset"] = OPENTAD_SUBSETS[Subset(video.subset)] if video.subset is not None else NO_SUBSET
        if video.subject is not None:
            entry["subject"] = video.subject
        entry["annotations"] = by_video.get(video_id, [])
        database[video_id] = entry
    write_json({"database": database}, out)
    return [out, write_category_idx(taxonomy, out.parent / CATEGORY_IDX)]


def read_opentad_results(path: Path, taxonomy: Taxonomy) -> list[PredictionRecord]:
    """Read `{"results": {video: [{"segment": [s, e], "label": name, "score": p}]}}`."""
    file = str(path)
    top = json_object(load_json(path), file, "top level")
    if "results" not in top:
        raise InputError(file, "top level", "missing key 'results'")
    preds: list[PredictionRecord] = []
    for video_id, raw in json_object(top["results"], file, "results").items():
        for i, det in enumerate(json_list(raw, file, f"results.{video_id}")):
            place = f"results.{video_id}[{i}]"
            det = json_object(det, file, place)
            for key in ("segment", "score"):
                if key not in det:
                    raise InputError(file, place, f"missing key {key!r}")
            start, end = json_segment(det["segment"], file, f"{place}.segment")
            if end < start:
                raise InputError(file, f"{place}.segment", f"end {end!r} is before start {start!r}")
            action = action_from_json(det.get("label"), det.get("label_id"), taxonomy, file, place)
            score = json_number(det["score"], file, f"{place}.score")
            preds.append(PredictionRecord(video_id, start, end, action, score))
    return preds


def write_opentad_results(preds: Sequence[PredictionRecord], path: Path, taxonomy: Taxonomy) -> Path:
    """Write detections grouped by video, in the order given."""
    results: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for p in preds:
        results[p.video_id].append(
            {
                "segment": [p.t_start, p.t_end],
                "label": taxonomy.action(p.action_id).name,
                "label_id": p.action_id,
                "score": p.score,
            }
        )
    return write_json({"results": dict(results)}, path)
