"""Body-part timeline: packed segment lanes, playhead, filmstrip (pyqtgraph)."""
