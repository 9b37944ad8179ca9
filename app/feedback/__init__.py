"""What annotators learn from the review: the final result beside their work."""
