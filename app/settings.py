"""Remembered choices (QSettings): last project, who you are, cache budget, window layout."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from annotator.media.frame_cache import DEFAULT_BUDGET_BYTES
from app.player.zoom import VideoZoom
from app.timeline.lane_visibility import LaneFilter

ORGANISATION = "MMAD Studio"
APPLICATION = "MMAD Studio"


@dataclass(frozen=True, slots=True)
class ClipPlace:
    """Where a user left a clip: playhead frame, video zoom, timeline's visible frames."""

    frame: int
    zoom: VideoZoom
    span: tuple[float, float] | None = None

    def encoded(self) -> str:
        """One settings value: frame;factor;cx;cy[;x0;x1]."""
        # the zoom exactly (repr: the shortest text that reads back the same float), so a clip reopens as left
        parts = [str(self.frame), *(repr(float(v)) for v in (self.zoom.factor, self.zoom.cx, self.zoom.cy))]
        if self.span is not None:
            parts += [f"{v:.6g}" for v in self.span]
        return ";".join(parts)

    @staticmethod
    def decoded(text: str) -> ClipPlace | None:
        """The place written by `encoded` (None for anything else)."""
        try:
            values = [float(v) for v in text.split(";")]
        except ValueError:
            return None
        if len(values) not in (4, 6) or values[0] < 0:
            return None
        span = (values[4], values[5]) if len(values) == 6 and values[5] > values[4] else None
        return ClipPlace(int(values[0]), VideoZoom(*values[1:4]), span)


