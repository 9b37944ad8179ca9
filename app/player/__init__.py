"""Frame-exact video player: frame cache, decode worker, frame view, temporal gradient."""
