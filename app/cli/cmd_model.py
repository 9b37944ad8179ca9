"""`mmad` detector subcommands: train, eval, predict, model-info.

torch, numpy and the project are imported inside the command functions only, so `mmad --help`
and the desktop app start without them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.errors import InputError
from annotator.formats import read_annotations, read_predictions, write_predictions
from annotator.formats.common import load_json
from annotator.formats.records import AnnotationSet, PredictionRecord
from annotator.model import Subset
from annotator.progress import no_progress
from annotator.taxonomy import Taxonomy, load_taxonomy
from annotator.wording import plural
from app.cli.identity import add_as_option, open_store
from app.cli.parallel import add_parallel_options, describe, shard_of_args, workers_of_args
from app.cli.progress_bar import TerminalProgress
from app.model_loop.records import MIN_TRAIN_CLIPS, MIN_TRAIN_INSTANCES

if TYPE_CHECKING:
    from annotator.project import Project
    from annotator.shards import Shard

# Kept here, not imported from inference.evaluate / inference.predict (numpy, torch), for --help;
# tests check they agree with those modules.
RESULT_CAP = 8000  # detections per video in result files, as OpenTAD's max_seg_num for multi-label sets
PROPOSAL_CAP = 100  # proposals stored per clip (app.model_loop.proposing.PROPOSALS, shared with the app)
BODY_RULES = ("action", "nms")
BODY_RULE_HELP = (
    "how body-level detections are made: 'action' (default, the MMAD paper's Table 3 as we read it): "
    "every action detection becomes a detection of its body part with the same score, nothing suppressed; "
    "'nms': the same, then per-body-part Gaussian soft-NMS in each video. Ground truth is filtered as "
    "OpenTAD does (zero-length instances and repeats of one label within 1e-3 s dropped, at each level), "
    "detections are ranked by OpenTAD's own sort (ties fall as there), at most 8000 per video are "
    "evaluated; the JSON reports the rule, the cap and what was dropped.")

CONFIGS = ("tiny", "vit-s", "vit-b", "vit-l")
RECIPES = ("adatad", "plain")
ADAPTERS = ("dsta", "tia", "standard", "none", "full")
PYRAMIDS = ("transformer", "convformer", "conv")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add train, eval, predict and model-info to the `mmad` parser."""
    p = _parser(sub, "train", "train the DSTA detector on a project or an OpenTAD JSON + videos", _train)
    add_as_option(p)
    p.add_argument("project", nargs="?", help="project folder (trains on its stored train/val split)")
    p.add_argument("--data", metavar="OPENTAD_JSON", help="OpenTAD JSON instead of a project")
    p.add_argument("--videos", metavar="DIR", help="folder of <video_id>.mp4 files (with --data)")
    p.add_argument("--out", metavar="RUN_DIR", help="run folder, resumed when it holds last.pt (needed with --data; "
                                                   "with a PROJECT the new version's folder by default)")
    p.add_argument("--backbone", default="videomae", choices=("videomae", "pose"),
                   help="videomae: RGB frames (--config, --adapter); pose: MediaPipe landmarks, "
                        "cached in the project (or RUN_DIR/pose), trains in minutes on a CPU")
    p.add_argument("--config", default="vit-s", choices=CONFIGS)
    p.add_argument("--adapter", default="dsta", choices=ADAPTERS)
    p.add_argument("--dsta-variant", default="paper-count", choices=("paper-count", "printed"))
    p.add_argument("--pyramid", default="transformer", choices=PYRAMIDS,
                   help="the head's pyramid for --backbone videomae: ActionFormer's local attention, its "
                        "block with a depth-wise convolution in place of attention (convformer, cheaper), "
                        "or 1-D convolutions (conv: resumes runs started before the transformer existed)")
    p.add_argument("--pretrained", metavar="FILE", help="local VideoMAE checkpoint: official, OpenTAD/AdaTAD, "
                                                       "or Hugging Face (.bin or .safetensors); never downloaded; "
                                                       "needed by vit-* adapter runs")
    p.add_argument("--random-backbone", action="store_true",
                   help="train a vit-* adapter run on a random frozen ViT (without --pretrained) on purpose")
    p.add_argument("--window", type=int, default=None, metavar="FRAMES",
                   help="sampled frames per window (default for vit-*: fitted to the longest clip at stride 4)")
    p.add_argument("--recipe", default=None, choices=RECIPES,
                   help="adatad: OpenTAD's AdaTAD settings (default for vit-*); plain: every frame, 256-d head, "
                        "local attention, one lr, no augmentation (default for tiny, cheaper on a CPU)")
    p.add_argument("--epochs", type=int, default=30, metavar="N")
    p.add_argument("--batch-size", type=int, default=2, metavar="N", help="per process")
    p.add_argument("--lr", type=float, default=None, help="head learning rate (recipe default: adatad 1e-4, "
                                                          "plain 2e-4)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
    p.add_argument("--cache", metavar="DIR", default=None,
                   help="frame cache: each video decoded once per sampling (default RUN_DIR/frame_cache; "
                        "share one folder between runs)")
    p.add_argument("--no-cache", action="store_true", help="decode into memory (or per window) instead")
    p.add_argument("--workers", type=int, default=2, metavar="N", help="DataLoader worker processes")
    p.add_argument("--nproc", type=int, default=1, metavar="N",
                   help="processes (one per GPU), started through torchrun")
    p.add_argument("--taxonomy", default=None, help="with --data: mma52, mma82 or a taxonomy JSON (default mma52)")
    p.add_argument("--source", default=None, help="with a project: merged or ground-truth (default: what mmad export "
                                                  "writes, the finalised merge once any clip is final)")
    p.add_argument("--min-train-clips", type=int, default=MIN_TRAIN_CLIPS, metavar="N",
                   help=f"with a project: refuse fewer training clips (default {MIN_TRAIN_CLIPS})")
    p.add_argument("--min-train-instances", type=int, default=MIN_TRAIN_INSTANCES, metavar="N",
                   help=f"with a project: refuse fewer training instances (default {MIN_TRAIN_INSTANCES})")
    p.add_argument("--train-anyway", action="store_true",
                   help="with a project: train although the data is below those minimums or has no val clips")

    p = _parser(sub, "eval", "Detection-mAP of predictions against ground truth (action, body, AVG)", _eval)
    p.add_argument("ground_truth", help="official CSV or OpenTAD JSON")
    p.add_argument("predictions", help="OpenTAD result JSON or challenge submission CSV")
    p.add_argument("--taxonomy", default="mma52", help="mma52, mma82 or a taxonomy JSON")
    p.add_argument("--subset", default=None, choices=[s.value for s in Subset],
                   help="evaluate only the ground truth of this subset")
    p.add_argument("--fps", type=float, default=None, metavar="N",
                   help="frame rate for ground-truth files that do not carry one")
    p.add_argument("--body-rule", default=BODY_RULES[0], choices=BODY_RULES, help=BODY_RULE_HELP)
    p.add_argument("--json", action="store_true", help="print JSON with per-class AP")

    p = _parser(sub, "predict", "detect micro-actions in a project's clips or in video files", _predict)
    add_as_option(p)
    p.add_argument("inputs", nargs="+", metavar="PROJECT|VIDEO")
    p.add_argument("--checkpoint", required=True, metavar="FILE")
    p.add_argument("--out", metavar="FILE", help="write predictions (.json: OpenTAD results, .csv: submission), "
                                                 f"at most {RESULT_CAP} per video as OpenTAD's result files")
    p.add_argument("--store", action="store_true",
                   help=f"store the model version's proposals as the app's Propose does (the best {PROPOSAL_CAP} "
                        "per clip at least 0.2 s long), replacing its pending ones (decided ones stay): "
                        "predicting twice changes nothing")
    p.add_argument("--subset", default=None, choices=[s.value for s in Subset])
    p.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
    add_parallel_options(p)  # --workers defaults to 1 on a GPU

    p = _parser(sub, "model-info", "parameter counts beside the MMAD paper's Table 4", _model_info)
    p.add_argument("--config", default="vit-s", choices=CONFIGS)
    p.add_argument("--recipe", default=None, choices=RECIPES, help="default: adatad for vit-*, plain for tiny")
    p.add_argument("--adapter", default="dsta", choices=ADAPTERS)
    p.add_argument("--dsta-variant", default="paper-count", choices=("paper-count", "printed"))
    p.add_argument("--num-classes", type=int, default=52, metavar="N")
    p.add_argument("--json", action="store_true")


def _parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str, help_text: str,
            func: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = sub.add_parser(name, help=help_text, description=help_text)
    parser.set_defaults(func=func)
    return parser


def _annotation_format(path: Path) -> str:
    if path.suffix.lower() == ".csv":
        return "mma52-csv"
    if path.suffix.lower() == ".json":
        try:
            head = load_json(path)
        except InputError:
            return "opentad-json"  # the reader gives the precise message
        return "opentad-json" if isinstance(head, dict) and "database" in head else "pointtad-json"
    raise InputError(str(path), None, "ground truth must be an official CSV (.csv) or an OpenTAD JSON (.json)")


def _prediction_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "submission-csv"
    if suffix == ".json":
        return "opentad-results"
    raise InputError(str(path), None, "predictions must be an OpenTAD result JSON (.json) or a submission CSV (.csv)")


# ----------------------------------------------------------------------------------- model-info

def _model_info(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from inference.configs import TrainConfig, preset
    from inference.model import MIB, PAPER_TABLE4, Detector, count_parameters
    from inference.recipe import apply_recipe, default_recipe

    config = preset(args.config, args.adapter, num_classes=args.num_classes)
    config = replace(config, adapter=replace(config.adapter, dsta_variant=args.dsta_variant))
    config, _ = apply_recipe(args.recipe or default_recipe(args.config), config, TrainConfig())
    counts = count_parameters(Detector(config))
    paper = PAPER_TABLE4.get(args.adapter) if args.config == "vit-s" else None
    info: dict[str, Any] = {"config": args.config, "adapter": args.adapter, "counts": counts,
                            "counts_mib": {k: round(v / MIB, 3) for k, v in counts.items()},
                            "paper_table4_mib": paper}
    if args.adapter == "dsta":
        info["dsta_variant"] = args.dsta_variant
    if args.json:
        print(json.dumps(info, indent=1))
        return 0
    variant = f" ({args.dsta_variant} variant)" if args.adapter == "dsta" else ""
    print(f"config {args.config}, adapter {args.adapter}{variant}; M = 2^20 parameters, as the MMAD paper counts")
    tuned = counts["trainable_backbone"]
    rows = [("backbone (VideoMAE, without adapters)", counts["backbone"]), ("adapters", counts["adapters"]),
            ("head (ActionFormer)", counts["head"]), ("total", counts["total"]),
            ("trainable (adapters or backbone + head)", counts["trainable"]),
            ("tuned in the backbone (Table 4's figure)", tuned)]
    for label, n in rows:
        print(f"  {label:<42}{n / MIB:8.2f}M  ({n:,})")
    if paper is not None:
        print(f"  MMAD paper Table 4 (VideoMAE-S, {args.adapter}): {paper:.2f}M; ours {tuned / MIB:.2f}M")
    return 0


# ----------------------------------------------------------------------------------------- eval

def _eval(args: argparse.Namespace) -> int:
    from inference.evaluate import evaluate, ground_truth_seconds

    taxonomy = load_taxonomy(args.taxonomy)
    gt_path, pred_path = Path(args.ground_truth), Path(args.predictions)
    aset = read_annotations(gt_path, _annotation_format(gt_path), taxonomy, fps=args.fps)
    if args.subset:
        aset = _only_subset(aset, args.subset)
    preds = read_predictions(pred_path, _prediction_format(pred_path), taxonomy)
    report = evaluate(ground_truth_seconds(aset), preds, taxonomy, body_rule=args.body_rule, cap=RESULT_CAP)
    if args.json:
        print(json.dumps(report.to_json(), indent=1))
    else:
        print(f"Detection-mAP (%) of {pred_path.name} on {gt_path.name}, {len(aset.videos)} videos")
        print(report.table())
    return 0


def _only_subset(aset: AnnotationSet, subset: str) -> AnnotationSet:
    videos = {k: v for k, v in aset.videos.items() if v.subset == subset}
    return AnnotationSet(videos=videos, instances=[i for i in aset.instances if i.video_id in videos])


# ---------------------------------------------------------------------------------------- train

def _is_project(path: str) -> bool:
    from annotator.project import PROJECT_FILE

    return (Path(path) / PROJECT_FILE).is_file()


def _open_project(path: str) -> Project:
    from annotator.project import Project

    return Project.open(path)


def _train(args: argparse.Namespace) -> int:
    if args.nproc > 1:
        return _torchrun(args.nproc, args.argv)
    from annotator.output_paths import check_output_folder

    if args.project and args.data:
        raise InputError("mmad train", None, "give a PROJECT or --data, not both")
    if args.out:
        check_output_folder(args.out, "run folder")
    if args.cache and not args.no_cache:
        check_output_folder(args.cache, "frame cache folder")
    if args.project:
        return _train_project(args)
    if not (args.data and args.videos):
        raise InputError("mmad train", None, "give a PROJECT, or --data OPENTAD_JSON with --videos DIR")
    if not args.out:
        raise InputError("mmad train", "--out", "a run on --data needs a run folder (--out RUN_DIR)")
    return _train_files(args)


def _choice_fields(args: argparse.Namespace) -> dict[str, Any]:
    return {"adapter": args.adapter, "recipe": args.recipe, "dsta_variant": args.dsta_variant,
            "pyramid": args.pyramid, "window": args.window, "pretrained": args.pretrained,
            "random_backbone": args.random_backbone}


def _train_project(args: argparse.Namespace) -> int:
    """Train a version of the project, as the window's Train dialog does, and register it."""
    from app.model_loop.jobs import backbone_name, train_version
    from app.model_loop.records import Guards, TrainSpec
    from inference.distributed import current

    _open_project(args.project)  # a clear message for a folder that is not a project
    backbone = backbone_name(args.backbone, args.config)
    spec = TrainSpec(project=args.project, source=args.source, backbone=backbone, epochs=args.epochs,
                     batch_size=args.batch_size, lr=args.lr, seed=args.seed, device=args.device,
                     workers=args.workers, out=args.out, resume=args.out is not None,  # RUN_DIR: resumed
                     cache_dir=None if args.no_cache or args.backbone == "pose" else (args.cache or None),
                     guards=Guards(args.min_train_clips, args.min_train_instances, True, args.train_anyway),
                     **_choice_fields(args))
    main = current(args.device).is_main
    bar = TerminalProgress(lines=True) if main else None  # a long command: one line per step in a log
    try:
        outcome = train_version(spec, bar if bar is not None else no_progress,
                                say=(lambda line: print(line, flush=True)) if main else (lambda _l: None))
    finally:
        if bar is not None:
            bar.close()
    if not main:
        return 0
    entry = outcome.version
    val = entry.get("val")
    print(f"trained {outcome.epochs_run} epochs" + (", stopped early" if outcome.stopped_early else "")
          + (f"; validation mAP action/body/AVG {100 * val['action']:.2f}/{100 * val['body']:.2f}/"
             f"{100 * val['avg']:.2f} %" if val else "; no validation clips"))
    label = f"v{entry['number']} {entry['name']}"
    if outcome.activated:
        print(f"registered {label} as the active model ({outcome.reason})")
    else:
        print(f"registered {label}, NOT active: {outcome.reason}; "
              f"mmad models {args.project} --activate {entry['number']} makes it active")
    return 0


def _train_files(args: argparse.Namespace) -> int:
    """Train on an OpenTAD JSON and its videos into --out (registered later with mmad models --add)."""
    from app.model_loop.jobs import write_run_data
    from inference.data import find_videos, load_samples
    from inference.distributed import current, main_first
    from inference.recipe import ModelChoice, schedule, training_configs
    from inference.train import train

    taxonomy = load_taxonomy(args.taxonomy or "mma52")
    aset = read_annotations(Path(args.data), "opentad-json", taxonomy)
    videos = find_videos(list(aset.videos), args.videos)
    train_ids = [v for v, rec in aset.videos.items() if rec.subset == "train"]
    val_ids = [v for v, rec in aset.videos.items() if rec.subset == "val"]
    if not train_ids:
        raise InputError(args.data, "subset", "no training videos (run mmad split first)")
    choice = ModelChoice(backbone=args.backbone, config=args.config, **_choice_fields(args))
    longest = max((aset.videos[v].total_frames for v in aset.videos), default=0)
    base = schedule(args.epochs, args.batch_size, args.seed, args.workers)  # as a project run's (jobs.prepare)
    config, train_config = training_configs(choice, len(taxonomy.actions), base, longest, args.lr)
    cache = None if args.no_cache else Path(args.cache or Path(args.out) / "frame_cache")
    dist = current(args.device)
    bar = TerminalProgress(lines=True) if dist.is_main else None  # a long command: one line per step in a log
    progress = bar if bar is not None else no_progress
    try:
        with main_first(dist):  # rank 0 fills the frame cache, the others then read it
            if args.backbone == "pose":
                from inference.pose.data import load_pose_samples

                train_samples = load_pose_samples(aset, videos, config, train_ids, Path(args.out), progress=progress)
                val_samples = load_pose_samples(aset, videos, config, val_ids, Path(args.out), progress=progress)
            else:
                train_samples = load_samples(aset, videos, config, train_ids, progress=progress, cache_dir=cache,
                                             training=train_config.augment)
                val_samples = load_samples(aset, videos, config, val_ids, progress=progress, cache_dir=cache)
        if dist.is_main:
            Path(args.out).mkdir(parents=True, exist_ok=True)
            write_run_data(Path(args.out), "opentad-json", aset)  # for mmad models --add
        result = train(config, train_config, train_samples, val_samples, taxonomy, args.out,
                       device=args.device, pretrained=args.pretrained, progress=progress)
    finally:
        if bar is not None:
            bar.close()
    if not dist.is_main:
        return 0
    print(f"trained {result.epochs_run} epochs on {len(train_ids)} videos ({len(val_ids)} for validation)"
          + (", stopped early" if result.stopped_early else ""))
    if val_ids:
        print(f"best epoch {result.best_epoch}: validation action-level mAP {100 * result.best_map:.2f} %")
    print(f"checkpoint: {Path(args.out) / 'best.pt'} (mmad models PROJECT --add {args.out} registers it)")
    return 0


def _torchrun(nproc: int, argv: list[str]) -> int:
    """Run this same `mmad` command line, less --nproc, in nproc processes through torchrun."""
    import subprocess

    from inference.distributed import torchrun_command

    rest: list[str] = []
    words = iter(argv)
    for word in words:
        if word == "--nproc":
            next(words, None)
        elif not word.startswith("--nproc="):
            rest.append(word)
    return subprocess.run(torchrun_command(nproc, "app.cli.main", rest), check=False).returncode


# -------------------------------------------------------------------------------------- predict

def _predict(args: argparse.Namespace) -> int:
    from app.cli.predict_pool import loaded_detector
    from inference.predict import model_version

    if not args.out and not args.store:
        raise InputError("mmad predict", None, "say where the predictions go: --out FILE and/or --store")
    project_mode = len(args.inputs) == 1 and _is_project(args.inputs[0])
    if args.store and not project_mode:
        raise InputError("mmad predict", "--store", "storing proposals needs a PROJECT, not video files")
    out_format = _ready_output(Path(args.out)) if args.out else ""  # before anything is stored
    shard = shard_of_args(args)
    model, labels = loaded_detector(args.checkpoint, args.device)
    preds: list[PredictionRecord] = []
    failures: list[str] = []
    bar = TerminalProgress(lines=True)  # a long command: one line per step in a log
    try:
        if project_mode:
            project = _open_project(args.inputs[0])
            _check_labels(labels, project.taxonomy, args.checkpoint)
            taxonomy = project.taxonomy
            store = open_store(project, args)
            try:
                every = [c for c in store.clips(Subset(args.subset) if args.subset else None)
                         if project.media_path(c) is not None]
                clips = {c.name: c for c in shard.pick(every, lambda c: c.name)}
                version = model_version(args.checkpoint, model.config.name, model.config.adapter.kind)
                stored = 0
                items = [(name, project.media_path(c)) for name, c in clips.items()]
                for name, found in _predict_in_pool(args, items, project.path, (len(every), shard), bar, failures):
                    if args.out:
                        preds.extend(found)
                    if args.store:  # one transaction per clip, as it finishes: Ctrl+C keeps it
                        stored += _store_proposals(store, [clips[name]], found, version)
                if args.store:
                    print(f"stored {stored:,} proposals for {plural(len(clips), 'clip')}")
            finally:
                store.close()
        else:
            missing = [p for p in args.inputs if not Path(p).is_file()]
            if missing:
                raise InputError(missing[0], None, "video file not found (or not a project folder)")
            taxonomy = _taxonomy_for(labels)
            videos = shard.pick([(Path(p).stem, Path(p)) for p in args.inputs], lambda v: v[0])
            for _, found in _predict_in_pool(args, videos, None, (len(args.inputs), shard), bar, failures):
                preds.extend(found)
    except KeyboardInterrupt:  # the pool stopped its workers; the proposals of finished clips are stored
        print("mmad predict: interrupted; the clips that finished are kept", file=sys.stderr)
        return 130
    finally:
        bar.close()
    if args.out:
        write_predictions(preds, Path(args.out), out_format, taxonomy)
        print(f"wrote {len(preds):,} detections to {args.out}")
    if failures:
        print(f"mmad predict: {plural(len(failures), 'clip')} failed (named above, first {failures[0]}); "
              "the others are done", file=sys.stderr)
        return 2
    return 0


def _ready_output(out: Path) -> str:
    """The predictions file's format, its folder made: checked before any proposal is stored, so a
    bad --out fails the command with the project unchanged."""
    from annotator.output_paths import check_output_file, make_output_folder

    fmt = _prediction_format(check_output_file(out, "predictions file"))
    make_output_folder(out.parent, "predictions folder")
    return fmt


def _predict_in_pool(args: argparse.Namespace, videos: Sequence[tuple[str, Path | None]],
                     project_dir: Path | None, of: tuple[int, Shard], bar: TerminalProgress, failures: list[str]
                     ) -> Iterator[tuple[str, list[PredictionRecord]]]:
    """(clip, detections) of each video as it finishes, in --workers processes (annotator.work_pool);
    a failed clip is named on stdout and added to `failures`, the others go on."""
    from annotator.work_pool import cores, run_pool
    from app.cli.predict_pool import PredictTask, device_is_cuda, predict_clip

    one_gpu = args.workers is None and device_is_cuda(args.device)  # one process per GPU
    workers = 1 if one_gpu else workers_of_args(args, project_dir)
    threads = max(cores() // workers, 1) if workers > 1 else 0
    print(f"predicting {describe(len(videos), of[1], of[0], workers)}", file=sys.stderr)
    tasks = [(name, PredictTask(args.checkpoint, args.device, name, str(path), RESULT_CAP,
                                str(project_dir) if project_dir is not None else None, threads))
             for name, path in videos]
    for outcome in run_pool(predict_clip, tasks, workers, progress=bar):
        if outcome.value is None:
            failures.append(outcome.name)
            print(f"{outcome.name}: error: {outcome.error}")
            continue
        yield outcome.name, outcome.value


def _taxonomy_for(labels: list[str]) -> Taxonomy:
    for name in ("mma52", "mma82"):
        taxonomy = load_taxonomy(name)
        if taxonomy.action_names == labels:
            return taxonomy
    raise InputError("--checkpoint", "labels", "the checkpoint's labels match no bundled taxonomy; predict on a project")


def _check_labels(labels: list[str], taxonomy: Taxonomy, checkpoint: str) -> None:
    if labels != taxonomy.action_names:
        raise InputError(checkpoint, "labels", f"trained on other labels than the project's taxonomy {taxonomy.name}")


def _store_proposals(store: Any, clips: list[Any], preds: list[PredictionRecord],
                     version: str) -> int:
    """Each clip's proposals as the app's Propose keeps them (app.model_loop.proposing.PROPOSALS)."""
    from annotator.model import Proposal
    from app.model_loop.proposing import clip_ref, proposals_from

    stored = 0
    for clip in clips:
        rows = proposals_from(preds, clip_ref(clip, Path()))  # the detections are made: no video needed
        found = [Proposal(None, clip.id, version, s, e, a, p) for s, e, a, p in rows]
        stored += len(store.add_proposals(clip.id, version, found))  # also when empty: stale ones go
    return stored
