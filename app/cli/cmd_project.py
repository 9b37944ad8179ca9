"""`mmad` project subcommands: init, add-user, assign, import-clips, import-annotations, split, export,
upgrade, stats.

The project, the store and the work itself are imported inside the commands, so `mmad --help`
and each command load only what they use (no matplotlib, scipy or torch for these).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.errors import InputError
from annotator.formats import ANNOTATION_FORMATS, IMPORT_FORMATS
from annotator.model import Role, Subset
from annotator.subjects import DEFAULT_SUBJECT_REGEX
from annotator.wording import plural
from app.cli.cmd_team import login_and_password
from app.cli.identity import add_as_option, open_store
from app.cli.parallel import SHARD_HELP, WORKERS_HELP, shard_of_args, workers_of_args
from app.cli.progress_bar import TerminalProgress

if TYPE_CHECKING:
    from annotator.project import Project
    from annotator.store.api import StoreAPI

SOURCE_HELP = ("ground-truth, merged (finalised clips only) or annotator:NAME (clips NAME marked done); "
               "default: merged when the project has finalised clips, else ground-truth")

def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add this module's subcommands to the `mmad` parser."""
    _add(sub, "init", "create a project folder and its database", _init, [
        (("project",), {"help": "project folder"}),
        (("--db",), {"metavar": "URL", "help": "database URL (default: project.sqlite in the folder)"}),
        (("--taxonomy",), {"default": "mma52", "help": "mma52, mma82 or a taxonomy JSON file"}),
        (("--name",), {"help": "project name (default: the folder name)"}),
        (("--insecure",), {"action": "store_true", "help": "PostgreSQL off this machine: allow a connection "
                                                           "without TLS (warned about on every start)"}),
    ])
    _add(sub, "add-user", "add an annotator or reviewer (PostgreSQL: with their database login)", _add_user, [
        (("project",), {}), (("name",), {}),
        (("--role",), {"required": True, "choices": [r.value for r in Role]}),
        (("--login",), {"metavar": "ROLE",
                        "help": "PostgreSQL projects: the user's database login (default: the user name)"}),
        (("--password-prompt",), {"action": "store_true",
                                  "help": "PostgreSQL projects: type the password (default: generate one, shown once)"}),
    ])
    _add(sub, "assign", "put clips in annotators' queues", _assign, [
        (("project",), {}),
        (("--annotators",), {"required": True, "help": "comma-separated user names"}),
        (("--clips",), {"default": "all", "choices": ["all", *[s.value for s in Subset]]}),
    ])
    _add(sub, "import-clips", "import a folder of videos as clips (long recordings are cut)", _import_clips, [
        (("project",), {}), (("video_dir",), {}),
        (("--subject-regex",), {"default": DEFAULT_SUBJECT_REGEX, "metavar": "RE"}),
        (("--max-seconds",), {"type": float, "default": 15.0, "metavar": "S",
                              "help": "cut videos longer than this into clips (default 15)"}),
        (("--min-seconds",), {"type": float, "default": 5.0, "metavar": "S",
                              "help": "shortest clip a cut may make; shorter videos are kept whole, with a warning "
                                      "(default 5)"}),
        (("--accept-damaged",), {"action": "store_true",
                                 "help": "import videos whose frames fall short of what their container declares, "
                                         "marked damaged (default: skip them)"}),
        (("--reencode",), {"action": "store_true",
                           "help": "re-encode variable-frame-rate videos, and those OpenCV cannot decode, to "
                                   "constant-rate H.264 under the media root's reencoded/ folder (FFmpeg from "
                                   "imageio-ffmpeg); the clip remembers the original and its times"}),
        (("--workers",), {"type": int, "default": None, "metavar": "N", "help": WORKERS_HELP}),
        (("--shard",), {"default": "0/1", "metavar": "K/N", "help": SHARD_HELP}),
    ])
    _add(sub, "import-annotations", "import an annotation file", _import_annotations, [
        (("project",), {}), (("file",), {"help": "the file (elan-eaf: a .eaf file or a folder of them)"}),
        (("--format",), {"required": True, "choices": list(IMPORT_FORMATS)}),
        (("--mapping",), {"metavar": "JSON", "help": "ELAN, BORIS, Label Studio: their labels and tier names to "
                                                     'ours, {"actions": {"theirs": "our name or code"}, "tiers": '
                                                     '{"their tier": "body part" or null to skip}}'}),
        (("--subset",), {"choices": [s.value for s in Subset]}),
        (("--subject-regex",), {"default": DEFAULT_SUBJECT_REGEX, "metavar": "RE"}),
        (("--fps",), {"type": float, "metavar": "N", "help": "fps for CSVs without the fps column"}),
    ], who=True)
    _add(sub, "split", "assign whole subjects to train/val/test", _split, [
        (("project",), {}),
        (("--ratios",), {"default": "0.69,0.23,0.08", "help": "train,val,test shares of videos"}),
        (("--seed",), {"type": int, "default": 0, "metavar": "N"}),
        (("--source",), {"default": None, "help": "stratify on the instances mmad export of this source writes; "
                                                  + SOURCE_HELP}),
        (("--replace",), {"action": "store_true",
                          "help": "replace the subsets clips already have (from imported files or an earlier "
                                  "split); without it a project with subsets is left as it is"}),
    ])
    _add(sub, "export", "write annotations, one file per subset plus all", _export, [
        (("project",), {}), (("out_dir",), {}),
        (("--format",), {"required": True, "choices": [*ANNOTATION_FORMATS, "all"],
                          "help": "all: every format, from one read of the project"}),
        (("--source",), {"default": None, "help": SOURCE_HELP}),
        (("--include-unresolved",), {"action": "store_true",
                                     "help": "with --source merged: also merged clips not yet finalised, their "
                                             "undecided instances at the majority outcome (said in the summary "
                                             "and in mmad_export.json)"}),
        (("--original-times",), {"action": "store_true",
                                 "help": "ELAN and BORIS: give clips re-encoded by import-clips --reencode in their "
                                         "original video's times, linking the original"}),
        (("--verbose",), {"action": "store_true",
                          "help": "name every file written (ELAN writes one per clip; without it, one line per "
                                  "folder of them)"}),
    ], epilog="Prints the clips written per subset and those left out, by reason; exits 1, writing nothing, "
              "when nothing is left to export. mmad_export.json beside the files records the same.")
    _add(sub, "upgrade", "bring the project's database to this MMAD Studio's schema (the owner's desktop)",
         _upgrade, [(("project",), {})],
         epilog="Any command the owner runs upgrades it too; on a team (PostgreSQL) project only the owner's "
                "login may, and the others' desktops refuse to open the project until it is done.")
    _add(sub, "stats", "Table-1 statistics per split of exactly what `mmad export` writes", _stats, [
        (("project",), {}),
        (("--source",), {"default": None, "help": SOURCE_HELP}),
        (("--include-unresolved",), {"action": "store_true", "help": "as for mmad export"}),
        (("--json",), {"action": "store_true", "help": "print JSON instead of Markdown"}),
        (("--out",), {"metavar": "DIR", "help": "also write JSON, Markdown and PNG plots here"}),
    ])


