"""Landmarks of every frame of a clip with MediaPipe's PoseLandmarker in VIDEO mode.

Frames come from annotator.media's sequential reader with the decoder's presentation
timestamps, so variable-rate clips are tracked on their real time axis. MediaPipe's calls go through ctypes, which releases the
GIL: extraction on a worker thread leaves the UI thread free.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

import numpy as np

from annotator.errors import InputError
from annotator.media.frames import read_video, to_rgb
from annotator.progress import NEVER, CancelToken, Progress, no_progress
from inference.pose.model_file import POSE_TASK
from inference.pose.track import PoseTrack, empty_frame

PROGRESS_EVERY = 8  # frames between progress reports and cancel checks


def decoded_frames(path: Path) -> Iterator[tuple[np.ndarray, float, int, float]]:
    """(RGB frame, decoder timestamp in ms, frame count and fps the container states) of every frame."""
    with read_video(path) as video:
        for _index, frame in video.frames():
            yield to_rgb(frame), video.time_ms(), video.header.frame_count, video.header.fps


def open_landmarker(model: str | Path = POSE_TASK) -> object:
    """A PoseLandmarker in VIDEO mode for one person (close it, or use it in a with block)."""
    from mediapipe.tasks.python import BaseOptions
    from mediapipe.tasks.python.vision import PoseLandmarker, PoseLandmarkerOptions, RunningMode

    if not Path(model).is_file():
        raise InputError(str(model), None, "pose model file not found")
    options = PoseLandmarkerOptions(base_options=BaseOptions(model_asset_path=str(model)),
                                    running_mode=RunningMode.VIDEO, num_poses=1)
    try:
        with native_stderr_silenced():
            return PoseLandmarker.create_from_options(options)
    except (RuntimeError, ValueError) as exc:
        raise InputError(str(model), None, f"MediaPipe cannot load this pose model: {exc}") from None


@contextmanager
def native_stderr_silenced() -> Iterator[None]:
    """Send file descriptor 2 to the null device for a moment: MediaPipe's C++ logs a few lines
    of start-up chatter (delegates, feedback tensors) there that no setting turns off. Errors
    still arrive, as the Python exceptions its bindings raise."""
    sys.stderr.flush()
    saved = os.dup(2)
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(null)
        os.close(saved)


def landmarks_of(result: object) -> np.ndarray:
    """[33, 4] (x, y, z, visibility) of the first pose of a result, NaN when there is none."""
    poses = result.pose_landmarks  # type: ignore[attr-defined]
    if not poses:
        return empty_frame()
    return np.array([(p.x, p.y, p.z, p.visibility if p.visibility is not None else np.nan)
                     for p in poses[0]], dtype=np.float32)


def extract_pose(media: str | Path, model: str | Path = POSE_TASK, progress: Progress = no_progress,
                 cancel: CancelToken = NEVER) -> PoseTrack:
    """33 landmarks with visibility for every decoded frame; frames without a person are NaN."""
    import mediapipe as mp

    path = Path(media)
    started = time.perf_counter()
    rows: list[np.ndarray] = []
    stamps: list[int] = []
    size, fps = (0, 0), 0.0
    landmarker = open_landmarker(model)
    try:
        for index, (rgb, ms, expected, rate) in enumerate(decoded_frames(path)):
            if index % PROGRESS_EVERY == 0:
                cancel.check()
                progress(min(index / max(expected, 1), 0.99), f"pose of {path.name}: frame {index}")
            # MediaPipe needs strictly increasing whole milliseconds; a decoder may repeat one.
            stamp = max(round(ms), stamps[-1] + 1) if stamps else round(ms)
            image = mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb))
            with native_stderr_silenced() if index == 0 else nullcontext():  # its first call logs too
                result = landmarker.detect_for_video(image, stamp)  # type: ignore[attr-defined]
            rows.append(landmarks_of(result))
            stamps.append(stamp)
            size, fps = (rgb.shape[1], rgb.shape[0]), rate
    finally:
        landmarker.close()  # type: ignore[attr-defined]
    if not rows:
        raise InputError(str(path), "frame 0", "no frame could be decoded (corrupt or truncated video)")
    if not fps > 0:
        raise InputError(str(path), None, "the video does not state a frame rate")
    elapsed_ms = (time.perf_counter() - started) * 1000
    progress(1.0, f"pose of {path.name}: {len(rows)} frames")
    return PoseTrack(np.stack(rows), np.array(stamps, dtype=np.int64), size[0], size[1], fps,
                     elapsed_ms / len(rows))
