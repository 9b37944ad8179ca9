"""Keys of a training run's history records (history.json, the progress line, the app's curves).

Validation figures are in per cent everywhere, and the keys say so. No torch here: the app's
training window reads these records without loading the detector.
"""

VAL_ACTION_MAP = "val_action_mAP_percent"  # action-level average mAP over tIoU 0.1-0.9, per cent
VAL_BODY_MAP = "val_body_mAP_percent"  # body-level average mAP, per cent
VAL_ACTION_MAP_05 = "val_action_mAP@0.5_percent"  # action-level mAP at tIoU 0.5, per cent
