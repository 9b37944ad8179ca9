"""What the formats of other annotation tools share (ELAN, BORIS, Label Studio).

Their files name videos and people, hold times (ELAN in milliseconds, BORIS in seconds) or
frames (Label Studio), and label with their own words. So each reader resolves videos
against the project's clips (for fps and frame count), converts times to frames exactly
(`ms_of_frame` / `frame_of_ms` round-trip to the frame for every fps up to MAX_FPS), maps
labels through a mapping file or the taxonomy's names and codes, and keeps one
AnnotationSet per annotator the file names (`Works`; None: the file names nobody).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from annotator.errors import InputError
from annotator.formats.common import (
    AnnotationBuilder,
    count_same_action_overlaps,
    count_short,
    json_object,
    load_json,
)
from annotator.formats.records import AnnotationSet, InstanceRecord, VideoRecord
from annotator.input_checks import MAX_SUBJECT, check_frame_number, check_name, frame_at, short
from annotator.taxonomy import Taxonomy

Clips = Mapping[str, VideoRecord]  # the project's clips by name: fps and frame count for files without them
Works = dict[str | None, AnnotationSet]  # annotator name (None: nobody named) -> what the file holds for them
MAX_AUTHOR = 128  # annotators.name is VARCHAR(128) (annotator.store.access.NAME_MAX; a test keeps them equal)
MAX_LABEL = 255  # a tier name, a behaviour or label value: longer ones are no label of ours


ORIGINAL_TIMES = "original file's times"  # what files in a re-encoded original's times say they hold


class FrameClock(Protocol):
    """A re-encoded clip's frames on its original file's clock (annotator.media.reencode.SourceTiming)."""

    @property
    def original(self) -> str: ...

    def time_of_frame(self, frame: int) -> float: ...


Clocks = Mapping[str, FrameClock]  # clip name -> its original's clock, for exports in the original's times


def ms_of_frame(frame: int, fps: float) -> int:
    """The whole millisecond at which a frame starts (frame / fps seconds, rounded).

    Rounding moves the time by at most 0.5 ms, under half a frame at any fps up to 1000, so
    frame_of_ms gives the frame back exactly.
    """
    return round(frame * 1000 / fps)


def frame_of_ms(ms: float, fps: float, file: str, place: str) -> int:
    """The frame a time in milliseconds names at `fps` (round(ms / 1000 * fps)), range-checked."""
    return frame_at(ms / 1000.0, fps, file, place, "time")


def seconds_text(frame: int, fps: float) -> str:
    """A frame's time in seconds written to the millisecond (BORIS's precision); exact on reading back."""
    return f"{ms_of_frame(frame, fps) / 1000:.3f}"


def check_author(name: str, file: str, place: str | None) -> str:
    """An annotator name from a file, through the same check as every name the store takes."""
    return check_name(name.strip(), file, place, "annotator name", MAX_AUTHOR)


def check_subject(name: str, file: str, place: str | None) -> str:
    """A subject name from a file."""
    return check_name(name.strip(), file, place, "subject", MAX_SUBJECT)


@dataclass(frozen=True, slots=True)
class LabelMap:
    """A user's mapping file: their labels (ELAN values, BORIS behaviours, Label Studio labels)
    and tier names to ours. `actions` maps to an action name or code; `tiers` to a body part
    name or code, or None to skip the tier."""

    actions: Mapping[str, str] = field(default_factory=dict)
    tiers: Mapping[str, str | None] = field(default_factory=dict)
    source: str = "mapping file"


NO_MAPPING = LabelMap()


def read_label_map(path: Path) -> LabelMap:
    """Read a mapping file: {"actions": {"theirs": "ours"}, "tiers": {"their tier": "body part" | null}}."""
    file = str(path)
    top = json_object(load_json(path), file, "top level")
    unknown = sorted(set(top) - {"actions", "tiers"})
    if unknown:
        raise InputError(file, "top level", f"unknown key {short(unknown[0])} (expected 'actions' and/or 'tiers')")
    actions = _string_map(top.get("actions", {}), file, "actions", nullable=False)
    tiers = _string_map(top.get("tiers", {}), file, "tiers", nullable=True)
    return LabelMap({k: v for k, v in actions.items() if v is not None}, tiers, file)


def _string_map(raw: object, file: str, place: str, *, nullable: bool) -> dict[str, str | None]:
    table = json_object(raw, file, place)
    out: dict[str, str | None] = {}
    for key, value in table.items():
        where = f"{place}.{key}"
        check_name(key, file, where, "label", MAX_LABEL)
        if value is None and nullable:
            out[key] = None
        elif isinstance(value, str):
            out[key] = check_name(value, file, where, "label", MAX_LABEL)
        else:
            raise InputError(file, where, f"expected a string{' or null' if nullable else ''}, got {short(value)}")
    return out


def action_of_label(label: str, taxonomy: Taxonomy, mapping: LabelMap, file: str, place: str) -> int:
    """The action a label names: through the mapping file, else an action name, else a code."""
    wanted = mapping.actions.get(label, label).strip()
    try:
        return taxonomy.action_by_name(wanted).id
    except KeyError:
        pass
    try:
        return taxonomy.action_by_code(wanted).id
    except KeyError:
        pass
    how = f" (mapped to {short(wanted)} by {mapping.source})" if label in mapping.actions else ""
    raise InputError(file, place, f"unknown value {short(label)}{how}: not an action name or code of taxonomy "
                                  f"{taxonomy.name}; map it in a mapping file (--mapping)")


def body_part_of_tier(tier: str, taxonomy: Taxonomy, mapping: LabelMap) -> int | None | bool:
    """The body part id a tier name stands for (its last '/'-separated part, as our export writes
    "annotator/body part"); False when the mapping skips the tier; None when it names no body part."""
    if tier in mapping.tiers:
        target = mapping.tiers[tier]
        if target is None:
            return False
    else:
        target = tier.rsplit("/", 1)[-1]
    wanted = target.strip().casefold()
    for part in taxonomy.body_parts:
        if wanted in (part.name.casefold(), part.code.casefold()):
            return part.id
    return None


def known_video(name: str, clips: Clips, fps: float | None, frames: int | None, file: str, place: str,
                subject: str | None = None, subset: str | None = None) -> VideoRecord:
    """The video a file names: the project's clip, else the fps and frame count the file gives."""
    clip = clips.get(name)
    if clip is not None:
        return VideoRecord(name, clip.fps, clip.total_frames, subset or clip.subset, subject or clip.subject)
    if fps is None or frames is None:
        raise InputError(file, place, f"video {short(name)} is not in the project and the file does not give its "
                                      "fps and frame count; import its clip first (mmad import-clips)")
    check_frame_number(frames, file, place, "frame count")
    return VideoRecord(name, fps, frames, subset, subject)


