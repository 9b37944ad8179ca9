"""Benchmark: the other tools' formats on the real MMA-52 train set through a project (import
into a fresh SQLite project, export from it: ELAN, BORIS aggregated events, Label Studio), and
re-encoding a generated 1080p variable-rate video with imageio-ffmpeg's FFmpeg (seconds per
minute of video).

Run: .venv/bin/python bench/bench_tool_formats.py [TRAIN_CSV] [--reencode-seconds S]
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import time
from pathlib import Path

from annotator.exporting import export_annotations
from annotator.formats import read_annotations
from annotator.importing import import_annotations
from annotator.media.reencode import ffmpeg_exe, reencode
from annotator.project import Project

DEFAULT_TRAIN = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "mma52" / "train.csv"
FILES = {"mma52-csv": "all.csv", "elan-eaf": "elan", "boris-aggregated": "boris_aggregated.tsv", "label-studio-json": "label_studio.json"}


def formats(train: Path, tmp: Path) -> None:
    """Import train.csv as ground truth, then per format (the official CSV first, for comparison):
    export it, import the export into a new project."""
    source = Project.create(tmp / "source", name="source")
    store = source.open_store()
    try:
        import_annotations(store, train, "mma52-csv")
        instances = len(read_annotations(train, "mma52-csv", store.taxonomy).instances)
        print(f"MMA-52 train set: {len(store.clips())} clips, {instances} instances")
        print(f"{'format':20} {'export s':>9} {'import s':>9}")
        for fmt, name in FILES.items():
            start = time.perf_counter()
            export_annotations(store, tmp / fmt, fmt, "ground-truth")
            exported = time.perf_counter() - start
            again = Project.create(tmp / f"again-{fmt}", name=fmt)
            other = again.open_store()
            try:
                start = time.perf_counter()
                report = import_annotations(other, tmp / fmt / name, fmt)
                imported = time.perf_counter() - start
            finally:
                other.close()
            assert report.instances_imported == instances, (fmt, report)
            print(f"{fmt:20} {exported:9.2f} {imported:9.2f}")
    finally:
        store.close()


def reencode_1080p(seconds: float, tmp: Path) -> None:
    """Make a 1080p variable-rate H.264 clip (30 fps with every 4th second at 10 fps) and re-encode it."""
    src = tmp / "vfr_1080p.mp4"
    select = "if(eq(mod(floor(t),4),3),not(mod(n,3)),1)"
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i",
                    f"testsrc2=size=1920x1080:rate=30:duration={seconds}", "-vf", f"select='{select}'",
                    "-fps_mode", "vfr", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", str(src)],
                   check=True)
    start = time.perf_counter()
    timing = reencode(src, tmp / "out" / "vfr_1080p.mp4")
    secs = time.perf_counter() - start
    print(f"re-encode 1080p: {seconds:g} s of video ({len(timing.times_ms)} frames in, {timing.fps:g} fps out) in "
          f"{secs:.1f} s = {secs * 60 / seconds:.1f} s per minute of video")


def main() -> None:
    """Print the import and export times per format, then the re-encode rate."""
    parser = argparse.ArgumentParser()
    parser.add_argument("train", nargs="?", type=Path, default=DEFAULT_TRAIN)
    parser.add_argument("--reencode-seconds", type=float, default=20.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        formats(args.train, Path(tmp))
        reencode_1080p(args.reencode_seconds, Path(tmp))


if __name__ == "__main__":
    main()
