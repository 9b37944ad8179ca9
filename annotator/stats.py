"""Dataset statistics like Table 1 and Figures 3–4 of the MMAD paper, per subset and overall."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.formats.records import InstanceRecord, VideoRecord
from annotator.model import Subset
from annotator.taxonomy import Taxonomy

ALL = "all"
UNASSIGNED = "unassigned"  # videos with no subset yet
SUBSET_ORDER = (Subset.TRAIN.value, Subset.VAL.value, Subset.TEST.value, UNASSIGNED, ALL)


@dataclass(frozen=True, slots=True)
class SubsetStats:
    """The Table 1 columns for one subset (or "all"); durations in seconds."""

    videos: int
    instances: int
    total_duration: float
    avg_video_length: float  # 0.0 when there are no videos
    avg_instance_length: float  # 0.0 when there are no instances
    subjects: int | None  # None when no video has a known subject


@dataclass(frozen=True, slots=True)
class ClassStats:
    """One action's instance count and summed instance duration (s) per subset and "all"."""

    action_id: int
    code: str
    name: str
    body_part: str
    counts: dict[str, int]
    durations: dict[str, float]
    lengths: tuple[float, ...] = field(repr=False)  # every instance length in s, all subsets


@dataclass(frozen=True, slots=True)
class DatasetStats:
    """Statistics of one dataset: rows in SUBSET_ORDER (present subsets only, "all" last)."""

    taxonomy: str
    subsets: dict[str, SubsetStats]
    classes: tuple[ClassStats, ...]


def dataset_statistics(
    videos: Sequence[VideoRecord], instances: Sequence[InstanceRecord], taxonomy: Taxonomy
) -> DatasetStats:
    """Table 1 figures per subset and overall, with per-class counts and durations."""
    by_id = {v.video_id: v for v in videos}
    names = [_subset_name(v) for v in videos]
    present = [s for s in SUBSET_ORDER if s == ALL or s in names]
    lengths: dict[str, list[float]] = {s: [] for s in present}
    counts = {s: [0] * len(taxonomy.actions) for s in present}
    durations = {s: [0.0] * len(taxonomy.actions) for s in present}
    per_class: list[list[float]] = [[] for _ in taxonomy.actions]
    for inst in instances:
        video = by_id.get(inst.video_id)
        if video is None:
            raise ValueError(f"instance of unknown video {inst.video_id!r}")
        taxonomy.action(inst.action_id)  # KeyError for an unknown class
        length = (inst.end_frame - inst.start_frame) / video.fps
        per_class[inst.action_id].append(length)
        for s in (_subset_name(video), ALL):
            lengths[s].append(length)
            counts[s][inst.action_id] += 1
            durations[s][inst.action_id] += length
    rows = {
        s: _subset_row([v for v, n in zip(videos, names, strict=True) if s in (n, ALL)], lengths[s])
        for s in present
    }
    classes = tuple(
        ClassStats(
            a.id,
            a.code,
            a.name,
            a.body_part.name,
            {s: counts[s][a.id] for s in present},
            {s: durations[s][a.id] for s in present},
            tuple(per_class[a.id]),
        )
        for a in taxonomy.actions
    )
    return DatasetStats(taxonomy.name, rows, classes)


def _subset_name(video: VideoRecord) -> str:
    return Subset(video.subset).value if video.subset is not None else UNASSIGNED


def _subset_row(videos: list[VideoRecord], lengths: list[float]) -> SubsetStats:
    total = sum(v.duration for v in videos)
    subjects = {v.subject for v in videos if v.subject is not None}
    return SubsetStats(
        videos=len(videos),
        instances=len(lengths),
        total_duration=total,
        avg_video_length=total / len(videos) if videos else 0.0,
        avg_instance_length=sum(lengths) / len(lengths) if lengths else 0.0,
        subjects=len(subjects) if subjects else None,
    )


def stats_json(stats: DatasetStats) -> dict[str, Any]:
    """A JSON-ready dict: units in key names (seconds), per-subset rows and per-class figures."""
    return {
        "taxonomy": stats.taxonomy,
        "subsets": {
            name: {
                "videos": row.videos,
                "instances": row.instances,
                "total_duration_s": row.total_duration,
                "avg_video_length_s": row.avg_video_length,
                "avg_instance_length_s": row.avg_instance_length,
                "subjects": row.subjects,
            }
            for name, row in stats.subsets.items()
        },
        "classes": [
            {
                "id": c.action_id,
                "code": c.code,
                "name": c.name,
                "body_part": c.body_part,
                "instances": c.counts,
                "duration_s": c.durations,
            }
            for c in stats.classes
        ],
    }


