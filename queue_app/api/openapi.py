"""The OpenAPI 3.1 document, with request schemas taken from the validating models."""
from flask import jsonify

from ..domain.lifecycle import (AppointmentStatus, DeviceKind, StepStatus, VisitSource,
                                VisitStatus)
from ..domain.ordering import Reason
from . import bp
from ..services import settings
from .admin_device_routes import DeviceCreate, DevicePatch
from .openapi_places import place_paths
from .admin_schemas import (ClosureCreate, RulesPut, ServiceCreate, ServicePatch, StaffCreate,
                            StaffPatch)
from .schemas import (AppointmentRequest, CheckInRequest, DeskSessionRequest, FeedbackRequest,
                      RescheduleRequest, TicketRequest, TokenRequest, TransferRequest,
                      WaitlistRequest)

ERROR = {"type": "object", "required": ["error"], "properties": {"error": {
    "type": "object", "required": ["code", "message"],
    "properties": {"code": {"type": "string"}, "message": {"type": "string"},
                   "field": {"type": "string", "description": "the (first) field at fault"},
                   "fields": {"type": "array", "description": "a 422's every problem, the "
                              "first being `code`/`message`/`field`",
                              "items": {"type": "object", "properties": {
                                  "field": {"type": ["string", "null"]},
                                  "code": {"type": "string"},
                                  "message": {"type": "string"}}}}}}}}

TICKET = {"type": "object", "required": [
    "id", "number", "status", "services", "current_service", "position",
    "estimated_wait_minutes", "desk", "track_url"], "properties": {
    "id": {"type": "string"}, "number": {"type": "string", "examples": ["A017"]},
    "status": {"enum": [str(s) for s in VisitStatus]},
    "services": {"type": "array", "items": {"type": "string"}},
    "steps": {"type": "array", "items": {"type": "object", "properties": {
        "service": {"type": "string"}, "name": {"type": "string"},
        "status": {"enum": [str(s) for s in StepStatus]}}}},
    "source": {"enum": [str(s) for s in VisitSource]},
    "current_service": {"type": ["string", "null"]},
    "position": {"type": ["integer", "null"], "description": "1 = called next"},
    "estimated_wait_minutes": {"type": ["integer", "null"], "minimum": 0},
    "desk": {"type": ["string", "null"]}, "desk_name": {"type": ["string", "null"]},
    "call_reason": {"type": ["string", "null"],
                    "enum": [r.value for r in Reason] + [None]},
    "track_url": {"type": "string"}}}

SLOT = {"type": "object", "required": ["start", "end"], "properties": {
    "start": {"type": "string", "format": "date-time"},
    "end": {"type": "string", "format": "date-time"}}}
DAY_FULL = {"type": "object", "required": ["error", "next_slots"], "properties": {
    "error": ERROR["properties"]["error"],
    "next_slots": {"type": "array", "items": SLOT,
                   "description": "the next free appointment times for that service"}}}


# Nested models (an opening rule inside the rules) become shared components.
_REF = "#/components/schemas/{model}"


def _body(model):
    schema = model.model_json_schema(ref_template=_REF)
    schema.pop("$defs", None)
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _nested_components(*models):
    found = {}
    for model in models:
        found.update(model.model_json_schema(ref_template=_REF).get("$defs", {}))
    return found


def _json(schema, description="OK"):
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*statuses):
    return {str(s): _json({"$ref": "#/components/schemas/Error"}, "Error") for s in statuses}


def _errors_or_later(*statuses):
    """Residents' requests: besides the errors, 429 with Retry-After, code
    `too_many_requests` (this client's rate limit) or `busy` (the residents' admission
    gate in a booking rush); either way nothing was changed, ask again after Retry-After."""
    later = _json({"$ref": "#/components/schemas/Error"},
                  "Not now: `too_many_requests` or `busy`; nothing was changed")
    later["headers"] = {"Retry-After": {"description": "seconds to wait before asking again",
                                        "schema": {"type": "integer", "minimum": 1}}}
    return {**_errors(*statuses), "429": later}


def _ticket_action(summary):
    return {"post": {"summary": summary, "security": [{"bearer": []}],
                     "parameters": [{"$ref": "#/components/parameters/TicketId"}],
                     "responses": {"200": _json({"$ref": "#/components/schemas/Ticket"}),
                                   **_errors(401, 403, 404, 409)}}}


