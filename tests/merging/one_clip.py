"""The merge of one clip, for tests that build a clip's work by hand."""

from __future__ import annotations

from annotator.taxonomy import Taxonomy
from merging.merge import MergeOptions, ProjectMerge, merge_clips
from merging.table import ClipWork


def merge_clip(work: ClipWork, taxonomy: Taxonomy, options: MergeOptions = MergeOptions()) -> ProjectMerge:
    """Merge one clip (the same code path as a whole project)."""
    return merge_clips([work], taxonomy, options)
