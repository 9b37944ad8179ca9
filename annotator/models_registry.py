"""The project's model registry: every trained detector is a version, one of them active.

Kept as `models/registry.json` in the project folder (written atomically), beside the
versions' checkpoints (`models/<number>/best.pt`). A version's `name` is the string its
proposals carry in the store (`<backbone>-<adapter>@<sha256 prefix>`), so the app can tell
which proposals belong to the active version. Pure: no torch, no Qt (docs/ARCHITECTURE.md).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from annotator.errors import InputError

REGISTRY_DIR = "models"
REGISTRY_FILE = "registry.json"
DEFAULT_THRESHOLD = 0.3  # registry entries written before thresholds were calibrated


@dataclass(frozen=True, slots=True)
class Scores:
    """Detection-mAP (fractions, 0–1) at action and body level and their mean."""

    action: float
    body: float
    avg: float


@dataclass(frozen=True, slots=True)
class ModelVersion:
    """One trained model: when, on which data, what it is, how good, and its proposal threshold."""

    number: int
    name: str  # what its proposals carry as model_version
    created: str  # ISO 8601, UTC
    checkpoint: str  # relative to the project folder
    backbone: str  # "pose", "videomae-tiny", "videomae-vit-s", ...
    adapter: str  # "dsta", "none", ... ("-" for backbones without one)
    source: str  # which stored annotations it was trained on (merged / ground-truth)
    clips: dict[str, int] = field(default_factory=dict)  # per subset
    fingerprint: str = ""  # sha256 prefix of the exported ground truth it saw
    epochs: int = 0
    val: Scores | None = None
    test: Scores | None = None
    threshold: float = DEFAULT_THRESHOLD  # score maximising F1 at tIoU 0.5 on validation (see threshold_basis)
    threshold_f1: float | None = None
    threshold_basis: str = "val F1"  # "train F1" / "at most N a clip" when validation had no hit
    instances: dict[str, int] = field(default_factory=dict)  # per subset (empty: registered before they were kept)

    @property
    def label(self) -> str:
        """Short name for menus: "v3 pose-none@1a2b3c4d"."""
        return f"v{self.number} {self.name}"

    @property
    def total_clips(self) -> int:
        """Clips of every subset it was trained and evaluated on."""
        return sum(self.clips.values())

    def to_json(self) -> dict[str, Any]:
        """Plain data for the registry file and `mmad models --json`."""
        return asdict(self)

    @staticmethod
    def from_json(data: dict[str, Any]) -> ModelVersion:
        """Inverse of to_json."""
        values = dict(data)
        for key in ("val", "test"):
            values[key] = Scores(**values[key]) if values.get(key) else None
        return ModelVersion(**values)


@dataclass(frozen=True, slots=True)
class Registry:
    """All versions of a project, oldest first, and the active one's number (None: none chosen)."""

    versions: tuple[ModelVersion, ...] = ()
    active: int | None = None

    def active_version(self) -> ModelVersion | None:
        """The version the app proposes with: the chosen one, else the newest."""
        if self.active is not None:
            chosen = self.find(str(self.active))
            if chosen is not None:
                return chosen
        return self.versions[-1] if self.versions else None

    def find(self, key: str) -> ModelVersion | None:
        """A version by number ("3" or "v3") or by name (a unique prefix is enough)."""
        key = key.strip()
        digits = key[1:] if key[:1] in ("v", "V") else key
        if digits.isdigit():
            return next((v for v in self.versions if v.number == int(digits)), None)
        hits = [v for v in self.versions if v.name.startswith(key)]
        return hits[0] if len(hits) == 1 else None

    def by_name(self, name: str | None) -> ModelVersion | None:
        """The version whose proposals carry `name`."""
        return next((v for v in self.versions if v.name == name), None)

    def next_number(self) -> int:
        """The number a new version gets."""
        return max((v.number for v in self.versions), default=0) + 1


def registry_path(project: Path) -> Path:
    """Where a project's registry lives."""
    return Path(project) / REGISTRY_DIR / REGISTRY_FILE


def version_dir(project: Path, number: int) -> Path:
    """The folder holding one version's checkpoint and run files."""
    return Path(project) / REGISTRY_DIR / str(number)


def load_registry(project: Path) -> Registry:
    """The project's registry (empty when none was written); InputError names a broken file."""
    path = registry_path(project)
    if not path.is_file():
        return Registry()
    try:
        data = json.loads(path.read_text("utf-8"))
        versions = tuple(ModelVersion.from_json(v) for v in data["versions"])
        active = data.get("active")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(str(path), None, f"not a model registry: {exc}") from None
    return Registry(versions, int(active) if active is not None else None)


def save_registry(project: Path, registry: Registry) -> Path:
    """Write the registry atomically (a crash never leaves half a file)."""
    path = registry_path(project)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"active": registry.active, "versions": [v.to_json() for v in registry.versions]}
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, indent=1), "utf-8")
    os.replace(tmp, path)
    return path


def add_version(project: Path, version: ModelVersion, activate: bool = True) -> Registry:
    """Record a newly trained version (renumbered if the number was taken meanwhile)."""
    registry = load_registry(project)
    if any(v.number == version.number for v in registry.versions):
        version = replace(version, number=registry.next_number())
    updated = Registry((*registry.versions, version), version.number if activate else registry.active)
    save_registry(project, updated)
    return updated


def should_activate(new: ModelVersion, active: ModelVersion | None) -> tuple[bool, str]:
    """Whether a new version replaces the active one: only when its validation AVG mAP is at least
    the active one's (a version without validation figures never replaces one with them)."""
    if active is None:
        return True, "the first version"
    if new.val is None:
        return (active.val is None), (f"no validation figures (the active {active.label} has them)"
                                      if active.val is not None else "neither has validation figures")
    if active.val is None:
        return True, f"the active {active.label} has no validation figures"
    ours, theirs = 100 * new.val.avg, 100 * active.val.avg
    if new.val.avg >= active.val.avg:
        return True, f"val AVG mAP {ours:.2f} % >= {theirs:.2f} % of {active.label}"
    return False, f"val AVG mAP {ours:.2f} % < {theirs:.2f} % of the active {active.label}"


def register_version(project: Path, version: ModelVersion) -> tuple[ModelVersion, bool, str]:
    """Record a new version, made active only when should_activate says so: (entry, active?, why)."""
    registry = load_registry(project)
    current = registry.active_version()
    chosen, why = should_activate(version, current)
    updated = add_version(project, version, activate=chosen)
    if not chosen and current is not None and updated.active is None:  # "none chosen" means the newest
        save_registry(project, replace(updated, active=current.number))
    return updated.versions[-1], chosen, why


def activate(project: Path, key: str) -> ModelVersion:
    """Make a version the active one; InputError when no version matches `key`."""
    registry = load_registry(project)
    chosen = registry.find(key)
    if chosen is None:
        known = ", ".join(v.label for v in registry.versions) or "none (train one first)"
        raise InputError(str(registry_path(project)), f"version {key!r}", f"no such model version; known: {known}")
    save_registry(project, replace(registry, active=chosen.number))
    return chosen
