"""Find across the project (Ctrl+F): instances by action, body part or annotator; disputed clips."""
