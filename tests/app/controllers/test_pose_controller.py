"""Pose on the annotation screen: skeleton, motion curves, snapping an edge (undoable), and a UI
that keeps answering while pose is computed. The pose here is hand-made and cached, so these
tests need no MediaPipe run, except the one that measures extraction."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from annotator.project import Project
from app.event_loop_probe import LatenessProbe
from inference.pose import skeleton as sk
from inference.pose.cache import cache_key, cache_path, save_cached
from inference.pose.track import PoseTrack
from tests.app.conftest import CLIP_FPS, CLIP_FRAMES, CLIP_SIZE, shown_window

ONSET, OFFSET = 20, 38  # the hand-placed arm movement
SHOTS = Path("/tmp/mmad_pose_shots")


def seated_pose(frames: int = CLIP_FRAMES) -> np.ndarray:
    """[T, 33, 4] a still figure facing the camera whose right arm swings over ONSET..OFFSET."""
    base = np.zeros((sk.N_LANDMARKS, 4), np.float32)
    spots = {sk.NOSE: (0.5, 0.2), sk.LEFT_EYE: (0.52, 0.18), sk.RIGHT_EYE: (0.48, 0.18), 1: (0.51, 0.18),
             3: (0.53, 0.18), 4: (0.49, 0.18), 6: (0.47, 0.18), sk.LEFT_EAR: (0.55, 0.19),
             sk.RIGHT_EAR: (0.45, 0.19), sk.MOUTH_LEFT: (0.51, 0.24), sk.MOUTH_RIGHT: (0.49, 0.24),
             sk.LEFT_SHOULDER: (0.6, 0.35), sk.RIGHT_SHOULDER: (0.4, 0.35), sk.LEFT_ELBOW: (0.65, 0.5),
             sk.RIGHT_ELBOW: (0.35, 0.5), sk.LEFT_WRIST: (0.62, 0.62), sk.RIGHT_WRIST: (0.38, 0.62),
             sk.LEFT_HIP: (0.57, 0.65), sk.RIGHT_HIP: (0.43, 0.65), sk.LEFT_KNEE: (0.6, 0.8),
             sk.RIGHT_KNEE: (0.4, 0.8), sk.LEFT_ANKLE: (0.6, 0.95), sk.RIGHT_ANKLE: (0.4, 0.95)}
    for k in range(sk.N_LANDMARKS):
        near = {17: 15, 19: 15, 21: 15, 18: 16, 20: 16, 22: 16, 29: 27, 31: 27, 30: 28, 32: 28}.get(k, k)
        base[k, :2] = spots.get(near, (0.5, 0.5))
        base[k, 3] = 0.99
    track = np.repeat(base[None], frames, axis=0)
    t = np.arange(frames)
    swing = np.where((t >= ONSET) & (t <= OFFSET), 0.12 * np.sin(np.pi * (t - ONSET) / 3.0), 0.0)
    for k in (sk.RIGHT_WRIST, *sk.RIGHT_HAND):
        track[:, k, 0] += swing.astype(np.float32)
    return track


def cache_pose(folder: Path, clip: str = "S01_clip_a") -> PoseTrack:
    media = Project.open(folder).media_dir / f"{clip}.mp4"
    stamps = np.round(np.arange(CLIP_FRAMES) * 1000 / CLIP_FPS).astype(np.int64)
    track = PoseTrack(seated_pose(), stamps, *CLIP_SIZE, CLIP_FPS, 30.0)
    save_cached(cache_path(folder, clip), cache_key(media), track)
    return track


def first_clip_id(folder: Path) -> int:
    store = Project.open(folder).open_store()
    try:
        clip = store.clip_by_name("S01_clip_a")
        assert clip is not None and clip.id is not None
        return clip.id
    finally:
        store.close()


def open_with_pose(qtbot: QtBot, folder: Path, tmp_path: Path) -> object:
    window = shown_window(qtbot, folder, "ann", tmp_path / "settings.ini", extract_pose=True)
    with qtbot.waitSignal(window.pose.poseReady, timeout=20_000):  # type: ignore[union-attr]
        window.open_clip_id(first_clip_id(folder))  # type: ignore[union-attr]
    return window


def colour_pixels(image: object, colour: QColor, tolerance: int = 24) -> int:
    """Pixels of a QImage near a colour."""
    img = image.convertToFormat(image.Format.Format_RGB888)  # type: ignore[attr-defined]
    arr = np.frombuffer(img.constBits(), np.uint8).reshape(img.height(), img.bytesPerLine())
    arr = arr[:, : img.width() * 3].reshape(img.height(), img.width(), 3).astype(int)
    return int((np.abs(arr - [colour.red(), colour.green(), colour.blue()]).max(axis=2) < tolerance).sum())


def test_skeleton_and_curves_render(qtbot: QtBot, app_project: tuple[Path, str], tmp_path: Path) -> None:
    from app.timeline.lanes_item import LANE_COLOURS

    folder, _ = app_project
    cache_pose(folder)
    window = open_with_pose(qtbot, folder, tmp_path)
    pose = window.pose  # type: ignore[attr-defined]
    window.player.seek(ONSET + 1)  # type: ignore[attr-defined]
    qtbot.wait(50)
    view = pose.overlay.view
    shot = view.grab()
    upper_limb = LANE_COLOURS[2]
    shown = colour_pixels(shot.toImage(), upper_limb)
    assert shown > 100  # the arms, in the upper-limb lane colour
    window.actions_by_id["toggle_skeleton"].trigger()  # type: ignore[attr-defined]
    assert pose.overlay.isHidden() and not window.actions_by_id["toggle_skeleton"].isChecked()  # type: ignore[attr-defined]
    assert colour_pixels(view.grab().toImage(), upper_limb) < shown / 4  # what is left: the frame's own grey
    curves = pose.curves
    assert [len(i.getData()[0]) for i in curves.items] == [CLIP_FRAMES] * 7
    arm = curves.items[2].getData()[1]
    assert np.nanargmin(arm) in range(ONSET, OFFSET + 1)  # drawn high (small y: the view is inverted) while moving
    SHOTS.mkdir(exist_ok=True)
    window.actions_by_id["toggle_skeleton"].trigger()  # type: ignore[attr-defined]
    qtbot.wait(50)
    window.grab().save(str(SHOTS / "annotation_pose.png"))  # type: ignore[attr-defined]
    shot.save(str(SHOTS / "player_skeleton.png"))


def test_a_frame_step_paints_the_frame_once_with_the_skeleton_shown(
        qtbot: QtBot, app_project: tuple[Path, str], tmp_path: Path) -> None:
    """The skeleton layer repaints with the frame view: updating both in one step made Qt paint the
    frame twice per step (bench_window: step median 2.1 -> 5.3 ms)."""
    folder, _ = app_project
    cache_pose(folder)
    window = open_with_pose(qtbot, folder, tmp_path)
    player, pose = window.player, window.pose  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: player.cache is not None and player.cache.complete, timeout=20_000)
    assert not pose.overlay.isHidden()
    for frame in (ONSET, ONSET + 1):  # once with a person on screen, once more to settle
        player.seek(frame)
        qtbot.wait(30)
    painted = player.view.painted
    for _ in range(5):
        player.step(1)
        qtbot.wait(30)
    assert player.view.painted - painted == 5
    assert pose.overlay.frame == player.current


def test_snap_moves_an_edge_to_the_motion_onset_and_undo_restores_it(
        qtbot: QtBot, app_project: tuple[Path, str], tmp_path: Path) -> None:
    folder, _ = app_project
    cache_pose(folder)
    window = open_with_pose(qtbot, folder, tmp_path)
    session, pose = window.session, window.pose  # type: ignore[attr-defined]
    waving = next(a.id for a in session.taxonomy.actions if a.body_part.name == sk.UPPER_LIMB)
    seg = session.add(ONSET - 9, OFFSET + 6, waving)
    assert seg is not None
    onset = int(pose.motion.onsets[sk.UPPER_LIMB][0])
    offset = int(pose.motion.offsets[sk.UPPER_LIMB][-1])
    assert abs(onset - ONSET) <= 1 and abs(offset - OFFSET) <= 2
    window.player.seek(seg.start_frame)  # type: ignore[attr-defined]
    said: list[str] = []
    pose.message.connect(said.append)
    assert pose.snap_edge()
    assert session.segment(seg.id).start_frame == onset
    assert said[-1].startswith(f"Snapped the start from frame {ONSET - 9} to {onset}")  # E says what it did
    window.player.seek(seg.end_frame)  # type: ignore[attr-defined]
    assert pose.snap_edge()
    assert (session.segment(seg.id).start_frame, session.segment(seg.id).end_frame) == (onset, offset)
    session.undo()
    session.undo()
    assert (session.segment(seg.id).start_frame, session.segment(seg.id).end_frame) == (ONSET - 9, OFFSET + 6)
    far = session.add(2, 12, waving)  # no arm motion within 15 frames of 2
    window.player.seek(2)  # type: ignore[attr-defined]
    assert far is not None and not pose.snap_edge()
    assert session.segment(far.id).start_frame == 2


def test_the_pose_model_is_hashed_once_for_many_clip_opens(
        qtbot: QtBot, app_project: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache key holds the 9 MB model's sha256: hashed on the first clip open, not on later ones."""
    import inference.pose.model_file as model_file
    from inference.pose.model_file import POSE_TASK

    folder, _ = app_project
    cache_pose(folder)
    cache_pose(folder, "S01_clip_b")
    hashed: list[Path] = []

    def counting_open(path: Path, *args: object, **kwargs: object) -> object:
        hashed.append(Path(path))
        return open(path, *args, **kwargs)  # type: ignore[call-overload]  # noqa: SIM115 - the caller closes it

    model_file.file_digest.cache_clear()  # as in a fresh process
    monkeypatch.setattr(model_file, "open", counting_open, raising=False)
    window = open_with_pose(qtbot, folder, tmp_path)
    assert hashed.count(POSE_TASK.resolve()) == 1
    store = window.session.store  # type: ignore[attr-defined]
    ids = {c.name: c.id for c in store.clips()}
    for name in ("S01_clip_b", "S01_clip_a", "S01_clip_b"):
        with qtbot.waitSignal(window.pose.poseReady, timeout=20_000):  # type: ignore[attr-defined]
            window.open_clip_id(ids[name])  # type: ignore[attr-defined]
    assert hashed.count(POSE_TASK.resolve()) == 1
    assert len(hashed) == 3  # and each clip's video once


