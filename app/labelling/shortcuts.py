"""Every command of the annotation screen: menu, text, keys. Menus and the sheet read this table.

Nudging: `[` acts on the START edge and `]` on the END edge. The plain key moves that edge
outward (start earlier, end later: the segment grows), Ctrl moves it inward (the segment
shrinks), Shift moves five frames instead of one. The player jumps to the edge moved, so
the boundary frame is always the one on screen.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Shortcut:
    """One command: its id (the handler's name), menu, menu text and keys (first is shown)."""

    id: str
    menu: str
    text: str
    keys: tuple[str, ...]
    help: str = ""


# Zoom and pan inside the video (both screens); the timeline's zoom keeps Ctrl.
VIDEO_VIEW: tuple[Shortcut, ...] = (
    Shortcut("video_zoom_in", "View", "Zoom video in", ("Z",), "also the mouse wheel over the video"),
    Shortcut("video_zoom_out", "View", "Zoom video out", ("Shift+Z",)),
    Shortcut("video_zoom_reset", "View", "Whole video frame", ("R",), "or double-click the video"),
    Shortcut("video_pan_left", "View", "Pan video left", ("Alt+Left",), "or drag the zoomed video"),
    Shortcut("video_pan_right", "View", "Pan video right", ("Alt+Right",)),
    Shortcut("video_pan_up", "View", "Pan video up", ("Alt+Up",)),
    Shortcut("video_pan_down", "View", "Pan video down", ("Alt+Down",)),
    Shortcut("collapse_lanes", "View", "Collapse empty lanes", ("H",), "lanes without a segment take no room"),
)

SHORTCUTS: tuple[Shortcut, ...] = (
    Shortcut("next_clip", "Clip", "Open next clip to do", ("N",), "next clip that is not done"),
    Shortcut("mark_done", "Clip", "Mark clip done", ("Ctrl+Return", "Ctrl+Enter")),
    Shortcut("mark_done_empty", "Clip", "Done — no instances", ("Ctrl+Shift+Return", "Ctrl+Shift+Enter"),
             "the explicit answer 'this clip has no micro-action'"),
    Shortcut("reopen_clip", "Clip", "Reopen clip (not done)", ()),
    Shortcut("find", "Clip", "Find in the project…", ("Ctrl+F",), "instances by action, body part or annotator"),
    Shortcut("quit", "Clip", "Quit", ("Ctrl+Q",), "everything is already saved"),
    Shortcut("undo", "Edit", "Undo", ("Ctrl+Z",)),
    Shortcut("redo", "Edit", "Redo", ("Ctrl+Shift+Z", "Ctrl+Y")),
    Shortcut("mark_in", "Edit", "Mark start at playhead", ("I",)),
    Shortcut("mark_out", "Edit", "Mark end at playhead, then label", ("O",),
             "at the first frame after the action: I at 30, O at 54 is 24 frames"),
    Shortcut("change_label", "Edit", "Change label…", ("C",)),
    Shortcut("delete_segment", "Edit", "Delete segment", ("Delete", "Backspace")),
    Shortcut("split_segment", "Edit", "Split at playhead", ("S",)),
    Shortcut("join_segment", "Edit", "Join with overlapping same action", ("J",)),
    Shortcut("start_earlier", "Edit", "Start one frame earlier", ("[",)),
    Shortcut("start_later", "Edit", "Start one frame later", ("Ctrl+[",)),
    Shortcut("end_later", "Edit", "End one frame later", ("]",)),
    Shortcut("end_earlier", "Edit", "End one frame earlier", ("Ctrl+]",)),
    # One sequence per shifted bracket: Qt on X11 matches Shift+] both as "Shift+]" and as "}",
    # and two sequences matching one key press cancel each other ("ambiguous shortcut").
    Shortcut("start_earlier_5", "Edit", "Start 5 frames earlier", ("Shift+[",)),
    Shortcut("start_later_5", "Edit", "Start 5 frames later", ("Ctrl+Shift+[",)),
    Shortcut("end_later_5", "Edit", "End 5 frames later", ("Shift+]",)),
    Shortcut("end_earlier_5", "Edit", "End 5 frames earlier", ("Ctrl+Shift+]",)),
    Shortcut("previous_segment", "Edit", "Previous segment", (",",)),
    Shortcut("next_segment", "Edit", "Next segment", (".",)),
    Shortcut("clear", "Edit", "Clear mark and selection", ("Esc",)),
    Shortcut("play", "Play", "Play / pause", ("Space",)),
    Shortcut("step_back", "Play", "Previous frame", ("Left",)),
    Shortcut("step_forward", "Play", "Next frame", ("Right",)),
    Shortcut("step_back_10", "Play", "Back 10 frames", ("Shift+Left",)),
    Shortcut("step_forward_10", "Play", "Forward 10 frames", ("Shift+Right",)),
    Shortcut("go_start", "Play", "First frame", ("Home",)),
    Shortcut("go_end", "Play", "Last frame", ("End",)),
    Shortcut("loop_mode", "Play", "Cycle loop mode", ("L",), "no loop / selected segment / ±15 frames"),
    Shortcut("slower", "Play", "Slower", ("-",)),
    Shortcut("faster", "Play", "Faster", ("=", "+")),
    Shortcut("gradient", "Play", "Temporal gradient view", ("G",), "difference from the previous frame"),
    Shortcut("go_to", "Play", "Go to frame or time…", ("Ctrl+G",), "type 123 (a frame) or 12.5s (a time)"),
    *VIDEO_VIEW,
    Shortcut("zoom_in", "View", "Zoom in (around playhead)", ("Ctrl+=", "Ctrl++")),
    Shortcut("zoom_out", "View", "Zoom out", ("Ctrl+-",)),
    Shortcut("zoom_fit", "View", "Whole clip", ("Ctrl+0",)),
    Shortcut("shortcut_sheet", "Help", "Keyboard shortcuts", ("?", "Shift+?", "F1")),
)

MENUS = ("Clip", "Edit", "Play", "View", "Help")


def shortcut(shortcut_id: str) -> Shortcut:
    """The table entry with this id."""
    return next(s for s in SHORTCUTS if s.id == shortcut_id)