def _add(sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str, help_text: str,
         func: Callable[[argparse.Namespace], int], arguments: list[tuple[tuple[str, ...], dict[str, Any]]],
         who: bool = False, epilog: str | None = None) -> None:
    parser = sub.add_parser(name, help=help_text, description=help_text, epilog=epilog)
    for flags, options in arguments:
        parser.add_argument(*flags, **options)
    if name != "init":
        add_as_option(parser)
    if who:
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--ground-truth", action="store_true", help="import as the ground truth")
        group.add_argument("--annotator", metavar="NAME", help="import as this annotator's finished work")
        group.add_argument("--annotators-from-file", action="store_true",
                           help="ELAN, Label Studio: import each annotator the file names as that annotator's "
                                "finished work")
    parser.set_defaults(func=func)


@contextmanager
def _store(args: argparse.Namespace) -> Iterator[tuple[Project, StoreAPI]]:
    from annotator.project import Project

    project = Project.open(args.project)
    store = open_store(project, args)
    try:
        yield project, store
    finally:
        store.close()


@contextmanager
def _bar(lines: bool = False) -> Iterator[TerminalProgress]:
    bar = TerminalProgress(lines=lines)
    try:
        yield bar
    finally:
        bar.close()


def _init(args: argparse.Namespace) -> int:
    from annotator.output_paths import check_output_folder
    from annotator.project import Project

    check_output_folder(args.project, "project folder")

    project = Project.create(args.project, name=args.name, taxonomy=args.taxonomy, db_url=args.db,
                             insecure=args.insecure)
    print(f"created project {project.name!r} in {project.path} ({project.taxonomy.name}, "
          f"{len(project.taxonomy.actions)} actions)")
    return 0


