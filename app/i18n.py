"""The interface language: Qt's translation system, the language chosen in the settings or the system's.

Every user-facing string of the screens goes through QCoreApplication.translate (or is marked
with `mark` (a typed QT_TRANSLATE_NOOP) where a table holds it, translated where shown). The
translations are `resources/i18n/mmad_<lang>.ts` (source, edited with Qt Linguist or by hand,
refreshed with `tools/update_translations.py`) compiled to `.qm`, which ships with the app.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

LANGUAGES = {"en": "English", "zh_CN": "中文（简体）"}  # what the app ships, by Qt locale name
SYSTEM = "system"  # follow the system's locale


def translations_dir() -> Path:
    """Where the compiled .qm files live."""
    return Path(str(resources.files("resources").joinpath("i18n")))


def language_for(choice: str | None, system_locale: str | None = None) -> str:
    """The language to show: the chosen one, or (for 'system' or nothing) the system's when
    the app has it, else English."""
    if choice in LANGUAGES:
        return str(choice)
    name = system_locale if system_locale is not None else QLocale.system().name()
    if name in LANGUAGES:
        return name
    language = name.split("_")[0]
    return next((code for code in LANGUAGES if code.split("_")[0] == language), "en")


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Install the app's and Qt's own translations for `language` (none for English); the
    translators are returned so that the caller keeps them alive."""
    QLocale.setDefault(QLocale(language))  # what the guide and the number formats follow
    if language == "en":
        return []
    installed = []
    ours = QTranslator(app)
    if ours.load(f"mmad_{language}", str(translations_dir())):
        app.installTranslator(ours)
        installed.append(ours)
    qt = QTranslator(app)  # Qt's standard buttons (Yes, No, Close, Cancel) and dialogs
    if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        installed.append(qt)
    return installed


def current_language() -> str:
    """The language installed (the default locale's name when the app ships it, else English)."""
    name = QLocale().name()
    return name if name in LANGUAGES else "en"


def tr(context: str, text: str) -> str:
    """`text` in the interface language (QCoreApplication.translate; the tool extracts these calls)."""
    return QCoreApplication.translate(context, text)


def menu_title(title: str) -> str:
    """A menu's title in the interface language with its Alt mnemonic: 'P&ose' stays so in
    English and becomes '姿态(&O)' in Chinese, as CJK menus write it."""
    name = title.replace("&", "")
    at = title.find("&")
    key = title[at + 1] if 0 <= at < len(title) - 1 else name[:1]
    shown = tr("Menu", name)
    if shown == name:
        return title if at >= 0 else f"&{name}"
    return f"{shown}(&{key.upper()})"


def mark(context: str, text: str) -> str:
    """`text` unchanged, marked for translation (a table's entry, translated with tr where shown)."""
    del context  # read by tools/update_translations.py, which finds these calls
    return text


def tax_name(name: str) -> str:
    """A body part's or an action's name as shown (context "Taxonomy"); the stored names stay English."""
    return QCoreApplication.translate("Taxonomy", name)
