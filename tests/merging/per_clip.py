"""The per-clip paths `mmad merge` and `mmad finalise` took before they were set-based (issue 23),
kept as the reference the set-based ones must match row for row, and a dump of what they write."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import create_engine, text

from annotator.agreed_empty import agreed_empty
from annotator.errors import RuleViolation
from annotator.store.store import Store
from merging.finalise import _not_done, _plan, all_reliable
from merging.merge import MergeOptions, merge_clips
from merging.workflow import collect_work


def per_clip_merge(store: Store, options: MergeOptions = MergeOptions()) -> None:
    """run_merge as it was: replace_unresolved_merged clip by clip, each its own transaction."""
    works, _ = collect_work(store)
    result = merge_clips(works, store.taxonomy, options)
    for work in works:
        try:
            store.replace_unresolved_merged(work.clip_id, result.by_clip[work.clip_id])
        except RuleViolation:
            continue


def per_clip_finalise(store: Store, names: Sequence[str] = (), reliable: bool = False) -> list[tuple[str, str]]:
    """finalise_clips as it was: per clip, resolve_merged of each majority then finalise_clip, atomic."""
    clips = store.clips()
    by_name = {c.name: c for c in clips}
    empty = agreed_empty(store)
    chosen = all_reliable(clips, store.merged_by_clip(), empty) if reliable else [by_name[n] for n in names]
    waiting = _not_done(store.assignments(None))
    skipped = []
    for clip in chosen:
        plan = _plan(clip, store.merged_instances(clip.id), clip.id in empty, waiting.get(clip.id))
        if isinstance(plan, str):
            skipped.append((clip.name, plan))
            continue
        try:
            with store.atomic():
                for inst, d in plan:
                    store.resolve_merged(inst.id or 0, inst.version, d.decision, d.start_frame, d.end_frame,
                                         d.action_id)
                store.finalise_clip(clip.id)
        except RuleViolation as exc:
            skipped.append((clip.name, str(exc)))
    return skipped


def dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """What the merge and finalising write, in id order, times left out (they differ run to run)."""
    queries = {
        "merged": "SELECT id, clip_id, start_frame, end_frame, action_id, proposed_start_frame, proposed_end_frame, "
                  "proposed_action_id, rule, reliable, status, majority, decision, decided_by, "
                  "decided_at IS NULL, version FROM merged_instances ORDER BY id",
        "links": "SELECT merged_id, segment_id, position FROM merged_segments ORDER BY merged_id, position",
        "audit": "SELECT id, \"user\", action, entity, entity_id, old, new FROM audit_log ORDER BY id",
        "clips": "SELECT id, finalised FROM clips ORDER BY id",
    }
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {name: [tuple(row) for row in conn.execute(text(q))] for name, q in queries.items()}
    finally:
        engine.dispose()
