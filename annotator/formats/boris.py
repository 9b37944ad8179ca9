"""BORIS: a project file (`.boris`, JSON) and its "aggregated events" table (TSV or CSV).

State events become segments (an aggregated row is one start-stop pair; in a project the
events of a subject and behaviour toggle it on and off); point events have no duration and
are refused. A behaviour is an action through the mapping file, else by its name or code; an
observation is a video: its media file's name (player 1), else the observation id; its
subject becomes the clip's subject ("No focal subject": none). Times in seconds become frames
at the clip's fps (the project's clip, else the file's FPS and media duration).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from annotator.errors import InputError
from annotator.formats.common import (
    csv_rows,
    json_list,
    json_number,
    json_object,
    json_str,
    load_json,
    parse_float,
    write_text_atomic,
)
from annotator.formats.records import AnnotationSet, InstanceRecord, VideoRecord
from annotator.formats.timed import (
    NO_MAPPING,
    ORIGINAL_TIMES,
    Clips,
    Clocks,
    LabelMap,
    Works,
    WorksBuilder,
    action_of_label,
    check_subject,
    known_video,
    seconds_text,
)
from annotator.input_checks import check_fps, check_name, frame_at, read_text, short
from annotator.taxonomy import Taxonomy

NO_SUBJECT = "No focal subject"  # BORIS's subject word for events coded without one
# The aggregated-events columns this reader needs, and those it uses when present.
REQUIRED = ("Observation id", "Subject", "Behavior", "Behavior type", "Start (s)", "Stop (s)")
MEDIA_COLUMNS = ("Media file name", "Media file", "Source")  # BORIS 8, BORIS 7, BORIS 8's "player #1:path"
DURATION_COLUMNS = ("Media duration (s)", "Total length")
# What our export writes (the columns of BORIS 8's aggregated events a reader needs, in its order).
EXPORT_HEADER = ("Observation id", "Observation date", "Description", "Observation type", "Source",
                 "Time offset (s)", "Media duration (s)", "FPS", "Subject", "Behavior", "Behavioral category",
                 "Behavior type", "Start (s)", "Stop (s)", "Duration (s)", "Media file name", "Comment start",
                 "Comment stop")
STATE, POINT = "STATE", "POINT"
MAX_NAME = 255


def _behavior_type(text: str, file: str, place: str, behaviour: str) -> str:
    word = text.strip().upper().removesuffix(" EVENT")
    if word == STATE:
        return STATE
    if word == POINT:
        raise InputError(file, place, f"behaviour {short(behaviour)} is a point event, which has no duration; "
                                      "only state events become segments (code it as a state event in BORIS)")
    raise InputError(file, place, f"unknown behavior type {short(text)} (expected STATE or POINT)")


def _media_stem(text: str) -> str | None:
    """A media path's file name without extension ("player #1:" prefixes of BORIS 8 removed)."""
    text = text.strip()
    if text.lower().startswith("player #"):
        text = text.split(":", 1)[-1]
    if not text:
        return None
    stem = PureWindowsPath(text).stem if "\\" in text else PurePosixPath(text).stem
    return stem or None


def _subject(text: str, file: str, place: str) -> str | None:
    text = text.strip()
    return None if not text or text == NO_SUBJECT else check_subject(text, file, place)


class _Videos:
    """Observations seen so far: their video and subject (a clip has one subject)."""

    def __init__(self, file: str, clips: Clips) -> None:
        self.file = file
        self.clips = clips
        self.subject_of: dict[str, tuple[str | None, str]] = {}

    def video(self, name: str, subject: str | None, fps: float | None, frames: int | None, place: str,
              works: WorksBuilder) -> VideoRecord:
        check_name(name, self.file, place, "video id", MAX_NAME)
        known = self.subject_of.get(name)
        if known is not None and known[0] != subject:
            raise InputError(self.file, place, f"video {short(name)} is coded for subject {short(subject)} here and "
                                               f"{short(known[0])} at {known[1]}; a clip has one subject")
        video = known_video(name, self.clips, fps, frames, self.file, place, subject)
        if known is None:
            self.subject_of[name] = (subject, place)
            works.add_video(video, place)
        return video


