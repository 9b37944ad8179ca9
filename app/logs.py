"""Logging for the desktop app and the `mmad` command: one rotating file in the app-data folder.

Pure Python (no Qt), so the command line can use it. The desktop app passes the folder Qt's
QStandardPaths gives (AppDataLocation); the command line uses app_data_dir(), the same folder
worked out without Qt, so both write to one log. MMAD_LOG_DIR overrides the folder (tests, CI).
Uncaught exceptions, on the main thread or any other, are logged with their traceback before
Python's own handler runs. See docs/ARCHITECTURE.md, "Logging".
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import threading
from pathlib import Path
from types import TracebackType

APP_NAME = "MMAD Studio"  # QApplication.applicationName(): names Qt's app-data folder too
LOG_FILE = "mmad-studio.log"
LOG_DIR_ENV = "MMAD_LOG_DIR"
MAX_BYTES = 1 << 20  # one file of 1 MiB, then rotated
BACKUPS = 3
# Every process of the OS user writes the one file: each line says which process and project.
FORMAT = "%(asctime)s %(levelname)s [pid %(process)d %(project)s %(threadName)s] %(name)s: %(message)s"

log = logging.getLogger("mmad")
_folder: Path | None = None  # where configure_logging sent the log
_project = "-"  # the project this process works on, on every line (set_project)


def set_project(name: str) -> None:
    """Name the project on every later log line of this process."""
    global _project
    _project = name or "-"


class _ProjectTag(logging.Filter):
    """Adds the process's project to each record (FORMAT's %(project)s)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.project = _project
        return True


def app_data_dir(home: Path | None = None, platform: str = sys.platform,
                 environ: dict[str, str] | None = None) -> Path:
    """The platform's per-user app-data folder for MMAD Studio, as Qt's AppDataLocation names it."""
    env = os.environ if environ is None else environ
    home = Path.home() if home is None else home
    if platform.startswith("win"):
        base = Path(env.get("APPDATA") or home / "AppData" / "Roaming")
    elif platform == "darwin":
        base = home / "Library" / "Application Support"
    else:  # XDG: $XDG_DATA_HOME, else ~/.local/share
        base = Path(env.get("XDG_DATA_HOME") or home / ".local" / "share")
    return base / APP_NAME


def configure_logging(folder: Path | None = None, level: int = logging.INFO) -> Path:
    """Send the root logger to a rotating file in `folder` (MMAD_LOG_DIR wins; default app_data_dir())
    and log uncaught exceptions; returns the folder. Calling it again replaces the file handler."""
    chosen = Path(os.environ.get(LOG_DIR_ENV) or folder or app_data_dir())
    chosen.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_mmad", False)]:
        root.removeHandler(handler)
        handler.close()
    handler = logging.handlers.RotatingFileHandler(chosen / LOG_FILE, maxBytes=MAX_BYTES, backupCount=BACKUPS,
                                                   encoding="utf-8")
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(_ProjectTag())
    handler._mmad = True  # type: ignore[attr-defined]  # ours, to replace on a second call
    root.addHandler(handler)
    root.setLevel(level)
    _install_hooks()
    global _folder
    _folder = chosen
    return chosen


def log_folder() -> Path:
    """The folder the log is written to (configure_logging's, else where it would go)."""
    return _folder or Path(os.environ.get(LOG_DIR_ENV) or app_data_dir())


def _install_hooks() -> None:
    """Log uncaught exceptions (main thread and other threads), then hand them to the previous hook."""
    if getattr(sys.excepthook, "_mmad", False):
        return  # installed already: chaining it to itself would log everything twice
    previous, previous_thread = sys.excepthook, threading.excepthook

    def main_hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        log_uncaught(kind, value, tb)
        previous(kind, value, tb)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        log_uncaught_in_thread(args)
        previous_thread(args)

    main_hook._mmad = True  # type: ignore[attr-defined]
    sys.excepthook = main_hook
    threading.excepthook = thread_hook


def log_uncaught(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    """Log an exception nothing caught, with its traceback (Ctrl+C is not a failure)."""
    if not issubclass(kind, KeyboardInterrupt):
        log.critical("uncaught exception", exc_info=(kind, value, tb))


def log_uncaught_in_thread(args: threading.ExceptHookArgs) -> None:
    """Log an exception that ended a thread, naming the thread."""
    if args.exc_value is not None:
        name = args.thread.name if args.thread is not None else "?"
        log.critical("uncaught exception in thread %s", name,
                     exc_info=(args.exc_type, args.exc_value, args.exc_traceback))
