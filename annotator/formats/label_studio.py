"""Label Studio's JSON export of video tasks labelled with `<TimelineLabels>`.

A task's `data` names the video (its file name; Label Studio's upload prefix "1a2b3c4d-" is
removed); each entry of `annotations` is one person's work (`completed_by`), and each result
of type "timelinelabels" holds `value.ranges` of 1-based frames, both ends included, and
`value.timelinelabels`, the labels. So a range {start: s, end: e} is our instance
[s - 1, e] (0-based start frame, end boundary in frames), exactly. We write the same, plus
`data.mmad_video`, `mmad_fps`, `mmad_frames`, `mmad_subject` and each annotation's
`mmad_annotator`, so a file comes back without the project and with its annotators' names.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlparse

from annotator.errors import InputError
from annotator.formats.common import (
    json_int,
    json_list,
    json_number,
    json_object,
    json_str,
    load_json,
    write_json,
)
from annotator.formats.records import AnnotationSet, InstanceRecord, VideoRecord
from annotator.formats.timed import (
    NO_MAPPING,
    Clips,
    LabelMap,
    Works,
    WorksBuilder,
    action_of_label,
    check_author,
    check_subject,
    known_video,
)
from annotator.input_checks import check_fps
from annotator.taxonomy import Taxonomy

RESULT_TYPE = "timelinelabels"
FROM_NAME, TO_NAME = "videoLabels", "video"  # the names of Label Studio's video frame classification template
_UPLOAD_PREFIX = re.compile(r"^[0-9a-f]{8}-")


def read_label_studio(path: Path, taxonomy: Taxonomy, clips: Clips, mapping: LabelMap = NO_MAPPING) -> Works:
    """Read a Label Studio JSON export (a list of tasks, or one task)."""
    file = str(path)
    top = load_json(path)
    tasks = [top] if isinstance(top, dict) else json_list(top, file, "top level")
    works = WorksBuilder(file, taxonomy)
    for i, raw in enumerate(tasks):
        place = f"[{i}]"
        task = json_object(raw, file, place)
        video = _video(json_object(task.get("data"), file, f"{place}.data"), clips, file, f"{place}.data")
        works.add_video(video, f"{place}.data")
        for k, ann_raw in enumerate(json_list(task.get("annotations", []), file, f"{place}.annotations")):
            where = f"{place}.annotations[{k}]"
            ann = json_object(ann_raw, file, where)
            if ann.get("was_cancelled") is True:
                continue  # a skipped task: no answer
            author = _author(ann, file, where)
            for r, result_raw in enumerate(json_list(ann.get("result", []), file, f"{where}.result")):
                _result(result_raw, video, author, taxonomy, mapping, works, f"{where}.result[{r}]")
    return works.finish()


def _video(data: dict[str, Any], clips: Clips, file: str, place: str) -> VideoRecord:
    if "mmad_video" in data:
        name = json_str(data["mmad_video"], file, f"{place}.mmad_video")
    else:
        url = data.get("video", next((v for v in data.values() if isinstance(v, str)), None))
        if url is None:
            raise InputError(file, place, "no video: expected data.video with the video's URL")
        name = _name_of_url(json_str(url, file, f"{place}.video"))
    fps = frames = None
    if "mmad_fps" in data and "mmad_frames" in data:
        fps = check_fps(json_number(data["mmad_fps"], file, f"{place}.mmad_fps"), file, f"{place}.mmad_fps")
        frames = json_int(data["mmad_frames"], file, f"{place}.mmad_frames")
    subject = data.get("mmad_subject")
    subject = check_subject(json_str(subject, file, f"{place}.mmad_subject"), file, place) if subject else None
    return known_video(name, clips, fps, frames, file, place, subject)


def _name_of_url(url: str) -> str:
    """The clip name of a task's video URL: its file name without extension or upload prefix."""
    parsed = urlparse(url)
    query_path = dict(p.split("=", 1) for p in parsed.query.split("&") if "=" in p).get("d")
    stem = PurePosixPath(unquote(query_path or parsed.path or url).replace("\\", "/")).stem
    return _UPLOAD_PREFIX.sub("", stem)


def _author(ann: dict[str, Any], file: str, place: str) -> str | None:
    """Whose work an annotation is: our mmad_annotator, else completed_by (a user object or id)."""
    if "mmad_annotator" in ann:
        return check_author(json_str(ann["mmad_annotator"], file, f"{place}.mmad_annotator"), file, place)
    who = ann.get("completed_by")
    if who is None:
        return None
    if isinstance(who, dict):
        for key in ("username", "email"):
            if isinstance(who.get(key), str) and who[key].strip():
                return check_author(who[key], file, f"{place}.completed_by.{key}")
        who = who.get("id")
    return f"label-studio-user-{json_int(who, file, f'{place}.completed_by')}"


def _result(raw: object, video: VideoRecord, author: str | None, taxonomy: Taxonomy, mapping: LabelMap,
            works: WorksBuilder, place: str) -> None:
    file = works.file
    result = json_object(raw, file, place)
    if result.get("type") != RESULT_TYPE:
        return  # other controls of the labelling config (choices, text): not timeline labels
    value = json_object(result.get("value"), file, f"{place}.value")
    labels = json_list(value.get("timelinelabels"), file, f"{place}.value.timelinelabels")
    actions = [action_of_label(json_str(label, file, f"{place}.value.timelinelabels[{n}]"), taxonomy, mapping,
                               file, f"{place}.value.timelinelabels[{n}]") for n, label in enumerate(labels)]
    for j, span_raw in enumerate(json_list(value.get("ranges"), file, f"{place}.value.ranges")):
        where = f"{place}.value.ranges[{j}]"
        span = json_object(span_raw, file, where)
        start = json_int(span.get("start"), file, f"{where}.start")
        end = json_int(span.get("end"), file, f"{where}.end")
        if start < 1:
            raise InputError(file, f"{where}.start", f"frame {start}: Label Studio counts frames from 1")
        for action in actions:
            works.add_instance(author, InstanceRecord(video.video_id, start - 1, end, action), where)


def write_label_studio(aset: AnnotationSet, out: Path, taxonomy: Taxonomy, author: str | None = None,
                       media: dict[str, str] | None = None) -> Path:
    """Write one task per video, its instances as one annotation (by `author` when given)."""
    by_video: dict[str, list[InstanceRecord]] = defaultdict(list)
    for inst in aset.instances:
        by_video[inst.video_id].append(inst)
    tasks = []
    for number, (name, video) in enumerate(aset.videos.items(), start=1):
        data: dict[str, Any] = {"video": (media or {}).get(name) or f"{name}.mp4", "mmad_video": name,
                                "mmad_fps": video.fps, "mmad_frames": video.total_frames}
        if video.subject is not None:
            data["mmad_subject"] = video.subject
        result = [{"id": f"{name}-{k}", "type": RESULT_TYPE, "from_name": FROM_NAME, "to_name": TO_NAME,
                   "origin": "manual",
                   "value": {"ranges": [{"start": inst.start_frame + 1, "end": inst.end_frame}],
                             "timelinelabels": [taxonomy.action(inst.action_id).name]}}
                  for k, inst in enumerate(by_video.get(name, []))]
        annotation: dict[str, Any] = {"id": number, "result": result, "was_cancelled": False}
        if author is not None:
            annotation["mmad_annotator"] = author
        tasks.append({"id": number, "data": data, "annotations": [annotation]})
    return write_json(tasks, out)

