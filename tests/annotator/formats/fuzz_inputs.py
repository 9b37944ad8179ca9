"""Malformed inputs for every reader, shared by the fuzz test and bench/bench_fuzz.py.

Each target builds its format's document from plausible and hostile values (numbers past
32 and 64 bits, 1e308, lone surrogates, NUL, names over 255 characters, a CSV field over
131,072 characters, JSON nested 100,000 deep), sometimes damages the bytes, and feeds the
file to the reader the way the product does (an import into a project, `mmad eval`, a
taxonomy or project.toml load). `check` runs one input and says whether it was accepted or
refused; anything else (another exception, a message of several lines, a project changed by
a refusal) fails an assertion.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import hashlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli_w
from hypothesis import strategies as st
from sqlalchemy import Engine, create_engine, select, text

from annotator.errors import InputError
from annotator.formats import read_predictions
from annotator.importing import import_annotations
from annotator.model import Role
from annotator.project import Project
from annotator.store.orm import Base
from annotator.taxonomy import load_taxonomy

MMA52 = load_taxonomy("mma52")
DEEP = 100_000  # how deep the deepest JSON nests
HUGE_FIELD = 131_073  # one more than the csv module's field limit
_DEEP_MARK = "\x01deep\x01"  # replaced by DEEP nested arrays after json.dumps (which would recurse)

HOSTILE_NUMBERS: list[int | float] = [
    0, -1, 2**31 - 1, 2**31, 2**32, 2**63, 2**64, 10**30, 10**4000, 1e308, -1e308, 5e-324, 1e-300, 1e20,
    float("inf"), float("-inf"), float("nan"), 0.1, 1e7, 1.5e9,
]
HOSTILE_STRINGS = [
    "", " ", "\x00", "a\x00b", "\ud800", "v\udcff_1", "x" * 256, "7_" + "y" * 300, "line\nbreak", "tab\there",
    "\u2028", "é_01", "💥_02", "0" * 5000, "-", "1e400", "nan", "inf", "29.0", "[", "{", '"', "\\",
]
VIDEO_IDS = ["196_01_0005_L", "9_01_0001", "201_02_0001_R", "s1_a"]
SUBSETS = ["training", "validation", "testing", "train", "val", "test"]


# Strategies are built once: hypothesis validates each new strategy object, which costs far
# more than drawing from it.
_NUMBERS, _STRINGS = st.sampled_from(HOSTILE_NUMBERS), st.sampled_from(HOSTILE_STRINGS)
HOSTILE = st.one_of(
    _NUMBERS, _STRINGS, _NUMBERS, _STRINGS, _NUMBERS, _STRINGS, st.none(), st.booleans(),
    st.just(_DEEP_MARK), st.lists(st.integers(), max_size=3), st.just({"k": 1}),
    st.text(max_size=12), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
)
_BAD_SLOTS = st.sets(st.integers(1, 30), max_size=2)
SECONDS = st.floats(min_value=0.0, max_value=20.0, allow_nan=False)
DURATION = st.floats(min_value=10.0, max_value=15.0)
SPAN = st.tuples(st.floats(0.0, 9.0), st.floats(0.3, 5.0)).map(lambda p: [p[0], p[0] + p[1]])
FPS = st.sampled_from([29.0, 30.0])
# Mostly new clips, so a long run keeps reaching the store instead of meeting clips it made.
VIDEO_ID = st.one_of(st.sampled_from(VIDEO_IDS),
                     st.builds("{}_{:05d}".format, st.sampled_from(["196", "9", "s1"]), st.integers(0, 99_999)))
SUBSET = st.sampled_from(SUBSETS)
LABEL = st.sampled_from(MMA52.action_names)
CLASS_ID = st.integers(0, 51)
FRAMES = st.integers(1, 600)
SCORE = st.floats(0, 1)
COUNT = st.integers(0, 3)
VIDEOS = st.integers(1, 3)


class Doc:
    """Builds one document: every value has a slot number, and up to two slots drawn at the
    start get a hostile value, so most inputs are valid but for one or two values and reach
    the deepest checks (and the store)."""

    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw
        self.bad = draw(_BAD_SLOTS)
        self.slot = 0

    def keep(self, value: Any) -> Any:
        """`value`, or a hostile value when this is a bad slot."""
        self.slot += 1
        return self.draw(HOSTILE) if self.slot in self.bad else value

    def pick(self, valid: st.SearchStrategy[Any]) -> Any:
        """A value drawn from `valid`, or a hostile value when this is a bad slot."""
        return self.keep(self.draw(valid))

    def field(self, value: object) -> str:
        """A CSV field; a bad slot holds a hostile value or a field longer than csv reads."""
        kept = self.keep(value)
        if kept is value:
            return str(value)
        return "z" * HUGE_FIELD if kept == _DEEP_MARK else str(kept)

    def segment(self) -> Any:
        """A [start, end] pair in seconds."""
        start, end = self.draw(SPAN)
        return self.keep([self.keep(start), self.keep(end)])


def _json_text(value: object) -> str:
    text = json.dumps(value)  # ensure_ascii: lone surrogates travel as \ud800 escapes, as in real files
    return text.replace(json.dumps(_DEEP_MARK), "[" * DEEP + "]" * DEEP)


def _video_entry(doc: Doc, frames_key: str) -> dict[str, Any]:
    """A video's duration and fps, and sometimes its frame count, subset and subject."""
    entry: dict[str, Any] = {"duration": doc.pick(DURATION), "fps": doc.pick(FPS)}
    for key, valid in ((frames_key, FRAMES), ("subset", SUBSET), ("subject", VIDEO_ID)):
        if doc.draw(st.booleans()):
            entry[key] = doc.pick(valid)
    return entry


