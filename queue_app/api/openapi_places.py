"""The OpenAPI paths of the admin API's places (offices, zones, desks)."""
from .admin_place_schemas import (DeskCreate, DeskPatch, OfficeCreate, OfficePatch,
                                  ZoneCreate, ZonePatch)

KINDS = (
    ("offices", "an office", OfficeCreate, OfficePatch,
     "Delete an office without services or bookings (409 while it has any)"),
    ("zones", "a zone", ZoneCreate, ZonePatch,
     "Delete a zone without desks or live devices (409 while it has any)"),
    ("desks", "a desk", DeskCreate, DeskPatch,
     "Delete a desk nobody worked at (409 while signed in or with a history: switch it "
     "off with `active: false` instead)"),
)


def place_paths(json, errors, body):
    """`json`, `errors`, `body` are openapi.py's helpers (passed in: no import cycle)."""
    bearer = [{"bearer": []}]
    obj, arr = {"type": "object"}, {"type": "array", "items": {"type": "object"}}
    code = [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}]
    paths = {}
    for kind, one, create, patch, delete in KINDS:
        params = [{"name": "zone", "in": "query", "schema": {"type": "string"}},
                  {"name": "active", "in": "query", "schema": {"enum": ["true", "false"]}}] \
            if kind == "desks" else []
        paths[f"/admin/{kind}"] = {
            "get": {"summary": f"Every {kind[:-1]} (admin, supervisor)"
                               + ("; `services: []` means every service" if kind == "desks"
                                  else ""),
                    "security": bearer, "parameters": params,
                    "responses": {"200": json(arr), **errors(401, 403, 422)}},
            "post": {"summary": f"Create {one}", "security": bearer, "requestBody": body(create),
                     "responses": {"201": json(obj), **errors(400, 401, 403, 409, 422)}}}
        paths[f"/admin/{kind}/{{code}}"] = {
            "get": {"summary": f"One of the {kind}", "security": bearer, "parameters": code,
                    "responses": {"200": json(obj), **errors(401, 403, 404)}},
            "patch": {"summary": f"Change {one} (the code stays)", "security": bearer,
                      "parameters": code, "requestBody": body(patch),
                      "responses": {"200": json(obj), **errors(400, 401, 403, 404, 409, 422)}},
            "delete": {"summary": delete, "security": bearer, "parameters": code,
                       "responses": {"204": {"description": "Deleted"},
                                     **errors(401, 403, 404, 409)}}}
    return paths
