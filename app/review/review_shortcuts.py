"""Every command of the review screen: menu, text, keys (the edge keys match the annotation screen)."""

from __future__ import annotations

from dataclasses import replace

from app.labelling.shortcuts import VIDEO_VIEW, Shortcut, shortcut

_EDGE_IDS = ("start_earlier", "start_later", "end_later", "end_earlier",
             "start_earlier_5", "start_later_5", "end_later_5", "end_earlier_5")

REVIEW_SHORTCUTS: tuple[Shortcut, ...] = (
    Shortcut("next_clip", "Clip", "Open next clip to review", ("Ctrl+N",)),
    Shortcut("merge", "Clip", "Merge ready clips", ("Ctrl+M",), "merge every clip whose annotators are done"),
    Shortcut("reload", "Clip", "Reload from the database", ("F5",),
             "the annotators' latest work, and which clips changed since their merge"),
    Shortcut("finalise", "Clip", "Finalise clip…", ("Ctrl+Return", "Ctrl+Enter"),
             "asks first; only when nothing needs review"),
    Shortcut("unfinalise", "Clip", "Un-finalise clip…", (), "open a finalised clip for review again"),
    replace(shortcut("find"), help="instances by action, body part or annotator; clips most disputed"),
    Shortcut("export", "Clip", "Export the dataset…", ("Ctrl+E",), "split, counts, formats; as mmad export"),
    Shortcut("quit", "Clip", "Quit", ("Ctrl+Q",), "every decision is already saved"),
    Shortcut("accept", "Decide", "Accept majority outcome", ("Return", "Enter")),
    Shortcut("keep", "Decide", "Keep", ("K",)),
    Shortcut("delete", "Decide", "Delete", ("D",), "out of the ground truth; the segments stay stored"),
    Shortcut("label", "Decide", "Change label…", ("L",)),
    Shortcut("take_1", "Decide", "Take annotator 1's version", ("1",)),
    Shortcut("take_2", "Decide", "Take annotator 2's version", ("2",)),
    Shortcut("take_3", "Decide", "Take annotator 3's version", ("3",)),
    *(replace(shortcut(i), menu="Decide") for i in _EDGE_IDS),  # the annotation screen's, in Decide
    Shortcut("undo", "Decide", "Undo decision", ("Ctrl+Z",),
             "back to the instance's previous decision, or to undecided"),
    Shortcut("redo", "Decide", "Redo decision", ("Ctrl+Shift+Z", "Ctrl+Y")),
    Shortcut("next_unresolved", "Decide", "Next instance to review", ("N",)),
    Shortcut("previous_instance", "Decide", "Previous instance", (",",)),
    Shortcut("next_instance", "Decide", "Next instance", (".",)),
    Shortcut("play", "Play", "Play / pause (loops the instance)", ("Space",)),
    Shortcut("step_back", "Play", "Previous frame", ("Left",)),
    Shortcut("step_forward", "Play", "Next frame", ("Right",)),
    Shortcut("step_back_10", "Play", "Back 10 frames", ("Shift+Left",)),
    Shortcut("step_forward_10", "Play", "Forward 10 frames", ("Shift+Right",)),
    Shortcut("gradient", "Play", "Temporal gradient view", ("G",)),
    shortcut("go_to"),
    *VIDEO_VIEW,
    Shortcut("zoom_in", "View", "Zoom in (around playhead)", ("Ctrl+=", "Ctrl++")),
    Shortcut("zoom_out", "View", "Zoom out", ("Ctrl+-",)),
    Shortcut("zoom_fit", "View", "Whole clip", ("Ctrl+0",)),
    shortcut("shortcut_sheet"),
)

REVIEW_MENUS = ("Clip", "Decide", "Play", "View", "Help")

REVIEW_NOTE = ("Each instance the cross-check did not mark reliable waits for a decision, with the "
               "annotators' majority outcome pre-selected: Enter accepts it, K keeps its merged "
               "boundaries and label, D removes it from the ground truth, 1/2/3 take one annotator's "
               "segment. Every decision is stored at once; Ctrl+Enter finalises the clip once none is left.")
