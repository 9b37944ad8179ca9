"""The annotation queue in usefulness order when the project asks for it (annotator/queue_order.py)."""

from __future__ import annotations

from pathlib import Path

from annotator.errors import InputError
from annotator.models_registry import load_registry
from annotator.proposal_control import USEFULNESS_ORDER, queue_order
from annotator.queue_order import useful_order
from annotator.store.api import StoreAPI
from app.queue.queue_model import QueueRow


def useful_rows(store: StoreAPI, rows: list[QueueRow], project: Path | None) -> list[QueueRow] | None:
    """The rows most useful first when project.toml says so; None keeps the stored order (the
    setting is off, or project.toml or the registry cannot be read: the queue still opens)."""
    if project is None:
        return None
    try:
        if queue_order(project) != USEFULNESS_ORDER:
            return None
        active = load_registry(project).active_version()
    except InputError:
        return None
    order = useful_order(store, [r.clip for r in rows], None if active is None else active.name)
    position = {clip_id: k for k, clip_id in enumerate(order)}
    return sorted(rows, key=lambda r: position[r.clip.id])
