"""`mmad agreement`'s comparison of clips with proposals against control clips (reads the store)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from annotator.model import Proposal
from annotator.models_registry import ModelVersion, load_registry
from annotator.proposal_control import control_setting
from annotator.store.api import StoreAPI
from merging.proposal_effect import ConditionRow, proposal_effect, seconds_from_audit
from merging.table import ClipWork

AUDIT_ROWS = 1_000_000  # every assignment change the project ever had


def effect_for_project(project: Path, store: StoreAPI, works: Sequence[ClipWork]
                       ) -> tuple[ModelVersion | None, str, list[ConditionRow]] | None:
    """(active version, its name, rows) for the project's active model; None when no proposal was ever stored."""
    version = load_registry(project).active_version()
    names = {c.id: c.name for c in store.clips()}
    stored: dict[int, list[Proposal]] = {w.clip_id: store.proposals(w.clip_id) for w in works}
    if not any(stored.values()):
        return None
    name = version.name if version is not None else max(
        (p for ps in stored.values() for p in ps), key=lambda p: p.id or 0).model_version
    threshold = version.threshold if version is not None else 0.0
    by_clip = {cid: [p for p in ps if p.model_version == name] for cid, ps in stored.items()}
    setting = control_setting(project)
    control = {w.clip_id for w in works if setting.is_control(names[w.clip_id])}
    seconds = seconds_from_audit(store.audit_log(AUDIT_ROWS, entity="assignment"))
    return version, name, proposal_effect(works, control, by_clip, threshold, seconds)
