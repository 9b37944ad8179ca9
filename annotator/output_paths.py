"""Where a command writes: output folders and files checked before any work is done or stored.

Every command that writes files (init, export, stats, agreement, train, predict, backup) checks
its output path here first, so a bad path (a file where a folder is wanted, a folder under a
file, a folder the system refuses) is one InputError naming the path, raised before anything
is computed, stored or created (docs/ARCHITECTURE.md, "Bad input").
"""

from __future__ import annotations

import os
from pathlib import Path

from annotator.errors import InputError


def check_output_folder(path: str | Path, what: str = "output folder") -> Path:
    """`path` as a folder that exists or can be made; nothing is created (InputError otherwise)."""
    folder = Path(path)
    if not str(path).strip():
        raise InputError(what, None, "an empty path")
    if folder.exists() and not folder.is_dir():
        raise InputError(str(folder), None, f"is a file, not a folder (the {what})")
    _check_creatable(folder, what)
    return folder


def check_output_file(path: str | Path, what: str = "output file") -> Path:
    """`path` as a file that can be written (its folder exists or can be made); nothing is created."""
    file = Path(path)
    if not str(path).strip():
        raise InputError(what, None, "an empty path")
    if file.is_dir():
        raise InputError(str(file), None, f"is a folder, not a file (the {what})")
    if file.exists() and not os.access(file, os.W_OK):
        raise InputError(str(file), None, f"cannot write the {what}: permission denied")
    _check_creatable(file.parent, what)
    return file


def make_output_folder(path: str | Path, what: str = "output folder") -> Path:
    """Check `path` as check_output_folder does, then make it (and its parents)."""
    folder = check_output_folder(path, what)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(str(folder), None, f"cannot make the {what}: {exc.strerror or exc}") from None
    return folder


def _check_creatable(folder: Path, what: str) -> None:
    """The nearest existing folder above (or at) `folder` is a writable folder, not a file."""
    current = folder.absolute()
    while not current.exists():
        if current.is_symlink():  # a dangling link: mkdir would fail on it
            raise InputError(str(current), None, f"is a broken link (the {what} cannot be made there)")
        current = current.parent
    if not current.is_dir():
        raise InputError(str(current), None, f"is a file, not a folder (the {what} {folder} cannot be made under it)")
    if not os.access(current, os.W_OK | os.X_OK):
        raise InputError(str(current), None, f"cannot write in this folder: permission denied (the {what})")
