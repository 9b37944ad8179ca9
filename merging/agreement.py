"""The agreement report (docs/ARCHITECTURE.md, "Merge, cross-check and review"), per clip, annotator, class and body part.

All figures are sums over the whole project turned into ratios per row (np.bincount), so
pooling is exact and the report over thousands of clips costs a few array passes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction

import numpy as np

from annotator.model import MergedInstance
from annotator.taxonomy import Taxonomy
from merging.frame_agreement import FrameSums, frame_sums, per_clip, pooled
from merging.merge import ProjectMerge
from merging.pair_matching import Matches, match_annotator_pairs
from merging.tiou import BoolArray, FloatArray, IntArray
from merging.workflow import current_merged

F1_THRESHOLDS = (0.3, 0.5, 0.7, 0.9)

METHODS = {
    "f1": "Pairwise F1 at tIoU t: for every pair of annotators of a clip, their segments of the same "
          "action are matched one-to-one by maximum total tIoU (Hungarian, tIoU > 0); a match counts "
          "at t when its tIoU >= t (exact rational test). F1 = 2·matches / (segments of the first + "
          "segments of the second), summed over all annotator pairs of the rows' clips before dividing.",
    "offsets": "Boundary offsets in frames: for every instance marked by two or more annotators, each "
               "member segment's start (end) minus the merged instance's start (end); 'mean' is the "
               "signed mean (bias: > 0 means later), 'mean_abs' the mean absolute offset.",
    "reliable_share": "Share of merged instances that passed the cross-check (all annotators marked "
                      "it and their tIoU > threshold), computed on this report's own merge of the "
                      "annotators' segments. Per annotator: share of the annotator's segments that "
                      "ended in a reliable instance.",
    "fleiss_kappa": "Fleiss' kappa over frame slices: each frame t of a clip is a subject, each of the "
                    "clip's annotators rates it per body part 'present' (one of their segments of that "
                    "body part covers start <= t < end) or 'absent'. Per body part: that body part's "
                    "slices of all clips; per clip and overall: frame x body part slices pooled.",
    "krippendorff_alpha": "Krippendorff's alpha (nominal) over the same frame-slice ratings as kappa.",
    "instances": "Instances of this report's merge of the annotators' segments (grouping and EPIC merge, "
                 "docs/ARCHITECTURE.md, 'Merge, cross-check and review'); per annotator: the annotator's segments.",
}

STORED_RELIABLE_SHARE = (
    "Share of the merged instances stored by `mmad merge` whose cross-check passed (all annotators "
    "marked it and their tIoU > the threshold the merge ran with), so it agrees with what the merge "
    "reported. Counted over the instances the merge currently stands by: every unresolved one, and "
    "every resolved one whose segments all still exist and are in no newer unresolved instance; a "
    "reviewer's decision does not change it (it measures the annotators, not the review). Clips "
    "without a stored merge are left out. Per annotator: share of the annotator's segments in a "
    "stored instance that belong to a reliable one. By class and body part: the stored action."
)


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the report."""

    name: str
    segments: int
    instances: int
    f1: dict[str, float | None]
    start_offset_mean: float | None
    end_offset_mean: float | None
    start_offset_mean_abs: float | None
    end_offset_mean_abs: float | None
    reliable_share: float | None
    fleiss_kappa: float | None = None
    krippendorff_alpha: float | None = None


@dataclass(frozen=True, slots=True)
class AgreementReport:
    """The full report with the raw offset distributions kept for the plots."""

    overall: Row
    per_clip: list[Row]
    per_annotator: list[Row]
    per_class: list[Row]
    per_body_part: list[Row]
    pair_f1: dict[str, dict[str, float | None]]  # "a1 / a2" -> F1 per threshold
    start_offsets: IntArray = field(repr=False)
    end_offsets: IntArray = field(repr=False)
    methods: dict[str, str] = field(default_factory=lambda: dict(METHODS))
    clips_without_stored_merge: int | None = None  # clips with segments but no stored merge; None: not asked


