"""Help → About: what this is and the versions it runs on."""

from __future__ import annotations

import platform
from importlib import metadata

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import qVersion

from app.i18n import tr

LIBRARIES = ("numpy", "pyqtgraph", "SQLAlchemy", "scipy")


def versions() -> list[tuple[str, str]]:
    """(name, version) of MMAD Studio, Python, Qt, PySide6 and the main libraries."""
    rows = [("MMAD Studio", _version("mmad-studio")), ("Python", platform.python_version()),
            ("Qt", qVersion()), ("PySide6", pyside_version)]
    rows += [(name, _version(name)) for name in LIBRARIES]
    import cv2  # imported here: only the About box needs its version, whichever wheel provides it

    rows.append(("OpenCV", str(cv2.__version__)))
    return rows


def about_html() -> str:
    """The About box's text."""
    table = "".join(f"<tr><td>{name}</td><td><b>{ver}</b></td></tr>" for name, ver in versions())
    what = tr("Help", "Multi-label micro-action detection datasets: blind annotation by three annotators, "
                      "EPIC-KITCHENS IoU merge with a cross-check, senior review, and subject-disjoint export "
                      "(MMA-52 CSV, OpenTAD, PointTAD).")
    icons = tr("Help", "icons drawn for the project")
    return (f"<h3>MMAD Studio</h3><p>{what}</p><table cellspacing='4'>{table}</table>"
            f"<p style='color:#8a919c'>{platform.system()} {platform.release()} · {icons}</p>")


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return tr("Help", "not installed")
