"""Which services a clerk may choose at a desk: those they are trained for that the desk
offers (a desk listing none offers every one), the rest shown with the reason."""
import pytest

from queue_app.domain.errors import InvalidInput
from queue_app.domain.places import (Choice, Unavailable, check_desk_name, check_service_list,
                                     choices, not_offered, offers)

ORDER = ["anmeldung", "reisepass", "kfz", "integration"]


def test_a_desk_listing_none_offers_every_service():
    assert offers([], "kfz") and offers(set(), "anything")
    assert offers(["kfz"], "kfz") and not offers(["kfz"], "anmeldung")
    assert not_offered([], ORDER) == []
    assert not_offered(["anmeldung"], ["reisepass", "anmeldung", "kfz"]) == ["reisepass", "kfz"]


def test_choices_available_where_trained_and_offered_else_the_reason():
    got = choices(["anmeldung", "kfz"], ["anmeldung", "reisepass"], ORDER)
    assert got == [Choice("anmeldung", True),
                   Choice("reisepass", False, Unavailable.NOT_OFFERED),
                   Choice("kfz", False, Unavailable.NOT_COMPETENT)]


def test_at_an_open_desk_the_clerk_sees_exactly_their_competencies_in_catalogue_order():
    got = choices([], ["reisepass", "anmeldung"], ORDER)
    assert got == [Choice("anmeldung", True), Choice("reisepass", True)]


def test_a_clerk_without_competencies_sees_only_what_the_desk_offers_all_disabled():
    got = choices(["integration"], [], ORDER)
    assert got == [Choice("integration", False, Unavailable.NOT_COMPETENT)]
    assert choices([], [], ORDER) == []


@pytest.mark.parametrize("bad", ["", "   ", "x" * 81, None, 7])
def test_desk_names_are_short_texts(bad):
    with pytest.raises(InvalidInput) as caught:
        check_desk_name(bad)
    assert caught.value.details["field"] == "name"


def test_desk_name_trimmed_and_service_list_deduplicated():
    assert check_desk_name("  Platz 3 ") == "Platz 3"
    assert check_service_list(["a", "b", "a"]) == ["a", "b"]
    for bad in ("a", [1], None):
        with pytest.raises(InvalidInput):
            check_service_list(bad)
