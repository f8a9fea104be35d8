"""Board pages: one per zone, plus the state as JSON for the board's fallback poll."""
from flask import abort, current_app, g, jsonify, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _

from queue_app.clock import centre_tz, now
from queue_app.services.catalog import list_services, list_zones
from queue_app.services.devices import device_zone
from queue_app.services.queue_state import display_state, zone_exists
from queue_app.web.locale import supported
from queue_app.domain.lifecycle import DeviceKind
from queue_app.web.session_auth import current_device

from . import bp

# Voices the browser's speech synthesis is asked for, per ticket language.
VOICES = {"de": "de-DE", "en": "en-GB", "tr": "tr-TR", "ar": "ar-SA", "uk": "uk-UA"}


def _phrases():
    """The call sentence in every language, with {number} and {desk} left for the board."""
    phrases = {}
    for lang in current_app.config["LANGUAGES"]:
        with force_locale(lang):
            phrases[lang] = {"text": _("Number %(number)s, please go to %(desk)s.",
                                       number="{number}", desk="{desk}"),
                             "voice": VOICES.get(lang, lang)}
    return phrases


@bp.get("/")
def choose_zone():
    device = current_device(DeviceKind.DISPLAY)
    zone = device_zone(device.id) if device is not None else None
    if zone:
        return redirect(url_for("display.board", zone=zone))
    return render_template("display/zones.html", zones=list_zones())


@bp.get("/<zone>")
def board(zone):
    if not zone_exists(zone):
        abort(404)
    cfg = current_app.config
    # A board speaks the centre's language, whatever the browser on the wall was set to.
    asked = request.args.get("lang")
    g.lang = asked if asked and supported(asked) else cfg["BABEL_DEFAULT_LOCALE"]
    lang = str(get_locale())
    services = [{"code": s["code"], "name": s["name"]} for s in list_services(lang)
                if s["walk_in"]]
    zone_name = next((z["name"] for z in list_zones(lang) if z["code"] == zone), zone)
    return render_template("display/board.html", zone=zone, zone_name=zone_name,
                           services=services,
                           phrases=_phrases(), poll_seconds=cfg["BOARD_POLL_SECONDS"],
                           heartbeat_seconds=cfg["BOARD_HEARTBEAT_SECONDS"])


@bp.get("/<zone>/state.json")
def state(zone):
    if not zone_exists(zone):
        abort(404)
    response = jsonify(display_state(zone, now(), centre_tz()))
    response.headers["Cache-Control"] = "no-store"
    return response