@dataclass(frozen=True, slots=True)
class _Dim:
    """How items of each kind map to the rows of one dimension."""

    names: list[str]
    of_segment: IntArray
    of_group: IntArray


@dataclass(frozen=True, slots=True)
class _Verdicts:
    """The cross-check verdicts the reliable share is counted from."""

    clip: IntArray  # (M,) instance's clip, index into the table's works
    action: IntArray  # (M,) instance's action
    reliable: BoolArray  # (M,)
    row_counted: BoolArray  # (N,) the table row (segment) is in one of the instances
    row_reliable: BoolArray  # (N,) ... in a reliable one


def agreement(
    result: ProjectMerge, taxonomy: Taxonomy, stored: Mapping[int, Sequence[MergedInstance]] | None = None,
    clip_names: Mapping[int, str] | None = None,
) -> AgreementReport:
    """Compute every figure of the report from a merge result.

    With `stored` (merged instances by clip id, as the store holds them) the reliable share is
    the one `mmad merge` recorded; without it, the cross-check of `result` itself. Per-clip rows
    are named by `clip_names` (clip id -> name; the id where a name is missing).
    """
    names = clip_names or {}
    table, groups = result.table, result.groups
    body = np.asarray([a.body_part.id for a in taxonomy.actions], np.int64)
    matches = match_annotator_pairs(table)
    sums = frame_sums(table, body, len(taxonomy.body_parts))
    g_body = body[groups.action]
    dims = {
        "overall": _Dim(["all"], np.zeros(len(table.clip), np.int64), np.zeros(len(groups), np.int64)),
        "clip": _Dim([names.get(w.clip_id, str(w.clip_id)) for w in table.works], table.clip, groups.clip),
        "class": _Dim(taxonomy.action_names, table.action, groups.action),
        "body": _Dim([b.name for b in taxonomy.body_parts], body[table.action], g_body),
    }
    rows = {key: _rows(result, matches, dim) for key, dim in dims.items()}
    rows["annotator"] = _annotator_rows(result, matches)
    verdicts = _merge_verdicts(result) if stored is None else _stored_verdicts(result, stored)
    _set_reliable_shares(rows, verdicts, table.annotator, body)
    _add_frame_stats(rows, sums)
    start_off, end_off, _ = _offsets(result)
    methods = dict(METHODS)
    without: int | None = None
    if stored is not None:
        methods["reliable_share"] = STORED_RELIABLE_SHARE
        without = len(np.setdiff1d(table.clip, verdicts.clip))  # clips with segments, none stored
    return AgreementReport(
        overall=rows["overall"][0], per_clip=rows["clip"], per_annotator=rows["annotator"],
        per_class=rows["class"], per_body_part=rows["body"], pair_f1=_pair_f1(result, matches),
        start_offsets=start_off, end_offsets=end_off, methods=methods, clips_without_stored_merge=without,
    )


def _merge_verdicts(result: ProjectMerge) -> _Verdicts:
    """The verdicts of the report's own merge: every segment is in exactly one group."""
    groups, n = result.groups, len(result.table.clip)
    group_of_row = np.full(n, -1, np.int64)
    g, p = np.nonzero(groups.present)
    group_of_row[groups.members[g, p]] = g
    return _Verdicts(groups.clip, groups.action, result.reliable, group_of_row >= 0,
                     (group_of_row >= 0) & result.reliable[group_of_row])


def _stored_verdicts(result: ProjectMerge, stored: Mapping[int, Sequence[MergedInstance]]) -> _Verdicts:
    """The verdicts stored by `mmad merge` for the clips of `result` (current instances only)."""
    table = result.table
    live = {int(i) for i in table.seg_id.tolist()}
    clip, action, reliable = [], [], []
    counted: set[int] = set()
    good: set[int] = set()
    for c, work in enumerate(table.works):
        for m in current_merged(stored.get(work.clip_id, ()), live):
            clip.append(c)
            action.append(m.action_id)
            reliable.append(m.reliable)
            counted.update(m.segment_ids)
            if m.reliable:
                good.update(m.segment_ids)
    return _Verdicts(np.asarray(clip, np.int64), np.asarray(action, np.int64), np.asarray(reliable, bool),
                     np.isin(table.seg_id, list(counted)), np.isin(table.seg_id, list(good)))


