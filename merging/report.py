"""Writing the agreement report: JSON, Markdown and PNG plots (matplotlib, no GUI backend)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from merging.agreement import F1_THRESHOLDS, AgreementReport, Row

PLOT_METHODS = {
    "offsets.png": "Histograms of signed start and end offsets (frames) of member segments to their "
                   "merged instance, for instances marked by two or more annotators.",
    "class_agreement.png": "Per-class pairwise F1 at tIoU 0.5 (bars) and share of reliable instances "
                           "(dots); classes without segments are left out.",
}


def report_json(report: AgreementReport) -> dict[str, Any]:
    """The report as plain JSON-ready data."""
    return {
        "methods": dict(report.methods),
        "overall": asdict(report.overall),
        "pair_f1": report.pair_f1,
        "per_annotator": [asdict(r) for r in report.per_annotator],
        "per_body_part": [asdict(r) for r in report.per_body_part],
        "per_class": [asdict(r) for r in report.per_class],
        "per_clip": [asdict(r) for r in report.per_clip],
        "clips_without_stored_merge": report.clips_without_stored_merge,
    }


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _table(title: str, rows: list[Row], frames: bool) -> list[str]:
    head = ["name", "segments", "instances", *(f"F1@{t}" for t in F1_THRESHOLDS),
            "start off", "end off", "|start off|", "|end off|", "reliable"]
    if frames:
        head += ["Fleiss κ", "Kripp. α"]
    lines = [f"## {title}", "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        cells = [r.name, str(r.segments), str(r.instances), *(_fmt(r.f1[str(t)]) for t in F1_THRESHOLDS),
                 _fmt(r.start_offset_mean), _fmt(r.end_offset_mean), _fmt(r.start_offset_mean_abs),
                 _fmt(r.end_offset_mean_abs), _fmt(r.reliable_share)]
        if frames:
            cells += [_fmt(r.fleiss_kappa), _fmt(r.krippendorff_alpha)]
        lines.append("| " + " | ".join(cells) + " |")
    return lines + [""]


def report_markdown(report: AgreementReport, max_clips: int = 50) -> str:
    """A readable report; per-clip rows are limited to the `max_clips` least-agreeing clips."""
    worst = sorted(report.per_clip, key=lambda r: (r.f1["0.5"] is None, r.f1["0.5"] or 0.0))[:max_clips]
    lines = ["# Annotator agreement", ""]
    lines += _table("Overall", [report.overall], True)
    lines += ["## Annotator pairs (F1)", "", "| pair | " + " | ".join(f"F1@{t}" for t in F1_THRESHOLDS) + " |",
              "|---|" + "---|" * len(F1_THRESHOLDS)]
    lines += [f"| {k} | " + " | ".join(_fmt(v[str(t)]) for t in F1_THRESHOLDS) + " |"
              for k, v in report.pair_f1.items()] + [""]
    lines += _table("Per annotator", report.per_annotator, False)
    lines += _table("Per body part", report.per_body_part, True)
    lines += _table("Per class", [r for r in report.per_class if r.segments], False)
    lines += _table(f"Least-agreeing clips (by F1@0.5, {len(worst)} of {len(report.per_clip)})", worst, True)
    lines += ["## How each figure is computed", ""]
    lines += [f"- **{k}**: {v}" for k, v in {**report.methods, **PLOT_METHODS}.items()] + [""]
    return "\n".join(lines)


def plot_offsets(report: AgreementReport, path: Path) -> Path:
    """Histograms of start and end offsets."""
    fig = Figure(figsize=(8, 3.2), dpi=100)
    for i, (name, values) in enumerate((("start", report.start_offsets), ("end", report.end_offsets))):
        ax = fig.add_subplot(1, 2, i + 1)
        if len(values):
            lo, hi = int(values.min()), int(values.max())
            ax.hist(values, bins=[b - 0.5 for b in range(lo, hi + 2)], color="#4477aa")
        ax.set_title(f"{name} offset to merged (frames)")
        ax.set_xlabel("frames")
        ax.set_ylabel("segments")
    fig.tight_layout()
    fig.savefig(path)
    return path


def plot_class_agreement(report: AgreementReport, path: Path) -> Path:
    """Per-class F1@0.5 bars with the reliable share as dots."""
    rows = [r for r in report.per_class if r.segments]
    fig = Figure(figsize=(max(6.0, 0.22 * len(rows) + 1), 4), dpi=100)
    ax = fig.add_subplot(1, 1, 1)
    x = np.arange(len(rows))
    ax.bar(x, [r.f1["0.5"] or 0.0 for r in rows], color="#66aa55", label="F1@0.5")
    ax.plot(x, [r.reliable_share or 0.0 for r in rows], "o", color="#cc3311", ms=3, label="reliable share")
    ax.set_xticks(x, [r.name for r in rows], rotation=90, fontsize=6)
    ax.set_ylim(0, 1)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path)
    return path


def write_report(report: AgreementReport, out_dir: Path) -> list[Path]:
    """Write agreement.json, agreement.md and the PNG plots into out_dir."""
    out_dir.mkdir(parents=True, exist_ok=True)
    data = report_json(report)
    data["plots"] = dict(PLOT_METHODS)
    json_path = out_dir / "agreement.json"
    json_path.write_text(json.dumps(data, indent=1, ensure_ascii=False), "utf-8")
    md_path = out_dir / "agreement.md"
    md_path.write_text(report_markdown(report), "utf-8")
    return [json_path, md_path, plot_offsets(report, out_dir / "offsets.png"),
            plot_class_agreement(report, out_dir / "class_agreement.png")]
