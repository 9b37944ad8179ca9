"""Frame-exact video player widget (Qt): the frame view, the playback clock and the player; frames come from annotator.media."""
