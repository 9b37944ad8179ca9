"""Render the annotation window on the demo project at 1600×900 and save PNGs to look at.

    python bench/screenshots.py [--project DIR] [--out DIR]

Without --project a fresh demo project is built in a temporary folder (mmad demo's builder).
The clip shown is annotator1's clip with the most overlapping segments across body parts; on
the throwaway demo, two more actions are added (through the edit commands) overlapping
existing ones in their own lanes, so sub-row packing shows.
Shots: main window, main window with the label picker, temporal gradient zoomed in, the
shortcut sheet; on the throwaway demo also model proposals (a few are stored for the clip,
derived from its ground truth, through Store.add_proposals) with one selected, and the
reviewer's screen after `mmad merge` (merging.workflow.run_merge) with one decision taken, and
its shortcut sheet.
Runs offscreen unless QT_QPA_PLATFORM says otherwise.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.model import GROUND_TRUTH, Proposal, Segment  # noqa: E402
from annotator.project import Project  # noqa: E402
from annotator.store.api import StoreAPI  # noqa: E402
from app.launch import build_window, style_sheet  # noqa: E402
from app.main_window import MainWindow  # noqa: E402
from app.review.review_window import ReviewWindow  # noqa: E402
from app.settings import AppSettings  # noqa: E402
from merging.workflow import run_merge  # noqa: E402

USER = "annotator1"
REVIEWER = "reviewer"
DEMO_SCORES = (0.91, 0.74, 0.58, 0.43, 0.36, 0.27)


def settle(app: QApplication, seconds: float, until: object = None) -> None:
    """Process events for a while (or until `until()` is true)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        if callable(until) and until():
            break
        time.sleep(0.01)
    app.processEvents()


def overlap_score(segments: list[Segment], store: StoreAPI) -> tuple[int, int]:
    """(overlapping pairs, body parts used): the clip that shows packing best scores highest."""
    pairs = sum(1 for i, a in enumerate(segments) for b in segments[i + 1:]
                if a.start_frame < b.end_frame and b.start_frame < a.end_frame)
    parts = {store.taxonomy.body_part_of(s.action_id).id for s in segments}
    return len(parts), pairs


def best_clip(window: MainWindow) -> int:
    """annotator1's clip with the most body parts and overlaps."""
    by_clip = window.store.segments_by_clip(USER)
    return max(by_clip, key=lambda cid: overlap_score(by_clip[cid], window.store))


