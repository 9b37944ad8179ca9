"""Controllers: the only place Qt signals meet the pure domain."""
