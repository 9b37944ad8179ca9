"""ELAN `.eaf` files, read and written with pympi-ling: one file per video.

Written: one tier per body part ("<body part>", or "<annotator>/<body part>" with the tier's
ANNOTATOR attribute when the export is one annotator's work), values from one controlled
vocabulary of the taxonomy (entry id = action code, value = action name), times in whole
milliseconds (`timed.ms_of_frame`, exact to the frame on reading back), the clip's media as
the linked file, and properties `mmad:video`, `mmad:fps`, `mmad:frames`, `mmad:subject`,
`mmad:subset` so a file comes back without the project. Read: every alignable tier; a value
is an action name or code (or mapped by the mapping file), a tier's ANNOTATOR attribute names
whose work it is; the video is the `mmad:video` property, else the linked media's file
name, else the .eaf's own name.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections import defaultdict
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from pympi.Elan import Eaf, to_adocument

from annotator.errors import InputError
from annotator.formats.common import write_text_atomic
from annotator.formats.records import AnnotationSet, InstanceRecord, VideoRecord
from annotator.formats.timed import (
    NO_MAPPING,
    ORIGINAL_TIMES,
    Clips,
    Clocks,
    FrameClock,
    LabelMap,
    Works,
    WorksBuilder,
    action_of_label,
    body_part_of_tier,
    check_author,
    frame_of_ms,
    known_video,
    merge_works,
    ms_of_frame,
)
from annotator.input_checks import MAX_FRAME, MAX_INPUT_BYTES, check_fps, read_text, short
from annotator.model import Subset
from annotator.taxonomy import Taxonomy

SUFFIX = ".eaf"
CV_ID = "mmad-actions"
LINGUISTIC_TYPE = "mmad-action"
LANGUAGE = "und"  # ISO 639-3 "undetermined": the taxonomy's names are in no one language
PROPERTY = "mmad:"
MAX_FILES = 100_000  # .eaf files a folder import reads


def read_elan(path: Path, taxonomy: Taxonomy, clips: Clips, mapping: LabelMap = NO_MAPPING) -> Works:
    """Read one .eaf file, or every .eaf file under a folder, as each annotator's work."""
    path = Path(path)
    if not path.is_dir():
        return read_elan_file(path, taxonomy, clips, mapping)
    files = sorted(p for p in path.rglob(f"*{SUFFIX}") if p.is_file())
    if not files:
        raise InputError(str(path), None, f"no {SUFFIX} files in this folder")
    if len(files) > MAX_FILES:
        raise InputError(str(path), None, f"{len(files):,} {SUFFIX} files, more than the {MAX_FILES:,} a folder "
                                          "import reads")
    return merge_works([read_elan_file(f, taxonomy, clips, mapping) for f in files], str(path))


def read_elan_file(path: Path, taxonomy: Taxonomy, clips: Clips, mapping: LabelMap = NO_MAPPING) -> Works:
    """Read one .eaf file."""
    file = str(path)
    eaf = _parse(path)
    props = {str(k): str(v) for k, v in eaf.properties if k is not None and v is not None}
    if props.get(PROPERTY + "times") == ORIGINAL_TIMES:
        raise InputError(file, "property mmad:times", "its times are the original video's (exported with "
                                                      "--original-times); import an export made without it")
    video = _video(eaf, props, path, clips, file)
    works = WorksBuilder(file, taxonomy)
    works.add_video(video, "header")
    for tier, (aligned, _refs, attrib, _order) in eaf.tiers.items():
        part = body_part_of_tier(str(tier), taxonomy, mapping)
        if part is False:
            continue
        author = attrib.get("ANNOTATOR")
        author = check_author(author, file, f"tier {short(tier)}") if author and author.strip() else None
        for start_ts, end_ts, value, _svg in aligned.values():
            start_ms = _time(eaf, start_ts, file, tier)
            end_ms = _time(eaf, end_ts, file, tier)
            place = f"tier {short(tier)} at {start_ms} ms"
            action = action_of_label(str(value or ""), taxonomy, mapping, file, place)
            if part is not None and taxonomy.body_part_of(action).id != part:
                raise InputError(file, place, f"value {short(value)} is a {taxonomy.body_part_of(action).name} "
                                              f"action, on a tier of body part {short(tier)}")
            inst = InstanceRecord(video.video_id, frame_of_ms(start_ms, video.fps, file, place),
                                  frame_of_ms(end_ms, video.fps, file, place), action)
            works.add_instance(author, inst, place)
    return works.finish()


def _parse(path: Path) -> Any:
    """The pympi Eaf of a file, or InputError: the file is size-checked as every input is, and
    whatever pympi's parser raises on a damaged file becomes one line."""
    file = str(path)
    read_text(path)  # missing, too large, not UTF-8, empty: refused before parsing
    try:
        return Eaf(file, suppress_version_warning=True)
    except etree.ParseError as exc:
        raise InputError(file, f"line {exc.position[0]} column {exc.position[1] + 1}", "invalid XML") from None
    except Exception as exc:  # noqa: BLE001 -- pympi raises bare Exception, KeyError, ValueError... on bad files
        raise InputError(file, None, f"not an ELAN file pympi can read ({type(exc).__name__}: "
                                     f"{short(str(exc))})") from None


