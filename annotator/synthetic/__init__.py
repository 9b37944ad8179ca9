"""Synthetic micro-action clips with exact ground truth, and simulated annotators."""
