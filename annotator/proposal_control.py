"""Control clips: a share of the project's clips on which no annotator is shown proposals.

Chosen per clip (a hash of the clip's name and the project's seed), so the three annotators
of a clip are always in the same condition, and the choice never changes when clips are
added. The share lives in project.toml (`[proposals] control_share`, 10 % by default); the
agreement report compares the clips with proposals against these. The same table holds the
optional queue order (`queue_order = "usefulness"`, annotator/queue_order.py).
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli_w

from annotator.errors import InputError
from annotator.project import PROJECT_FILE

DEFAULT_CONTROL_SHARE = 0.1
TABLE = "proposals"
STORED_ORDER, USEFULNESS_ORDER = "stored", "usefulness"
QUEUE_ORDERS = (STORED_ORDER, USEFULNESS_ORDER)


@dataclass(frozen=True, slots=True)
class ControlSetting:
    """Share of clips held back from proposals, and the seed of the per-clip draw."""

    share: float = DEFAULT_CONTROL_SHARE
    seed: int = 0

    def is_control(self, clip_name: str) -> bool:
        """Whether this clip is a control clip (no proposals shown to anyone)."""
        digest = hashlib.sha256(f"{self.seed}:{clip_name}".encode()).digest()
        return int.from_bytes(digest[:8], "big") / 2**64 < self.share


def _table(project: Path) -> tuple[Path, dict[str, Any]]:
    """(project.toml, its [proposals] table, empty when absent)."""
    file = Path(project) / PROJECT_FILE
    try:
        return file, dict(tomllib.loads(file.read_text("utf-8")).get(TABLE, {}))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError(str(file), None, f"cannot read: {exc}") from None


def _store_table(project: Path, values: dict[str, Any]) -> None:
    """Set these keys of [proposals] in project.toml, keeping everything else in it."""
    file = Path(project) / PROJECT_FILE
    data = tomllib.loads(file.read_text("utf-8"))
    data.setdefault(TABLE, {}).update(values)
    file.write_text(tomli_w.dumps(data), "utf-8")


def control_setting(project: Path) -> ControlSetting:
    """The project's setting (the default when project.toml has none)."""
    file, table = _table(project)
    share = table.get("control_share", DEFAULT_CONTROL_SHARE)
    seed = table.get("control_seed", 0)
    if not isinstance(share, int | float) or not 0 <= share <= 1 or not isinstance(seed, int):
        raise InputError(str(file), f"{TABLE}.control_share", "must be a number from 0 to 1 (seed an integer)")
    return ControlSetting(float(share), seed)


def set_control_setting(project: Path, setting: ControlSetting) -> None:
    """Store the share and seed in project.toml, keeping everything else in it."""
    if not 0 <= setting.share <= 1:
        raise InputError("control share", None, f"{setting.share} is not a share from 0 to 1")
    _store_table(project, {"control_share": setting.share, "control_seed": setting.seed})


def queue_order(project: Path) -> str:
    """How annotators' queues are ordered: "stored" (default) or "usefulness" (annotator/queue_order.py)."""
    file, table = _table(project)
    order = table.get("queue_order", STORED_ORDER)
    if order not in QUEUE_ORDERS:
        raise InputError(str(file), f"{TABLE}.queue_order", f"{order!r}: one of {', '.join(QUEUE_ORDERS)}")
    return str(order)


def set_queue_order(project: Path, order: str) -> None:
    """Store the queue order in project.toml."""
    if order not in QUEUE_ORDERS:
        raise InputError("queue order", None, f"{order!r}: one of {', '.join(QUEUE_ORDERS)}")
    _store_table(project, {"queue_order": order})