def read_boris_aggregated(path: Path, taxonomy: Taxonomy, clips: Clips, mapping: LabelMap = NO_MAPPING) -> Works:
    """Read BORIS's aggregated events export (tab- or comma-separated, as BORIS writes either)."""
    file = str(path)
    text = read_text(path)
    first = text.split("\n", 1)[0]
    rows = csv_rows(text, file, "\t" if "\t" in first else ",")
    header = [h.strip() for h in next(rows, ("", []))[1]]
    column = {name: i for i, name in reversed(list(enumerate(header)))}
    missing = [c for c in REQUIRED if c not in column]
    if missing:
        raise InputError(file, "line 1", f"not BORIS aggregated events: no column {missing[0]!r} (needs "
                                         f"{', '.join(REQUIRED)})")
    media_col = next((column[c] for c in MEDIA_COLUMNS if c in column), None)
    length_col = next((column[c] for c in DURATION_COLUMNS if c in column), None)
    works = WorksBuilder(file, taxonomy)
    videos = _Videos(file, clips)
    for place, row in rows:
        if len(row) != len(header):
            raise InputError(file, place, f"{len(row)} columns, expected {len(header)}")
        cell = dict(zip(header, row, strict=True))
        if cell.get("Description") == ORIGINAL_TIMES:
            raise InputError(file, place, "its times are the original video's (exported with --original-times); "
                                          "import an export made without it")
        behaviour = check_name(cell["Behavior"].strip(), file, place, "behaviour", MAX_NAME)
        _behavior_type(cell["Behavior type"], file, place, behaviour)
        media = _media_stem(row[media_col]) if media_col is not None else None
        name = media or cell["Observation id"].strip()
        fps = frames = None
        if "FPS" in column and length_col is not None and row[column["FPS"]].strip() and row[length_col].strip():
            fps = check_fps(parse_float(row[column["FPS"]], file, place, "FPS"), file, place)
            length = parse_float(row[length_col], file, place, "media duration")
            frames = frame_at(length, fps, file, place, "media duration")
        video = videos.video(name, _subject(cell["Subject"], file, place), fps, frames, place, works)
        start = frame_at(parse_float(cell["Start (s)"], file, place, "Start (s)"), video.fps, file, place, "start")
        stop = frame_at(parse_float(cell["Stop (s)"], file, place, "Stop (s)"), video.fps, file, place, "stop")
        action = action_of_label(behaviour, taxonomy, mapping, file, f"{place}, behaviour")
        works.add_instance(None, InstanceRecord(name, start, stop, action), place)
    return works.finish()


def read_boris_project(path: Path, taxonomy: Taxonomy, clips: Clips, mapping: LabelMap = NO_MAPPING) -> Works:
    """Read a .boris project: each media observation's paired state events."""
    file = str(path)
    top = json_object(load_json(path), file, "top level")
    types = _behaviour_types(top.get("behaviors_conf", {}), file)
    observations = json_object(top.get("observations", {}), file, "observations")
    works = WorksBuilder(file, taxonomy)
    videos = _Videos(file, clips)
    for obs_id, raw in observations.items():
        place = f"observations.{obs_id}"
        obs = json_object(raw, file, place)
        media = _observation_media(obs, file, place)
        name = _media_stem(media) if media else None
        name = name or obs_id
        fps, frames = _media_info(obs, media, file, place)
        offset = json_number(obs.get("time offset", 0), file, f"{place}.time offset")
        _observation_events(obs, name, offset, fps, frames, types, taxonomy, mapping, works, videos, place)
    return works.finish()


def _behaviour_types(raw: object, file: str) -> dict[str, str]:
    """Behaviour code -> "State event" / "Point event" from the ethogram."""
    out: dict[str, str] = {}
    for key, entry in json_object(raw, file, "behaviors_conf").items():
        where = f"behaviors_conf.{key}"
        item = json_object(entry, file, where)
        code = json_str(item.get("code"), file, f"{where}.code")
        out[code] = json_str(item.get("type", "State event"), file, f"{where}.type")
    return out


def _observation_media(obs: dict[str, Any], file: str, place: str) -> str | None:
    files = json_object(obs.get("file", {}), file, f"{place}.file")
    player = json_list(files.get("1", []), file, f"{place}.file.1")
    if len(player) > 1:
        raise InputError(file, f"{place}.file.1", f"{len(player)} media files in player 1; a clip is one video "
                                                  "(split the observation in BORIS)")
    return json_str(player[0], file, f"{place}.file.1[0]") if player else None


