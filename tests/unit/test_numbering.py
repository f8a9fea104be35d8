from datetime import datetime, timezone

import pytest

from queue_app.domain.numbering import format_number, local_day, spoken_number


def test_number_has_prefix_and_three_digits():
    assert format_number("A", 17) == "A017"
    assert format_number("K", 1) == "K001"


def test_number_grows_past_999_instead_of_wrapping():
    assert format_number("A", 1000) == "A1000"


@pytest.mark.parametrize("prefix, seq", [("a", 1), ("", 1), ("ABC", 1), ("A", 0)])
def test_bad_prefix_or_sequence_is_refused(prefix, seq):
    with pytest.raises(ValueError):
        format_number(prefix, seq)


def test_local_day_follows_the_centre_not_utc():
    # 23:30 UTC on 24 Nov is already 25 Nov in Berlin.
    late = datetime(2026, 11, 24, 23, 30, tzinfo=timezone.utc)
    assert local_day(late, "Europe/Berlin").isoformat() == "2026-11-25"
    assert local_day(late, "UTC").isoformat() == "2026-11-24"


def test_local_day_refuses_naive_time():
    with pytest.raises(ValueError):
        local_day(datetime(2026, 11, 24, 9, 0), "Europe/Berlin")


def test_spoken_number_drops_leading_zeros():
    assert spoken_number("A017") == "A 17"
    assert spoken_number("K100") == "K 100"