def _set_reliable_shares(rows: dict[str, list[Row]], v: _Verdicts, row_annotator: IntArray, body: IntArray) -> None:
    """Put the reliable share of every row (in place), from the verdicts."""
    labels = {"overall": np.zeros(len(v.clip), np.int64), "clip": v.clip, "class": v.action,
              "body": body[v.action]}
    for key, label in labels.items():
        n = len(rows[key])
        share = _ratio(_counts(label, v.reliable, n), _counts(label, np.ones(len(label), bool), n))
        rows[key] = [replace(r, reliable_share=s) for r, s in zip(rows[key], share, strict=True)]
    n = len(rows["annotator"])
    share = _ratio(_counts(row_annotator, v.row_reliable, n), _counts(row_annotator, v.row_counted, n))
    rows["annotator"] = [replace(r, reliable_share=s) for r, s in zip(rows["annotator"], share, strict=True)]


def _counts(label: IntArray, weight: BoolArray, n: int) -> FloatArray:
    """How many items of each label (0..n-1) have weight True."""
    return np.asarray(np.bincount(label, weight.astype(np.float64), n), np.float64)


def _rows(result: ProjectMerge, matches: Matches, dim: _Dim) -> list[Row]:
    table = result.table
    n = len(dim.names)
    weight = (table.n_annotators[table.clip] - 1).astype(np.float64)  # pairs each segment is in
    denom = np.asarray(np.bincount(dim.of_segment, weight, n), np.float64)
    hits = _hits_by(dim.of_segment[matches.row_a], matches, n)
    return _assemble(result, dim.names, dim.of_segment, dim.of_group, denom, hits)


def _hits_by(label: IntArray, matches: Matches, n: int) -> dict[str, FloatArray]:
    out = {}
    for t in F1_THRESHOLDS:
        frac = Fraction(t).limit_denominator(1000)
        ok = matches.inter * frac.denominator >= frac.numerator * matches.union
        out[str(t)] = np.bincount(label[ok], minlength=n).astype(np.float64)
    return out


def _assemble(result: ProjectMerge, names: list[str], seg_label: IntArray, group_label: IntArray,
              denom: FloatArray, hits: dict[str, FloatArray]) -> list[Row]:
    n = len(names)
    start_off, end_off, member_rows = _offsets(result)
    off_label = seg_label[member_rows]
    count = np.bincount(off_label, minlength=n).astype(np.float64)
    sums = [np.asarray(np.bincount(off_label, v.astype(np.float64), n), np.float64)
            for v in (start_off, end_off, np.abs(start_off), np.abs(end_off))]
    segments = np.bincount(seg_label, minlength=n)
    instances = np.bincount(group_label, minlength=n)
    f1 = {t: _ratio(2 * h, denom) for t, h in hits.items()}
    offs = [_ratio(s, count) for s in sums]
    return [
        Row(name=names[i], segments=int(segments[i]), instances=int(instances[i]),
            f1={t: v[i] for t, v in f1.items()}, start_offset_mean=offs[0][i], end_offset_mean=offs[1][i],
            start_offset_mean_abs=offs[2][i], end_offset_mean_abs=offs[3][i], reliable_share=None)
        for i in range(n)
    ]


def _ratio(num: FloatArray, den: FloatArray) -> list[float | None]:
    out = np.divide(num, den, out=np.zeros_like(num, dtype=np.float64), where=den > 0)
    return [float(v) if d > 0 else None for v, d in zip(out.tolist(), den.tolist(), strict=True)]