def _media_info(obs: dict[str, Any], media: str | None, file: str, place: str) -> tuple[float | None, int | None]:
    info = json_object(obs.get("media_info", {}), file, f"{place}.media_info")
    if media is None:
        return None, None
    fps_raw = json_object(info.get("fps", {}), file, f"{place}.media_info.fps").get(media)
    length_raw = json_object(info.get("length", {}), file, f"{place}.media_info.length").get(media)
    if fps_raw is None or length_raw is None:
        return None, None
    fps = check_fps(json_number(fps_raw, file, f"{place}.media_info.fps"), file, f"{place}.media_info.fps")
    length = json_number(length_raw, file, f"{place}.media_info.length")
    return fps, frame_at(length, fps, file, f"{place}.media_info.length", "media length")


def _observation_events(obs: dict[str, Any], name: str, offset: float, fps: float | None, frames: int | None,
                        types: dict[str, str], taxonomy: Taxonomy, mapping: LabelMap, works: WorksBuilder,
                        videos: _Videos, place: str) -> None:
    """Pair each subject's state events (on, off, on, off...) into segments."""
    file = works.file
    events = json_list(obs.get("events", []), file, f"{place}.events")
    parsed: list[tuple[float, str, str | None, str]] = []
    for i, raw in enumerate(events):
        where = f"{place}.events[{i}]"
        event = json_list(raw, file, where)
        if len(event) < 3:
            raise InputError(file, where, f"expected [time, subject, behaviour, ...], got {len(event)} values")
        time = json_number(event[0], file, f"{where}[0]") - offset
        subject = _subject(json_str(event[1], file, f"{where}[1]"), file, f"{where}[1]")
        code = check_name(json_str(event[2], file, f"{where}[2]"), file, f"{where}[2]", "behaviour", MAX_NAME)
        kind = types.get(code, "State event")
        if "point" in kind.lower():
            raise InputError(file, where, f"behaviour {short(code)} is a point event, which has no duration; only "
                                          "state events become segments (code it as a state event in BORIS)")
        parsed.append((time, code, subject, where))
    open_at: dict[tuple[str, str | None], tuple[float, str]] = {}
    for time, code, subject, where in sorted(parsed, key=lambda e: e[0]):
        key = (code, subject)
        if key not in open_at:
            open_at[key] = (time, where)
            continue
        start, start_place = open_at.pop(key)
        video = videos.video(name, subject, fps, frames, start_place, works)
        action = action_of_label(code, taxonomy, mapping, file, start_place)
        works.add_instance(None, InstanceRecord(name, frame_at(start, video.fps, file, start_place, "time"),
                                                frame_at(time, video.fps, file, where, "time"), action), start_place)
    for (code, _subject_name), (_time, where) in open_at.items():
        raise InputError(file, where, f"unpaired state event {short(code)}: it starts and never stops (fix unpaired "
                                      "events in BORIS)")
    if not parsed:
        videos.video(name, None, fps, frames, place, works)


def write_boris_aggregated(aset: AnnotationSet, out: Path, taxonomy: Taxonomy,
                           media: dict[str, str] | None = None, clocks: Clocks | None = None) -> Path:
    """Write BORIS aggregated events (TSV): one observation per video, one STATE row per instance; a
    video with a clock (re-encoded) gets its original's times and media, said in the Description."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
    writer.writerow(EXPORT_HEADER)
    by_video: dict[str, list[InstanceRecord]] = defaultdict(list)
    for inst in aset.instances:
        by_video[inst.video_id].append(inst)
    for name, video in aset.videos.items():
        clock = (clocks or {}).get(name)
        path = clock.original if clock is not None else (media or {}).get(name, "")
        for inst in by_video.get(name, []):
            action = taxonomy.action(inst.action_id)
            if clock is None:
                start, stop = seconds_text(inst.start_frame, video.fps), seconds_text(inst.end_frame, video.fps)
            else:
                start, stop = (f"{clock.time_of_frame(f) / 1000:.3f}" for f in (inst.start_frame, inst.end_frame))
            writer.writerow((name, "", ORIGINAL_TIMES if clock else "", "Media file(s)", f"player #1:{path}" if path else "", "0.000",
                             seconds_text(video.total_frames, video.fps), repr(float(video.fps)),
                             video.subject or NO_SUBJECT, action.name, action.body_part.name, STATE, start, stop,
                             f"{float(stop) - float(start):.3f}", path, "", ""))
    return write_text_atomic(out, buffer.getvalue())
