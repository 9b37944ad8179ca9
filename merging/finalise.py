"""Bulk review from the command line: accept the majority outcome of open instances and finalise.

For reviewers who trust the majority on easy clips. Every decision and finalisation is made
by finalise_bulk with the checks of resolve_merged and finalise_clip (what the review screen
calls), so each is version-checked, refused for an annotator in the data layer, and audited
under the reviewer's name, for the whole project in one transaction. A clip is touched only when every open instance has a majority
outcome; otherwise it is left as it was and reported. A clip every annotator finished without
marking anything (annotator.agreed_empty) has no instance to decide: it is finalised as it is,
and --all-reliable takes it (everyone agreed). A clip's decisions and its finalisation are one
transaction: when the store refuses the clip (its merge is missing, or an annotator changed their
segments after it), none of them is kept and the clip is reported with the store's reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass
from typing import Protocol

from annotator.agreed_empty import WorkStore, agreed_empty
from annotator.errors import InputError
from annotator.model import Assignment, AssignmentState, Clip, MergedInstance, MergedStatus
from annotator.progress import NEVER, CancelToken, Progress, no_progress
from annotator.store.api import PlannedDecision
from merging.majority import Choice, majority_decision


class FinaliseStore(WorkStore, Protocol):
    """What bulk finalising needs from the store (a subset of StoreAPI)."""

    def require_reviewer(self, what: str) -> None: ...
    def clips(self) -> list[Clip]: ...
    def merged_by_clip(self) -> dict[int, list[MergedInstance]]: ...
    def finalise_bulk(self, plans: Mapping[int, Sequence[PlannedDecision]], progress: Progress = no_progress,
                      cancel: CancelToken = NEVER) -> dict[int, str]: ...


@dataclass(frozen=True, slots=True)
class FinaliseRun:
    """Clips finalised, decisions taken, and the clips left alone with why."""

    finalised: tuple[str, ...]
    decisions: int
    skipped: tuple[tuple[str, str], ...]  # (clip name, reason)
    already: tuple[str, ...] = ()  # named clips that were finalised before: nothing to do, not a failure


def all_reliable(clips: Sequence[Clip], merged: dict[int, list[MergedInstance]],
                 empty: Set[int] = frozenset()) -> list[Clip]:
    """Merged clips not finalised whose instances are all reliable (the cross-check agreed on each),
    and those in `empty` without instances (every annotator agreed nothing happens)."""
    return [c for c in clips if not c.finalised
            and (all(m.status is MergedStatus.RELIABLE for m in merged[c.id]) if merged.get(c.id) else c.id in empty)]


def _plan(clip: Clip, instances: Sequence[MergedInstance], empty: bool,
          waiting: tuple[int, int] | None) -> list[tuple[MergedInstance, Choice]] | str:
    """The majority decision of each open instance, or why the clip cannot be finalised here
    (`waiting`: (annotators not done, assigned) when some are not done)."""
    if not instances and not empty:
        if waiting is not None:
            return (f"{waiting[0]} of its {waiting[1]} annotators not done yet: it can be merged and "
                    "finalised once they are")
        return "no merged instances (run mmad merge first)"
    plan = []
    for inst in instances:
        if inst.status is not MergedStatus.NEEDS_REVIEW:
            continue
        decision = majority_decision(inst)
        if decision is None:
            return (f"instance {inst.start_frame}-{inst.end_frame} (action {inst.action_id}) has no majority: "
                    "decide it in the review screen")
        plan.append((inst, decision))
    return plan


def finalise_clips(store: FinaliseStore, names: Sequence[str] = (), *, reliable: bool = False,
                   progress: Progress = no_progress, cancel: CancelToken = NEVER) -> FinaliseRun:
    """Accept the majority outcome of every open instance of the named clips (or, with `reliable`,
    of every all-reliable merged clip) and finalise them; unknown names are refused first.

    The project is read with a few queries and every clip written in ONE transaction (finalise_bulk):
    a failure or a cancel leaves it as it was; a clip the store refuses keeps none of its decisions.
    """
    progress(0.0, "reading the project")
    clips = store.clips()
    by_name = {c.name: c for c in clips}
    missing = [n for n in names if n not in by_name]
    if missing:
        raise InputError("CLIP", ", ".join(missing), "no clip of that name in the project")
    store.require_reviewer("finalise clips")
    assignments = store.assignments(None)  # read once: who is done says both what is empty and who waits
    empty = agreed_empty(store, assignments)
    merged = store.merged_by_clip()
    chosen = all_reliable(clips, merged, empty) if reliable else [by_name[n] for n in dict.fromkeys(names)]
    already = tuple(c.name for c in chosen if c.finalised)
    chosen = [c for c in chosen if not c.finalised]
    waiting = _not_done(assignments)
    skipped: dict[str, str] = {}
    plans: dict[int, list[PlannedDecision]] = {}
    for clip in chosen:
        plan = _plan(clip, merged.get(clip.id, []), clip.id in empty, waiting.get(clip.id))
        if isinstance(plan, str):
            skipped[clip.name] = plan
        else:
            plans[clip.id] = [PlannedDecision(inst.id or 0, inst.version, d.decision, d.start_frame, d.end_frame,
                                              d.action_id) for inst, d in plan]
    cancel.check()
    refused = store.finalise_bulk(plans, lambda f, m: progress(0.1 + 0.9 * f, m), cancel)
    names_of = {c.id: c.name for c in chosen}
    skipped.update((names_of[cid], reason) for cid, reason in refused.items())
    done = [c.name for c in chosen if c.id in plans and c.id not in refused]
    decisions = sum(len(plans[c.id]) for c in chosen if c.id in plans and c.id not in refused)
    progress(1.0, f"finalised {len(done)} clips")
    order = {c.name: i for i, c in enumerate(chosen)}
    return FinaliseRun(tuple(done), decisions, tuple(sorted(skipped.items(), key=lambda kv: order[kv[0]])), already)


def _not_done(assignments: Sequence[Assignment]) -> dict[int, tuple[int, int]]:
    """(annotators not done, annotators assigned) of each clip some assigned annotator has not finished."""
    by_clip: dict[int, list[bool]] = {}
    for a in assignments:
        by_clip.setdefault(a.clip_id, []).append(a.state is AssignmentState.DONE)
    return {cid: (states.count(False), len(states)) for cid, states in by_clip.items() if not all(states)}
