"""Messages of the Qt-free packages, shown in the interface language.

annotator/, merging/ and inference/ know no Qt and speak English (the CLI prints their words).
The app translates what they say where it shows it: TEMPLATES holds their known messages with
`{name}` for each variable part; a message that matches one is shown as that template's
translation (context "Core") with the same parts, and any other is shown as it came. The parts
themselves are translated too where they are known texts (a command's name, say). A test
(tests/app/test_core_text.py) raises the real refusals and checks that each one matches.
"""

from __future__ import annotations

import re
from functools import cache

from annotator.errors import InputError
from app.i18n import mark, tr

CONTEXT = "Core"

TEMPLATES = (
    # the edit commands' names (annotator.commands), shown in the Undo menu and in refusals
    mark("Core", "Add segment"), mark("Core", "Edit segment"), mark("Core", "Delete segment"),
    mark("Core", "Split segment"), mark("Core", "Join segments"), mark("Core", "Accept proposal"),
    mark("Core", "Reject proposal"), mark("Core", "Change the clip's state"),
    # annotator.rules
    mark("Core", "clip {clip}: start frame {start} is before the first frame (0)"),
    mark("Core", "clip {clip}: end frame {end} must be after start frame {start}"),
    mark("Core", "clip {clip}: end frame {end} is past the last frame ({last})"),
    mark("Core", "clip {clip}: segment {start}-{end} lasts {seconds} s, shorter than {minimum} s "
                 "({frames} frames at {fps} fps)"),
    mark("Core", "unknown action id {id}: taxonomy {name} has ids 0-{last}"),
    # annotator.commands
    mark("Core", "split frame {frame} is not inside {start}-{end}"),
    mark("Core", "splitting at frame {frame} leaves a part shorter than {frames} frames (0.2 s)"),
    mark("Core", "only segments of the same clip, author and action can be joined"),
    mark("Core", "cannot join a segment with itself"),
    mark("Core", "the segment has not been stored yet"),
    # annotator.store: access, versions, merged instances, clips
    mark("Core", "{name} is an annotator: only a reviewer may {what}"),
    mark("Core", "{name} may only edit their own segments, not {author}'s"),
    mark("Core", "clip {clip} is finalised: only a reviewer may change it"),
    mark("Core", "clip {clip} is not assigned to {name}: an annotator writes segments only on the clips "
                 "assigned to them (a reviewer assigns clips)"),
    mark("Core", "{name} may not see {author}'s work on clip {clip} before it is finalised"),
    mark("Core", "{what} was changed by {by} (now version {now}, you edited version {version}); reload"),
    mark("Core", "{what} no longer exists; reload"),
    mark("Core", "merged instance {id} no longer exists (the merge was re-run)"),
    mark("Core", "clip {clip} is finalised: its ground truth is closed to a new merge"),
    mark("Core", "clip {clip} is finalised: its merged instances can no longer be {what}"),
    mark("Core", "clip {clip} still has {count} merged instance(s) to review"),
    mark("Core", "the project database stayed locked by another program for {seconds} s "
                 "(a merge or an import?): nothing was changed; try again"),
    # annotator.training_data (the Train dialog)
    mark("Core", "source {source}"),
    mark("Core", "no training clips: {why}"),
    mark("Core", "{count} clips {why}"),
    mark("Core", "without a subset (split in the reviewer's Export dialog, Ctrl+E, or run mmad split)"),
    mark("Core", "without media"),
    mark("Core", "not finalised"),
    mark("Core", "with nothing in source {source}"),
    mark("Core", "with nothing an annotator may read (the ground truth and others' work: finalised clips only)"),
    mark("Core", "the project has no clips"),
    mark("Core", "only {count} training clips (at least {minimum} needed)"),
    mark("Core", "only {count} training instances (at least {minimum} needed)"),
    mark("Core", "no validation clips: nothing to choose the epoch or the proposal threshold on (run mmad split)"),
)

_FIELD = re.compile(r"\{(\w+)\}")


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Each template as a regular expression with a named group per part."""
    out = []
    for template in TEMPLATES:
        pieces = _FIELD.split(template)  # text, name, text, name, ..., text
        regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(pieces))
        out.append((re.compile(regex + r"\Z", re.S), template))
    return tuple(out)


def core_text(message: object) -> str:
    """A message of annotator/merging/inference (an exception or its text) in the interface language."""
    if isinstance(message, InputError):  # "file, place: problem": the problem is the part to translate
        where = f"{message.file}, {_part(message.place)}" if message.place else message.file
        return f"{where}: {core_text(message.problem)}"
    text = str(message)
    matches = [(found, template) for pattern, template in _patterns() if (found := pattern.match(text))]
    if not matches:
        return text
    # the most specific template wins: the one with the most fixed text
    found, template = max(matches, key=lambda m: len(_FIELD.sub("", m[1])))
    shown = tr(CONTEXT, template)
    if shown == template:
        return text  # English, or not translated: as it came
    return shown.format(**{k: _part(v) for k, v in found.groupdict().items()})


def _part(text: str) -> str:
    """A message's part: translated where it is a known message itself (a command's name, a list of
    reasons joined with ', '), else as it came (a name, a number)."""
    if any(p.match(text) for p, _t in _patterns()):
        return core_text(text)
    pieces = text.split(", ")
    if all(any(p.match(piece) for p, _t in _patterns()) for piece in pieces):
        return tr("Export", ", ").join(core_text(piece) for piece in pieces)
    return text