@st.composite
def opentad_json(draw: st.DrawFn) -> str:
    """An OpenTAD database file."""
    doc = Doc(draw)
    videos: dict[str, Any] = {}
    for _ in range(draw(VIDEOS)):
        entry = _video_entry(doc, "frame")
        entry["annotations"] = [{"label": doc.pick(LABEL), "segment": doc.segment()} for _ in range(draw(COUNT))]
        videos[str(doc.pick(VIDEO_ID))] = doc.keep(entry)
    return _json_text({"database": doc.keep(videos)})


@st.composite
def pointtad_json(draw: st.DrawFn) -> str:
    """A PointTAD mmad.json."""
    doc = Doc(draw)
    videos: dict[str, Any] = {}
    for _ in range(draw(VIDEOS)):
        entry = _video_entry(doc, "frames")
        entry["actions"] = [doc.keep([doc.pick(CLASS_ID), *(doc.keep(t) for t in draw(SPAN))])
                            for _ in range(draw(COUNT))]
        videos[str(doc.pick(VIDEO_ID))] = entry
    return _json_text(videos)


@st.composite
def opentad_results(draw: st.DrawFn) -> str:
    """An OpenTAD detection-results file."""
    doc = Doc(draw)
    results = {
        str(doc.pick(VIDEO_ID)): [
            {"segment": doc.segment(), "label": doc.pick(LABEL), "score": doc.pick(SCORE)}
            for _ in range(draw(COUNT))
        ]
        for _ in range(draw(VIDEOS))
    }
    return _json_text({"results": results})


@st.composite
def taxonomy_json(draw: st.DrawFn) -> str:
    """A small custom taxonomy file."""
    doc = Doc(draw)
    parts = [{"id": doc.keep(i), "code": doc.keep("AB"[i]), "name": doc.keep(f"part {i}")} for i in range(2)]
    actions = [{"id": doc.keep(i), "code": doc.keep(f"A{i}"), "name": doc.keep(f"act {i}"),
                "body_part": doc.keep("AB"[i % 2])} for i in range(3)]
    return _json_text({"name": doc.keep("Mine"), "body_parts": parts, "actions": actions})


def _csv_text(rows: list[list[str]]) -> str:
    # Written by hand: the csv module takes milliseconds over a 131,073-character field.
    return "".join(",".join(_quoted(f) for f in row) + "\n" for row in rows)


def _quoted(field: str) -> str:
    if any(c in field for c in ',"\n\r'):
        return '"' + field.replace('"', '""') + '"'
    return field


