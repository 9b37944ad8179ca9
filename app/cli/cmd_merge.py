"""`mmad merge`, `mmad agreement` and `mmad finalise`: the merge, its agreement report, and bulk
review from the command line.

See docs/ARCHITECTURE.md, "Merge, cross-check and review". The merge (scipy) and the report
(matplotlib) are imported inside the commands that use them.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.errors import InputError, PermissionDenied
from annotator.model import Role
from annotator.wording import plural
from app.cli.identity import add_as_option, open_store
from app.cli.progress_bar import TerminalProgress

if TYPE_CHECKING:
    from annotator.store.api import StoreAPI
    from merging.merge import MergeOptions

CROSSCHECKS = ("joint", "pairwise")  # merging.crosscheck.CrossCheck values (a test checks they agree)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `merge` and `agreement` to the `mmad` parser."""
    merge = sub.add_parser("merge", help="merge every clip whose annotators are all done",
                           description="EPIC-KITCHENS IoU-agreement merge, tIoU cross-check and majority "
                                       "decisions; resolved decisions are kept, annotators' segments untouched.")
    merge.add_argument("project", type=Path)
    merge.add_argument("--clips", type=_names, default=None, help="comma-separated clip names (default: all)")
    merge.add_argument("--crosscheck", choices=CROSSCHECKS, default=CROSSCHECKS[0],
                       help="joint tIoU |A∩B∩C|/|A∪B∪C| (default) or the smallest pairwise tIoU")
    merge.add_argument("--threshold", type=_unit, default=0.9, help="reliable when tIoU > this (default 0.9)")
    merge.add_argument("--floor", type=_unit, default=0.1, help="never group pairs with tIoU <= this (default 0.1)")
    merge.add_argument("--verbose", action="store_true", help="also name every skipped clip and why")
    add_as_option(merge)
    merge.set_defaults(func=_merge)
    report = sub.add_parser(
        "agreement", help="annotator agreement report (JSON, Markdown, PNG plots)",
        description="Agreement of the annotators of every clip whose annotators are all done (finalised "
                    "clips included), computed on their own segments; the share of reliable instances "
                    "is the cross-check stored by `mmad merge`.")
    report.add_argument("project", type=Path)
    report.add_argument("--json", action="store_true", help="print the report as JSON on stdout")
    report.add_argument("--out", type=Path, default=None, help="folder for agreement.json/.md and plots")
    report.add_argument("--floor", type=_unit, default=0.1,
                        help="grouping floor for the boundary offsets (default 0.1, as `mmad merge`)")
    add_as_option(report)
    report.set_defaults(func=_agreement)
    final = sub.add_parser(
        "finalise", help="accept the majority outcome of open instances and finalise clips (reviewer only)",
        description="For reviewers who trust the majority on easy clips: every open instance of the named "
                    "clips gets its pre-selected majority outcome (as Enter in the review screen), then the "
                    "clip is finalised (as Ctrl+Enter). Each decision is logged under the reviewer's name. "
                    "A clip with an instance that has no majority is left as it was and named.")
    final.add_argument("project", type=Path)
    final.add_argument("clips", nargs="*", metavar="CLIP", help="clip names")
    final.add_argument("--all-reliable", action="store_true",
                       help="every merged clip, not finalised, whose instances are all reliable")
    final.add_argument("--as", dest="user", required=True, metavar="REVIEWER",
                       help="the reviewer deciding (an annotator is refused)")
    final.set_defaults(func=_finalise)