APPOINTMENT = {"type": "object", "required": ["code", "start", "end", "status"], "properties": {
    "code": {"type": "string", "examples": ["K7F-3QX"]},
    "token": {"type": "string", "description": "secret; only in the 201 answer"},
    "start": {"type": "string", "format": "date-time"},
    "end": {"type": "string", "format": "date-time"},
    "status": {"enum": [str(s) for s in AppointmentStatus]},
    "services": {"type": "array", "items": {"type": "string"}},
    "sequence": {"type": "integer"}}}


def _booking_paths():
    appt = {"$ref": "#/components/schemas/Appointment"}
    token = [{"name": "token", "in": "path", "required": True, "schema": {"type": "string"}}]
    day = {"type": "string", "format": "date"}
    return {
        "/slots": {"get": {
            "summary": "Free appointment slots for services of one office",
            "parameters": [
                {"name": "services", "in": "query", "required": True,
                 "schema": {"type": "string"}, "description": "codes, comma-separated"},
                {"name": "from", "in": "query", "schema": day},
                {"name": "to", "in": "query", "schema": day}],
            "responses": {"200": _json({"type": "object", "properties": {"slots": {
                "type": "array", "items": {"type": "object"}}}}), **_errors_or_later(422)}}},
        "/appointments": {"post": {
            "summary": "Book", "requestBody": _body(AppointmentRequest),
            "responses": {"201": _json(appt), **_errors_or_later(400, 409, 422)}}},
        "/appointments/{token}": {
            "get": {"summary": "The appointment", "parameters": token,
                    "responses": {"200": _json(appt), **_errors(404)}},
            "delete": {"summary": "Cancel (idempotent)", "parameters": token,
                       "responses": {"200": _json(appt), **_errors(404, 409)}}},
        "/appointments/{token}/ics": {"get": {
            "summary": "Calendar file (RFC 5545)", "parameters": token,
            "responses": {"200": {"description": "text/calendar"}, **_errors(404)}}},
        "/appointments/{token}/reschedule": {"post": {
            "summary": "Move to another slot; SEQUENCE rises", "parameters": token,
            "requestBody": _body(RescheduleRequest),
            "responses": {"200": _json(appt), **_errors_or_later(400, 404, 409, 422)}}},
        "/appointments/{token}/confirm": {"post": {
            "summary": "Confirm a reservation", "parameters": token,
            "responses": {"200": _json(appt), **_errors(404, 410)}}},
        "/check-in": {"post": {
            "summary": "Check in with a booking code", "security": [{"bearer": []}],
            "requestBody": _body(CheckInRequest),
            "responses": {"201": _json({"$ref": "#/components/schemas/Ticket"}),
                          "200": _json({"$ref": "#/components/schemas/Ticket"}),
                          **_errors(400, 401, 403, 404, 409, 422)}}},
        "/waitlist": {"post": {
            "summary": "Join the waiting list", "requestBody": _body(WaitlistRequest),
            "responses": {"201": _json({"type": "object"}),
                          **_errors_or_later(400, 422)}}},
    }


def _insight_paths():
    day = {"type": "string", "format": "date"}
    period = [{"name": "from", "in": "query", "schema": day,
               "description": "first local day; default four weeks before `to`"},
              {"name": "to", "in": "query", "schema": day,
               "description": "last local day (inclusive); default today"}]
    auth = {"security": [{"bearer": []}]}
    coverage = {"type": "array", "items": {
        "type": "object", "required": ["service", "competent_staff", "at_risk"],
        "properties": {"service": {"type": "string"},
                       "competent_staff": {"type": "integer", "minimum": 0},
                       "at_risk": {"type": "boolean"}}}}
    ratings = {"type": "array", "items": {
        "type": "object", "required": ["service", "count", "mean_rating"],
        "properties": {"service": {"type": "string"},
                       "count": {"type": "integer", "minimum": 0},
                       "mean_rating": {"type": ["number", "null"]}}}}
    given = {"type": "object", "properties": {
        "rating": {"type": "integer"}, "comment": {"type": ["string", "null"]}}}
    return {
        "/reports/coverage": {"get": {
            "summary": "Per service: competent_staff (active clerks who can serve it), "
                       "at_risk (at most one)", **auth,
            "responses": {"200": _json(coverage), **_errors(401, 403)}}},
        "/tickets/{id}/feedback": {"post": {
            "summary": "Rate the visit once after its last step (anonymous)",
            "parameters": [{"$ref": "#/components/parameters/TicketId"}],
            "requestBody": _body(FeedbackRequest),
            "responses": {"201": _json(given), **_errors(400, 404, 409, 422)}}},
        "/reports/feedback": {"get": {
            "summary": "Per service: count, mean_rating", **auth, "parameters": period,
            "responses": {"200": _json(ratings), **_errors(401, 403, 422)}}},
        "/reports/status": {"get": {
            "summary": "The status report (Sachstand) for the period", **auth,
            "parameters": period + [
                {"name": "format", "in": "query",
                 "schema": {"enum": ["html", "pdf", "csv"], "default": "html"}},
                {"name": "lang", "in": "query", "schema": {"enum": ["de", "en"]}}],
            "responses": {"200": {"description": "text/html, application/pdf or text/csv",
                                  "content": {"text/html": {}, "application/pdf": {},
                                              "text/csv": {}}},
                          **_errors(401, 403, 422)}}},
        "/reports/summary": {"get": {
            "summary": "The reports page's figures for a period, office and service", **auth,
            "parameters": period + [
                {"name": "office", "in": "query", "schema": {"type": "string"}},
                {"name": "service", "in": "query", "schema": {"type": "string"}}],
            "responses": {"200": _json({"type": "object"}), **_errors(401, 403, 422)}}},
    }


