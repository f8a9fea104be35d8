"""Request bodies, validated strictly: wrong types are refused, not coerced."""
import hashlib
import json
from datetime import date, datetime
from typing import Annotated, Literal, Optional, Union

from flask import current_app, request
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from ..domain import person
from ..domain import dates
from ..domain.errors import BadRequest

Code = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_\-]{1,40}$")]
Lang = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
# The reasons a visitor may give for being served sooner (the kiosk asks for these);
# `"priority": true` alone means "other".
PRIORITY_REASONS = ("elderly", "disability", "pregnancy", "children")
PriorityReason = Literal[PRIORITY_REASONS + ("other",)]
# Errands on one ticket or one booking (the kiosk's limit too).
MAX_SERVICES = 6


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class TokenRequest(Strict):
    username: Annotated[str, StringConstraints(min_length=1, max_length=80)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=200)]


def _unique(codes):
    if len(set(codes)) != len(codes):
        raise ValueError("each service may appear once")
    return codes


def _supported_lang(lang):
    if lang not in current_app.config["LANGUAGES"]:
        raise ValueError(f"unsupported language; use one of "
                         f"{', '.join(current_app.config['LANGUAGES'])}")
    return lang


class TicketRequest(Strict):
    """A walk-in ticket, from the API or (built from its form) the kiosk: one set of rules,
    one digest for idempotent retries."""
    services: Annotated[list[Code], Field(min_length=1, max_length=MAX_SERVICES)]
    lang: Lang = "de"
    priority: Optional[Union[bool, PriorityReason]] = None

    _unique_services = field_validator("services")(_unique)

    _lang = field_validator("lang")(_supported_lang)

    def priority_reason(self):
        if self.priority is True:
            return "other"
        return self.priority or None

    def digest(self):
        canonical = json.dumps(self.model_dump(), sort_keys=True)
        return hashlib.sha256(canonical.encode()).hexdigest()


class DeskSessionRequest(Strict):
    services: Annotated[list[Code], Field(min_length=1, max_length=40)]

    _unique_services = field_validator("services")(_unique)


class TransferRequest(Strict):
    service: Code


class FeedbackRequest(Strict):
    rating: Annotated[int, Field(ge=1, le=5)]
    comment: Optional[Annotated[str, StringConstraints(max_length=1000)]] = None


PERIOD_MAX_DAYS = 400


def period_args(default_first, default_last):
    """`from` and `to` (local days, inclusive); 422 when malformed, reversed or longer
    than a year and a month."""
    first = date_arg("from", default_first)
    last = date_arg("to", default_last)
    if first > last:
        raise BadRequest("`from` must not be after `to`.", code="invalid_period", status=422)
    if (last - first).days >= PERIOD_MAX_DAYS:
        raise BadRequest(f"A period may span at most {PERIOD_MAX_DAYS} days.",
                         code="period_too_long", status=422)
    return first, last


def parse(model):
    """The request body as `model`; 400 for a body that is not a JSON object."""
    request.get_data(cache=True)  # raises 413 for an oversized body before it is parsed
    try:
        data = request.get_json(silent=True)
    except RecursionError:   # thousands of nested brackets
        data = None
    if not isinstance(data, dict):
        raise BadRequest("The body must be a JSON object.", code="invalid_json")
    return model.model_validate(data)


def idempotency_key():
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    if not (1 <= len(key) <= 128) or not key.isascii() or not key.isprintable():
        raise BadRequest("Idempotency-Key must be 1 to 128 printable ASCII characters.",
                         code="invalid_idempotency_key")
    return key


def _text_only(value):
    # Pydantic would read a number as seconds since 1970; a time must be written out.
    if not isinstance(value, str):
        raise ValueError("give the time as text, e.g. 2026-12-01T09:00:00+01:00")
    return value


def _aware(moment):
    if moment.tzinfo is None:
        raise ValueError("give the time with its offset, e.g. 2026-12-01T09:00:00+01:00")
    if not dates.in_range(moment):
        raise ValueError(f"the time must lie between {dates.EARLIEST} and {dates.LATEST}")
    return moment


Services = Annotated[list[Code], Field(min_length=1, max_length=MAX_SERVICES)]
# Lengths from the one person check (domain/person.py), which the services run on top.
Name = Annotated[str, StringConstraints(min_length=1, max_length=person.MAX_NAME)]
Email = Annotated[str, StringConstraints(min_length=3, max_length=person.MAX_EMAIL)]
Phone = Annotated[str, StringConstraints(max_length=person.MAX_PHONE)]


class AppointmentRequest(Strict):
    services: Services
    # Times arrive as JSON strings: parsed, not coerced from numbers.
    start: Annotated[datetime, Field(strict=False)]
    name: Name
    email: Email
    phone: Optional[Phone] = None
    lang: Lang = "de"
    consent: bool

    _unique_services = field_validator("services")(_unique)
    _text_start = field_validator("start", mode="before")(_text_only)
    _aware_start = field_validator("start")(_aware)
    _lang = field_validator("lang")(_supported_lang)


class RescheduleRequest(Strict):
    start: Annotated[datetime, Field(strict=False)]

    _text_start = field_validator("start", mode="before")(_text_only)
    _aware_start = field_validator("start")(_aware)


class CheckInRequest(Strict):
    code: Annotated[str, StringConstraints(min_length=1, max_length=12)]


class WaitlistRequest(Strict):
    services: Services
    email: Email
    lang: Lang = "de"
    consent: bool

    _unique_services = field_validator("services")(_unique)
    _lang = field_validator("lang")(_supported_lang)


def date_arg(name, default):
    """A YYYY-MM-DD query parameter, or `default` when it is absent; 422 when malformed."""
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise BadRequest(f"`{name}` must be a date like 2026-12-01.", code="invalid_date",
                         status=422) from None
    if not dates.in_range(day):
        raise BadRequest(f"`{name}` must lie between {dates.EARLIEST} and {dates.LATEST}.",
                         code="date_out_of_range", status=422)
    return day