def _add_user(args: argparse.Namespace) -> int:
    with _store(args) as (_, store):
        login, password = login_and_password(store, args)
        user = store.add_annotator(args.name, Role(args.role), login, password)
    print(f"added {user.role.value} {user.name!r}")
    if login is not None and not args.password_prompt:
        print(f"database login {login!r}, password (shown once, stored nowhere): {password}")
    return 0


def _assign(args: argparse.Namespace) -> int:
    names = [n.strip() for n in args.annotators.split(",") if n.strip()]
    if not names:
        raise InputError("--annotators", None, "no annotator names given")
    with _store(args) as (_, store):
        clips = store.clips(None if args.clips == "all" else Subset(args.clips))
        made = store.assign_many([c.id for c in clips], names)
    print(f"assigned {len(clips)} clips to {', '.join(names)} ({made} new assignments)")
    return 0


def _import_clips(args: argparse.Namespace) -> int:
    from annotator.clips import VIDEO_SUFFIXES, import_video_folder

    shard = shard_of_args(args)
    with _store(args) as (project, store), _bar(lines=True) as bar:
        report = import_video_folder(store, project, Path(args.video_dir), subject_regex=args.subject_regex,
                                     min_seconds=args.min_seconds, max_seconds=args.max_seconds,
                                     accept_damaged=args.accept_damaged, reencode_odd=args.reencode, progress=bar,
                                     workers=workers_of_args(args, project.path), shard=shard)
        if report.created or report.attached:
            project.backup()  # a copy with the new clips (docs/ARCHITECTURE.md, "Backups")
    if not (report.created or report.attached or report.skipped or report.other_shards):
        raise InputError(args.video_dir, None, f"no files to import in this folder (videos: "
                                               f"{', '.join(sorted(VIDEO_SUFFIXES))})")
    print("\n".join(report.lines()))
    if report.skipped and not (report.created or report.attached):
        print(f"mmad import-clips: error: {args.video_dir}: every file was skipped ({len(report.skipped):,}); "
              "nothing imported", file=sys.stderr)
        return 2
    return 0


def _import_annotations(args: argparse.Namespace) -> int:
    from annotator.formats import NO_MAPPING, read_label_map
    from annotator.importing import import_annotations, import_annotators_from_file

    mapping = read_label_map(Path(args.mapping)) if args.mapping else NO_MAPPING
    subset = Subset(args.subset) if args.subset else None
    with _store(args) as (project, store), _bar() as bar:
        if args.annotators_from_file:
            reports = import_annotators_from_file(store, Path(args.file), args.format, subset=subset,
                                                  subject_regex=args.subject_regex, mapping=mapping, progress=bar)
        else:
            reports = [import_annotations(
                store, Path(args.file), args.format, annotator=None if args.ground_truth else args.annotator,
                subset=subset, subject_regex=args.subject_regex, fps=args.fps, mapping=mapping, progress=bar)]
        project.backup()  # a copy with what was imported (docs/ARCHITECTURE.md, "Backups")
    print("\n".join(line for report in reports for line in report.lines()))
    return 0


def _parse_ratios(text: str) -> tuple[float, float, float]:
    try:
        values = tuple(float(v) for v in text.split(","))
    except ValueError:
        raise InputError("--ratios", None, f"{text!r} is not three comma-separated numbers") from None
    if len(values) != 3 or any(v < 0 for v in values) or abs(sum(values) - 1.0) > 1e-6:
        raise InputError("--ratios", None, f"{text!r}: need three non-negative shares summing to 1")
    return values[0], values[1], values[2]


def _split(args: argparse.Namespace) -> int:
    from annotator.exporting import split_project

    ratios = _parse_ratios(args.ratios)
    with _store(args) as (_, store):
        placed = Counter(str(c.subset) for c in store.clips() if c.subset is not None)
        if placed and not args.replace:
            have = ", ".join(f"{placed[s.value]:,} {s.value}" for s in Subset if placed[s.value])
            raise InputError(str(args.project), None, f"clips already have subsets ({have}: from imported files or "
                                                      "an earlier split); give --replace to replace them")
        summary = split_project(store, ratios, args.seed, args.source)
    print("\n".join(summary.lines()))
    return 0


