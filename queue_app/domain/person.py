"""What a resident tells about themselves (booking, waiting list): one set of checks, so a
page, the API and the waiting list accept and refuse the same things."""
import re

from .errors import InvalidInput

EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
MAX_NAME = 200
MAX_EMAIL = 254
MAX_PHONE = 40
PHONE = re.compile(r"[0-9+()/\- ]{4,%d}" % MAX_PHONE)


def check(email, consent, name=None, phone=None, name_needed=True):
    """Refuse what cannot be stored or reached; codes name the field for the pages."""
    if consent is not True:
        raise InvalidInput("Please agree to the privacy notice.", code="consent_required")
    if name_needed and (not name or not name.strip() or len(name) > MAX_NAME):
        raise InvalidInput("Please give your name.", code="invalid_name")
    if not email or not EMAIL.match(email) or len(email) > MAX_EMAIL:
        raise InvalidInput("Please give a valid e-mail address.", code="invalid_email")
    if phone and not PHONE.fullmatch(phone):
        raise InvalidInput("Please give a valid phone number.", code="invalid_phone")
