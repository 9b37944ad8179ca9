"""Side panel: the selected merged instance, who said what, and the keys that decide it."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QScrollArea, QWidget

from annotator.model import MergedInstance, Segment
from annotator.taxonomy import Taxonomy
from app.review.review_model import outcome_text
from app.review.review_timeline import STATUS_COLOURS, STATUS_TEXT

RULE_TEXT = {"union": "union of the two most agreeing annotations (IoU > 0.5)",
             "partner": "the best partner's annotation (IoU ≤ 0.5)",
             "single": "a single annotation"}
KEYS_HELP = ("Enter accept majority · K keep · D delete · L label · 1/2/3 take an annotator's version · "
             "[ ] move edges (Ctrl inward, Shift ×5) · N next to review · Ctrl+Z undo, Ctrl+Shift+Z redo · "
             "Ctrl+Enter finalise · Ctrl+N next clip · ? all keys")


def legend() -> str:
    """Coloured squares naming the merged lane's colours (a swatch never wraps away from its name)."""
    def item(colour: str, mark: str, text: str) -> str:
        return f"<span style='white-space:nowrap'><span style='color:{colour}'>{mark}</span>&nbsp;{text}</span>"

    parts = [item(STATUS_COLOURS[k].name(), "■", STATUS_TEXT[k]) for k in STATUS_COLOURS]
    parts += [item("#aaa", "┅", "majority says delete"), item("#999", "▢", "decided delete")]
    return "<p>" + " &nbsp; ".join(parts) + "</p>"


def describe(inst: MergedInstance | None, annotators: list[str], who: dict[str, Segment],
             taxonomy: Taxonomy, fps: float) -> str:
    """Rich text for the panel."""
    if inst is None:
        return f"<p>No instance selected.</p>{legend()}<p style='color:#9aa'>{escape(KEYS_HELP)}</p>"
    a = taxonomy.action(inst.action_id)
    colour = STATUS_COLOURS[inst.status].name()
    lines = [
        f"<h3 style='margin:0'>{escape(a.code)} {escape(a.name)}</h3>",
        f"<p><b style='color:{colour}'>{STATUS_TEXT[inst.status]}</b> · frames {inst.start_frame}–"
        f"{inst.end_frame} ({(inst.end_frame - inst.start_frame) / fps:.2f} s) · {escape(a.body_part.name)}</p>",
        f"<p>Merge: {escape(RULE_TEXT.get(str(inst.rule), str(inst.rule)))}; cross-check "
        f"{'passed' if inst.reliable else 'not passed'}.</p>",
        f"<p>Majority: <b>{escape(outcome_text(inst.majority, taxonomy))}</b></p>",
    ]
    if inst.decision is not None:
        when = inst.decided_at.strftime("%Y-%m-%d %H:%M") if inst.decided_at else ""
        lines.append(f"<p>Decision: <b>{escape(outcome_text(inst.decision, taxonomy))}</b> by "
                     f"{escape(inst.decided_by or '?')} {when}</p>")
    rows = []
    for k, name in enumerate(annotators):
        seg = who.get(name)
        if seg is None:
            what = "<span style='color:#888'>did not mark it</span>"
        else:
            sa = taxonomy.action(seg.action_id)
            what = f"{seg.start_frame}–{seg.end_frame} · {escape(sa.code)} {escape(sa.name)}"
        rows.append(f"<tr><td><b>{k + 1}</b>&nbsp;</td><td>{escape(name)}&nbsp;&nbsp;</td><td>{what}</td></tr>")
    lines.append("<p><b>Who said what</b></p><table>" + "".join(rows) + "</table>")
    lines.append(legend())
    lines.append(f"<p style='color:#9aa'>{escape(KEYS_HELP)}</p>")
    return "".join(lines)


class InstanceDetail(QScrollArea):
    """Read-only description of the selected merged instance."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("instanceDetail")
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.label.setContentsMargins(8, 8, 8, 8)
        self.setWidget(self.label)
        self.setWidgetResizable(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def show_instance(self, inst: MergedInstance | None, annotators: list[str], who: dict[str, Segment],
                      taxonomy: Taxonomy, fps: float) -> None:
        """Describe `inst` (None: the key help only)."""
        self.label.setText(describe(inst, annotators, who, taxonomy, fps))

    def show_empty_clip(self, finalised: bool) -> None:
        """The open clip has no instance: every annotator finished it without marking anything."""
        state = ("It is finalised: exported as a clip with no micro-action." if finalised
                 else "Nothing to decide: Ctrl+Enter finalises it as a clip with no micro-action.")
        self.label.setText(f"<p><b>No instances.</b> Every annotator finished this clip without marking "
                           f"anything.</p><p>{state}</p>{legend()}<p style='color:#9aa'>{escape(KEYS_HELP)}</p>")
