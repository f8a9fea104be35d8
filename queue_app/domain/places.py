"""Offices, zones and desks as plain values: what a valid desk is, and which services a
clerk may choose at a desk.

The rule for a desk's services: a desk lists the services it may offer; a desk that
lists none offers every service. Zones are areas of the building (a floor, a wing) that
offices share, so a desk's zone says where visitors wait, not which office it serves;
the list is where a desk is limited to one office's errands (or fewer).
"""
from dataclasses import dataclass
from enum import StrEnum

from .office import invalid

MAX_DESK_NAME = 80


class Unavailable(StrEnum):
    """Why a service cannot be chosen at a desk by this clerk."""
    NOT_OFFERED = "not_offered"        # the clerk may serve it, the desk does not offer it
    NOT_COMPETENT = "not_competent"    # the desk offers it, the clerk is not trained for it


@dataclass(frozen=True)
class Choice:
    service: str
    available: bool
    reason: Unavailable | None = None


def offers(desk_services, service):
    """Whether a desk listing `desk_services` (codes; empty = every service) offers it."""
    return not desk_services or service in desk_services


def choices(desk_services, competencies, order):
    """What a clerk sees at a desk, in `order` (service codes): every service they are
    trained for, and every service the desk lists; available where both hold."""
    desk_services, competencies = set(desk_services), set(competencies)
    shown = [c for c in order if c in competencies or c in desk_services]
    result = []
    for code in shown:
        if code not in competencies:
            result.append(Choice(code, False, Unavailable.NOT_COMPETENT))
        elif not offers(desk_services, code):
            result.append(Choice(code, False, Unavailable.NOT_OFFERED))
        else:
            result.append(Choice(code, True))
    return result


def not_offered(desk_services, wanted):
    """The wanted codes a desk does not offer, in the order asked."""
    return [c for c in wanted if not offers(set(desk_services), c)]


def check_desk_name(value, field="name"):
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > MAX_DESK_NAME:
        raise invalid(field, f"A desk's name is 1 to {MAX_DESK_NAME} characters.",
                      code="invalid_desk_name")
    return value.strip()


def check_service_list(value, field="services"):
    if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
        raise invalid(field, "Services are given as a list of codes.")
    return list(dict.fromkeys(value))
