"""Refresh the interface translations: extract every translatable string, merge into the .ts files,
compile the .qm files.

    python tools/update_translations.py [--check]

Strings are found in app/ by reading the code (ast): calls `tr(context, "text")`, `plural(n, "noun")`
(context "Count", outside the CLI),
`QCoreApplication.translate(context, "text")` and `QT_TRANSLATE_NOOP(context, "text")` with
literal arguments (`mark` is app.i18n's typed QT_TRANSLATE_NOOP); and the shortcut tables (their texts and hints, context "Shortcut"), the
menu titles ("Menu"), the ? sheet's notes ("Help") and the bundled taxonomies' names ("Taxonomy"), which are translated where shown.
A string already translated in a .ts keeps its translation; a new one is written unfinished
(Qt Linguist, or an editor, fills it in). --check writes nothing and exits 1 when a .ts is not
current or holds an unfinished translation (the test suite runs the same check).
"""

from __future__ import annotations

import argparse
import ast
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "resources" / "i18n"
LANGUAGES = ("zh_CN",)
CALLS = {"tr", "translate", "mark", "QT_TRANSLATE_NOOP"}

Message = tuple[str, str]  # context, source text


def _literal(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def code_messages(folder: Path) -> list[Message]:
    """Every (context, text) of a tr/translate/QT_TRANSLATE_NOOP call with literal arguments."""
    found: list[Message] = []
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call) or len(node.args) < 2:
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in CALLS:
                context, text = _literal(node.args[0]), _literal(node.args[1])
                if context is not None and text is not None:
                    found.append((context, text))
            elif name == "plural" and "cli" not in path.parts:  # app.wording.plural(n, "noun")
                noun = _literal(node.args[1])
                if noun is not None:
                    found.append(("Count", noun))
    return found


def table_messages() -> list[Message]:
    """The shortcut tables' texts and hints, the menu titles and the sheets' notes."""
    sys.path.insert(0, str(ROOT))
    from annotator.taxonomy import BUNDLED, load_taxonomy
    from app.controllers.pose import POSE_SHORTCUTS, REVIEW_POSE_SHORTCUTS
    from app.labelling.shortcuts import MENUS, SHORTCUTS
    from app.main_window import MainWindow
    from app.model_loop.loop_controller import MODELS_SHORTCUTS, PROPOSE_SHORTCUTS, TRAIN_SHORTCUTS
    from app.proposals.proposal_controller import PROPOSAL_SHORTCUTS
    from app.review.review_shortcuts import REVIEW_MENUS, REVIEW_SHORTCUTS
    from app.review.review_window import ReviewWindow

    found: list[Message] = []
    for table in (SHORTCUTS, REVIEW_SHORTCUTS, PROPOSAL_SHORTCUTS, POSE_SHORTCUTS, REVIEW_POSE_SHORTCUTS,
                  PROPOSE_SHORTCUTS, MODELS_SHORTCUTS, TRAIN_SHORTCUTS):
        for s in table:
            found.append(("Shortcut", s.text))
            if s.help:
                found.append(("Shortcut", s.help))
    for menu in (*MENUS, *REVIEW_MENUS, "Model", "Pose"):
        found.append(("Menu", menu))
    found += [("Help", MainWindow.SHEET_NOTE), ("Help", ReviewWindow.SHEET_NOTE)]
    for bundled in BUNDLED:  # the taxonomies' names, shown translated (app.i18n.tax_name)
        taxonomy = load_taxonomy(bundled)
        found += [("Taxonomy", b.name) for b in taxonomy.body_parts]
        found += [("Taxonomy", a.name) for a in taxonomy.actions]
    return found


def all_messages() -> list[Message]:
    """Every message, once, in a stable order."""
    return list(dict.fromkeys([*code_messages(ROOT / "app"), *table_messages()]))


def read_ts(path: Path) -> dict[Message, tuple[str, bool]]:
    """(context, source) -> (translation, finished) of a .ts file ({} when there is none)."""
    if not path.is_file():
        return {}
    out = {}
    for ctx in ET.parse(path).getroot().iter("context"):
        name = ctx.findtext("name", "")
        for msg in ctx.iter("message"):
            tr_el = msg.find("translation")
            text = (tr_el.text or "") if tr_el is not None else ""
            finished = tr_el is not None and tr_el.get("type") not in ("unfinished", "obsolete") and bool(text)
            out[(name, msg.findtext("source", ""))] = (text, finished)
    return out


def ts_text(language: str, messages: list[Message], known: dict[Message, tuple[str, bool]]) -> str:
    """The .ts file for these messages, keeping the translations already made."""
    root = ET.Element("TS", version="2.1", language=language)
    contexts: dict[str, ET.Element] = {}
    for context, source in messages:
        ctx = contexts.get(context)
        if ctx is None:
            ctx = contexts[context] = ET.SubElement(root, "context")
            ET.SubElement(ctx, "name").text = context
        msg = ET.SubElement(ctx, "message")
        ET.SubElement(msg, "source").text = source
        text, finished = known.get((context, source), ("", False))
        el = ET.SubElement(msg, "translation")
        el.text = text
        if not finished:
            el.set("type", "unfinished")
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + ET.tostring(root, "unicode") + "\n"


def problems(language: str) -> list[str]:
    """What is not current in one language's .ts: missing, unfinished or stale messages."""
    path = I18N / f"mmad_{language}.ts"
    known = read_ts(path)
    wanted = all_messages()
    out = [f"{path.name}: not translated: [{c}] {s!r}" for c, s in wanted if not known.get((c, s), ("", False))[1]]
    stale = set(known) - set(wanted)
    out += [f"{path.name}: no longer used: [{c}] {s!r}" for c, s in sorted(stale)]
    return out


def main(argv: list[str]) -> int:
    """Update (or --check) every language's .ts and .qm."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    if args.check:
        found = [p for lang in LANGUAGES for p in problems(lang)]
        print("\n".join(found) or "translations current")
        return 1 if found else 0
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    for language in LANGUAGES:
        path = I18N / f"mmad_{language}.ts"
        path.write_text(ts_text(language, all_messages(), read_ts(path)), "utf-8")
        subprocess.run([str(lrelease), "-silent", str(path), "-qm", str(path.with_suffix(".qm"))], check=True)
        left = [p for p in problems(language) if "not translated" in p]
        print(f"{path.name}: {len(all_messages())} messages, {len(left)} not translated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
