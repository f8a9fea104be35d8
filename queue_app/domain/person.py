"""What a resident tells about themselves (booking, waiting list): one set of checks, so a
page, the API and the waiting list accept and refuse the same things.

A name is printed in official mails and on the desk screen: one line, no control
characters, no bidirectional overrides (which reorder what a reader sees), a sane length.
A "name" with line breaks could otherwise add a paragraph of its own to a letter the city
sends.
"""
import re
import unicodedata

from .errors import InvalidInput

EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
MAX_NAME = 100
MAX_EMAIL = 254
MAX_PHONE = 40
PHONE = re.compile(r"[0-9+()/\- ]{4,%d}" % MAX_PHONE)
# Explicit embeddings, overrides and isolates: they make text read differently than stored.
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_REFUSED_CATEGORIES = {"Cc", "Zl", "Zp", "Cs", "Co", "Cn"}


def is_valid_name(name):
    if not isinstance(name, str):
        return False
    name = name.strip()
    if not name or len(name) > MAX_NAME:
        return False
    return not any(c in _BIDI_CONTROLS or unicodedata.category(c) in _REFUSED_CATEGORIES
                   for c in name)


def check(email, consent, name=None, phone=None, name_needed=True):
    """Refuse what cannot be stored or reached; codes name the field for the pages."""
    if consent is not True:
        raise InvalidInput("Please agree to the privacy notice.", code="consent_required")
    if name_needed and not is_valid_name(name):
        raise InvalidInput(f"Please give your name: one line, at most {MAX_NAME} characters.",
                           code="invalid_name")
    if not email or not EMAIL.match(email) or len(email) > MAX_EMAIL:
        raise InvalidInput("Please give a valid e-mail address.", code="invalid_email")
    if phone and not PHONE.fullmatch(phone):
        raise InvalidInput("Please give a valid phone number.", code="invalid_phone")