class AppSettings:
    """Typed access to the app's QSettings (a custom path keeps tests away from the user's)."""

    def __init__(self, path: str | None = None) -> None:
        if path is None:
            self._qs = QSettings(ORGANISATION, APPLICATION)
        else:
            self._qs = QSettings(path, QSettings.Format.IniFormat)

    def _str(self, key: str) -> str | None:
        value = self._qs.value(key)
        return str(value) if value not in (None, "") else None

    @property
    def last_project(self) -> str | None:
        """Folder of the project opened last."""
        return self._str("project/last")

    @last_project.setter
    def last_project(self, path: str) -> None:
        self._qs.setValue("project/last", path)

    def user_for(self, project: str) -> str | None:
        """Who you were the last time you opened this project."""
        return self._str(f"users/{_key(project)}")

    def set_user_for(self, project: str, user: str) -> None:
        """Remember who you are in this project."""
        self._qs.setValue(f"users/{_key(project)}", user)

    def last_clip(self, project: str, user: str) -> int | None:
        """Id of the clip this user had open when they last closed this project."""
        value = self._str(f"last_clip/{_key(project)}|{user}")
        return int(value) if value is not None and value.isdigit() else None

    def set_last_clip(self, project: str, user: str, clip_id: int) -> None:
        """Remember this user's open clip in this project (each user resumes their own work)."""
        self._qs.setValue(f"last_clip/{_key(project)}|{user}", clip_id)

    def clip_place(self, project: str, user: str, clip_id: int) -> ClipPlace | None:
        """Where this user left this clip (None if never opened)."""
        value = self._str(f"clip_place/{_key(project)}|{user}|{clip_id}")
        return ClipPlace.decoded(value) if value is not None else None

    def set_clip_place(self, project: str, user: str, clip_id: int, place: ClipPlace) -> None:
        """Remember where this user left this clip (frame, video zoom, timeline zoom)."""
        self._qs.setValue(f"clip_place/{_key(project)}|{user}|{clip_id}", place.encoded())

    @property
    def language(self) -> str:
        """The interface language chosen ('system': follow the system's locale)."""
        return self._str("ui/language") or "system"

    @language.setter
    def language(self, value: str) -> None:
        self._qs.setValue("ui/language", value)

    @property
    def cache_budget_bytes(self) -> int:
        """Frame cache memory budget (default 1 GiB)."""
        value = self._qs.value("player/cache_budget_bytes")
        try:
            return max(64 << 20, int(str(value))) if value is not None else DEFAULT_BUDGET_BYTES
        except ValueError:
            return DEFAULT_BUDGET_BYTES

    @cache_budget_bytes.setter
    def cache_budget_bytes(self, value: int) -> None:
        self._qs.setValue("player/cache_budget_bytes", int(value))

    def frame_memory(self, project: str) -> tuple[int, int] | None:
        """(chunk bytes, chunks) of frame memory this project's largest clip needed last time."""
        value = self._str(f"frame_memory/{_key(project)}")
        parts = value.split("x") if value else []
        if len(parts) != 2 or not all(p.isdigit() and int(p) > 0 for p in parts):
            return None
        return int(parts[0]), int(parts[1])

    def set_frame_memory(self, project: str, chunk_bytes: int, chunks: int) -> None:
        """Remember the frame memory to reserve early at this project's next start."""
        self._qs.setValue(f"frame_memory/{_key(project)}", f"{chunk_bytes}x{chunks}")

    def window_state(self) -> tuple[QByteArray | None, QByteArray | None]:
        """Saved geometry and dock state of the main window."""
        geometry = self._qs.value("window/geometry")
        state = self._qs.value("window/state")
        return (geometry if isinstance(geometry, QByteArray) else None,
                state if isinstance(state, QByteArray) else None)

    def save_window_state(self, geometry: QByteArray, state: QByteArray) -> None:
        """Remember the window's geometry and dock layout."""
        self._qs.setValue("window/geometry", geometry)
        self._qs.setValue("window/state", state)

    def splitter_state(self, window_kind: int) -> QByteArray | None:
        """Saved player/timeline split of one window kind."""
        state = self._qs.value(f"window/splitter_{window_kind}")
        return state if isinstance(state, QByteArray) else None

    def save_splitter_state(self, window_kind: int, state: QByteArray) -> None:
        """Remember the player/timeline split of one window kind."""
        self._qs.setValue(f"window/splitter_{window_kind}", state)

    def lane_filter(self, user: str, window_kind: int) -> LaneFilter:
        """The lanes this user hid in this window kind (any project: lanes are named alike)."""
        hidden = self._qs.value(f"lanes/{_key(user)}_{window_kind}/hidden")
        names = [str(n) for n in hidden] if isinstance(hidden, list) else ([str(hidden)] if hidden else [])
        collapse = str(self._qs.value(f"lanes/{_key(user)}_{window_kind}/collapse_empty", "false")).lower() == "true"
        return LaneFilter(frozenset(names), collapse)

    def set_lane_filter(self, user: str, window_kind: int, lane_filter: LaneFilter) -> None:
        """Remember which lanes this user hides in this window kind."""
        self._qs.setValue(f"lanes/{_key(user)}_{window_kind}/hidden", sorted(lane_filter.hidden))
        self._qs.setValue(f"lanes/{_key(user)}_{window_kind}/collapse_empty", lane_filter.collapse_empty)

    def shortcut_overrides(self, window_kind: int) -> dict[str, tuple[str, ...]]:
        """The keys the user chose instead of the defaults, per command, in this window kind."""
        self._qs.beginGroup(f"shortcuts_{window_kind}")
        try:
            out = {}
            for command in self._qs.childKeys():
                value = self._qs.value(command)
                keys = value if isinstance(value, list) else [value] if value else []
                out[command] = tuple(str(k) for k in keys if k)
            return out
        finally:
            self._qs.endGroup()

    def set_shortcut_overrides(self, window_kind: int, overrides: dict[str, tuple[str, ...]]) -> None:
        """Replace the user's chosen keys of this window kind."""
        self._qs.remove(f"shortcuts_{window_kind}")
        for command, keys in overrides.items():
            self._qs.setValue(f"shortcuts_{window_kind}/{command}", list(keys))

    def sync(self) -> None:
        """Write to disk now."""
        self._qs.sync()


def project_folder(path: str) -> str:
    """Canonical form of a project folder for the settings keys."""
    return str(Path(path).resolve())


def _key(project: str) -> str:
    # QSettings treats '/' as a group separator; keep one flat key per project folder.
    return project.replace("/", "|").replace("\\", "|")
