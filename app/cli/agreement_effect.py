"""`mmad agreement`'s comparison of clips with proposals against control clips (reads the store).

Only shared proposals (requested_by NULL: stored by the owner, a reviewer or the model runner)
are compared: every annotator of a clip saw the same ones. An annotator's own model loop stores
proposals only they saw (migration 0006); counting them would hold the other annotators to
proposals never in their lanes, so they are left out and their number is reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from annotator.model import Proposal
from annotator.models_registry import ModelVersion, load_registry
from annotator.proposal_control import control_setting
from annotator.store.api import StoreAPI
from merging.proposal_effect import ConditionRow, proposal_effect, seconds_from_audit
from merging.table import ClipWork

AUDIT_ROWS = 1_000_000  # every assignment change the project ever had


@dataclass(frozen=True, slots=True)
class ProjectEffect:
    """The with/without comparison of the project's shared proposals."""

    version: ModelVersion | None  # the registry's active version, if any
    name: str | None  # the model version compared (None: no shared proposal)
    rows: list[ConditionRow]
    private_left_out: int  # proposals of annotators' own model loops, not compared


def effect_for_project(project: Path, store: StoreAPI, works: Sequence[ClipWork]) -> ProjectEffect | None:
    """The comparison for the project's active model; None when no proposal was ever stored."""
    stored: dict[int, list[Proposal]] = store.proposals_by_clip([w.clip_id for w in works])
    shared = {cid: [p for p in ps if p.requested_by is None] for cid, ps in stored.items()}
    private = sum(len(ps) for ps in stored.values()) - sum(len(ps) for ps in shared.values())
    version = load_registry(project).active_version()
    if not any(shared.values()):
        return ProjectEffect(version, None, [], private) if private else None
    names = {c.id: c.name for c in store.clips()}
    name = version.name if version is not None else max(
        (p for ps in shared.values() for p in ps), key=lambda p: p.id or 0).model_version
    threshold = version.threshold if version is not None else 0.0
    by_clip = {cid: [p for p in ps if p.model_version == name] for cid, ps in shared.items()}
    setting = control_setting(project)
    control = {w.clip_id for w in works if setting.is_control(names[w.clip_id])}
    seconds = seconds_from_audit(store.audit_log(AUDIT_ROWS, entity="assignment"))
    return ProjectEffect(version, name, proposal_effect(works, control, by_clip, threshold, seconds), private)
