"""Pose on the annotation screen: background extraction for the open clip, the skeleton over
the player (K), motion curves under the lanes, and snapping an edge to a motion onset (E).

The pose comes in up to three steps on the window's runner (app.background), none of which
waits on a thread: the cache is read on a pool thread; when it has no pose for the clip, a
"pose" job of the model worker process (prewarmed when possible) extracts it into the cache
once the clip's decode has ended (a dependency: the decode keeps both cores until then); then
the cache is read again. MediaPipe is never loaded into the app's own process, so the window
opens fast and its event loop never waits for it. Once the pose is shown, a pose job of the
lowest priority extracts the queue's next clips ahead (inference.pose.ahead) until a clip opens.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow

from annotator.model import Clip
from annotator.progress import CancelToken, Progress
from app.background import BackgroundWork
from app.controllers.clip_session import ClipSession
from app.core_text import core_text
from app.i18n import mark, tax_name, tr
from app.labelling.shortcuts import Shortcut
from app.model_loop.records import PoseSpec
from app.player.player_widget import Player
from app.player.skeleton_overlay import SkeletonOverlay
from app.tasks import TaskHandle
from app.timeline.lanes_item import LANE_COLOURS
from app.timeline.motion_curves import MotionCurvesPlot
from app.timeline.timeline_widget import CURVES_ROW, TimelineWidget
from app.window_common import MediaResolver, add_menu, add_shortcut_actions
from inference.pose.ahead import AHEAD_NICENESS, clips_ahead
from inference.pose.cache import cache_key, cache_path, load_cached
from inference.pose.motion import SNAP_RADIUS, MotionCurves, motion_curves, nearest_event
from inference.pose.track import PoseTrack

if TYPE_CHECKING:  # the review session imports merging (scipy): not at the annotation window's start-up
    from app.review.review_session import ReviewSession

POSE_SHORTCUTS = (
    Shortcut("toggle_skeleton", "Pose", "Show skeleton", ("K",),
             "the pose landmarks over the frame (rough where limbs cross)"),
    Shortcut("snap_edge", "Pose", "Snap edge to motion", ("E",),
             f"the selected segment's edge nearer the playhead moves to its body part's motion "
             f"onset (start) or offset (end) within ±{SNAP_RADIUS} frames; Ctrl+Z undoes"),
)
# The review screen: K is its Keep decision, so the skeleton takes Shift+K; nothing to snap there.
REVIEW_POSE_SHORTCUTS = (replace(POSE_SHORTCUTS[0], keys=("Shift+K",)),)


# On 2 cores a full-priority MediaPipe worker competes with the clip's decode and with frame
# stepping (bench_window: step median 11.5 ms with it, 5.6 ms niced, under other load); niced,
# it gets the CPU the window leaves idle.
POSE_NICENESS = 10
NOT_CACHED = mark("Pose", "not computed yet for this clip (the annotation screen or mmad pose computes it)")


def cached_pose(cache_dir: Path, clip_name: str, media: Path, _progress: Progress,
                _cancel: CancelToken) -> tuple[PoseTrack, MotionCurves] | None:
    """Worker: the clip's landmarks from the cache only (no extraction) and its motion curves;
    None when the cache has none for this video."""
    track = load_cached(cache_path(cache_dir, clip_name), cache_key(media))
    return None if track is None else (track, motion_curves(track))


class PoseController(QObject):
    """Keeps the open clip's pose, draws it, and snaps edges to it."""

    message = Signal(str)
    poseReady = Signal(object)  # PoseTrack of the open clip

    def __init__(self, session: ClipSession | ReviewSession, player: Player, timeline: TimelineWidget, runner: BackgroundWork,
                 media_path: MediaResolver, cache_dir: Path | None, parent: QObject | None = None,
                 extract: bool = True, ahead: Callable[[], Iterator[tuple[str, Path]]] | None = None) -> None:
        super().__init__(parent)
        self.session, self.player, self.timeline, self.runner = session, player, timeline, runner
        self.media_path = media_path
        self.cache_dir = cache_dir
        self.extract = extract  # False (the review screen): show a cached pose, never start an extraction
        self.ahead = ahead  # the queue's next clips (name, media), extracted ahead once the open clip's pose is shown
        self.ahead_job: TaskHandle | None = None
        self.track: PoseTrack | None = None
        self.motion: MotionCurves | None = None
        self._task: TaskHandle | None = None
        self.toggle_action: QAction | None = None
        self.hint = ""  # the Pose menu's keys, for the message when a pose arrives
        parts = [b.name for b in session.taxonomy.body_parts]
        colours = [LANE_COLOURS[b.id % len(LANE_COLOURS)] for b in session.taxonomy.body_parts]
        self.overlay = SkeletonOverlay(player.view, dict(zip(parts, colours, strict=True)))
        self.curves = MotionCurvesPlot(timeline, parts, colours, CURVES_ROW)
        session.clipOpened.connect(self._on_clip)
        player.frameChanged.connect(self._on_frame)

    def install(self, window: QMainWindow, shortcuts: Sequence[Shortcut] = POSE_SHORTCUTS,
                name_prefix: str = "") -> dict[str, QAction]:
        """A Pose menu with the skeleton toggle (checkable) and, where there is one, snap."""
        menu = add_menu(window, "P&ose")
        handlers: dict[str, Callable[[], object]] = {"toggle_skeleton": self.toggle_skeleton,
                                                      "snap_edge": self.snap_edge}
        actions = add_shortcut_actions(window, shortcuts, {"Pose": menu}, handlers, name_prefix)
        self.hint = " · ".join(f"{s.keys[0]} {s.text.lower()}" for s in shortcuts if s.keys)
        self.toggle_action = actions["toggle_skeleton"]
        self.toggle_action.setCheckable(True)
        self.toggle_action.setChecked(not self.overlay.isHidden())
        return actions

    # ----- the open clip's pose -----------------------------------------------------------------
    def _on_clip(self, clip: Clip | None) -> None:
        for task in (self._task, self.ahead_job):  # the open clip goes first
            if task is not None:
                task.cancel()
        self._task = self.ahead_job = None
        self._show(None, None)
        media = None if clip is None else self.media_path(clip)
        if clip is None or media is None:
            return
        self._read_cache(self.cache_dir or media.parent, clip.name, media, extract=self.extract)

    def _read_cache(self, cache_dir: Path, name: str, media: Path, extract: bool) -> None:
        """The clip's pose from the cache, on a pool thread; when it has none and `extract`, extract it."""
        handle = self.runner.start(f"pose {name}", lambda p, c: cached_pose(cache_dir, name, media, p, c))
        self._task = handle
        handle.failed.connect(lambda exc, h=handle: self._on_failed(h, exc))

        def read(result: tuple[PoseTrack, MotionCurves] | None, h: TaskHandle = handle) -> None:
            if h is not self._task:
                return  # a clip opened since
            if result is not None:
                self._on_ready(h, result)
            elif extract:
                self._extract(cache_dir, name, media)
            else:
                self._on_failed(h, LookupError(tr("Pose", NOT_CACHED)))

        handle.finished.connect(read)

    def _extract(self, cache_dir: Path, name: str, media: Path) -> None:
        """Not cached: a pose job in a worker process, started once the clip's decode has ended
        (the window started that decode right after the clip opened); then the cache is read."""
        job = PoseSpec(str(cache_dir), ((name, str(media)),), niceness=POSE_NICENESS).to_json()
        extraction = self.runner.start_process(f"pose {name}", job, after=self.player.decoding,
                                                  disposable=True)
        self._task = extraction
        extraction.finished.connect(
            lambda _r, h=extraction: self._read_cache(cache_dir, name, media, False) if h is self._task else None)
        extraction.failed.connect(lambda exc, h=extraction: self._on_failed(h, exc))

    def _on_ready(self, handle: TaskHandle, result: tuple[PoseTrack, MotionCurves]) -> None:
        if handle is not self._task:
            return  # a clip opened since
        self._task = None
        track, motion = result
        self._show(track, motion)
        self.message.emit(tr("Pose", "Pose: person in {percent:.0f}% of {frames} frames ({hint})").format(percent=100 * track.present.mean(), frames=track.frames, hint=self.hint))
        self.poseReady.emit(track)
        self._start_ahead()

    def _start_ahead(self) -> None:
        """A pose job of the lowest priority for the queue's next clips without a cached pose."""
        clip = self.session.clip
        media = None if clip is None else self.media_path(clip)
        if self.ahead is None or not self.extract or media is None or self.ahead_job is not None:
            return
        clips = clips_ahead(self.cache_dir or media.parent, self.ahead())
        if clips:
            job = PoseSpec(str(self.cache_dir or media.parent), tuple((n, str(m)) for n, m in clips),
                           niceness=AHEAD_NICENESS, keep_going=True)
            # Not in the prewarmed spare: that is for the next job someone waits for.
            self.ahead_job = self.runner.start_process(f"pose of the next {len(clips)} clips", job.to_json(), warm=False,
                                                         disposable=True)

    def _on_failed(self, handle: TaskHandle, exc: object) -> None:
        if handle is self._task:
            self._task = None
            self.message.emit(tr("Pose", "Pose not available: {exc}").format(exc=core_text(exc)))

    def _show(self, track: PoseTrack | None, motion: MotionCurves | None) -> None:
        self.track, self.motion = track, motion
        self.overlay.set_track(track)
        self.overlay.set_frame(self.player.current)
        self.curves.set_curves(motion)

    def _on_frame(self, frame: int) -> None:
        self.overlay.set_frame(frame)
        self.curves.set_playhead(frame)

    @property
    def computing(self) -> bool:
        """Whether the open clip's pose is still being computed."""
        return self._task is not None

    # ----- commands -----------------------------------------------------------------------------
    def toggle_skeleton(self) -> None:
        """K: show or hide the skeleton over the frame."""
        shown = self.overlay.isHidden()
        self.overlay.setVisible(shown)
        self.overlay.set_frame(self.player.current)
        if self.toggle_action is not None:
            self.toggle_action.setChecked(shown)
        if shown and self.track is None:
            self.message.emit(tr("Pose", "Skeleton on; the pose of this clip is being computed") if self.computing
                              else tr("Pose", "Skeleton on; the pose of this clip is not available"))
        else:
            self.message.emit(tr("Pose", "Skeleton shown: the pose landmarks over the frame, rough where limbs cross (the same key hides it)") if shown else tr("Pose", "Skeleton hidden (the same key shows it)"))

    def snap_edge(self) -> bool:
        """E: move the selected segment's edge nearer the playhead to its body part's nearest
        motion onset (start edge) or offset (end edge) within ±SNAP_RADIUS frames (undoable)."""
        if not isinstance(self.session, ClipSession):
            return False  # the review screen decides on merged instances; it has no snap
        seg = self.session.selected_segment()
        if seg is None or seg.id is None:
            self.message.emit(tr("Pose", "Select a segment first (click it, or , / . to jump)"))
            return False
        if self.motion is None:
            self.message.emit(tr("Pose", "No pose for this clip yet (being computed)") if self.computing
                              else tr("Pose", "No pose for this clip yet"))
            return False
        part = self.session.taxonomy.action(seg.action_id).body_part.name
        playhead = self.player.current
        edge = "start" if abs(playhead - seg.start_frame) <= abs(playhead - seg.end_frame) else "end"
        events = (self.motion.onsets if edge == "start" else self.motion.offsets).get(part)
        frame = seg.start_frame if edge == "start" else seg.end_frame
        target = None if events is None else nearest_event(events, frame)
        if target is None:
            self.message.emit((tr("Pose", "No {part} motion onset within ±{radius} frames of the start") if edge == "start" else
                               tr("Pose", "No {part} motion offset within ±{radius} frames of the end")).format(
                                  part=tax_name(part), radius=SNAP_RADIUS))
            return False
        if target == frame:
            self.message.emit((tr("Pose", "The start already sits on a {part} motion edge") if edge == "start" else
                               tr("Pose", "The end already sits on a {part} motion edge")).format(part=tax_name(part)))
            return True
        ok = self.session.edit(seg.id, **{edge: target})
        if ok:
            self.player.seek(target)
            self.message.emit((tr("Pose", "Snapped the start from frame {frame} to {target}, the nearest {part} motion onset (Ctrl+Z undoes)")
                               if edge == "start" else
                               tr("Pose", "Snapped the end from frame {frame} to {target}, the nearest {part} motion offset (Ctrl+Z undoes)")).format(
                                  frame=frame, target=target, part=tax_name(part)))
        return ok