def _admin_paths():
    bearer = [{"bearer": []}]
    obj, arr = {"type": "object"}, {"type": "array", "items": {"type": "object"}}

    def path_param(name):
        return [{"name": name, "in": "path", "required": True, "schema": {"type": "string"}}]

    def read(summary, params=()):
        return {"summary": summary, "security": bearer, "parameters": list(params),
                "responses": {"200": _json(arr), **_errors(401, 403, 404, 422)}}

    return {
        "/admin/services": {
            "get": read("Services with every field (admin, supervisor)"),
            "post": {"summary": "Create a service", "security": bearer,
                     "requestBody": _body(ServiceCreate),
                     "responses": {"201": _json(obj), **_errors(400, 401, 403, 409, 422)}}},
        "/admin/services/{code}": {
            "get": read("One service", path_param("code")),
            "patch": {"summary": "Change a service (any field, `active`)", "security": bearer,
                      "parameters": path_param("code"), "requestBody": _body(ServicePatch),
                      "responses": {"200": _json(obj), **_errors(400, 401, 403, 404, 409, 422)}},
            "delete": {"summary": "Delete an unused service", "security": bearer,
                       "parameters": path_param("code"),
                       "responses": {"204": {"description": "Deleted"},
                                     **_errors(401, 403, 404, 409)}}},
        "/admin/staff": {
            "get": read("Staff (never a password)"),
            "post": {"summary": "Create a user", "security": bearer,
                     "requestBody": _body(StaffCreate),
                     "responses": {"201": _json(obj), **_errors(400, 401, 403, 409, 422)}}},
        "/admin/staff/{username}": {"patch": {
            "summary": "Change competencies, role, active, password", "security": bearer,
            "parameters": path_param("username"), "requestBody": _body(StaffPatch),
            "responses": {"200": _json(obj), **_errors(400, 401, 403, 404, 409, 422)}}},
        "/admin/offices/{office}/opening-rules": {
            "get": {**read("An office's opening rules", path_param("office")),
                    "responses": {"200": _json(obj), **_errors(401, 403, 404)}},
            "put": {"summary": "Replace an office's opening rules", "security": bearer,
                    "parameters": path_param("office"), "requestBody": _body(RulesPut),
                    "responses": {"200": _json(obj), **_errors(400, 401, 403, 404, 422)}}},
        "/admin/closures": {
            "get": read("Closures"),
            "post": {"summary": "Close a day or hours; lists and mails affected appointments",
                     "security": bearer, "requestBody": _body(ClosureCreate),
                     "responses": {"201": _json({"type": "object", "properties": {
                         "id": {"type": "integer"},
                         "affected": {"type": "array", "items": {"type": "string"}}}}),
                         **_errors(400, 401, 403, 422)}}},
        "/admin/closures/{id}": {"delete": {
            "summary": "Remove a closure", "security": bearer,
            "parameters": [{"name": "id", "in": "path", "required": True,
                            "schema": {"type": "integer"}}],
            "responses": {"204": {"description": "Removed"}, **_errors(401, 403, 404)}}},
        "/admin/audit": {"get": read("The audit log, newest first", [
            {"name": "since", "in": "query",
             "schema": {"type": "string", "format": "date-time"}},
            {"name": "actor", "in": "query", "schema": {"type": "string"}},
            {"name": "action", "in": "query", "schema": {"type": "string"}},
            {"name": "target", "in": "query", "schema": {"type": "string"}}])},
    }


