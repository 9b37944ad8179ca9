"""The annotator's clip queue."""
