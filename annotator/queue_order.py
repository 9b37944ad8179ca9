"""Queue order by usefulness (optional: `[proposals] queue_order = "usefulness"` in project.toml).

Clips the active model is least sure of, and clips of subjects where annotators disagreed
most, come first. Sureness of a clip: its best proposal score from the active version; a clip
without one gets the median of the others, so it is pushed neither first nor last.
Disagreement of a subject: the share of its merged instances the merge did not find reliable,
over the clips the user may read merged results of (an annotator: finalised clips only, so
blind mode holds). The two are combined as the mean of their ranks; ties keep the stored order.
Pure: no Qt, no torch.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Mapping, Sequence

from annotator.model import Clip, MergedInstance
from annotator.store.api import StoreAPI


def subject_disagreement(clips: Sequence[Clip], merged: Mapping[int, Sequence[MergedInstance]]) -> dict[str, float]:
    """Share of each subject's merged instances that are not reliable (subjects with none: absent)."""
    subject = {c.id: c.subject for c in clips}
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # [unreliable, all]
    for clip_id, instances in merged.items():
        if clip_id in subject:
            counts[subject[clip_id]][0] += sum(not m.reliable for m in instances)
            counts[subject[clip_id]][1] += len(instances)
    return {s: bad / total for s, (bad, total) in counts.items() if total}


def _ranks(values: Sequence[float]) -> list[float]:
    """Rank of each value in ascending order, 0–1 (equal values share their mean rank)."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 / max(len(values) - 1, 1)
        i = j + 1
    return ranks


def usefulness_order(clips: Sequence[Clip], best_score: Mapping[int, float],
                     disagreement: Mapping[str, float]) -> list[int]:
    """Clip ids, most useful first: low best proposal score and high subject disagreement."""
    known = [best_score[c.id] for c in clips if c.id in best_score]
    neutral_score = statistics.median(known) if known else 0.0
    known_d = [disagreement[c.subject] for c in clips if c.subject in disagreement]
    neutral_d = statistics.median(known_d) if known_d else 0.0
    sure = _ranks([best_score.get(c.id, neutral_score) for c in clips])  # 0: least sure
    agreed = _ranks([-disagreement.get(c.subject, neutral_d) for c in clips])  # 0: most disagreement
    useful = sorted(range(len(clips)), key=lambda i: (sure[i] + agreed[i], i))
    return [clips[i].id for i in useful]


def useful_order(store: StoreAPI, clips: Sequence[Clip], version: str | None) -> list[int]:
    """The usefulness order of these clips from the store: the version's proposals, merged results."""
    best = {}
    if version is not None:  # every clip's proposals in one read, not one per clip
        for cid, found in store.proposals_by_clip([c.id for c in clips]).items():
            scores = [p.score for p in found if p.model_version == version]
            if scores:
                best[cid] = max(scores)
    return usefulness_order(clips, best, subject_disagreement(clips, store.merged_by_clip()))