DEVICE = {"type": "object", "required": ["name", "kind", "zone", "active", "last_seen_at"],
          "description": "never a token nor its hash", "properties": {
              "name": {"type": "string"}, "kind": {"enum": [str(k) for k in DeviceKind]},
              "zone": {"type": ["string", "null"]}, "active": {"type": "boolean"},
              "created_at": {"type": "string", "format": "date-time"},
              "last_seen_at": {"type": ["string", "null"], "format": "date-time",
                               "description": "the last heartbeat"},
              "revoked_at": {"type": ["string", "null"], "format": "date-time"}}}
_SETTING_TYPES = {int: "integer", bool: "boolean", str: "string"}


def _setting_value(spec):
    schema = {"type": _SETTING_TYPES[spec.kind]}
    if spec.kind is int:
        schema.update(minimum=spec.low, maximum=spec.high)
    elif spec.kind is str:
        schema.update(minLength=spec.low, maxLength=spec.high)
    return schema


SETTING = {"type": "object", "properties": {
    "key": {"enum": [s.key for s in settings.SPECS]}, "value": {},
    "default": {"description": "the value while none is stored"},
    "source": {"enum": ["environment", "database", "default"]},
    "from_environment": {"type": "boolean", "description": "an environment variable of "
                         "the same name sets it, and wins over a stored value"},
    "stored_value": {"description": "what the office stored (hidden while the environment "
                     "sets the setting)"},
    "kind": {"enum": ["int", "bool", "str"]}, "low": {"type": "integer"},
    "high": {"type": "integer"}}}
SETTINGS_PATCH = {"type": "object", "minProperties": 1, "additionalProperties": False,
                  "properties": {s.key: _setting_value(s) for s in settings.SPECS}}