def _export(args: argparse.Namespace) -> int:
    from annotator.exporting import (
        check_formats,
        check_split,
        default_source,
        original_clocks,
        select_export,
        write_export,
    )
    from annotator.output_paths import check_output_folder

    formats = check_formats(args.format)
    out_dir = check_output_folder(args.out_dir, "export folder")
    with _store(args) as (project, store), _bar() as bar:
        clips = store.clips()  # read once for the three checks below
        check_split(store, clips)
        selection = select_export(store, args.source or default_source(store, clips),
                                  include_unresolved=args.include_unresolved, clips=clips)
        if selection.empty:
            bar.close()
            print("\n".join(["mmad export: nothing to export, nothing written", *selection.summary_lines()]),
                  file=sys.stderr)
            return 1
        clocks = original_clocks(selection, project.media_dir) if args.original_times else None
        written = write_export(selection, out_dir, formats, store.taxonomy, progress=bar, clocks=clocks)
    print("\n".join(selection.summary_lines()))
    print("\n".join(_written_lines(written, out_dir, args.verbose)))
    return 0


def _written_lines(written: list[Path], out_dir: Path, verbose: bool) -> list[str]:
    """"wrote PATH" for each file in `out_dir` itself; a folder of per-clip files (ELAN) is one line,
    "wrote N files in FOLDER", unless `verbose`."""
    folders: dict[Path, int] = {}
    lines = []
    for path in written:
        if verbose or path.parent == out_dir:
            lines.append(f"wrote {path}")
        else:
            folders[path.parent] = folders.get(path.parent, 0) + 1
    return lines + [f"wrote {plural(n, 'file')} in {folder}" for folder, n in folders.items()]


def _upgrade(args: argparse.Namespace) -> int:
    from annotator.project import Project
    from annotator.store.engine import HEAD_REVISION, make_engine, stored_revision

    project = Project.open(args.project)
    engine = make_engine(project.database_url, project.insecure)
    try:
        before = stored_revision(engine)
    finally:
        engine.dispose()
    store = open_store(project, args)  # opening migrates (refused in one line for a login that may not)
    try:
        team = store.team_mode()
    finally:
        store.close()
    done = "already up to date" if before == HEAD_REVISION else f"upgraded from {before}"
    print(f"project {project.name!r}: database schema at revision {HEAD_REVISION} ({done})")
    if team:  # the owner: member logins made before they existed get their time limits
        from annotator.store.sessions import set_member_time_limits

        count = set_member_time_limits(project.database_url, project.insecure)
        if count is not None:
            print(f"time limits set for {count} member logins")
    return 0


def _stats(args: argparse.Namespace) -> int:
    from annotator import stats as stats_module
    from annotator.exporting import default_source, select_export
    from annotator.output_paths import check_output_folder, make_output_folder

    if args.out:
        check_output_folder(args.out, "stats folder")
    with _store(args) as (project, store):
        clips = store.clips()
        selection = select_export(store, args.source or default_source(store, clips),
                                  include_unresolved=args.include_unresolved, clips=clips)
    aset = selection.annotations
    figures = stats_module.dataset_statistics(list(aset.videos.values()), aset.instances, project.taxonomy)
    as_json = {"export": selection.to_json(), **stats_module.stats_json(figures)}
    json_text = json.dumps(as_json, indent=2, ensure_ascii=False)
    summary = "".join(f"> {line}\n" for line in selection.summary_lines())
    markdown = f"{summary}\n{stats_module.stats_markdown(figures)}"
    sys.stdout.write((json_text if args.json else markdown).rstrip("\n") + "\n")
    if args.out:
        out = make_output_folder(args.out, "stats folder")
        (out / "stats.json").write_text(json_text + "\n", "utf-8")
        (out / "stats.md").write_text(markdown, "utf-8")
        plots = stats_module.write_stats_plots(figures, out) or []
        for path in [out / "stats.json", out / "stats.md", *plots]:  # stdout holds the statistics themselves
            print(f"wrote {path}", file=sys.stderr)
    return 0
