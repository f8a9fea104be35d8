"""The admin API's places: offices, zones, desks (which zone, which services a desk may
offer). Changes need role admin, reading is open to supervisors."""
from flask import jsonify, request

from ..clock import now
from ..domain.errors import BadRequest
from ..services import office_places
from . import bp
from .admin_place_schemas import (DeskCreate, DeskPatch, OfficeCreate, OfficePatch,
                                  ZoneCreate, ZonePatch)
from .admin_routes import ADMIN, READERS, actor
from .admin_schemas import fields_given
from .auth import require
from .schemas import parse


def _body(model):
    """The fields sent; `null` for a field means nothing here, so it is refused."""
    fields = fields_given(parse(model))
    empty = sorted(k for k, v in fields.items() if v is None)
    if empty:
        raise BadRequest(f"`{empty[0]}` may not be null.", code="invalid_input", status=422,
                         field=empty[0])
    return fields


@bp.get("/admin/offices")
@require(roles=READERS)
def admin_offices():
    return jsonify(office_places.list_offices())


@bp.post("/admin/offices")
@require(roles=ADMIN)
def admin_create_office():
    return jsonify(office_places.create_office(actor(), _body(OfficeCreate), now())), 201


@bp.get("/admin/offices/<code>")
@require(roles=READERS)
def admin_office(code):
    return jsonify(office_places.office_view(office_places.get_office(code)))


@bp.patch("/admin/offices/<code>")
@require(roles=ADMIN)
def admin_update_office(code):
    return jsonify(office_places.update_office(actor(), code, _body(OfficePatch), now()))


@bp.delete("/admin/offices/<code>")
@require(roles=ADMIN)
def admin_delete_office(code):
    office_places.delete_office(actor(), code, now())
    return "", 204


@bp.get("/admin/zones")
@require(roles=READERS)
def admin_zones():
    return jsonify(office_places.list_zones())


@bp.post("/admin/zones")
@require(roles=ADMIN)
def admin_create_zone():
    return jsonify(office_places.create_zone(actor(), _body(ZoneCreate), now())), 201


@bp.get("/admin/zones/<code>")
@require(roles=READERS)
def admin_zone(code):
    return jsonify(office_places.zone_view(office_places.get_zone(code)))


@bp.patch("/admin/zones/<code>")
@require(roles=ADMIN)
def admin_update_zone(code):
    return jsonify(office_places.update_zone(actor(), code, _body(ZonePatch), now()))


@bp.delete("/admin/zones/<code>")
@require(roles=ADMIN)
def admin_delete_zone(code):
    office_places.delete_zone(actor(), code, now())
    return "", 204


@bp.get("/admin/desks")
@require(roles=READERS)
def admin_desks():
    active = request.args.get("active")
    if active not in (None, "true", "false"):
        raise BadRequest("`active` is true or false.", code="invalid_flag", status=422)
    return jsonify(office_places.list_desks(
        zone=request.args.get("zone"), active=None if active is None else active == "true"))


@bp.post("/admin/desks")
@require(roles=ADMIN)
def admin_create_desk():
    return jsonify(office_places.create_desk(actor(), _body(DeskCreate), now())), 201


@bp.get("/admin/desks/<code>")
@require(roles=READERS)
def admin_desk(code):
    return jsonify(office_places.one_desk(code))


@bp.patch("/admin/desks/<code>")
@require(roles=ADMIN)
def admin_update_desk(code):
    return jsonify(office_places.update_desk(actor(), code, _body(DeskPatch), now()))


@bp.delete("/admin/desks/<code>")
@require(roles=ADMIN)
def admin_delete_desk(code):
    office_places.delete_desk(actor(), code, now())
    return "", 204