def _device_and_settings_paths():
    bearer = [{"bearer": []}]
    name = [{"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}]
    device, devices = {"$ref": "#/components/schemas/Device"}, {
        "type": "array", "items": {"$ref": "#/components/schemas/Device"}}
    listed = {"type": "array", "items": {"$ref": "#/components/schemas/Setting"}}
    return {
        "/admin/devices": {
            "get": {"summary": "Kiosks and boards, revoked ones too, with the last heartbeat "
                               "(admin, supervisor)", "security": bearer,
                    "responses": {"200": _json(devices), **_errors(401, 403)}},
            "post": {"summary": "Register a kiosk or board", "security": bearer,
                     "requestBody": _body(DeviceCreate),
                     "responses": {"201": _json({"allOf": [device, {"type": "object",
                                                 "properties": {"token": {
                                                     "type": "string",
                                                     "description": "shown only here"}}}]}),
                                   **_errors(400, 401, 403, 409, 422)}}},
        "/admin/devices/{name}": {
            "get": {"summary": "One device", "security": bearer, "parameters": name,
                    "responses": {"200": _json(device), **_errors(401, 403, 404)}},
            "patch": {"summary": "Stand a device in another zone (null: none)",
                      "security": bearer, "parameters": name,
                      "requestBody": _body(DevicePatch),
                      "responses": {"200": _json(device),
                                    **_errors(400, 401, 403, 404, 422)}}},
        "/admin/devices/{name}/revoke": {"post": {
            "summary": "Revoke a device: its token is refused at once in every process",
            "security": bearer, "parameters": name,
            "responses": {"200": _json(device), **_errors(401, 403, 404)}}},
        "/admin/settings": {
            "get": {"summary": "The settings the office owns: value, default, source",
                    "security": bearer,
                    "responses": {"200": _json(listed), **_errors(401, 403)}},
            "patch": {"summary": "Change settings, all or none; 409 for one the environment "
                                 "sets (a stored value would have no effect)",
                      "security": bearer,
                      "requestBody": {"required": True, "content": {
                          "application/json": {"schema": SETTINGS_PATCH}}},
                      "responses": {"200": _json(listed),
                                    **_errors(400, 401, 403, 409, 422)}}},
    }


def document():
    ticket_ref = {"$ref": "#/components/schemas/Ticket"}
    paths = {
        "/auth/token": {
            "post": {"summary": "Staff token", "requestBody": _body(TokenRequest),
                     "responses": {"201": _json({"type": "object", "properties": {
                         "token": {"type": "string"}}}), **_errors(400, 401, 422)}},
            "delete": {"summary": "Revoke the token used", "security": [{"bearer": []}],
                       "responses": {"204": {"description": "Revoked"}, **_errors(401)}}},
        "/services": {"get": {
            "summary": "Services with names in one language",
            "parameters": [{"name": "lang", "in": "query", "schema": {"type": "string"}}],
            "responses": {"200": _json({"type": "array", "items": {"type": "object"}}),
                          **_errors(422)}}},
        "/tickets": {"post": {
            "summary": "Issue a ticket for one or more services",
            "security": [{"bearer": []}],
            "parameters": [{"name": "Idempotency-Key", "in": "header",
                            "schema": {"type": "string", "maxLength": 128}}],
            "requestBody": _body(TicketRequest),
            "responses": {"201": _json(ticket_ref, "Issued, or the ticket first issued "
                                                   "for this Idempotency-Key"),
                          **_errors(400, 401, 403, 422),
                          "409": _json(DAY_FULL, "day_full: the desks still open today "
                                                 "cannot serve one more visitor for a "
                                                 "service before closing")}}},
        "/tickets/{id}": {"get": {
            "summary": "A ticket's state", "parameters": [
                {"$ref": "#/components/parameters/TicketId"}],
            "responses": {"200": _json(ticket_ref), **_errors(404)}}},
        "/tickets/{id}/leave": {"post": {
            "summary": "The visitor leaves the queue (while waiting or parked); later "
                       "errands are given up",
            "parameters": [{"$ref": "#/components/parameters/TicketId"}],
            "responses": {"200": _json(ticket_ref), **_errors(404, 409)}}},
        "/tickets/{id}/transfer": {"post": {
            **_ticket_action("Send the visitor to another service next")["post"],
            "requestBody": _body(TransferRequest)}},
        "/desks": {"get": {"summary": "Desks", "security": [{"bearer": []}],
                           "responses": {"200": _json({"type": "array"}), **_errors(401)}}},
        "/desks/{desk}/session": {
            "post": {"summary": "Sign in at a desk", "security": [{"bearer": []}],
                     "parameters": [{"$ref": "#/components/parameters/Desk"}],
                     "requestBody": _body(DeskSessionRequest),
                     "responses": {"200": _json({"type": "object"}),
                                   **_errors(400, 401, 403, 404, 409, 422)}},
            "delete": {"summary": "Sign out", "security": [{"bearer": []}],
                       "parameters": [{"$ref": "#/components/parameters/Desk"}],
                       "responses": {"204": {"description": "Signed out"},
                                     **_errors(401, 403, 404, 409)}}},
        "/desks/{desk}/call-next": {"post": {
            "summary": "Call the next visitor for this desk's services",
            "security": [{"bearer": []}],
            "parameters": [{"$ref": "#/components/parameters/Desk"}],
            "responses": {"200": _json(ticket_ref), "204": {"description": "Nobody waits"},
                          **_errors(401, 403, 404, 409)}}},
    }
    date_param = [{"name": "date", "in": "query", "schema": {"type": "string", "format": "date"},
                   "description": "the centre's local day; default today"}]
    paths["/reports/daily"] = {"get": {
        "summary": "Per service: issued, served, no_show, wait_p50_minutes, wait_p90_minutes, "
                   "service_mean_minutes", "security": [{"bearer": []}],
        "parameters": date_param,
        "responses": {"200": _json({"type": "object"}), **_errors(401, 403, 422)}}}
    paths["/reports/staffing"] = {"get": {
        "summary": "Per hour and service: arrivals, desks_present, desks_needed (Erlang C, "
                   "80 % within the target wait)", "security": [{"bearer": []}],
        "parameters": date_param,
        "responses": {"200": _json({"type": "object"}), **_errors(401, 403, 422)}}}
    for action, summary in (("recall", "Call again"), ("start", "Service begins"),
                            ("finish", "Done; on to the next step or end"),
                            ("no-show", "Did not come"), ("park", "Fetching a document"),
                            ("resume", "Back in the queue at the old place")):
        paths[f"/tickets/{{id}}/{action}"] = _ticket_action(summary)
    paths.update(_booking_paths())
    paths.update(_insight_paths())
    paths.update(_admin_paths())
    paths.update(_device_and_settings_paths())
    paths.update(place_paths(_json, _errors, _body))
    return {
        "openapi": "3.1.0",
        "info": {"title": "Anlaufstelle API", "version": "1"},
        "servers": [{"url": "/api/v1"}],
        "paths": paths,
        "components": {
            "schemas": {"Error": ERROR, "Ticket": TICKET, "Appointment": APPOINTMENT,
                        "Device": DEVICE, "Setting": SETTING,
                        **_nested_components(RulesPut)},
            "parameters": {
                "TicketId": {"name": "id", "in": "path", "required": True,
                             "schema": {"type": "string"}},
                "Desk": {"name": "desk", "in": "path", "required": True,
                         "schema": {"type": "string"}}},
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


@bp.get("/openapi.json")
def openapi_json():
    return jsonify(document())
