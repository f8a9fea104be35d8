"""Request bodies of the admin API's places (offices, zones, desks): types checked here,
rules in services.office_places (the same rules the admin pages meet)."""
from typing import Annotated, Optional

from pydantic import Field, StringConstraints

from .admin_schemas import Text
from .schemas import Code, Lang, Strict

Names = dict[Lang, Text]
DeskName = Annotated[str, StringConstraints(max_length=80)]
Offered = Annotated[list[Code], Field(max_length=200)]


class OfficeCreate(Strict):
    code: Code
    names: Names


class OfficePatch(Strict):
    names: Optional[Names] = None


class ZoneCreate(OfficeCreate):
    pass


class ZonePatch(OfficePatch):
    pass


class DeskCreate(Strict):
    code: Code
    name: DeskName
    zone: Code
    services: Offered = []
    active: bool = True


class DeskPatch(Strict):
    name: Optional[DeskName] = None
    zone: Optional[Code] = None
    services: Optional[Offered] = None
    active: Optional[bool] = None
