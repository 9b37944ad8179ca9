"""Class-name lists: the official `label_name.txt` (`id<TAB>name`) and OpenTAD's `category_idx.txt`."""

from __future__ import annotations

from pathlib import Path

from annotator.errors import InputError
from annotator.formats.common import write_text_atomic
from annotator.input_checks import read_text
from annotator.taxonomy import Taxonomy

CATEGORY_IDX = "category_idx.txt"


def read_label_names(path: Path) -> list[str]:
    """Names in id order from `id<TAB>name` lines (CRLF or LF; ids must be 0..n-1 in order)."""
    names: list[str] = []
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        key, sep, name = line.partition("\t")
        if not sep or not name.strip():
            raise InputError(str(path), f"line {number}", f"expected 'id<TAB>name', got {line!r}")
        if key.strip() != str(len(names)):
            raise InputError(
                str(path), f"line {number}", f"id {key.strip()!r} out of order: expected {len(names)}"
            )
        names.append(name.strip())
    return names


def read_category_idx(path: Path) -> list[str]:
    """Names in id order, one per line."""
    return [line.strip() for line in read_text(path).splitlines() if line.strip()]


def write_category_idx(taxonomy: Taxonomy, path: Path) -> Path:
    """One action name per line in id order."""
    return write_text_atomic(path, "".join(f"{name}\n" for name in taxonomy.action_names))
