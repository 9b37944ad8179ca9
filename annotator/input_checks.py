"""The limits every reader of a user's file holds, and the checks that hold them (docs/ARCHITECTURE.md, "Reliability").

Whatever a file holds, a reader returns values the store can take or raises one InputError:
text is read up to a size, JSON up to a depth, names are checked against what the database
columns take, and numbers are range-checked before any frame arithmetic. Why each limit is
what it is: docs/ARCHITECTURE.md, "Bad input".
"""

from __future__ import annotations

import json
import os
import re
import reprlib
from pathlib import Path

from annotator.errors import InputError

MAX_INPUT_BYTES = 256 * 2**20  # an annotation file of all MMA-52 is under 1 MiB
MAX_JSON_DEPTH = 64  # our formats nest 5 deep; JSON's C parser recurses once per level
MAX_FRAME = 2**31 - 1  # frame numbers and counts are 32-bit INTEGER columns in the store
MAX_FPS = 1000.0
MAX_SECONDS = 1e7  # any time in seconds (115 days): far beyond a clip, far inside a float's range
# Column sizes of the store (annotator/store/orm.py; a test keeps them equal).
MAX_CLIP_NAME = 255
MAX_SUBJECT = 128  # (user names are checked by annotator.store.access.check_user_name)

_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxstring, _REPR.maxother, _REPR.maxlist, _REPR.maxdict = 2, 60, 60, 4, 4
_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*+"|[\[\]{}]')
_LONG_NUMBER = re.compile(r"\d{4300,}")  # int() refuses longer digit strings (CPython's limit)


def short(value: object) -> str:
    """A short repr of any value for a message (bounded depth and length, never recursing far)."""
    try:
        return _REPR.repr(value)
    except ValueError:  # an integer too long to write out
        return "a number too large to write"


