"""Video decoding, sampling, windows, and the training windows' targets."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from annotator.errors import InputError
from inference.configs import preset
from inference.data import find_videos, load_samples, window_targets
from inference.loader import TrainWindows, collate, window_start
from inference.video import decode_video, normalise, sliding_windows
from tests.inference.synthetic_clips import make_clips, write_mp4


@pytest.fixture(scope="module")
def small_video(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, np.ndarray]:
    folder = tmp_path_factory.mktemp("videos")
    frames = np.zeros((20, 48, 80, 3), np.uint8)
    frames[:, :, :40] = (255, 0, 0)  # left half red: the centre crop keeps both halves
    frames[:, :, 40:] = (0, 0, 255)
    return write_mp4(folder / "v.mp4", frames), frames


def test_decode_samples_resizes_crops_and_keeps_rgb(small_video: tuple[Path, np.ndarray]) -> None:
    path, _ = small_video
    video = decode_video(path, size=32, stride=3)
    assert video.total_frames == 20 and video.fps == pytest.approx(30.0)
    assert video.frames.shape == (7, 32, 32, 3)  # frames 0, 3, ..., 18
    left, right = video.frames[0, 16, 4], video.frames[0, 16, 28]
    assert left[0] > 200 and left[2] < 60  # red stays red (BGR -> RGB)
    assert right[2] > 200 and right[0] < 60


def test_missing_and_corrupt_videos_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        decode_video(tmp_path / "nope.mp4", 32)
    bad = tmp_path / "bad.mp4"
    bad.write_bytes(b"\x00" * 100)
    with pytest.raises(InputError, match="bad.mp4"):
        decode_video(bad, 32)
    with pytest.raises(InputError, match="clip7"):
        find_videos(["clip7"], tmp_path)


def test_normalise_layout_and_statistics() -> None:
    frames = torch.full((1, 2, 4, 4, 3), 255, dtype=torch.uint8)
    x = normalise(frames)
    assert x.shape == (1, 3, 2, 4, 4)
    assert float(x[0, 0, 0, 0, 0]) == pytest.approx((1 - 0.485) / 0.229)


def test_sliding_windows_cover_the_clip_and_end_flush() -> None:
    assert sliding_windows(100, 128) == [0]
    starts = sliding_windows(300, 128, overlap=0.25)
    assert starts == [0, 96, 172]
    assert starts[-1] + 128 == 300
    rng = np.random.default_rng(0)
    assert all(0 <= window_start(300, 128, rng) <= 172 for _ in range(20))


def test_samples_from_files_and_batch_targets(tmp_path: Path) -> None:
    clips, aset = make_clips(2, n_frames=150)
    for clip, vid in zip(clips, aset.videos, strict=True):
        write_mp4(tmp_path / f"{vid}.mp4", clip)
    config = preset("tiny", num_classes=4)  # stride 2, 128-frame windows of 64 steps
    samples = load_samples(aset, find_videos(list(aset.videos), tmp_path), config)
    assert [len(s.frames) for s in samples] == [75, 75]
    assert len(samples[0].segments) == sum(1 for i in aset.instances if i.video_id == samples[0].video_id)
    windows = TrainWindows(samples, config, augment=False, seed=0)
    frames, valid, targets = collate([windows[0], windows[1]], 128)  # clips shorter than a window start at 0
    assert frames.shape == (2, 128, 64, 64, 3) and valid.tolist() == [38, 38]
    first = samples[0]
    segs, labels = targets[0]
    expected = (torch.from_numpy(first.segments).float() - 1) / 4  # centre offset 1 frame, 4 frames a step
    assert torch.allclose(segs, expected) and labels.tolist() == first.labels.tolist()


def test_window_keeps_instances_mostly_inside() -> None:
    clips, aset = make_clips(1, n_frames=240)
    config = preset("tiny", num_classes=4)
    from tests.inference.synthetic_clips import as_samples

    sample = as_samples(clips, aset, config.frame_stride)[0]
    start = 60  # sampled frame 60 = decoded frame 120: the window covers decoded frames 120..375
    segs, labels = window_targets(sample, start, config)
    for (s, e), label in zip(sample.segments, sample.labels, strict=True):
        inside = (min(e, 375) - max(s, 120)) / (e - s)
        assert (int(label) in labels.tolist()) == (inside >= 0.5)
    assert (segs >= 0).all() and (segs <= 64).all()


def test_instance_beyond_the_decoded_video_is_a_clear_error(tmp_path: Path) -> None:
    from annotator.formats.records import InstanceRecord

    clips, aset = make_clips(1, n_frames=150)
    vid = next(iter(aset.videos))
    write_mp4(tmp_path / f"{vid}.mp4", clips[0][:100])  # the file is shorter than the annotation says
    aset.instances.append(InstanceRecord(vid, 120, 140, 1))
    with pytest.raises(InputError, match=r"instance \[120, 140\]"):
        load_samples(aset, find_videos([vid], tmp_path), preset("tiny", num_classes=4))


def test_window_must_fit_chunks_and_pyramid() -> None:
    from inference.model import Detector

    with pytest.raises(ValueError, match="window of 96 frames"):
        Detector(preset("tiny", num_classes=4, window_frames=96))


def test_over_the_memory_budget_windows_are_decoded_on_demand(tmp_path: Path) -> None:
    from inference.video import LazyFrames

    clips, aset = make_clips(2, n_frames=150)
    for clip, vid in zip(clips, aset.videos, strict=True):
        write_mp4(tmp_path / f"{vid}.mp4", clip)
    config = preset("tiny", num_classes=4)
    videos = find_videos(list(aset.videos), tmp_path)
    in_memory = load_samples(aset, videos, config)
    lazy = load_samples(aset, videos, config, memory_budget=0)
    assert isinstance(lazy[0].frames, LazyFrames) and not isinstance(in_memory[0].frames, LazyFrames)
    assert len(lazy[0].frames) == len(in_memory[0].frames) == 75 and lazy[0].total_frames == 150
    assert np.array_equal(lazy[1].frames[10:50], in_memory[1].frames[10:50])
    a, b = TrainWindows(lazy, config, False, seed=1)[1], TrainWindows(in_memory, config, False, seed=1)[1]
    assert torch.equal(a[0], b[0]) and a[1] == b[1]


def test_short_windows_are_padded_with_their_last_frame() -> None:
    from inference.video import pad_window

    frames = torch.arange(3 * 2 * 2 * 3, dtype=torch.uint8).reshape(3, 2, 2, 3)
    padded = pad_window(frames, 8)
    assert padded.shape == (8, 2, 2, 3) and torch.equal(padded[:3], frames)
    assert all(torch.equal(padded[i], frames[2]) for i in range(3, 8))  # OpenTAD repeats the edge frame
    pose = torch.ones((3, 5))
    assert torch.equal(pose_padded := pad_window(pose, 6), torch.cat([pose, torch.zeros((3, 5))]))
    assert pose_padded.shape == (6, 5)
    batch = collate([(frames, 2, torch.zeros((0, 2)), torch.zeros(0, dtype=torch.long))], 8)[0]
    assert torch.equal(batch[0, 7], frames[2]) and batch[0, 7].any()  # not black
