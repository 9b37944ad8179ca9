"""PointTAD `mmad.json`: `{video: {"subset", "duration", "actions": [[class_id, start_s, end_s]]}}`.

class_id is the official CSV's 0-based id. PointTAD's own loaders differ here: its Charades
loader takes the id as it is, its MultiTHUMOS loader subtracts 1 (that file counts from 1), so
train PointTAD on these files with the Charades-style loader.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from annotator.errors import InputError
from annotator.formats.common import (
    NO_SUBSET,
    POINTTAD_SUBSETS,
    AnnotationBuilder,
    json_frame,
    json_int,
    json_list,
    json_number,
    json_object,
    json_str,
    load_json,
    seconds_of,
    subset_from_word,
    write_json,
)
from annotator.formats.records import AnnotationSet, InstanceRecord, VideoRecord
from annotator.input_checks import check_fps
from annotator.model import Subset
from annotator.taxonomy import Taxonomy


def read_pointtad_json(path: Path, taxonomy: Taxonomy, fps: float | None = None) -> AnnotationSet:
    """Read a PointTAD file; a video's fps is its "fps" key (we write it), else the `fps`
    argument; its frame count is "frames", else round(duration * fps)."""
    file = str(path)
    top = json_object(load_json(path), file, "top level")
    builder = AnnotationBuilder(file, taxonomy)
    for video_id, raw in top.items():
        place = video_id
        entry = json_object(raw, file, place)
        video = _video(video_id, entry, fps, file, place)
        builder.add_video(video, place)
        for i, action in enumerate(json_list(entry.get("actions", []), file, f"{place}.actions")):
            _instance(video, action, builder, f"{place}.actions[{i}]")
    return builder.finish()


def _video(video_id: str, entry: dict[str, Any], fps: float | None, file: str, place: str) -> VideoRecord:
    if "fps" in entry:
        video_fps = check_fps(json_number(entry["fps"], file, f"{place}.fps"), file, f"{place}.fps")
    elif fps is not None:
        video_fps = check_fps(fps, file, "fps argument")
    else:
        raise InputError(file, place, "no 'fps' key; give the fps")
    if "frames" in entry:
        frames = json_int(entry["frames"], file, f"{place}.frames")
    elif "duration" in entry:
        frames = json_frame(entry["duration"], video_fps, file, f"{place}.duration")
    else:
        raise InputError(file, place, "missing key 'duration'")
    subset = subset_from_word(entry.get("subset"), POINTTAD_SUBSETS, file, f"{place}.subset")
    subject = (
        json_str(entry["subject"], file, f"{place}.subject") if entry.get("subject") is not None else None
    )
    return VideoRecord(video_id, video_fps, frames, subset, subject)


def _instance(video: VideoRecord, raw: object, builder: AnnotationBuilder, place: str) -> None:
    file = builder.file
    triple = json_list(raw, file, place)
    if len(triple) != 3:
        raise InputError(file, place, f"expected [class_id, start, end], got {len(triple)} values")
    action = json_int(triple[0], file, f"{place}[0]")
    start = json_frame(triple[1], video.fps, file, f"{place}[1]")
    end = json_frame(triple[2], video.fps, file, f"{place}[2]")
    builder.add_instance(InstanceRecord(video.video_id, start, end, action), place)


def write_pointtad_json(aset: AnnotationSet, out: Path) -> Path:
    """Write every video (also those without instances), with extra "fps", "frames" and
    "subject" keys so frames come back exactly."""
    by_video: dict[str, list[list[Any]]] = defaultdict(list)
    for inst in aset.instances:
        fps = aset.videos[inst.video_id].fps
        by_video[inst.video_id].append(
            [inst.action_id, seconds_of(inst.start_frame, fps), seconds_of(inst.end_frame, fps)]
        )
    data: dict[str, Any] = {}
    for video_id, video in aset.videos.items():
        entry: dict[str, Any] = {}
        entry["subset"] = POINTTAD_SUBSETS[Subset(video.subset)] if video.subset is not None else NO_SUBSET
        entry.update(duration=video.duration, fps=video.fps, frames=video.total_frames)
        if video.subject is not None:
            entry["subject"] = video.subject
        entry["actions"] = by_video.get(video_id, [])
        data[video_id] = entry
    return write_json(data, out)