def add_overlaps(window: MainWindow) -> None:
    """Add, through the real edit commands, a second action overlapping two existing segments
    in their own body part (the demo's simulated work rarely stacks two actions in one lane)."""
    session = window.session
    clip = session.clip
    assert clip is not None
    tax = session.taxonomy
    for seg in list(session.segments)[:2]:
        part = tax.body_part_of(seg.action_id)
        other = next(a for a in tax.actions if a.body_part == part and a.id != seg.action_id)
        length = max(session.min_length() * 3, (seg.end_frame - seg.start_frame) // 2)
        start = min(seg.start_frame + length // 2, clip.frame_count - 1 - length)
        session.add(start, start + length, other.id)


def add_demo_proposals(folder: Path, clip_id: int) -> int:
    """Store model 'demo-v1' proposals for a clip: its ground truth shifted a little, scored, plus a
    false alarm, so the ghost lane shows overlaps and the threshold has something to hide."""
    store = Project.open(folder).open_store()
    try:
        clip = store.clip(clip_id)
        last = clip.frame_count - 1
        truth = store.segments(clip_id, GROUND_TRUTH)
        props = [Proposal(None, clip_id, "demo-v1", max(0, s.start_frame + 3 * (k % 3 - 1)),
                          min(last, s.end_frame + 2 * (k % 2)), s.action_id, DEMO_SCORES[k % len(DEMO_SCORES)])
                 for k, s in enumerate(truth)]
        props.append(Proposal(None, clip_id, "demo-v1", last // 3, last // 3 + 20, 16, 0.33))
        return len(store.add_proposals(clip_id, "demo-v1", props))
    finally:
        store.close()


def review_shots(app: QApplication, folder: Path, settings: AppSettings, throwaway: bool) -> dict[str, object]:
    """The reviewer's window on the merged demo (merged and one decision taken on a throwaway demo)."""
    if throwaway:
        owner = Project.open(folder).open_store()
        try:
            run_merge(owner)
        finally:
            owner.close()
    window = build_window(Project.open(folder), REVIEWER, settings)
    assert isinstance(window, ReviewWindow)
    window.resize(1600, 900)
    window.show()
    # The clip with the most instances to review shows the lanes best.
    rows = sorted(window.queue.model.rows, key=lambda r: -(r.needs_review + r.resolved))
    if not rows:
        window.close()
        return {}
    window.open_clip_id(rows[0].clip.id)
    settle(app, 20, lambda: window.timeline.filmstrip.thumbs is not None)
    if throwaway:
        window.session.accept_majority()
        window.next_unresolved()
    settle(app, 0.3)
    shots: dict[str, object] = {"review": window.grab()}
    window.show_shortcuts()
    settle(app, 0.2)
    assert window.sheet is not None
    shots["review_shortcut_sheet"] = window.sheet.grab()
    window.sheet.hide()
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    window.close()
    return shots


def main() -> int:
    """Build or open the demo project, take the shots, print where they are."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--project", type=Path)
    parser.add_argument("--out", type=Path, default=Path("bench/screenshots"))
    args = parser.parse_args()
    app = QApplication([sys.argv[0]])
    app.setStyle("Fusion")
    app.setStyleSheet(style_sheet())
    tmp = tempfile.TemporaryDirectory()
    folder = args.project
    if folder is None:
        from annotator.synthetic.demo import build_demo

        folder = Path(tmp.name) / "demo_project"
        build_demo(folder, subjects=3, clips_per_subject=3, seed=1, size=(640, 480))
    args.out.mkdir(parents=True, exist_ok=True)
    settings = AppSettings(str(Path(tmp.name) / "settings.ini"))
    window = build_window(Project.open(folder), USER, settings)
    window.resize(1600, 900)
    window.show()
    clip_id = best_clip(window)
    if args.project is None:
        add_demo_proposals(folder, clip_id)
    window.open_clip_id(clip_id)
    if args.project is None:  # a throwaway demo: make the packing of overlaps visible
        add_overlaps(window)
    settle(app, 20, lambda: window.timeline.filmstrip.thumbs is not None)
    session = window.session
    seg = session.segments[len(session.segments) // 2]
    session.select(seg.id)
    window.player.seek((seg.start_frame + seg.end_frame) // 2)
    window.show_message(f"Added '{session.taxonomy.action(seg.action_id).name}' "
                        f"{seg.start_frame}–{seg.end_frame}")
    settle(app, 0.3)
    shots = {"main": window.grab()}
    window.controller.mark_in()
    window.player.step(12)
    window.controller.mark_out()
    window.picker.edit.setText("touch")
    settle(app, 0.3)
    shots["picker_dialog"] = window.picker.grab()
    shots["picker_window"] = window.grab()
    window.picker.reject()
    window.controller.clear_mark()
    window.player.set_gradient(True)
    window.timeline.zoom(3.0)
    settle(app, 0.3)
    shots["gradient_zoom"] = window.grab()
    window.player.set_gradient(False)
    window.show_shortcuts()
    settle(app, 0.3)
    assert window.sheet is not None
    shots["shortcut_sheet"] = window.sheet.grab()
    window.sheet.hide()
    window.timeline.fit()
    window.session.select(None)
    window.player.seek(0)
    window.proposals.jump(1)
    if window.proposals.selected is not None:
        settle(app, 0.3)
        shots["proposals"] = window.grab()
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    window.close()
    shots.update(review_shots(app, folder, settings, args.project is None))  # type: ignore[arg-type]
    for name, pixmap in shots.items():
        path = args.out / f"{name}.png"
        pixmap.save(str(path))
        print(f"{path}  {pixmap.width()}x{pixmap.height()}")
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
