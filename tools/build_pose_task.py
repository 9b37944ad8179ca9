"""Build resources/models/pose_landmarker_full.task from the TFLite models in mediapipe 0.10.21.

MediaPipe 1.x Tasks read a .task bundle (an aligned, uncompressed zip of a pose detector and
a landmark model, each carrying its input normalisation as TFLite metadata). No wheel ships
one and nothing may be downloaded, but the `mediapipe==0.10.21` wheel bundles both models for
its legacy `solutions.Pose`. This script adds the metadata with 0.10.21's own metadata writer
(1.2.2's is broken) and writes the bundle. It needs 0.10.21, so run it once, by hand, in a
throwaway virtualenv (Python 3.11), never from the project's own environment:

    python3.11 -m venv /tmp/mp0102
    /tmp/mp0102/bin/pip install mediapipe==0.10.21
    /tmp/mp0102/bin/python tools/build_pose_task.py resources/models/pose_landmarker_full.task

With --reference it also writes the landmarks 0.10.21's legacy `solutions.Pose` finds on a
clip (tracking as in a video, and frame by frame), which tests/inference/pose/test_model_file.py
keeps as expected values for the bundle in 1.2.2:

    /tmp/mp0102/bin/python tools/build_pose_task.py --reference tests/data/carphone_pristine.mp4 \
        tests/data/carphone_pose_mediapipe_0_10_21.json

The output is deterministic: running it again gives the same bytes (see docs/ARCHITECTURE.md,
"Pose").
"""

from __future__ import annotations

import argparse
import json
import time
import zipfile
from pathlib import Path

# (file in the wheel, name in the bundle, input mean, input std, description)
MODELS = (
    ("modules/pose_detection/pose_detection.tflite", "pose_detector.tflite", 127.5, 127.5,
     "BlazePose detector: finds the person and the alignment of their body."),
    ("modules/pose_landmark/pose_landmark_full.tflite", "pose_landmarks_detector.tflite", 0.0, 255.0,
     "BlazePose GHUM 3D landmark model (full): 33 landmarks with visibility and presence."),
)
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # zip entries carry no build time: same input, same bytes


def with_metadata(model: bytes, name: str, mean: float, std: float, description: str) -> bytes:
    """The TFLite model with image-input normalisation metadata and one entry per output."""
    from mediapipe.tasks.python.metadata.metadata_writers import metadata_writer, writer_utils

    writer = metadata_writer.MetadataWriter.create(bytearray(model))
    writer.add_general_info(name, description)
    writer.add_image_input(norm_mean=[mean], norm_std=[std])
    for _ in writer_utils.get_output_tensor_types(bytearray(model)):
        writer.add_feature_output()
    content, _json = writer.populate()
    return bytes(content)


def build(out: Path) -> None:
    """Write the bundle (4-byte aligned, stored uncompressed so MediaPipe can mmap each model)."""
    import mediapipe
    from mediapipe.tasks.python.metadata.metadata_writers.model_asset_bundle_utils import AlignZipFile

    if mediapipe.__version__ != "0.10.21":
        raise SystemExit(f"needs mediapipe 0.10.21 (this is {mediapipe.__version__}); see the docstring")
    root = Path(mediapipe.__file__).parent
    out.parent.mkdir(parents=True, exist_ok=True)
    with AlignZipFile(out, mode="w", alignment=4) as bundle:
        for source, name, mean, std, description in MODELS:
            model = with_metadata((root / source).read_bytes(), name, mean, std, description)
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_STORED
            bundle.writestr(info, model)
            print(f"{name}: from {source}, mean {mean} std {std}, {len(model):,} bytes")
    print(f"wrote {out} ({out.stat().st_size:,} bytes) at {time.strftime('%Y-%m-%d %H:%M:%S')}")


REFERENCE_EVERY = 4  # frames kept in the reference file: every 4th (tracking still runs on all)


def solutions_landmarks(video: Path, static: bool) -> list[list[list[float]]]:
    """x, y, visibility of 0.10.21's solutions.Pose (full model) for every frame; [] without a person."""
    import cv2
    import mediapipe as mp

    capture = cv2.VideoCapture(str(video))
    frames: list[list[list[float]]] = []
    with mp.solutions.pose.Pose(static_image_mode=static, model_complexity=1) as pose:
        while True:
            ok, frame = capture.read()
            if not ok:
                break
            found = pose.process(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)).pose_landmarks
            frames.append([] if found is None else
                          [[round(p.x, 5), round(p.y, 5), round(p.visibility, 4)] for p in found.landmark])
    capture.release()
    return frames


def write_reference(video: Path, out: Path) -> None:
    """Expected landmarks for the 1.2.2 check, from 0.10.21 (tracking and frame-by-frame modes)."""
    import mediapipe

    tracking = solutions_landmarks(video, static=False)[::REFERENCE_EVERY]
    data = {"source": f"mediapipe {mediapipe.__version__} solutions.Pose(model_complexity=1), "
                      f"made by tools/build_pose_task.py --reference",
            "video": video.name, "every": REFERENCE_EVERY, "columns": ["x", "y", "visibility"],
            "tracking": tracking,
            "static": solutions_landmarks(video, static=True)[::REFERENCE_EVERY]}
    out.write_text(json.dumps(data, separators=(",", ":")) + "\n", "utf-8")
    print(f"wrote {out} ({len(tracking)} frames)")


def main() -> None:
    """Command line: the output path (or --reference VIDEO OUT)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, nargs="?", default=Path("resources/models/pose_landmarker_full.task"))
    parser.add_argument("--reference", type=Path, metavar="VIDEO",
                        help="write 0.10.21's landmarks on VIDEO to OUT (a JSON file) instead")
    args = parser.parse_args()
    if args.reference:
        write_reference(args.reference, args.out)
    else:
        build(args.out)


if __name__ == "__main__":
    main()
