"""Request bodies of the admin API: types checked here, rules in the service layer (the
same rules the admin pages meet)."""
from typing import Annotated, Optional

from pydantic import ConfigDict, Field, StringConstraints

from .schemas import Code, Lang, Strict

Text = Annotated[str, StringConstraints(max_length=200)]
Day = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]
WallTime = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
Prefix = Annotated[str, StringConstraints(pattern=r"^[A-Z]{1,2}$")]
Minutes = Annotated[int, Field(ge=1, le=600)]


class ServiceFields(Strict):
    office: Optional[Code] = None
    prefix: Optional[Prefix] = None
    names: Optional[dict[Lang, Text]] = None
    documents: Optional[dict[Lang, Annotated[list[Text], Field(max_length=20)]]] = None
    duration_minutes: Optional[Minutes] = None
    walk_in: Optional[bool] = None
    bookable: Optional[bool] = None
    target_wait_minutes: Optional[Minutes] = None
    active: Optional[bool] = None


class ServiceCreate(ServiceFields):
    code: Code
    office: Code
    prefix: Prefix
    names: dict[Lang, Text]
    duration_minutes: Minutes


class ServicePatch(ServiceFields):
    pass


Username = Annotated[str, StringConstraints(min_length=1, max_length=80)]
Password = Annotated[str, StringConstraints(max_length=200)]
Competencies = Annotated[list[Code], Field(max_length=200)]


class StaffCreate(Strict):
    username: Username
    name: Optional[Annotated[str, StringConstraints(max_length=120)]] = None
    role: Annotated[str, StringConstraints(max_length=20)]
    password: Password
    competencies: Competencies = []


class StaffPatch(Strict):
    name: Optional[Annotated[str, StringConstraints(max_length=120)]] = None
    role: Optional[Annotated[str, StringConstraints(max_length=20)]] = None
    active: Optional[bool] = None
    password: Optional[Password] = None
    competencies: Optional[Competencies] = None


class Rule(Strict):
    weekdays: Annotated[list[int], Field(min_length=1, max_length=7)]
    start: WallTime
    end: WallTime
    parallel_desks: int
    slot_minutes: int
    services: Optional[Annotated[list[Code], Field(max_length=100)]] = None
    valid_from: Optional[Day] = None
    valid_until: Optional[Day] = None
    every_n_weeks: int = 1
    anchor: Optional[Day] = None


class RulesPut(Strict):
    rules: Annotated[list[Rule], Field(max_length=50)]


class ClosureCreate(Strict):
    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True)
    office: Optional[Code] = None
    date: Day
    from_: Optional[WallTime] = Field(default=None, alias="from")
    to: Optional[WallTime] = None
    reason: Text = ""


def fields_given(body):
    """The fields the caller sent (not the defaults), under their public names."""
    return body.model_dump(exclude_unset=True, by_alias=True)
