"""Video files in and out, with OpenCV (no Qt): everything that opens, decodes or writes a video.

  * capture.py    open a file for reading, with one message for every way that fails
  * probe.py      the one probe: container header only, or every frame counted and its timing checked
  * frames.py     sequential reading (every k-th frame, a range), square crops for the detector
  * keyframes.py  where a clip can be split between two decoders, from the container's packets
  * frame_cache.py, storing.py, decode.py  the player's whole-clip frame cache, its memory
                  pool, and the sequential or split (two-decoder) fill of it
  * recordings.py cutting long recordings into clips, frame-exactly
  * gradient.py   the temporal-gradient view of a frame (what changed since the previous one)

Users: annotator.clips (importing a folder), app.player (the Qt widget shows a FrameCache),
inference.video (the detector's input). None of them opens a video itself.

Why OpenCV and not PyAV. OpenCV (the opencv-contrib-python build mediapipe needs) is the only
FFmpeg in the process. PyAV would replace one workaround: the keyframe scan, which reads the
raw packets through OpenCV's CAP_PROP_FORMAT = -1 mode. But the split decode seeks with
OpenCV's CAP_PROP_POS_FRAMES, so the keyframe indices must be OpenCV's frame numbering and
its seek rule (SEEK_LEAD in keyframes.py); a second demuxer with its own FFmpeg build would
have to agree with OpenCV's on both, and the scan costs only 2-20 ms for 15 s of 1080p.
Decoding itself stays with OpenCV, which decodes straight into the cache's slots
(cap.read(buffer)). So: OpenCV everywhere, no PyAV.
See docs/ARCHITECTURE.md, "Video I/O".
"""

import os

# FFmpeg's own messages ("moov atom not found") would reach the user's terminal beside ours.
# OpenCV reads this once, when its FFmpeg backend starts (the first capture or writer in the
# process), so it is set here, before any module of the package (or annotator.synthetic, which
# writes videos) can touch a video; -8 = AV_LOG_QUIET. Every problem is said once, by the
# InputError naming the file.
os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")
