"""The admin API ("the office"): changes need role admin, reading is open to supervisors."""
from datetime import datetime

from flask import g, jsonify, request

from ..clock import now
from ..domain.errors import BadRequest
from ..domain.lifecycle import INSIGHT_ROLES, StaffRole
from ..services import audit, office_calendar, office_catalog, office_staff
from . import bp
from .admin_schemas import (ClosureCreate, RulesPut, ServiceCreate, ServicePatch, StaffCreate,
                            StaffPatch, fields_given)
from .auth import require
from .schemas import parse

READERS = tuple(INSIGHT_ROLES)
ADMIN = (StaffRole.ADMIN,)


def actor():
    return g.principal.staff.username


def _flag(name):
    raw = request.args.get(name)
    if raw is None:
        return None
    if raw not in ("true", "false"):
        raise BadRequest(f"`{name}` is true or false.", code="invalid_flag", status=422)
    return raw == "true"


@bp.get("/admin/services")
@require(roles=READERS)
def admin_services():
    return jsonify(office_catalog.list_services(
        office=request.args.get("office"), search=request.args.get("q"), active=_flag("active")))


@bp.post("/admin/services")
@require(roles=ADMIN)
def admin_create_service():
    body = fields_given(parse(ServiceCreate))
    return jsonify(office_catalog.create_service(actor(), body, now())), 201


@bp.get("/admin/services/<code>")
@require(roles=READERS)
def admin_service(code):
    return jsonify(office_catalog.service_view(office_catalog.get_service(code)))


@bp.patch("/admin/services/<code>")
@require(roles=ADMIN)
def admin_update_service(code):
    body = fields_given(parse(ServicePatch))
    return jsonify(office_catalog.update_service(actor(), code, body, now()))


@bp.delete("/admin/services/<code>")
@require(roles=ADMIN)
def admin_delete_service(code):
    office_catalog.delete_service(actor(), code, now())
    return "", 204


@bp.get("/admin/staff")
@require(roles=READERS)
def admin_staff():
    return jsonify(office_staff.list_staff(role=request.args.get("role"),
                                           active=_flag("active"), search=request.args.get("q")))


@bp.post("/admin/staff")
@require(roles=ADMIN)
def admin_create_staff():
    body = fields_given(parse(StaffCreate))
    return jsonify(office_staff.create_staff(actor(), body, now())), 201


@bp.patch("/admin/staff/<username>")
@require(roles=ADMIN)
def admin_update_staff(username):
    body = fields_given(parse(StaffPatch))
    return jsonify(office_staff.update_staff(actor(), username, body, now()))


@bp.get("/admin/offices/<office>/opening-rules")
@require(roles=READERS)
def admin_opening_rules(office):
    return jsonify(office_calendar.opening_rules(office))


@bp.put("/admin/offices/<office>/opening-rules")
@require(roles=ADMIN)
def admin_replace_opening_rules(office):
    body = parse(RulesPut)
    items = [fields_given(rule) for rule in body.rules]
    return jsonify(office_calendar.replace_rules(actor(), office, items, now()))


@bp.get("/admin/closures")
@require(roles=READERS)
def admin_closures():
    return jsonify(office_calendar.list_closures(office_code=request.args.get("office")))


@bp.post("/admin/closures")
@require(roles=ADMIN)
def admin_create_closure():
    body = fields_given(parse(ClosureCreate))
    return jsonify(office_calendar.create_closure(actor(), body, now())), 201


@bp.delete("/admin/closures/<int:closure_id>")
@require(roles=ADMIN)
def admin_delete_closure(closure_id):
    office_calendar.delete_closure(actor(), closure_id, now())
    return "", 204


@bp.get("/admin/audit")
@require(roles=READERS)
def admin_audit():
    since = request.args.get("since")
    if since is not None:
        try:
            since = datetime.fromisoformat(since)
        except ValueError:
            since = None
        if since is None or since.tzinfo is None:
            raise BadRequest("`since` is a time with its offset, e.g. "
                             "2026-11-24T09:00:00+01:00.", code="invalid_since", status=422)
    return jsonify(audit.entries(since=since, actor=request.args.get("actor"),
                                 action=request.args.get("action"),
                                 target=request.args.get("target")))