def _time(eaf: Any, slot: str, file: str, tier: str) -> int:
    value = eaf.timeslots.get(slot)
    if not isinstance(value, int):
        raise InputError(file, f"tier {short(tier)}", f"time slot {short(slot)} has no time (an unaligned "
                                                      "annotation); align it in ELAN")
    if not 0 <= value <= MAX_FRAME:
        raise InputError(file, f"tier {short(tier)}", f"time {value} ms is out of range")
    return value


def _video(eaf: Any, props: dict[str, str], path: Path, clips: Clips, file: str) -> VideoRecord:
    """The video the file annotates, with its fps and frame count (properties, else the project)."""
    name = props.get(PROPERTY + "video") or _media_name(eaf) or path.stem
    fps = frames = None
    if PROPERTY + "fps" in props and PROPERTY + "frames" in props:
        try:
            fps = check_fps(float(props[PROPERTY + "fps"]), file, "property mmad:fps")
            frames = int(props[PROPERTY + "frames"])
        except ValueError:
            raise InputError(file, "properties", "mmad:fps and mmad:frames must be numbers") from None
    subset = props.get(PROPERTY + "subset")
    if subset is not None and subset not in {s.value for s in Subset}:
        raise InputError(file, "property mmad:subset", f"unknown subset {short(subset)}")
    return known_video(name, clips, fps, frames, file, "header", props.get(PROPERTY + "subject"), subset)


def _media_name(eaf: Any) -> str | None:
    """The linked video's file name without extension (ELAN writes file:/// URLs)."""
    for media in eaf.media_descriptors:
        url = media.get("MEDIA_URL") or media.get("RELATIVE_MEDIA_URL")
        if url and str(media.get("MIME_TYPE", "video")).startswith("video"):
            text = str(url).removeprefix("file://")
            stem = PureWindowsPath(text).stem if "\\" in text else PurePosixPath(text).stem
            if stem:
                return stem
    return None


def write_elan(aset: AnnotationSet, out_dir: Path, taxonomy: Taxonomy, author: str | None = None,
               media: dict[str, str] | None = None, clocks: Clocks | None = None) -> list[Path]:
    """Write one .eaf per video into `out_dir`; `media` maps a video to its file (the linked media);
    a video with a clock (re-encoded) gets its original's times and links the original."""
    by_video: dict[str, list[InstanceRecord]] = defaultdict(list)
    for inst in aset.instances:
        by_video[inst.video_id].append(inst)
    written = []
    for name, video in aset.videos.items():
        eaf = _eaf(video, by_video.get(name, []), taxonomy, author, (media or {}).get(name), (clocks or {}).get(name))
        xml = etree.tostring(to_adocument(eaf, True), encoding="unicode")
        text = '<?xml version="1.0" encoding="UTF-8"?>\n' + xml
        if len(text) > MAX_INPUT_BYTES:
            raise InputError(name, None, "the ELAN file would be larger than any reader takes")
        written.append(write_text_atomic(Path(out_dir) / f"{_safe(name)}{SUFFIX}", text))
    return written


def _safe(name: str) -> str:
    """A file name for a video id (a path separator would put the file elsewhere)."""
    return name.replace("/", "_").replace("\\", "_")


def _eaf(video: VideoRecord, instances: list[InstanceRecord], taxonomy: Taxonomy, author: str | None,
         media: str | None, clock: FrameClock | None) -> Any:
    eaf = Eaf(author="MMAD Studio")
    eaf.remove_tier("default")
    eaf.add_language(LANGUAGE)
    eaf.add_controlled_vocabulary(CV_ID)
    for action in taxonomy.actions:
        eaf.add_cv_entry(CV_ID, action.code, [(action.name, LANGUAGE, action.code)])
    eaf.add_linguistic_type(LINGUISTIC_TYPE, param_dict={
        "LINGUISTIC_TYPE_ID": LINGUISTIC_TYPE, "TIME_ALIGNABLE": "true", "GRAPHIC_REFERENCES": "false",
        "CONTROLLED_VOCABULARY_REF": CV_ID})
    for key, value in (("video", video.video_id), ("fps", repr(float(video.fps))),
                       ("frames", str(video.total_frames)), ("subject", video.subject), ("subset", video.subset)):
        if value is not None:
            eaf.add_property(PROPERTY + key, value)
    if clock is not None:
        eaf.add_property(PROPERTY + "times", ORIGINAL_TIMES)
        media = clock.original
    if media:
        url = media if "://" in media else Path(media).as_uri() if Path(media).is_absolute() else media
        eaf.add_linked_file(url, relpath=None if Path(media).is_absolute() else media, mimetype=_mime(media))
    tiers: dict[int, str] = {}
    for part in taxonomy.body_parts:
        tier = f"{author}/{part.name}" if author else part.name
        eaf.add_tier(tier, ling=LINGUISTIC_TYPE, ann=author)
        tiers[part.id] = tier
    for inst in instances:
        start, end = _ms(inst.start_frame, video.fps, clock), _ms(inst.end_frame, video.fps, clock)
        eaf.add_annotation(tiers[taxonomy.body_part_of(inst.action_id).id], start, end,
                           taxonomy.action(inst.action_id).name)
    return eaf


def _ms(frame: int, fps: float, clock: FrameClock | None) -> int:
    return ms_of_frame(frame, fps) if clock is None else round(clock.time_of_frame(frame))


def _mime(media: str) -> str:
    suffix = Path(media).suffix.lower()
    return {".mp4": "video/mp4", ".mpg": "video/mpeg", ".mpeg": "video/mpeg", ".mov": "video/quicktime",
            ".wav": "audio/x-wav"}.get(suffix, "video/*")
