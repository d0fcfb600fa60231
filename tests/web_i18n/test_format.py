"""Number, currency, duration and date formatting: exact strings, checked by hand against
CLDR (Babel 2.18's data, plus the two CLDR rules Babel does not apply and ICU / the
browser's Intl.NumberFormat do: Polish minimumGroupingDigits = 2, and currencySpacing)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from socialscope.metrics.spec import Unit
from socialscope.web.i18n import (
    format_change,
    format_date,
    format_datetime,
    format_period,
    format_value,
    value_label,
)

NBSP = "\u00a0"  # CLDR's Polish group separator and currency spacing
THIN = "\u2009"  # around the en dash of CLDR English intervals
MINUS = "\u2212"


@pytest.mark.parametrize(
    ("amount", "currency", "lang", "expected"),
    [
        (Decimal("1234.5"), "TWD", "en", "NT$1,234.50"),
        (Decimal("1234.5"), "TWD", "zh-Hant", "$1,234.50"),  # 新台幣 is "$" in Taiwan
        (Decimal("1234.5"), "TWD", "zh-Hans", "NT$1,234.50"),
        (Decimal("1234.5"), "TWD", "pl", f"1234,50{NBSP}TWD"),  # 4 digits: no grouping in pl
        (Decimal("1234.5"), "USD", "en", "$1,234.50"),
        (Decimal("1234.5"), "USD", "zh-Hant", "US$1,234.50"),
        (Decimal("1234.5"), "USD", "zh-Hans", "US$1,234.50"),
        (Decimal("1234.5"), "USD", "pl", f"1234,50{NBSP}USD"),
        (Decimal("1234.5"), "PLN", "pl", f"1234,50{NBSP}zł"),
        (Decimal("1234.5"), "PLN", "en", f"PLN{NBSP}1,234.50"),  # currency spacing
        (Decimal("1234.5"), "PLN", "zh-Hant", f"PLN{NBSP}1,234.50"),
        (Decimal("1234.5"), "CNY", "zh-Hans", "¥1,234.50"),
        (Decimal("1234.5"), "CNY", "zh-Hant", "CN¥1,234.50"),
        (Decimal("1234.5"), "CNY", "en", "CN¥1,234.50"),
        (Decimal("1234.5"), "EUR", "pl", f"1234,50{NBSP}€"),
        (Decimal("1234.5"), "JPY", "en", "¥1,235"),  # CLDR: no decimals for yen
        (Decimal("1234.5"), "twd", "en", "NT$1,234.50"),  # code case does not matter
        # five digits and more are grouped in Polish too
        (Decimal("12345"), "PLN", "pl", f"12{NBSP}345,00{NBSP}zł"),
        (Decimal("9999.995"), "PLN", "pl", f"10{NBSP}000,00{NBSP}zł"),  # after rounding
        (Decimal("9999.994"), "PLN", "pl", f"9999,99{NBSP}zł"),
        # large amounts
        (Decimal("98765432109.87"), "TWD", "en", "NT$98,765,432,109.87"),
        (
            Decimal("123456789012345678901234567890.125"),
            "USD",
            "en",
            "$123,456,789,012,345,678,901,234,567,890.13",
        ),
        # refunds: negative amounts
        (Decimal("-1234.5"), "TWD", "en", "-NT$1,234.50"),
        (Decimal("-1234.5"), "TWD", "zh-Hant", "-$1,234.50"),
        (Decimal("-1234.5"), "PLN", "pl", f"-1234,50{NBSP}zł"),
        (Decimal("-56789.1"), "PLN", "pl", f"-56{NBSP}789,10{NBSP}zł"),
        (Decimal("-1234.5"), "PLN", "en", f"-PLN{NBSP}1,234.50"),
        (Decimal("-0.001"), "USD", "en", "$0.00"),  # no "-$0.00"
    ],
)
def test_money(amount: Decimal, currency: str, lang: str, expected: str) -> None:
    assert format_value(amount, "money", lang, currency) == expected


def test_money_is_decimal_exact() -> None:
    assert format_value(Decimal("0.1") + Decimal("0.2"), "money", "en", "USD") == "$0.30"
    assert format_value(0.1 + 0.2, "money", "en", "USD") == "$0.30"
    # half away from zero on the decimal digits, not on the binary float
    assert format_value(Decimal("2.675"), "money", "en", "USD") == "$2.68"
    assert format_value(2.675, "money", "en", "USD") == "$2.68"  # 2.67499999… in binary
    assert format_value(Decimal("-2.675"), "money", "en", "USD") == "-$2.68"
    # beyond float precision
    assert format_value(Decimal("1234567890123456.785"), "money", "en", "USD") == (
        "$1,234,567,890,123,456.79"
    )
    assert format_value(Decimal("9007199254740993.01"), "money", "pl", "PLN") == (
        f"9{NBSP}007{NBSP}199{NBSP}254{NBSP}740{NBSP}993,01{NBSP}zł"
    )
    # ints and decimal strings (JSON) are amounts too
    assert format_value(900, "money", "zh-Hant", "TWD") == "$900.00"
    assert format_value("25.79", "money", "en", "USD") == "$25.79"


def test_money_without_currency() -> None:
    assert format_value(Decimal("1234.5"), "money", "en") == "1,234.50"
    assert format_value(Decimal("1234.5"), "money", "pl") == "1234,50"
    assert format_value(Decimal("1234567.891"), "money", "pl") == f"1{NBSP}234{NBSP}567,89"
    assert format_value(Decimal("1234.5"), Unit.MONEY, "zh-Hans", None) == "1,234.50"


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (1234567, "en", "1,234,567"),
        (1234567, "zh-Hant", "1,234,567"),
        (1234567, "zh-Hans", "1,234,567"),
        (1234567, "pl", f"1{NBSP}234{NBSP}567"),
        (1234, "en", "1,234"),
        (1234, "pl", "1234"),
        (12345, "pl", f"12{NBSP}345"),
        (0, "pl", "0"),
        (-4321, "en", "-4,321"),
        (Decimal("42"), "en", "42"),
        (42.0, "en", "42"),
        (12.5, "pl", "12,5"),  # a non-integral count keeps its decimals (two at most)
    ],
)
def test_count(value: object, lang: str, expected: str) -> None:
    assert format_value(value, "count", lang) == expected


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (0.375, "en", "37.5%"),
        (0.375, "zh-Hant", "37.5%"),
        (0.375, "zh-Hans", "37.5%"),
        (0.375, "pl", "37,5%"),
        (Decimal("0.375"), "pl", "37,5%"),
        (1, "en", "100.0%"),
        (0, "pl", "0,0%"),
        (0.12345, "en", "12.3%"),
        (0.12355, "en", "12.4%"),
        (-0.0004, "en", "0.0%"),
        (12.3456, "en", "1,234.6%"),
        (12.3456, "pl", "1234,6%"),
    ],
)
def test_ratio(value: object, lang: str, expected: str) -> None:
    assert format_value(value, "ratio", lang) == expected


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (200, ["3 min 20 s", "3分20秒", "3分20秒", "3 min 20 s"]),
        (45, ["45 s", "45秒", "45秒", "45 s"]),
        (7500, ["2 h 5 min", "2小時5分", "2小时5分", "2 godz. 5 min"]),
        (180, ["3 min", "3分", "3分", "3 min"]),
        (7200, ["2 h", "2小時", "2小时", "2 godz."]),
        (90000, ["1 d 1 h", "1天1小時", "1天1小时", "1 d. 1 godz."]),
        (35625.472, ["9 h 54 min", "9小時54分", "9小时54分", "9 godz. 54 min"]),
        (0.4, ["0 s", "0秒", "0秒", "0 s"]),
        (59.5, ["1 min", "1分", "1分", "1 min"]),
        (3599.6, ["1 h", "1小時", "1小时", "1 godz."]),
    ],
)
def test_seconds(seconds: float, expected: list[str]) -> None:
    got = [format_value(seconds, "seconds", lang) for lang in ("en", "zh-Hant", "zh-Hans", "pl")]
    assert got == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # a mean or median of counts (Unit.NUMBER): whole numbers plain, else 2 decimals at most
        (Decimal("1.5"), ["1.5", "1.5", "1.5", "1,5"]),
        (7 / 3, ["2.33", "2.33", "2.33", "2,33"]),
        (4, ["4", "4", "4", "4"]),
        (Decimal("12345.678"), ["12,345.68", "12,345.68", "12,345.68", "12\u00a0345,68"]),
    ],
)
def test_number(value: object, expected: list[str]) -> None:
    got = [format_value(value, Unit.NUMBER, lang) for lang in ("en", "zh-Hant", "zh-Hans", "pl")]
    assert got == expected


@pytest.mark.parametrize("unit", ["count", "money", "ratio", "seconds", "number"])
@pytest.mark.parametrize("lang", ["en", "zh-Hant", "zh-Hans", "pl"])
def test_missing_values(unit: str, lang: str) -> None:
    assert format_value(None, unit, lang, "TWD") == "—"
    assert format_value(float("nan"), unit, lang, "TWD") == "—"
    assert format_value(Decimal("NaN"), unit, lang, "TWD") == "—"


def test_not_a_number_is_shown_as_is() -> None:
    assert format_value("n/a", "count", "en") == "n/a"


@pytest.mark.parametrize(
    ("pct", "lang", "expected"),
    [
        (0.125, "en", "+12.5%"),
        (0.125, "pl", "+12,5%"),
        (0.125, "zh-Hant", "+12.5%"),
        (-0.03, "en", f"{MINUS}3.0%"),
        (-0.03, "pl", f"{MINUS}3,0%"),
        (-0.03, "zh-Hans", f"{MINUS}3.0%"),
        (0.0, "en", "0.0%"),
        (-0.0004, "en", "0.0%"),  # rounds to zero: no sign
        (2.5, "en", "+250.0%"),
        (12.3456, "pl", "+1234,6%"),
        (None, "en", "—"),
        (None, "zh-Hant", "—"),
        (float("nan"), "en", "—"),
    ],
)
def test_format_change(pct: float | None, lang: str, expected: str) -> None:
    assert format_change(pct, lang) == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Apr 1, 2026"),
        ("zh-Hant", "2026年4月1日"),
        ("zh-Hans", "2026年4月1日"),
        ("pl", "1 kwi 2026"),
    ],
)
def test_format_date(lang: str, expected: str) -> None:
    assert format_date(date(2026, 4, 1), lang) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (
            date(2026, 4, 1),
            date(2026, 4, 30),
            [
                f"Apr 1{THIN}–{THIN}30, 2026",
                "2026年4月1日至30日",
                "2026年4月1日至30日",
                "1–30 kwi 2026",
            ],
        ),
        (
            date(2026, 3, 28),
            date(2026, 4, 3),
            [
                f"Mar 28{THIN}–{THIN}Apr 3, 2026",
                "2026年3月28日至4月3日",
                "2026年3月28日至4月3日",
                "28 mar–3 kwi 2026",
            ],
        ),
        (
            date(2025, 12, 28),
            date(2026, 1, 3),
            [
                f"Dec 28, 2025{THIN}–{THIN}Jan 3, 2026",
                "2025年12月28日至2026年1月3日",
                "2025年12月28日至2026年1月3日",
                "28 gru 2025–3 sty 2026",
            ],
        ),
        (
            date(2026, 4, 1),
            date(2026, 4, 1),
            ["Apr 1, 2026", "2026年4月1日", "2026年4月1日", "1 kwi 2026"],
        ),
    ],
)
def test_format_period(start: date, end: date, expected: list[str]) -> None:
    got = [format_period(start, end, lang) for lang in ("en", "zh-Hant", "zh-Hans", "pl")]
    assert got == expected


def test_format_period_refuses_a_reversed_range() -> None:
    with pytest.raises(ValueError, match="starts after it ends"):
        format_period(date(2026, 4, 30), date(2026, 4, 1), "en")


def test_datetimes_and_time_buckets() -> None:
    ts = datetime(2026, 11, 12, 14, 5, 9)
    assert format_datetime(ts, "en") == "Nov 12, 2026, 2:05:09\u202fPM"
    assert format_datetime(ts, "zh-Hant") == "2026年11月12日 下午2:05:09"
    assert format_datetime(ts, "zh-Hans") == "2026年11月12日 14:05:09"
    assert format_datetime(ts, "pl", seconds=False) == "12 lis 2026, 14:05"
    assert value_label("pl", "hour", datetime(2026, 11, 12, 14)) == "12 lis 2026, 14:00"
    assert value_label("en", "date", date(2026, 11, 12)) == "Nov 12, 2026"
    assert value_label("en", "date", "2026-11-12") == "Nov 12, 2026"
    assert value_label("zh-Hant", "week", date(2026, 11, 9)) == "2026年11月9日 當週"
    assert value_label("en", "week", date(2026, 11, 9)) == "Week of Nov 9, 2026"
    assert value_label("pl", "month", date(2026, 11, 1)) == "listopad 2026"
    assert value_label("zh-Hans", "month", date(2026, 11, 1)) == "2026年11月"
    assert value_label("en", "date", "not a date") == "not a date"
