"""`/`: where a newcomer starts. Links to every face of the centre, nothing else."""
from flask import render_template
from flask_babel import get_locale

from ..services.catalog import list_zones
from . import bp


@bp.get("/")
def landing():
    return render_template("landing.html", zones=list_zones(str(get_locale())))