def stats_markdown(stats: DatasetStats) -> str:
    """Table 1 of the MMAD paper as Markdown, then per-class instance counts and durations."""
    lines = [
        f"## Dataset statistics ({stats.taxonomy})",
        "",
        "| Subset | Videos | Instances | Total duration (h) | Avg video length (s) "
        "| Avg instance length (s) | Subjects |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, row in stats.subsets.items():
        subjects = "—" if row.subjects is None else str(row.subjects)
        lines.append(
            f"| {name} | {row.videos:,} | {row.instances:,} | {row.total_duration / 3600:.2f} "
            f"| {row.avg_video_length:.2f} | {row.avg_instance_length:.2f} | {subjects} |"
        )
    names = list(stats.subsets)
    lines += [
        "",
        "### Per class",
        "",
        "| Id | Code | Action | Body part | "
        + " | ".join(f"{n} inst." for n in names)
        + " | Total duration (s) | Mean length (s) |",
        "|---:|---|---|---|" + "---:|" * (len(names) + 2),
    ]
    for c in stats.classes:
        n = c.counts[ALL]
        mean = f"{c.durations[ALL] / n:.2f}" if n else "—"
        lines.append(
            f"| {c.action_id} | {c.code} | {c.name} | {c.body_part} | "
            + " | ".join(f"{c.counts[s]:,}" for s in names)
            + f" | {c.durations[ALL]:.1f} | {mean} |"
        )
    return "\n".join(lines) + "\n"


def write_stats_plots(stats: DatasetStats, out_dir: Path) -> list[Path]:
    """Write instances_per_class.png (Figure 3: instance count per class, stacked by subset)
    and duration_per_class.png (Figure 4: instance lengths per class as box plots)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [
        _plot_counts(stats, out_dir / "instances_per_class.png", plt),
        _plot_durations(stats, out_dir / "duration_per_class.png", plt),
    ]
    return paths


def _labels(stats: DatasetStats) -> list[str]:
    return [f"{c.code}  {c.name}" for c in stats.classes]


def _plot_counts(stats: DatasetStats, path: Path, plt: Any) -> Path:
    n = len(stats.classes)
    fig, ax = plt.subplots(figsize=(9, 2.0 + 0.2 * n))
    parts = [s for s in stats.subsets if s != ALL] or [ALL]
    left = [0] * n
    for subset in parts:
        values = [c.counts[subset] for c in stats.classes]
        ax.barh(range(n), values, left=left, label=subset, height=0.75)
        left = [a + b for a, b in zip(left, values, strict=True)]
    for y, total in enumerate(left):
        ax.text(total, y, f" {total}", va="center", fontsize=7)
    ax.set_yticks(range(n), _labels(stats), fontsize=7)
    ax.set_ylim(n - 0.5, -0.5)  # id 0 at the top
    ax.set_xlabel("instances")
    ax.set_title(f"Instances per action class ({stats.taxonomy})")
    ax.legend(loc="lower right")
    ax.margins(x=0.08)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _plot_durations(stats: DatasetStats, path: Path, plt: Any) -> Path:
    n = len(stats.classes)
    fig, ax = plt.subplots(figsize=(9, 2.0 + 0.2 * n))
    data = [list(c.lengths) or [float("nan")] for c in stats.classes]
    ax.boxplot(
        data,
        orientation="horizontal",
        positions=range(n),
        widths=0.6,
        showfliers=True,
        flierprops={"markersize": 2, "alpha": 0.4},
    )
    means = [c.durations[ALL] / c.counts[ALL] if c.counts[ALL] else float("nan") for c in stats.classes]
    ax.plot(means, range(n), "D", markersize=3, color="tab:red", label="mean")
    ax.set_yticks(range(n), _labels(stats), fontsize=7)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlabel("instance length (s): box = quartiles, line = median, whiskers = 1.5 IQR")
    ax.set_title(f"Instance length per action class ({stats.taxonomy}, all subsets)")
    ax.legend(loc="lower right")
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