@st.composite
def mma52_csv(draw: st.DrawFn) -> str:
    """An official MMA-52 CSV."""
    doc = Doc(draw)
    rows = [[doc.field(h) for h in ("id", "video_id", "start_frame", "end_frame", "class", "total_frames", "fps")]]
    for i in range(draw(COUNT)):
        start = draw(FRAMES) // 6
        row = [doc.field(i), doc.field(draw(VIDEO_ID)), doc.field(start), doc.field(start + draw(FRAMES) // 10 + 6),
               doc.field(draw(CLASS_ID)), doc.field(200), doc.field(draw(FPS))]
        rows.append(row[: draw(st.sampled_from([7, 7, 7, 7, 6, 8]))])
    return _csv_text(rows)


@st.composite
def submission_csv(draw: st.DrawFn) -> str:
    """A challenge submission CSV of predictions."""
    doc = Doc(draw)
    rows: list[list[str]] = [["", "video_id", "t_start", "t_end", "class", "score"]]
    for i in range(draw(COUNT)):
        start, end = draw(SPAN)
        rows.append([str(i), doc.field(draw(VIDEO_ID)), doc.field(start), doc.field(end),
                     doc.field(draw(CLASS_ID)), doc.field(draw(SCORE))])
    return _csv_text(rows)


@st.composite
def project_toml(draw: st.DrawFn) -> str:
    """A project.toml as a user (or `mmad join`) might leave it."""
    doc = Doc(draw)
    table: dict[str, Any] = {}
    for key, valid in (("name", "p"), ("taxonomy", "mma52"), ("media_root", "media")):
        value = doc.keep(valid)
        if _toml_ok(value):
            table[key] = value
    text = tomli_w.dumps({"project": table})
    if draw(st.booleans()):
        text += "deep = " + "[" * DEEP + "]" * DEEP + "\n"
    return text


def _toml_ok(value: object) -> bool:
    try:
        tomli_w.dumps({"v": value})
    except (TypeError, ValueError, OverflowError):
        return False
    return value != _DEEP_MARK


def _xml_attr(value: object) -> str:
    text = str(value)
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


@st.composite
def elan_eaf(draw: st.DrawFn) -> str:
    """An ELAN file as our export writes it (video, fps and frames as properties), tiers by annotator."""
    doc = Doc(draw)
    props = "".join(f'<PROPERTY NAME="mmad:{k}">{_xml_attr(doc.keep(v))}</PROPERTY>'
                    for k, v in (("video", draw(VIDEO_ID)), ("fps", draw(FPS)), ("frames", 450)))
    slots, tiers = [], []
    for t in range(draw(COUNT)):
        annotations = []
        for a in range(draw(COUNT)):
            start, end = draw(SPAN)
            slots += [f'<TIME_SLOT TIME_SLOT_ID="ts{t}_{a}s" TIME_VALUE="{_xml_attr(doc.keep(round(start * 1000)))}"/>',
                      f'<TIME_SLOT TIME_SLOT_ID="ts{t}_{a}e" TIME_VALUE="{_xml_attr(doc.keep(round(end * 1000)))}"/>']
            annotations.append(f'<ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="a{t}_{a}" '
                               f'TIME_SLOT_REF1="ts{t}_{a}s" TIME_SLOT_REF2="ts{t}_{a}e"><ANNOTATION_VALUE>'
                               f'{_xml_attr(doc.pick(LABEL))}</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION>')
        tiers.append(f'<TIER TIER_ID="{_xml_attr(doc.keep("T" + str(t)))}" LINGUISTIC_TYPE_REF="lt" '
                     f'ANNOTATOR="{_xml_attr(doc.keep(draw(st.sampled_from(["alice", "bob"]))))}">'
                     + "".join(annotations) + "</TIER>")
    return ('<?xml version="1.0" encoding="UTF-8"?><ANNOTATION_DOCUMENT AUTHOR="" FORMAT="3.0" VERSION="3.0" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="x">'
            f'<HEADER MEDIA_FILE="" TIME_UNITS="milliseconds">{props}</HEADER>'
            f'<TIME_ORDER>{"".join(slots)}</TIME_ORDER>{"".join(tiers)}'
            '<LINGUISTIC_TYPE LINGUISTIC_TYPE_ID="lt" TIME_ALIGNABLE="true"/></ANNOTATION_DOCUMENT>')


@st.composite
def boris_aggregated(draw: st.DrawFn) -> str:
    """BORIS aggregated events as BORIS 8 writes them (tab-separated)."""
    doc = Doc(draw)
    header = ["Observation id", "Media duration (s)", "FPS", "Subject", "Behavior", "Behavior type", "Start (s)",
              "Stop (s)", "Media file name"]
    rows = [[doc.field(h) for h in header]]
    for _ in range(draw(COUNT)):
        start, end = draw(SPAN)
        rows.append([doc.field(draw(VIDEO_ID)), doc.field(draw(DURATION)), doc.field(draw(FPS)),
                     doc.field(draw(st.sampled_from(["No focal subject", "P1"]))), doc.field(draw(LABEL)),
                     doc.field(draw(st.sampled_from(["STATE", "STATE", "POINT"]))), doc.field(start), doc.field(end),
                     doc.field("")])
    return "".join("\t".join(f.replace("\t", " ") for f in row) + "\n" for row in rows)


@st.composite
def boris_project(draw: st.DrawFn) -> str:
    """A .boris project: an ethogram and media observations of paired state events."""
    doc = Doc(draw)
    observations: dict[str, Any] = {}
    for _ in range(draw(VIDEOS)):
        media = f"/v/{draw(VIDEO_ID)}.mp4"
        events = []
        for _ in range(draw(COUNT)):
            start, end = draw(SPAN)
            label = draw(LABEL)
            events += [doc.keep([doc.keep(start), doc.keep("P1"), doc.keep(label), "", ""]),
                       [end, "P1", label, "", ""]]
        observations[str(doc.pick(VIDEO_ID))] = {
            "file": doc.keep({"1": [doc.keep(media)], "2": []}), "type": "MEDIA", "events": doc.keep(events),
            "media_info": {"length": {media: doc.pick(DURATION)}, "fps": {media: doc.pick(FPS)}},
            "time offset": doc.keep(0.0)}
    ethogram = {"0": {"type": doc.keep("State event"), "code": doc.pick(LABEL)}}
    return _json_text({"behaviors_conf": doc.keep(ethogram), "observations": doc.keep(observations)})


@st.composite
def label_studio_json(draw: st.DrawFn) -> str:
    """A Label Studio export of video tasks with TimelineLabels, as our export writes it."""
    doc = Doc(draw)
    tasks = []
    for _ in range(draw(VIDEOS)):
        data = {"video": doc.keep("/data/upload/1/0a1b2c3d-x.mp4"), "mmad_video": doc.pick(VIDEO_ID),
                "mmad_fps": doc.pick(FPS), "mmad_frames": doc.pick(st.integers(300, 450))}
        results = []
        for _ in range(draw(COUNT)):
            start = draw(st.integers(1, 200))
            results.append({"type": doc.keep("timelinelabels"), "value": doc.keep({
                "ranges": [doc.keep({"start": doc.keep(start), "end": doc.keep(start + draw(st.integers(6, 90)))})],
                "timelinelabels": [doc.pick(LABEL)]})})
        ann = {"completed_by": doc.pick(st.integers(1, 3)), "result": doc.keep(results)}
        tasks.append({"data": doc.keep(data), "annotations": [doc.keep(ann)]})
    return _json_text(tasks)


_DAMAGE = st.sampled_from(["none"] * 4 + ["cut", "insert", "overwrite"])


@st.composite
def damaged(draw: st.DrawFn, document: st.SearchStrategy[str]) -> bytes:
    """A document's UTF-8 bytes, sometimes cut, spliced or overwritten at a random place."""
    data = draw(document).encode("utf-8", "surrogatepass")
    damage = draw(_DAMAGE)
    if damage == "none" or not data:
        return data
    at = draw(st.integers(0, len(data) - 1))
    if damage == "cut":
        return data[:at]
    junk = draw(st.binary(min_size=1, max_size=8))
    return data[:at] + junk + data[at + (len(junk) if damage == "overwrite" else 0):]


# ------------------------------------------------------------------------------------ targets

def db_digest(engine: Engine) -> str:
    """A digest of every row of every table: equal digests, unchanged project."""
    with engine.connect() as conn:
        rows = [repr(conn.execute(select(table).order_by(*table.primary_key.columns)).all())
                for table in Base.metadata.sorted_tables]
        rows.append(repr(conn.execute(text("SELECT * FROM alembic_version")).all()))
    return hashlib.sha256("\n".join(rows).encode("utf-8", "surrogatepass")).hexdigest()


class Workspace:
    """A folder for the input files and a project with its store, open for a whole run."""

    def __init__(self, folder: Path, db_url: str | None = None) -> None:
        self.folder = folder
        self.project = Project.create(folder / "project", name="fuzz", db_url=db_url)
        self.store = self.project.open_store()
        self.store.add_annotator("alice", Role.ANNOTATOR)  # imports as her work need her to exist
        self.engine = create_engine(self.project.database_url)
        self.digest = db_digest(self.engine)

    def close(self) -> None:
        """Release the database connections."""
        self.store.close()
        self.engine.dispose()


def assert_one_line(message: str, file: Path) -> None:
    """The refusal contract: one printable line that names the file."""
    assert "\n" not in message and message.isprintable(), repr(message[:300])
    assert len(message) < 1300, len(message)
    assert message.startswith(str(file)), message[:300]


@dataclass(frozen=True)
class Target:
    """A reader, the documents it is fed, and how the product calls it on a file."""

    name: str
    file_name: str  # where the input is written, under the workspace folder
    documents: st.SearchStrategy[bytes]
    run: Callable[[Path, Workspace], object]
    writes_project: bool = False


def _import(fmt: str) -> Callable[[Path, Workspace], object]:
    def run(path: Path, work: Workspace) -> object:
        # Ground truth or an annotator's work, by the input's size: both paths get fuzzed.
        annotator = None if path.stat().st_size % 2 else "alice"
        return import_annotations(work.store, path, fmt, annotator=annotator)
    return run


def _read_predictions(fmt: str) -> Callable[[Path, Workspace], object]:
    return lambda path, work: read_predictions(path, fmt, MMA52)


def _eval(path: Path, work: Workspace) -> object:
    """`mmad eval` with the fuzzed file as its predictions (.json) against a fixed ground truth;
    the parser is built once (building it costs more than the evaluation)."""
    truth = path.parent / "truth.csv"
    if not truth.exists():
        truth.write_text("id,video_id,start_frame,end_frame,class,total_frames,fps\n0,9_01_0001,0,30,9,300,30.0\n")
    args = _cli_parser().parse_args(["eval", str(truth), str(path)])
    with contextlib.redirect_stdout(io.StringIO()):
        return args.func(args)


@functools.cache
def _cli_parser() -> argparse.ArgumentParser:
    from app.cli.main import build_parser

    return build_parser()


TARGETS = [
    Target("mma52-csv import", "input.csv", damaged(mma52_csv()), _import("mma52-csv"), True),
    Target("opentad-json import", "input.json", damaged(opentad_json()), _import("opentad-json"), True),
    Target("pointtad-json import", "input.json", damaged(pointtad_json()), _import("pointtad-json"), True),
    Target("elan-eaf import", "input.eaf", damaged(elan_eaf()), _import("elan-eaf"), True),
    Target("boris-aggregated import", "input.tsv", damaged(boris_aggregated()), _import("boris-aggregated"), True),
    Target("boris-project import", "input.boris", damaged(boris_project()), _import("boris-project"), True),
    Target("label-studio-json import", "input.json", damaged(label_studio_json()), _import("label-studio-json"),
           True),
    Target("submission-csv read", "input.csv", damaged(submission_csv()), _read_predictions("submission-csv")),
    Target("opentad-results read", "input.json", damaged(opentad_results()), _read_predictions("opentad-results")),
    Target("mmad eval predictions", "input.json", damaged(opentad_results()), _eval),
    Target("taxonomy load", "input.json", damaged(taxonomy_json()), lambda path, work: load_taxonomy(path)),
    Target("project.toml open", "toml/project.toml", damaged(project_toml()),
           lambda path, work: Project.open(path.parent)),
]


def check(target: Target, data: bytes, work: Workspace) -> str:
    """Feed one input to `target`: "accepted" or "refused"; AssertionError for anything else
    (another exception escapes as it is)."""
    path = work.folder / target.file_name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    try:
        target.run(path, work)
    except InputError as exc:
        assert_one_line(str(exc), path)
        if target.writes_project:
            assert db_digest(work.engine) == work.digest, "a refused input changed the project"
        return "refused"
    if target.writes_project:
        work.digest = db_digest(work.engine)
    return "accepted"