def _names(text: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    if not names:
        raise argparse.ArgumentTypeError("expected one or more clip names separated by commas")
    return names


def _unit(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must lie in [0, 1], got {value}")
    return value


def _options(args: argparse.Namespace) -> MergeOptions:
    from merging.crosscheck import CrossCheck
    from merging.merge import MergeOptions

    return MergeOptions(floor=args.floor, threshold=args.threshold, crosscheck=CrossCheck(args.crosscheck))


def _open_store(args: argparse.Namespace) -> StoreAPI:
    """The project's store as the command's --as user (the project is opened here, not at import)."""
    from annotator.project import Project

    return open_store(Project.open(args.project), args)


def _merge(args: argparse.Namespace) -> int:
    from annotator.project import Project
    from merging.workflow import run_merge, skip_summary

    project = Project.open(args.project)
    store = open_store(project, args)
    bar = TerminalProgress()
    try:
        run = run_merge(store, _options(args), args.clips, bar)
        if run.written or run.stale_resolved:
            project.backup()  # a copy with the merge (docs/ARCHITECTURE.md, "Backups")
    finally:
        bar.close()
        store.close()
    result = run.result
    reliable = int(result.reliable.sum()) if result is not None else 0
    total = len(result.groups) if result is not None else 0
    skipped = skip_summary(run.skipped)
    print(f"merged {plural(run.merged_clips, 'clip')}" + (f", {skipped}" if skipped else "")
          + f": {plural(total, 'instance')}, {reliable:,} reliable, {total - reliable:,} need review; "
          f"{run.written:,} written, {run.kept_resolved:,} resolved kept")
    if result is not None and result.conflicts:
        print(plural(len(result.conflicts), "label conflict"))
    if run.stale_resolved:
        print(f"{plural(len(run.stale_resolved), 'decision')} dropped, their instance changed (back to review; "
              "in the audit log): "
              + ", ".join(map(str, run.stale_resolved)))
    if args.verbose:
        for s in run.skipped:
            print(f"skipped {s.name}: {s.reason}")
    elif run.skipped:
        print("(--verbose names every skipped clip and why)")
    return 0


def _agreement(args: argparse.Namespace) -> int:
    from annotator.output_paths import check_output_folder
    from app.cli.agreement_effect import effect_for_project
    from merging.agreement import agreement
    from merging.merge import MergeOptions, merge_clips
    from merging.proposal_effect import effect_markdown
    from merging.report import report_json, write_report
    from merging.workflow import collect_work

    if args.out is not None:
        check_output_folder(args.out, "agreement folder")
    store = _open_store(args)
    try:
        works, skipped = collect_work(store, include_finalised=True)
        stored = store.merged_by_clip()
        names = {c.id: c.name for c in store.clips()}
        taxonomy = store.taxonomy
        effect = effect_for_project(args.project, store, works)  # None: no proposals stored
    finally:
        store.close()
    if not works:
        print(f"mmad agreement: no clip to compare: none has all its annotators done ({len(skipped):,} not "
              "ready); nothing written", file=sys.stderr)
        return 1
    bar = TerminalProgress()
    try:
        result = merge_clips(works, taxonomy, MergeOptions(floor=args.floor), bar)
    finally:
        bar.close()
    report = agreement(result, taxonomy, stored, names)
    if report.clips_without_stored_merge:
        n = report.clips_without_stored_merge
        print(f"{plural(n, 'compared clip')} {'has' if n == 1 else 'have'} no stored merge (run `mmad merge`); "
              "the reliable share leaves them out", file=sys.stderr)
    if args.out is not None:
        for path in write_report(report, args.out):
            print(f"wrote {path}", file=sys.stderr if args.json else sys.stdout)
    effect_md = "" if effect is None else effect_markdown(effect.rows, effect.name, effect.private_left_out)
    if args.out is not None and effect_md:
        (args.out / "proposal_effect.md").write_text(effect_md, "utf-8")
    if args.json:
        data = report_json(report)
        if effect is not None:
            data["proposal_effect"] = {"model_version": effect.name, "rows": [r.to_json() for r in effect.rows],
                                       "private_proposals_left_out": effect.private_left_out}
        print(json.dumps(data, ensure_ascii=False))
    elif args.out is None:
        o = report.overall
        print(f"{plural(len(works), 'clip')} compared ({len(skipped):,} not ready); "
              + " ".join(f"F1@{t}={v:.3f}" for t, v in o.f1.items() if v is not None))
        print(f"reliable share {_rounded(o.reliable_share)}, Fleiss κ {_rounded(o.fleiss_kappa)}, "
              f"Krippendorff α {_rounded(o.krippendorff_alpha)}")
    if effect_md and not args.json:
        print(effect_md, end="")
    return 0


def _rounded(value: float | None) -> str:
    """A summary figure to three decimals ('n/a' when it cannot be computed)."""
    return "n/a" if value is None else f"{value:.3f}"


def _finalise(args: argparse.Namespace) -> int:
    from merging.finalise import finalise_clips

    if bool(args.clips) == args.all_reliable:
        raise InputError("mmad finalise", None, "name the clips to finalise, or give --all-reliable (not both)")
    store = _open_store(args)
    bar = TerminalProgress()
    try:
        if store.user is not None and store.user.role is not Role.REVIEWER:
            raise PermissionDenied(f"{store.user.name} is an annotator: only a reviewer may finalise clips")
        run = finalise_clips(store, args.clips, reliable=args.all_reliable, progress=bar)
    finally:
        bar.close()
        store.close()
    print(f"finalised {plural(len(run.finalised), 'clip')}, {plural(run.decisions, 'decision')} taken from "
          f"the majority as {args.user}")
    for name in run.already:
        print(f"already finalised: {name}")
    for name, reason in run.skipped:
        print(f"left as it was: {name}: {reason}")
    return 1 if run.skipped and not args.all_reliable else 0
