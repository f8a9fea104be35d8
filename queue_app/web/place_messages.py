"""What the staff pages say for the errors of offices, zones and desks (the office's
forms and the desk chooser). Staff read German and English only, so these live apart
from the visitors' messages, which every kiosk language must cover."""
from flask_babel import lazy_gettext as _l

PLACE_MESSAGES = {
    # Clerks choosing a desk.
    "not_offered_here": _l("This desk does not offer every service you chose. Please "
                           "choose from those it offers."),
    "desk_inactive": _l("This desk is switched off. Please choose another."),
    # The admin's forms (services, offices, zones, desks).
    "invalid_minutes": _l("Give whole minutes from %(low)d to %(high)d."),
    "missing_field": _l("This is needed."),
    "invalid_role": _l("Choose a role from the list."),
    # The admin's offices, zones and desks.
    "office_exists": _l("An office with this code exists already."),
    "zone_exists": _l("A zone with this code exists already."),
    "desk_exists": _l("A desk with this code exists already."),
    "unknown_zone": _l("There is no such zone."),
    "code_fixed": _l("The code cannot change: other records name it."),
    "invalid_desk_name": _l("A desk's name is 1 to 80 characters."),
    "office_in_use": _l("Services belong to this office: move them to another office or "
                        "delete them first."),
    "office_has_history": _l("Appointments were booked with this office; their records need "
                             "it."),
    "zone_in_use": _l("Desks or devices stand in this zone: move or revoke them first."),
    "desk_in_use": _l("Someone is signed in at this desk: they sign out first."),
    "desk_has_history": _l("Visitors were served at this desk; the reports need it. Switch "
                           "it off instead: nobody can sign in there any more."),
    "service_only_offer": _l("A desk offers this service alone; without it the desk would "
                             "offer every service. Change the desk first."),
}