def _offsets(result: ProjectMerge) -> tuple[IntArray, IntArray, IntArray]:
    """(start offsets, end offsets, member rows) of instances with two or more members."""
    groups, merged, table = result.groups, result.merged, result.table
    present = groups.present
    multi = present.sum(axis=1) >= 2
    g, p = np.nonzero(present & multi[:, None])
    rows = groups.members[g, p]
    return table.start[rows] - merged.start[g], table.end[rows] - merged.end[g], rows


def _annotator_rows(result: ProjectMerge, matches: Matches) -> list[Row]:
    """Per annotator: matches involving them over the segments of every pair they are in."""
    table = result.table
    n = len(table.annotators)
    clip_total = np.bincount(table.clip, minlength=len(table.works))
    own = np.bincount(table.clip * n + table.annotator, minlength=len(table.works) * n).reshape(-1, n)
    member = np.zeros_like(own, dtype=bool)
    person = {a.id: i for i, a in enumerate(table.annotators)}
    for c, work in enumerate(table.works):
        member[c, [person[a.id] for a in work.annotators]] = True
    k = table.n_annotators[:, None]
    denom = np.where(member, (k - 1) * own + clip_total[:, None] - own, 0).sum(axis=0).astype(np.float64)
    who_a, who_b = table.annotator[matches.row_a], table.annotator[matches.row_b]
    hits_a, hits_b = _hits_by(who_a, matches, n), _hits_by(who_b, matches, n)
    hits = {t: hits_a[t] + hits_b[t] for t in hits_a}
    rows = _assemble(result, [a.name for a in table.annotators], table.annotator, np.zeros(0, np.int64),
                     denom, hits)
    return [replace(r, instances=r.segments) for r in rows]  # each segment is in one instance


def _pair_f1(result: ProjectMerge, matches: Matches) -> dict[str, dict[str, float | None]]:
    """F1 of every pair of annotators over the clips they share."""
    table = result.table
    n = len(table.annotators)
    who_a, who_b = table.annotator[matches.row_a], table.annotator[matches.row_b]
    lo, hi = np.minimum(who_a, who_b), np.maximum(who_a, who_b)
    hits = _hits_by(lo * n + hi, matches, n * n)
    own = np.bincount(table.clip * n + table.annotator, minlength=len(table.works) * n).reshape(-1, n)
    person = {a.id: i for i, a in enumerate(table.annotators)}
    denom = np.zeros(n * n)
    for c in range(len(table.works)):
        idx = sorted(person[a.id] for a in table.works[c].annotators)
        for x in range(len(idx)):
            for y in range(x + 1, len(idx)):
                denom[idx[x] * n + idx[y]] += own[c, idx[x]] + own[c, idx[y]]
    out: dict[str, dict[str, float | None]] = {}
    for x in range(n):
        for y in range(x + 1, n):
            if denom[x * n + y] > 0:
                name = f"{table.annotators[x].name} / {table.annotators[y].name}"
                out[name] = {t: float(2 * h[x * n + y] / denom[x * n + y]) for t, h in hits.items()}
    return out


def _add_frame_stats(rows: dict[str, list[Row]], sums: FrameSums) -> None:
    """Fill κ and α into the overall, per-clip and per-body-part rows (in place)."""
    kappa, alpha = pooled(sums, None, None)
    rows["overall"][0] = _with_frames(rows["overall"][0], kappa, alpha)
    ck, ca = per_clip(sums)
    rows["clip"] = [_with_frames(r, _nan_none(k), _nan_none(a))
                    for r, k, a in zip(rows["clip"], ck.tolist(), ca.tolist(), strict=True)]
    rows["body"] = [_with_frames(r, *pooled(sums, None, np.asarray([b]))) for b, r in enumerate(rows["body"])]


def _with_frames(row: Row, kappa: float | None, alpha: float | None) -> Row:
    return replace(row, fleiss_kappa=kappa, krippendorff_alpha=alpha)


def _nan_none(value: float) -> float | None:
    return None if np.isnan(value) else float(value)
