"""Query inputs that would overflow the calendar or break SQL literals are refused clearly."""

from __future__ import annotations

import pytest

from socialscope.metrics.query import QueryError, make_query


@pytest.mark.parametrize(
    ("date_from", "date_to"),
    [("0001-01-01", "2025-01-01"), ("2025-01-01", "9999-12-31"), ("1899-12-31", None)],
)
def test_dates_near_the_calendar_ends_are_refused(date_from: str, date_to: str | None) -> None:
    with pytest.raises(QueryError, match="must lie between 1900-01-01 and 2999-12-31"):
        make_query("conversations", date_from=date_from, date_to=date_to, compare="previous")


def test_nul_in_a_filter_value_is_refused() -> None:
    with pytest.raises(QueryError, match="NUL"):
        make_query("conversations", where={"channel": "line\x00"})


def test_ordinary_values_pass() -> None:
    q = make_query("conversations", date_from="1900-01-01", date_to="2999-12-31")
    assert q.date_from is not None
