"""Server-rendered pages: the phone page, clerk desk, floor view, device setup."""
from babel import Locale, UnknownLocaleError
from flask import Blueprint, current_app, request, url_for
from flask_babel import get_locale

from ..domain.lifecycle import INSIGHT_ROLES, AppointmentStatus, StepStatus, VisitStatus
from .locale import ENDONYMS, text_direction

bp = Blueprint("web", __name__, template_folder="templates")


def page_context():
    lang = str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
    return {"page_lang": lang, "page_dir": text_direction(lang), "endonyms": ENDONYMS,
            "centre_name": current_app.config["CENTRE_NAME"]}


def same_page_in(code):
    """This page's address with `lang` set to `code`, every other argument kept."""
    args = {k: v for k, v in request.args.lists() if k != "lang"}
    return url_for(request.endpoint, **(request.view_args or {}), **args, lang=code)


def language_name(code):
    """A language's name in the page's language (for staff: "Arabisch", "Arabic")."""
    try:
        return Locale.parse(code).get_display_name(str(get_locale())) or code
    except (ValueError, UnknownLocaleError):
        return code


def init_app(app):
    # Route modules decorate `bp`, so they are imported once it exists.
    from . import booking, desk, devices, floor, landing, reports, staff, track  # noqa: F401
    app.context_processor(page_context)
    app.add_template_filter(language_name)
    app.add_template_global(same_page_in)
    # Templates compare statuses with the domain's enums, never with words of their own.
    app.jinja_env.globals.update(VisitStatus=VisitStatus, StepStatus=StepStatus,
                                 AppointmentStatus=AppointmentStatus,
                                 INSIGHT_ROLES=INSIGHT_ROLES)
    track.init_socket()
    app.register_blueprint(bp)
    from . import admin
    admin.init_app(app)
