"""The senior reviewer's screen: stacked annotator lanes, the merged lane, one-key decisions."""
