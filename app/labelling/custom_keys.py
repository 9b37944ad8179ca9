"""Keys the user chose: the collision check of the shortcut tables, applied to any bindings.

A binding maps a command (its action's object name) to its key sequences. Two commands
collide when one key press can match a sequence of each: the same sequence, or (X11) a
shifted key and its shifted symbol, e.g. Shift+] and } (Qt then runs neither).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtGui import QKeySequence

SHIFTED = {"[": "{", "]": "}", "=": "+", "/": "?", ",": "<", ".": ">", ";": ":", "'": '"', "-": "_",
           "1": "!", "2": "@", "3": "#", "4": "$", "5": "%", "6": "^", "7": "&", "8": "*", "9": "(", "0": ")"}

Bindings = Mapping[str, Sequence[str]]


def normal(key: str) -> str:
    """A key sequence in Qt's portable text form ('' if Qt cannot read it)."""
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.PortableText)


def key_forms(key: str) -> set[str]:
    """Every form in which one press of `key` can reach the shortcut map."""
    text = normal(key)
    mods, _, base = text.rpartition("+") if len(text) > 1 and text[-2] == "+" else ("", "", text)
    if not base and text.endswith("+"):  # "Ctrl++": the key itself is '+'
        mods, base = text[:-2], "+"
    forms = {text}
    parts = [m for m in mods.split("+") if m]
    if "Shift" in parts and base in SHIFTED:
        rest = "+".join(m for m in parts if m != "Shift")
        forms.add(f"{rest}+{SHIFTED[base]}" if rest else SHIFTED[base])
    return forms


def collisions(bindings: Bindings, names: Mapping[str, str] | None = None) -> list[str]:
    """One line per key that reaches two commands, or that Qt cannot read; [] when all is well.
    `names` gives the commands as the user sees them (menu texts) instead of their ids."""
    def shown(command: str) -> str:
        return (names or {}).get(command, command)

    owner: dict[str, str] = {}
    problems = []
    for command, keys in bindings.items():
        for key in keys:
            if not normal(key):
                problems.append(f"{key!r} of {shown(command)} is not a key Qt can read")
                continue
            for form in key_forms(key):
                other = owner.get(form)
                if other is not None and other != command:
                    problems.append(f"{normal(key)} is both '{shown(other)}' and '{shown(command)}'")
                owner[form] = command
    return problems
