"""The translation catalogs: German and English complete, the visitors' languages complete
for every text a visitor sees (kiosk, phone page, board), and nothing in the sources that
the catalogs do not know yet."""
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = ROOT / "queue_app" / "translations"
METHOD_MAP = [("**.py", "python"), ("**/templates/**.html", "jinja2"),
              ("**/templates/mail/**.txt", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}
# Where visitors and residents read: every text here must exist in every language the
# kiosk offers (the staff pages are German and English).
PUBLIC_SOURCES = ("kiosk/", "display/", "queue_app/web/templates/track",
                  "queue_app/templates/base.html", "queue_app/templates/wait_minutes",
                  "queue_app/templates/mail/", "queue_app/web/templates/book",
                  "queue_app/web/templates/manage", "queue_app/web/templates/resident",
                  "queue_app/web/booking.py", "queue_app/web/messages.py",
                  "queue_app/services/notifications.py", "queue_app/web/track.py",
                  "queue_app/web/errors.py")


def _extract():
    found = {}
    for folder in ("queue_app", "kiosk", "display"):
        for filename, _lineno, message, _comments, _context in extract_from_dir(
                ROOT / folder, METHOD_MAP, keywords=KEYWORDS):
            msgid = message[0] if isinstance(message, tuple) else message
            found.setdefault(msgid, set()).add(f"{folder}/{filename}")
    return found


def _catalog(lang):
    with (CATALOGS / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=lang)


def _untranslated(message):
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return not all(strings) or message.fuzzy


SOURCES = _extract()


@pytest.mark.parametrize("lang", ["de", "en", "tr", "ar", "uk"])
def test_catalog_knows_every_text_in_the_sources(lang):
    catalog = _catalog(lang)
    unknown = [msgid for msgid in SOURCES if catalog.get(msgid) is None]
    assert unknown == [], "run pybabel extract/update (see babel.cfg)"


@pytest.mark.parametrize("lang", ["de", "en"])
def test_german_and_english_are_complete(lang):
    catalog = _catalog(lang)
    assert [m.id for m in catalog if m.id and _untranslated(m)] == []


@pytest.mark.parametrize("lang", ["tr", "ar", "uk"])
def test_visitor_languages_cover_every_public_text(lang):
    catalog = _catalog(lang)
    public = [msgid for msgid, places in SOURCES.items()
              if any(p.startswith(PUBLIC_SOURCES) for p in places)]
    assert len(public) > 140
    missing = [msgid for msgid in public if _untranslated(catalog.get(msgid))]
    assert missing == []


@pytest.mark.parametrize("lang", ["de", "tr", "ar", "uk"])
def test_placeholders_survive_translation(lang):
    for message in _catalog(lang):
        if not message.id or _untranslated(message):
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(re.findall(r"%\(\w+\)[sd]", ids[0]))
        for string in strings:
            assert set(re.findall(r"%\(\w+\)[sd]", string)) == wanted, (lang, message.id)


@pytest.mark.parametrize("lang, counts", [
    ("uk", {1: "хвилина", 3: "хвилини", 5: "хвилин", 21: "хвилина"}),
    ("de", {1: "Minute", 2: "Minuten"}),
    ("ar", {3: "دقائق", 11: "دقيقة"}),
])
def test_plural_rules_survive_compilation(lang, counts):
    from babel.support import Translations

    from queue_app.web.locale import compile_catalogs
    compile_catalogs(CATALOGS)
    translations = Translations.load(str(CATALOGS), [lang])
    for n, word in counts.items():
        text = translations.ngettext("about %(num)d minute", "about %(num)d minutes", n)
        assert (text % {"num": n}).endswith(f"{n} {word}")