@pytest.mark.slow
def test_ui_keeps_answering_while_pose_is_extracted(qtbot: QtBot, app_project: tuple[Path, str],
                                                    tmp_path: Path) -> None:
    folder, _ = app_project
    window = shown_window(qtbot, folder, "ann", tmp_path / "settings.ini", extract_pose=True)
    probe = LatenessProbe()
    probe.start()
    with qtbot.waitSignal(window.pose.poseReady, timeout=120_000):  # type: ignore[attr-defined]
        window.open_clip_id(first_clip_id(folder))  # type: ignore[attr-defined]
    probe.stop()
    assert window.pose.track.frames == CLIP_FRAMES  # type: ignore[attr-defined]
    assert not window.pose.track.present.any()  # type: ignore[attr-defined]  # a bar, no person
    print(f"event-loop delay during extraction: max {max(probe.late_ms[1:]):.0f} ms over {len(probe.late_ms)} ticks")
    assert len(probe.late_ms) > 20


@pytest.mark.slow
def test_the_next_clip_is_extracted_ahead_in_the_model_worker_then_read_from_the_cache(
        qtbot: QtBot, app_project: tuple[Path, str], tmp_path: Path) -> None:
    """Once the open clip's pose is shown, a lowest-priority pose job extracts the queue's next clip;
    opening a clip cancels it; the clip extracted ahead then opens from the cache, with no job."""
    from app.model_loop.process import WorkerProcess
    from inference.pose.ahead import AHEAD_NICENESS

    folder, _ = app_project
    cache_pose(folder)
    window = open_with_pose(qtbot, folder, tmp_path)
    pose = window.pose  # type: ignore[attr-defined]
    started: list[WorkerProcess] = []
    window.runner.processes.started.connect(started.append)  # type: ignore[attr-defined]
    first = pose.ahead_job
    media = str(Project.open(folder).media_dir / "S01_clip_b.mp4")
    assert isinstance(first, WorkerProcess)
    assert first.job["clips"] == (("S01_clip_b", media),) and first.job["niceness"] == AHEAD_NICENESS
    with qtbot.waitSignal(first.cancelled, timeout=120_000), qtbot.waitSignal(pose.poseReady, timeout=20_000):
        window.open_clip_id(first_clip_id(folder))  # type: ignore[attr-defined]
    again = pose.ahead_job
    assert isinstance(again, WorkerProcess) and again is not first and started == [again]
    with qtbot.waitSignal(again.finished, timeout=120_000) as done:
        pass
    assert done.args[0]["clips"][0]["clip"] == "S01_clip_b" and cache_path(folder, "S01_clip_b").is_file()
    store = window.session.store  # type: ignore[attr-defined]
    with qtbot.waitSignal(pose.poseReady, timeout=20_000):
        window.open_clip_id(store.clip_by_name("S01_clip_b").id)  # type: ignore[attr-defined]
    assert started == [again] and pose.ahead_job is None  # from the cache; nothing left to extract ahead
