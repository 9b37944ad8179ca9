"""Side panel: the selected merged instance, who said what, and the keys that decide it."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QScrollArea, QWidget

from annotator.model import MergedInstance, Segment
from annotator.taxonomy import Taxonomy
from app.i18n import mark, tax_name, tr
from app.review.review_model import outcome_text
from app.review.review_timeline import STATUS_COLOURS, STATUS_TEXT

RULE_TEXT = {"union": mark("Review", "union of the two most agreeing annotations (IoU > 0.5)"),
             "partner": mark("Review", "the best partner's annotation (IoU ≤ 0.5)"),
             "single": mark("Review", "a single annotation")}
KEYS_HELP = mark("Review", "Enter accept majority · K keep · D delete · L label · 1/2/3 take an annotator's version · "
                 "[ ] move edges (Ctrl inward, Shift ×5) · N next to review · Ctrl+Z undo, Ctrl+Shift+Z redo · "
                 "Ctrl+Enter finalise · Ctrl+N next clip · ? all keys")


def legend() -> str:
    """Coloured squares naming the merged lane's colours (a swatch never wraps away from its name)."""
    def item(colour: str, mark: str, text: str) -> str:
        # Qt breaks CJK text between any two characters, nowrap or not: word joiners hold it together
        text = "\u2060".join(text) if any(ord(c) > 0x2e80 for c in text) else text
        return f"<span style='white-space:nowrap'><span style='color:{colour}'>{mark}</span>&nbsp;{text}</span>"

    parts = [item(STATUS_COLOURS[k].name(), "■", tr("Review", STATUS_TEXT[k])) for k in STATUS_COLOURS]
    parts += [item("#aaa", "┅", tr("Review", "majority says delete")), item("#999", "▢", tr("Review", "decided delete"))]
    return "<p>" + " &nbsp; ".join(parts) + "</p>"


def keys_help() -> str:
    """The keys that decide, in the interface language, as a grey paragraph."""
    return f"<p style='color:#9aa'>{escape(tr('Review', KEYS_HELP))}</p>"


def describe(inst: MergedInstance | None, annotators: list[str], who: dict[str, Segment],
             taxonomy: Taxonomy, fps: float) -> str:
    """Rich text for the panel."""
    if inst is None:
        return f"<p>{tr('Review', 'No instance selected.')}</p>{legend()}{keys_help()}"
    a = taxonomy.action(inst.action_id)
    colour = STATUS_COLOURS[inst.status].name()
    rule = str(inst.rule)
    frames = tr("Review", "frames {start}–{end} ({seconds:.2f} s)").format(
        start=inst.start_frame, end=inst.end_frame, seconds=(inst.end_frame - inst.start_frame) / fps)
    check = tr("Review", "passed") if inst.reliable else tr("Review", "not passed")
    lines = [
        f"<h3 style='margin:0'>{escape(a.code)} {escape(tax_name(a.name))}</h3>",
        f"<p><b style='color:{colour}'>{tr('Review', STATUS_TEXT[inst.status])}</b> · {frames} · "
        f"{escape(tax_name(a.body_part.name))}</p>",
        "<p>" + tr("Review", "Merge: {rule}; cross-check {check}.").format(
            rule=escape(tr("Review", RULE_TEXT[rule]) if rule in RULE_TEXT else rule), check=check) + "</p>",
        "<p>" + tr("Review", "Majority: <b>{outcome}</b>").format(outcome=escape(outcome_text(inst.majority, taxonomy)))
        + "</p>",
    ]
    if inst.decision is not None:
        when = inst.decided_at.strftime("%Y-%m-%d %H:%M") if inst.decided_at else ""
        lines.append("<p>" + tr("Review", "Decision: <b>{outcome}</b> by {who} {when}").format(
            outcome=escape(outcome_text(inst.decision, taxonomy)), who=escape(inst.decided_by or "?"), when=when)
            + "</p>")
    rows = []
    for k, name in enumerate(annotators):
        seg = who.get(name)
        if seg is None:
            what = f"<span style='color:#888'>{tr('Review', 'did not mark it')}</span>"
        else:
            sa = taxonomy.action(seg.action_id)
            what = f"{seg.start_frame}–{seg.end_frame} · {escape(sa.code)} {escape(tax_name(sa.name))}"
        rows.append(f"<tr><td><b>{k + 1}</b>&nbsp;</td><td>{escape(name)}&nbsp;&nbsp;</td><td>{what}</td></tr>")
    lines.append(f"<p><b>{tr('Review', 'Who said what')}</b></p><table>" + "".join(rows) + "</table>")
    lines.append(legend())
    lines.append(keys_help())
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
        state = (tr("Review", "It is finalised: exported as a clip with no micro-action.") if finalised
                 else tr("Review", "Nothing to decide: Ctrl+Enter finalises it as a clip with no micro-action."))
        none = tr("Review", "<b>No instances.</b> Every annotator finished this clip without marking anything.")
        self.label.setText(f"<p>{none}</p><p>{state}</p>{legend()}{keys_help()}")
