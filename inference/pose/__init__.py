"""Pose with MediaPipe (no Qt): landmarks per clip, their cache, features and the pose backbone.

skeleton    the 33 landmarks, the limbs between them and the body part each belongs to
model_file  the bundled pose_landmarker_full.task and its digest
extract     landmarks of every frame of a clip (MediaPipe PoseLandmarker, VIDEO mode)
cache       landmarks stored per clip in the project folder, keyed by media and model file
motion      one motion curve per body part, and motion onsets/offsets for snapping
features    per-frame detector features (torso-normalised positions, velocities, head, hands)
backbone    the pose encoder that feeds the ActionFormer head
data        pose training/prediction samples

Only `extract` imports mediapipe and only `backbone` imports torch, so the app can import the
rest at start-up.
"""
