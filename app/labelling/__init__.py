"""Keyboard-first labelling: label picker with type-ahead, shortcut table and sheet."""
