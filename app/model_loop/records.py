"""The model pipeline's jobs and results as typed records with a JSON form (no Qt, no torch).

A job crosses the process boundary as the JSON of one of these records: the window writes it,
the worker (app/model_loop/worker.py) reads it back and runs app.model_loop.jobs; `mmad train`
and `mmad predict --store` build the same records and call the same functions.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

from annotator.errors import InputError

TRAIN, PROPOSE, POSE = "train", "propose", "pose"
MIN_TRAIN_CLIPS = 5  # fewer training clips than this: a model learns nothing worth proposing
MIN_TRAIN_INSTANCES = 20


def _from_json(cls: Any, data: dict[str, Any], what: str) -> Any:
    """A record from its JSON form; InputError names a missing or unknown field."""
    if not isinstance(data, dict):
        raise InputError(what, None, f"not a JSON object: {data!r}"[:200])
    names = {f.name for f in fields(cls)}
    unknown = sorted(set(data) - names - {"job"})
    if unknown:
        raise InputError(what, unknown[0], "unknown field of the job")
    try:
        return cls(**{k: v for k, v in data.items() if k in names})
    except TypeError as exc:
        raise InputError(what, None, f"incomplete job: {exc}") from None


@dataclass(frozen=True)
class Guards:
    """When a training run is refused (below these) and whether to train anyway."""

    min_train_clips: int = MIN_TRAIN_CLIPS
    min_train_instances: int = MIN_TRAIN_INSTANCES
    need_val: bool = True  # no validation clip: nothing to select the epoch or calibrate on
    train_anyway: bool = False


@dataclass(frozen=True)
class TrainSpec:
    """One training run of a project: data, model choice, schedule, where it goes and how it is guarded."""

    project: str
    source: str | None = None  # None: what `mmad export` writes (finalised merge once any clip is final)
    backbone: str = "pose"  # registry name: pose | videomae-tiny | videomae-vit-s | videomae-vit-b | videomae-vit-l
    adapter: str = "dsta"
    recipe: str | None = None
    dsta_variant: str = "paper-count"
    pyramid: str = "transformer"
    window: int | None = None
    pretrained: str | None = None
    random_backbone: bool = False
    epochs: int = 10
    batch_size: int = 2
    lr: float | None = None
    seed: int = 0
    device: str = "cpu"
    workers: int = 0
    cache_dir: str | None = None  # frame cache for RGB runs (None: decode into memory)
    number: int | None = None  # version number (None: the registry's next)
    out: str | None = None  # run folder (None: the version's folder in the project)
    resume: bool = False  # continue the run folder's last.pt; False starts afresh
    guards: Guards = field(default_factory=Guards)

    def to_json(self) -> dict[str, Any]:
        """Plain data, with "job": "train"."""
        return {"job": TRAIN, **asdict(self)}

    @staticmethod
    def from_json(data: dict[str, Any]) -> TrainSpec:
        """Inverse of to_json."""
        values = dict(data)
        values["guards"] = _from_json(Guards, values.get("guards") or {}, "guards")
        spec: TrainSpec = _from_json(TrainSpec, values, "train job")
        return spec


@dataclass(frozen=True)
class ClipRef:
    """A clip to propose for, as a worker needs it (no store access there)."""

    id: int
    name: str
    fps: float
    frame_count: int
    media: str


@dataclass(frozen=True)
class ProposeSpec:
    """Propose with one version's checkpoint for some clips."""

    version: str  # the name its proposals carry
    checkpoint: str
    clips: tuple[ClipRef, ...]
    device: str = "cpu"
    project: str | None = None  # keeps the pose landmarks (PROJECT/pose)

    def to_json(self) -> dict[str, Any]:
        """Plain data, with "job": "propose"."""
        return {"job": PROPOSE, **asdict(self)}

    @staticmethod
    def from_json(data: dict[str, Any]) -> ProposeSpec:
        """Inverse of to_json."""
        values = dict(data)
        values["clips"] = tuple(_from_json(ClipRef, c, "clip") for c in values.get("clips", ()))
        spec: ProposeSpec = _from_json(ProposeSpec, values, "propose job")
        return spec


@dataclass(frozen=True)
class PoseSpec:
    """Extract the pose landmarks of some clips into the cache (the window reads them from there)."""

    cache_dir: str  # the project folder (its pose/ folder keeps the landmarks)
    clips: tuple[tuple[str, str], ...]  # (clip name, media file)
    model: str | None = None  # None: the bundled pose model
    niceness: int = 0  # the worker lowers its CPU priority by this much first
    keep_going: bool = False  # a clip that fails is reported in the result and the others go on

    def to_json(self) -> dict[str, Any]:
        """Plain data, with "job": "pose"."""
        return {"job": POSE, **asdict(self)}

    @staticmethod
    def from_json(data: dict[str, Any]) -> PoseSpec:
        """Inverse of to_json."""
        values = dict(data)
        try:
            values["clips"] = tuple((str(name), str(media)) for name, media in values.get("clips", ()))
        except (TypeError, ValueError):
            raise InputError("pose job", "clips", "each clip must be [name, media file]") from None
        spec: PoseSpec = _from_json(PoseSpec, values, "pose job")
        return spec


Row = tuple[int, int, int, float]  # start frame, end frame, action, score


@dataclass(frozen=True)
class ProposeResult:
    """Proposals per clip id, best first, as (start, end, action, score) rows."""

    version: str
    proposals: dict[int, list[Row]]
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        """Plain data (clip ids as strings, JSON's keys)."""
        return {"version": self.version, "seconds": self.seconds,
                "proposals": {str(k): [list(r) for r in rows] for k, rows in self.proposals.items()}}

    @staticmethod
    def from_json(data: dict[str, Any]) -> ProposeResult:
        """Inverse of to_json."""
        rows = {int(k): [(int(s), int(e), int(a), float(p)) for s, e, a, p in v]
                for k, v in data["proposals"].items()}
        return ProposeResult(str(data["version"]), rows, float(data.get("seconds", 0.0)))


@dataclass(frozen=True)
class TrainOutcome:
    """A finished run: its registry entry, whether it became active, and why not."""

    version: dict[str, Any]  # ModelVersion.to_json()
    activated: bool
    reason: str  # one line: why it is (not) the active version
    epochs_run: int = 0
    stopped_early: bool = False

    def to_json(self) -> dict[str, Any]:
        """Plain data."""
        return asdict(self)

    @staticmethod
    def from_json(data: dict[str, Any]) -> TrainOutcome:
        """Inverse of to_json."""
        outcome: TrainOutcome = _from_json(TrainOutcome, data, "train result")
        return outcome