def read_text(path: Path) -> str:
    """The file's text; InputError when it is missing, unreadable, too large, not UTF-8 or empty."""
    file = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise InputError(file, None, f"{size:,} bytes, more than the {MAX_INPUT_BYTES:,} an input file may hold")
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(file, None, "file not found") from None
    except IsADirectoryError:
        raise InputError(file, None, "is a folder, not a file") from None
    except OSError as exc:
        raise InputError(file, None, f"cannot read it: {exc.strerror or exc}") from None
    if not data.strip():
        raise InputError(file, None, "empty file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(file, f"line {line} (byte {exc.start})", "not UTF-8 text") from None


def parse_json(text: str, file: str) -> object:
    """The JSON value of `text`; InputError naming line and column when it is malformed or
    nested deeper than MAX_JSON_DEPTH."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(file, f"line {exc.lineno} column {exc.colno}", f"invalid JSON: {exc.msg}") from None
    except RecursionError:
        raise _too_deep(text, file) from None
    except ValueError:  # a number of more than 4,300 digits
        match = _LONG_NUMBER.search(text)
        raise InputError(file, _line_column(text, match.start() if match else 0),
                         "invalid JSON: a number with more than 4,300 digits") from None
    if _depth_exceeds(value, MAX_JSON_DEPTH):
        raise _too_deep(text, file)
    return value


def _depth_exceeds(value: object, limit: int) -> bool:
    """Whether arrays and objects nest more than `limit` levels (iterative: no recursion)."""
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        for child in children:
            if isinstance(child, dict | list):
                if depth >= limit:
                    return True
                stack.append((child, depth + 1))
    return False


def _too_deep(text: str, file: str) -> InputError:
    """The error for JSON nested too deeply, placed where the nesting passes the limit."""
    depth, offset = 0, 0
    for match in _JSON_TOKENS.finditer(text):
        char = text[match.start()]
        if char in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                offset = match.start()
                break
        elif char in "]}":
            depth -= 1
    return InputError(file, _line_column(text, offset), f"JSON nested more than {MAX_JSON_DEPTH} levels deep")


def _line_column(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    return f"line {line} column {offset - (text.rfind(chr(10), 0, offset) + 1) + 1}"


def check_name(name: str, file: str, place: str | None, what: str, limit: int) -> str:
    """A name the database can store: not empty, at most `limit` characters, no control
    characters (NUL, line breaks) and no lone surrogates (text that cannot be UTF-8)."""
    if not name.strip():
        raise InputError(file, place, f"empty {what}")
    if len(name) > limit:
        raise InputError(file, place, f"{what} {short(name)} is {len(name):,} characters long; the limit is {limit}")
    if not name.isprintable():  # fast path: most names are plain printable text
        for char in name:
            if char < " " or "\x7f" <= char <= "\x9f" or char in "\u2028\u2029":
                raise InputError(file, place, f"{what} {short(name)} holds the control character {ascii(char)}")
            if "\ud800" <= char <= "\udfff":
                raise InputError(file, place, f"{what} {short(name)} holds {ascii(char)}, a lone surrogate "
                                              "that is not valid Unicode text")
    return name


def check_id(name: str, file: str, place: str | None, what: str, limit: int) -> str:
    """An id (clip name, video id, subject, user name): a name check_name accepts that can also
    be a file name without leaving its folder: no path separator, no '..', not '.'.

    The one check every reader and command applies to ids (CSV, OpenTAD, PointTAD, ELAN-like
    formats, folders of videos, CLI arguments), so an id never names a path elsewhere."""
    check_name(name, file, place, what, limit)
    for bad, said in (("/", "a path separator '/'"), ("\\", "a path separator '\\'"), ("..", "'..'")):
        if bad in name:
            raise InputError(file, place, f"{what} {short(name)} holds {said}: ids cannot name other folders")
    if name.strip() == ".":
        raise InputError(file, place, f"{what} {short(name)} cannot be '.'")
    return name


def path_under(folder: str | Path, name: str, suffix: str = "") -> Path:
    """folder/<name><suffix>, refused (InputError) unless it stays inside `folder`: the one way a
    path is built from an id (pose caches, video look-ups)."""
    check_id(name, str(folder), None, "id", MAX_CLIP_NAME)
    base = Path(folder)
    path = base / f"{name}{suffix}"
    if os.path.normpath(path.parent) != os.path.normpath(base):  # a suffix with a separator
        raise InputError(str(path), None, f"leaves the folder {base}")
    return path  # links inside the folder are followed as the user made them (a folder of links to videos)


def check_fps(fps: float, file: str, place: str | None) -> float:
    """fps must be a positive number up to MAX_FPS."""
    if not 0 < fps <= MAX_FPS:  # also refuses nan
        raise InputError(file, place, f"fps must be a positive number up to {MAX_FPS:g}, got {fps!r}")
    return fps


def check_video(name: str, subject: str | None, fps: float, frame_count: int, file: str,
                place: str | None) -> None:
    """A video (clip) the store can hold: its name, subject, fps and frame count."""
    check_id(name, file, place, "video id", MAX_CLIP_NAME)
    if subject is not None:
        check_id(subject, file, place, "subject", MAX_SUBJECT)
    check_fps(fps, file, place)
    if frame_count <= 0:
        raise InputError(file, place, f"total_frames must be positive, got {short(frame_count)}")
    check_frame_number(frame_count, file, place, "total_frames")


def check_frame_number(value: int, file: str, place: str | None, what: str) -> int:
    """An integer frame number or count whose size the store can hold (sign checked by the caller)."""
    if not -MAX_FRAME <= value <= MAX_FRAME:
        raise InputError(file, place, f"{what} {short(value)} is out of range (the limit is {MAX_FRAME:,})")
    return value


def check_seconds(value: float, file: str, place: str, what: str) -> float:
    """A finite time in seconds within ±MAX_SECONDS."""
    if not -MAX_SECONDS <= value <= MAX_SECONDS:  # also refuses nan
        raise InputError(file, place, f"{what} {value!r} s is out of range (the limit is {MAX_SECONDS:,.0f} s)")
    return value


def frame_at(seconds: float, fps: float, file: str, place: str, what: str) -> int:
    """The frame index a time names (round(seconds * fps); see docs/ARCHITECTURE.md, "Data model and roles"), range-checked first."""
    check_seconds(seconds, file, place, what)
    frames = seconds * fps
    if not -MAX_FRAME <= frames <= MAX_FRAME:
        raise InputError(file, place, f"{what} {seconds!r} s is frame {frames:.4g} at {fps:g} fps, beyond the "
                                      f"limit of {MAX_FRAME:,}")
    return round(frames)
