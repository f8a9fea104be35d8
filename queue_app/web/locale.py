"""Which language a page speaks, and the gettext catalogs behind it.

A page that belongs to one visitor (kiosk after the language choice, the phone page) sets
`g.lang` itself; staff pages follow ?lang=, then the session, then the browser.
"""
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import current_app, g, request, session

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
RIGHT_TO_LEFT = frozenset({"ar", "fa", "he", "ur"})
# Each language named in itself, as a visitor looks for it on the start screen.
ENDONYMS = {"de": "Deutsch", "en": "English", "tr": "Türkçe", "ar": "العربية",
            "uk": "Українська"}


def supported(lang):
    return lang in current_app.config["LANGUAGES"]


def select_locale():
    lang = g.get("lang")
    if lang:
        return lang
    asked = request.args.get("lang")
    if asked and supported(asked):
        session["lang"] = asked
        return asked
    if supported(session.get("lang", "")):
        return session["lang"]
    return (request.accept_languages.best_match(current_app.config["LANGUAGES"])
            or current_app.config["BABEL_DEFAULT_LOCALE"])


def text_direction(lang):
    return "rtl" if lang in RIGHT_TO_LEFT else "ltr"


def compile_catalogs(directory=TRANSLATIONS):
    """Compile every .po whose .mo is missing or older, so a checkout needs no build step."""
    for po_path in directory.glob("*/LC_MESSAGES/*.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as f:
            catalog = read_po(f, locale=po_path.parent.parent.name)
        spare = mo_path.with_suffix(".mo.tmp")
        with spare.open("wb") as f:
            write_mo(f, catalog)
        spare.replace(mo_path)
