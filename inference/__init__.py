"""The DSTA detector (torch, no Qt, no database): VideoMAE + adapters + ActionFormer head.

configs     ModelConfig / TrainConfig and the presets tiny, vit-s, vit-b, vit-l
video       decoding, sampling, normalisation, windows
backbone    VideoMAE ViT and loading local pretrained weights (VideoMAE / OpenTAD key names)
adapters    standard, TIA, DSTA (paper-count and printed-equation variants)
head        ActionFormer projection, pyramid, heads and target assignment
losses, nms sigmoid focal + DIoU; per-class Gaussian soft-NMS in plain torch
model       Detector (forward, loss, decode) and parameter counts beside MMAD Table 4
data        decoded clips with their instances and training batches
train       the training recipe with checkpoints, resume and early stop
evaluate    Detection-mAP as OpenTAD's mAP.py, action level, body level and AVG
predict     sliding-window prediction to PredictionRecords and store proposals
checkpoint  plain-dict checkpoints loaded with weights_only=True
"""
