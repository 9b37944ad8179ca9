"""`mmad models`: the project's model registry; list the versions or choose the active one."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from annotator.models_registry import ModelVersion, Registry, Scores, activate, load_registry


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `models` to the `mmad` parser."""
    text = "list the project's trained model versions, or choose the one the app proposes with"
    p = sub.add_parser("models", help=text, description=text)
    p.add_argument("project", help="project folder")
    p.add_argument("--activate", metavar="VERSION", help="a version number (3 or v3) or name (a unique prefix)")
    p.add_argument("--add", metavar="RUN_DIR", help="register a run trained elsewhere (mmad train --data … --out "
                                                     "RUN_DIR): taxonomy checked, evaluated on the project's val/test")
    p.add_argument("--device", default="cpu", choices=("auto", "cpu", "cuda"), help="with --add: where to evaluate")
    p.add_argument("--json", action="store_true", help="print the registry as JSON")
    p.set_defaults(func=_models)


def _pct(scores: Scores | None) -> str:
    return "-" if scores is None else f"{100 * scores.action:.1f}/{100 * scores.body:.1f}/{100 * scores.avg:.1f}"


def version_rows(registry: Registry) -> list[list[str]]:
    """The registry as table rows (header first); mAP in per cent, action/body/AVG."""
    active = registry.active_version()
    rows = [["", "version", "created", "model", "trained on", "data", "val mAP %", "test mAP %", "threshold"]]
    for v in registry.versions:
        rows.append(["*" if v is active else "", v.label, v.created.replace("T", " ")[:16],
                     f"{v.backbone}/{v.adapter}, {v.epochs} ep", training_size(v),
                     f"{v.total_clips} clips, {v.source}, #{v.fingerprint or '?'}",
                     _pct(v.val), _pct(v.test), f"{v.threshold:.2f}"])
    return rows


def training_size(version: ModelVersion) -> str:
    """Training clips and instances of a version ("?" where the registry does not know them)."""
    clips = version.clips.get("train")
    instances = version.instances.get("train")
    return f"{'?' if clips is None else clips} clips / {'?' if instances is None else instances} inst"


def _print_table(rows: list[list[str]]) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


def _models(args: argparse.Namespace) -> int:
    from annotator.project import Project  # here, not at the top: `mmad --help` loads no database code

    project = Project.open(args.project)
    if args.add:
        from app.model_loop.jobs import add_run  # torch: only for --add

        outcome = add_run(project.path, args.add, args.device)
        label = f"v{outcome.version['number']} {outcome.version['name']}"
        print(f"registered {label} from {args.add}" + (" as the active model" if outcome.activated else ", NOT active")
              + f" ({outcome.reason})")
        if not outcome.activated:
            print(f"mmad models {args.project} --activate {outcome.version['number']} makes it active")
        return 0
    if args.activate:
        chosen: ModelVersion = activate(project.path, args.activate)
        print(f"active model: {chosen.label} (proposal threshold {chosen.threshold:.2f}, "
              f"{chosen.threshold_basis})")
        return 0
    registry = load_registry(Path(project.path))
    if args.json:
        active = registry.active_version()
        print(json.dumps({"active": None if active is None else active.number,
                          "versions": [v.to_json() for v in registry.versions]}, indent=1))
        return 0
    if not registry.versions:
        print("no trained model yet (mmad train PROJECT, or the review window's Model ▸ Train a model…)")
        return 0
    _print_table(version_rows(registry))
    print("* active; mAP as action/body/AVG in per cent")
    return 0
