"""Export from the window (reviewer and owner): split, counts, formats, progress."""