class WorksBuilder:
    """One AnnotationBuilder per annotator a file names; videos are declared to each that uses them."""

    def __init__(self, file: str, taxonomy: Taxonomy) -> None:
        self.file = file
        self.taxonomy = taxonomy
        self.builders: dict[str | None, AnnotationBuilder] = {}
        self.videos: dict[str, tuple[VideoRecord, str]] = {}

    def add_video(self, video: VideoRecord, place: str, author: str | None = None) -> None:
        """Declare a video (to `author`'s work; with no author, to the nameless work)."""
        self.videos.setdefault(video.video_id, (video, place))
        self._builder(author).add_video(video, place)

    def add_instance(self, author: str | None, inst: InstanceRecord, place: str) -> None:
        """Add an instance of a declared video to `author`'s work."""
        builder = self._builder(author)
        if inst.video_id not in builder.videos:
            video, where = self.videos[inst.video_id]
            builder.add_video(video, where)
        builder.add_instance(inst, place)

    def _builder(self, author: str | None) -> AnnotationBuilder:
        if author not in self.builders:
            self.builders[author] = AnnotationBuilder(self.file, self.taxonomy)
        return self.builders[author]

    def finish(self) -> Works:
        """Each annotator's checked set; a file of videos without instances is one nameless work."""
        if not self.builders:
            return {None: AnnotationSet()}
        works = {author: b.finish() for author, b in self.builders.items()}
        named = [a for a in works if a is not None]
        nameless = works.get(None)
        if named and nameless is not None and not nameless.instances:
            del works[None]  # videos declared with no author (and no instances) belong to every named work
            for author in named:
                for name, video in nameless.videos.items():
                    works[author].videos.setdefault(name, video)
        return works


def merge_works(parts: list[Works], source: str) -> Works:
    """The works of several files (a folder of ELAN files) as one; a video given twice must agree."""
    out: Works = {}
    for works in parts:
        for author, aset in works.items():
            into = out.setdefault(author, AnnotationSet())
            for name, video in aset.videos.items():
                known = into.videos.setdefault(name, video)
                if (known.fps, known.total_frames) != (video.fps, video.total_frames):
                    raise InputError(source, f"video {short(name)}", "two files give it different fps or frame "
                                                                     "counts")
            into.instances += aset.instances
            into.duplicates += aset.duplicates
    for aset in out.values():
        aset.same_action_overlaps = count_same_action_overlaps(aset.instances)
        aset.short_instances = count_short(aset.instances, aset.videos)
    return out


def single_work(works: Works, file: str) -> AnnotationSet:
    """The one work of a file; InputError when it holds several annotators' work."""
    if len(works) == 1:
        return next(iter(works.values()))
    names = ", ".join([*sorted(repr(a) for a in works if a is not None), *(["one unnamed"] if None in works else [])])
    raise InputError(file, None, f"holds the work of {len(works)} annotators ({names}); import it with "
                                 "--annotators-from-file, each as that annotator")
