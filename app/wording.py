"""Small helpers for the words the screens show: counts in the interface language."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from annotator.wording import plural as english_plural


def plural(n: int, noun: str) -> str:
    """'1 instance', '3 instances' in English; in another language the noun's translation
    (context "Count", a template with {n}, e.g. '{n} 个实例') filled in with the count."""
    template = QCoreApplication.translate("Count", noun)
    if template == noun or "{n}" not in template:
        return english_plural(n, noun)
    return template.format(n=f"{n:,}")
