"""Business time: response times counted only while the shop is open (`duration=business`).

A shop's calendar is a set of weekly opening intervals per weekday (several a day allowed,
e.g. Mon–Fri 09:00–12:00 and 13:00–18:00) plus holidays (whole local dates closed), in
shop-local wall-clock time. It lives in the store tables `shop_hours` and `shop_holidays`
(schema version 2, `store/migrations.py`). A shop without `shop_hours` rows is open during
its `shops.service_hours` every day (default 08:00-23:00; an overnight value such as
20:00-02:00 opens 20:00-24:00 and 00:00-02:00 of every date); holidays apply either way.

Business seconds between two shop-local timestamps s ≤ e = Σ over the local dates d from
s's date to e's date (holidays skipped) of |[s, e] ∩ opening intervals of d's weekday|.
Everything is computed on the stored local twins (`*_local`), in integer wall-clock
seconds since 1970-01-01 local, where every date is exactly 86 400 s long: an opening
interval means the same wall-clock hours on a DST-change date as on any other date.
(A DST change *inside* an opening interval — e.g. a 24/7 calendar across 02:00 on the
spring-forward night — is counted by the wall clock too: that hour counts as it reads.)

The calendar text (`socialscope calendar set`, `Client.set_calendar`) is parsed here as
well, in plain Python; the duration computation is Ibis only (no engine SQL).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

import ibis

from socialscope.metrics.factspec import PERIOD_FROM
from socialscope.metrics.library.service_facts import service_window

CALENDAR = "calendar"
BUSINESS = "business"
DURATIONS: tuple[str, ...] = (CALENDAR, BUSINESS)
DAY_S = 86_400

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_EPOCH_WEEKDAY = 3  # 1970-01-01 was a Thursday (Monday = 0)

Lookup = Callable[[str], Any]
Interval = tuple[int, int]  # [opens, closes) in seconds after local midnight


class CalendarError(ValueError):
    """A malformed opening-hours specification or holiday."""


def parse_duration(raw: str) -> str:
    """The `duration` parameter: `calendar` (default) or `business`."""
    value = raw.strip().lower()
    if value not in DURATIONS:
        raise ValueError(f"expected one of {', '.join(DURATIONS)}, got {raw!r}")
    return value


# -- the calendar text ---------------------------------------------------------------------
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")
_DAY_ALIASES = {"daily": tuple(range(7)), "everyday": tuple(range(7))}


def _clock(text: str, where: str) -> int:
    m = _CLOCK.match(text.strip())
    if not m:
        raise CalendarError(f"{where}: {text.strip()!r} is not a time HH:MM")
    hours, minutes = int(m.group(1)), int(m.group(2))
    if not (hours <= 23 and minutes <= 59) and (hours, minutes) != (24, 0):
        raise CalendarError(f"{where}: {text.strip()!r} is not a time between 00:00 and 24:00")
    return hours * 3600 + minutes * 60


_FULL_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _weekday(text: str, where: str) -> int:
    name = text.strip().lower()
    for i, full in enumerate(_FULL_NAMES):
        if len(name) >= 3 and full.startswith(name):
            return i
    raise CalendarError(f"{where}: unknown weekday {text.strip()!r} (use mon, tue, ... sun)")


def _days(text: str, where: str) -> list[int]:
    """ "mon-fri", "mon,wed,fri", "sat-mon" (wraps), "daily" -> weekday numbers."""
    out: list[int] = []
    compact = text.replace(" ", "").lower()
    if compact in _DAY_ALIASES:
        return list(_DAY_ALIASES[compact])
    for part in compact.split(","):
        if not part:
            raise CalendarError(f"{where}: empty weekday in {text.strip()!r}")
        if "-" in part:
            first, _, last = part.partition("-")
            a, b = _weekday(first, where), _weekday(last, where)
            out.extend((a + i) % 7 for i in range((b - a) % 7 + 1))
        else:
            out.append(_weekday(part, where))
    return out


def _merge(intervals: Sequence[Interval]) -> list[Interval]:
    """Sorted, overlapping or touching intervals united (so no second counts twice)."""
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def parse_hours(spec: str) -> dict[int, list[Interval]]:
    """Opening hours text -> weekday (Monday 0) -> merged [opens, closes) seconds.

    Groups are separated by ";", each "DAYS INTERVALS": DAYS is a weekday, a range
    ("mon-fri"), a comma list ("mon,wed") or "daily"; INTERVALS is a comma list of
    "HH:MM-HH:MM" or "closed". An interval that closes before it opens runs past midnight
    into the next weekday ("fri 20:00-02:00" = fri 20:00-24:00 and sat 00:00-02:00). A
    weekday not named is closed. Raises CalendarError naming the bad part.
    """
    week: dict[int, list[Interval]] = {d: [] for d in range(7)}
    groups = [g.strip() for g in spec.split(";")]
    if not any(groups):
        raise CalendarError("empty opening hours; expected e.g. 'mon-fri 09:00-18:00'")
    for n, group in enumerate(groups, 1):
        if not group:
            continue
        where = f"part {n} {group!r}"
        m = re.search(r"\d|closed", group, flags=re.IGNORECASE)
        if m is None or m.start() == 0:
            raise CalendarError(f"{where}: expected 'DAYS HH:MM-HH:MM[,HH:MM-HH:MM...]'")
        days = _days(group[: m.start()], where)
        rest = group[m.start() :].strip()
        if rest.lower() == "closed":
            continue
        for item in rest.split(","):
            item = item.strip()
            ends = item.split("-")
            if len(ends) != 2:
                raise CalendarError(f"{where}: {item!r} is not an interval HH:MM-HH:MM")
            opens, closes = _clock(ends[0], where), _clock(ends[1], where)
            if opens in (closes, DAY_S):
                raise CalendarError(f"{where}: interval {item!r} is empty")
            for day in days:
                if opens < closes:
                    week[day].append((opens, closes))
                else:  # past midnight: the rest of the night belongs to the next weekday
                    week[day].append((opens, DAY_S))
                    if closes > 0:
                        week[(day + 1) % 7].append((0, closes))
    return {day: _merge(intervals) for day, intervals in week.items()}


def clock_text(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def format_hours(week: Mapping[int, Sequence[Interval]]) -> str:
    """The canonical text of a weekly calendar (consecutive equal weekdays grouped)."""
    texts = [
        ",".join(f"{clock_text(a)}-{clock_text(b)}" for a, b in week.get(d, ())) or "closed"
        for d in range(7)
    ]
    parts: list[str] = []
    start = 0
    for d in range(1, 8):
        if d == 7 or texts[d] != texts[start]:
            days = WEEKDAYS[start] if d - 1 == start else f"{WEEKDAYS[start]}-{WEEKDAYS[d - 1]}"
            parts.append(f"{days} {texts[start]}")
            start = d
    return "; ".join(parts)


def parse_date(raw: date | str) -> date:
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise CalendarError(f"{raw!r} is not a date YYYY-MM-DD") from None


# -- durations in Ibis ---------------------------------------------------------------------
def _clock_seconds(text: Any) -> Any:
    """Stored "HH:MM" -> seconds after midnight."""
    parts = text.split(":")
    return parts[0].cast("int64") * 3600 + parts[1].cast("int64") * 60


def opening_intervals(lookup: Lookup) -> Any:
    """(i_shop, i_weekday, i_open, i_close): every shop's opening intervals in seconds
    after local midnight; i_weekday null means every day (the service-hours default)."""
    hours = lookup("shop_hours")
    custom = hours.select(
        i_shop=hours.shop_id,
        i_weekday=hours.weekday.cast("int64"),
        i_open=_clock_seconds(hours.opens),
        i_close=_clock_seconds(hours.closes),
    )
    shops = lookup("shops")
    configured = hours.select(c_shop=hours.shop_id).distinct()
    plain = shops.anti_join(configured, shops.shop_id == configured.c_shop)
    start, end = service_window(plain.service_hours)
    w = plain.select(i_shop=plain.shop_id, s=start, e=end)
    no_day = ibis.null("int64")
    # [start, end) on one date; an overnight window is [start, 24:00) + [00:00, end);
    # equal ends mean the whole day
    evening = w.select(
        "i_shop",
        i_weekday=no_day,
        i_open=ibis.ifelse(w.s == w.e, 0, w.s),
        i_close=ibis.ifelse(w.s < w.e, w.e, DAY_S),
    )
    night = w.filter((w.s > w.e) & (w.e > 0))
    night = night.select(
        "i_shop", i_weekday=no_day, i_open=ibis.literal(0, "int64"), i_close=night.e
    )
    return ibis.union(custom, evening.cast(custom.schema()), night.cast(custom.schema()))


def business_seconds(spans: Any, keys: Sequence[str], start: str, end: str, lookup: Lookup) -> Any:
    """spans (with shop_id, the key columns and two shop-local timestamps) -> one row per
    span with at least one open second: keys + business_s (integer seconds).

    Each span is expanded into its local dates (days since 1970-01-01 local), holidays are
    removed, each date is joined with its weekday's opening intervals and the overlaps
    greatest(0, least(end, close) − greatest(start, open)) are summed.
    """
    s = spans[start].epoch_seconds()
    e = spans[end].epoch_seconds()
    base = spans.select(*keys, _shop=spans.shop_id, _s=s, _e=e).filter(lambda t: t._e > t._s)
    days = base.mutate(_day=ibis.range(base._s // DAY_S, base._e // DAY_S + 1).unnest())
    hol = lookup("shop_holidays")
    hol = hol.select(h_shop=hol.shop_id, h_day=hol.date.cast("timestamp").epoch_seconds() // DAY_S)
    days = days.anti_join(hol, [days._shop == hol.h_shop, days._day == hol.h_day])
    days = days.mutate(_wd=((days._day + _EPOCH_WEEKDAY) % 7 + 7) % 7)
    iv = opening_intervals(lookup)
    j = days.join(
        iv,
        [days._shop == iv.i_shop, (iv.i_weekday == days._wd) | iv.i_weekday.isnull()],
    )
    day0 = j._day * DAY_S
    lo = ibis.greatest(j._s, day0 + j.i_open)
    hi = ibis.least(j._e, day0 + j.i_close)
    j = j.mutate(_piece=ibis.greatest(hi - lo, 0))
    return j.group_by(*keys).agg(business_s=j._piece.sum().cast("int64"))


_ROUND_KEYS = ("shop_id", "conversation_id", "round_no")


def apply_duration(rounds: Any, lookup: Lookup, params: Mapping[str, Any]) -> Any:
    """d_rounds with `response_s` in the query's duration: unchanged for `calendar`; for
    `business` the business seconds between effective start and reply (local), 0 when the
    shop was closed all along, null without a reply.

    When the period's start is known (PERIOD_FROM), only rounds that start on or after it
    are computed: every service fact dates a row no later than its rounds' effective start,
    so earlier rounds never reach a result (theirs is left null)."""
    duration = params.get("duration") or CALENDAR
    if duration == CALENDAR:
        return rounds
    if duration != BUSINESS:
        from socialscope.metrics.query import QueryError

        raise QueryError(f"parameter duration: expected one of {', '.join(DURATIONS)}")
    since = params.get(PERIOD_FROM)
    spans = rounds.filter(rounds.reply_ts.notnull())
    if since is not None:
        spans = spans.filter(spans.effective_start_local >= since)
    spans = spans.select(*_ROUND_KEYS, "effective_start_local", "reply_ts_local")
    biz = business_seconds(spans, _ROUND_KEYS, "effective_start_local", "reply_ts_local", lookup)
    biz = biz.rename({f"_b_{k}": k for k in _ROUND_KEYS})
    j = rounds.left_join(biz, [rounds[k] == biz[f"_b_{k}"] for k in _ROUND_KEYS])
    counted = j.reply_ts.notnull()
    if since is not None:
        counted = counted & (j.effective_start_local >= since)
    j = j.mutate(
        response_s=ibis.ifelse(counted, j.business_s.coalesce(0), ibis.null("int64")).cast(
            rounds.response_s.type()
        )
    )
    return j.drop("business_s", *(f"_b_{k}" for k in _ROUND_KEYS))


# -- the store: reading and changing a shop's calendar --------------------------------------
def _con(store: Any) -> Any:
    return store.con


def stored_hours(store: Any, shop: str) -> dict[int, list[Interval]] | None:
    """A shop's weekly opening intervals, or None when it has no calendar of its own."""
    rows = (
        _con(store)
        .execute(
            "SELECT weekday, opens, closes FROM shop_hours WHERE shop_id = ? ORDER BY 1, 2",
            [shop],
        )
        .fetchall()
    )
    if not rows:
        return None
    week: dict[int, list[Interval]] = {d: [] for d in range(7)}
    for weekday, opens, closes in rows:
        week[int(weekday)].append((_clock(opens, "stored"), _clock(closes, "stored")))
    return week


def holidays(store: Any, shop: str) -> list[tuple[date, str | None]]:
    rows = (
        _con(store)
        .execute("SELECT date, name FROM shop_holidays WHERE shop_id = ? ORDER BY date", [shop])
        .fetchall()
    )
    return [(d, n) for d, n in rows]


def calendar_of(store: Any, shop: str) -> dict[str, Any]:
    """What `calendar show` prints: the hours text, whether it is the service-hours
    default, and the holidays."""
    week = stored_hours(store, shop)
    if week is None:
        row = (
            _con(store)
            .execute("SELECT service_hours FROM shops WHERE shop_id = ?", [shop])
            .fetchone()
        )
        text = format_hours(parse_hours(f"daily {_service_spec(row[0] if row else None)}"))
        return {"shop_id": shop, "hours": text, "default": True, "holidays": holidays(store, shop)}
    return {
        "shop_id": shop,
        "hours": format_hours(week),
        "default": False,
        "holidays": holidays(store, shop),
    }


def _service_spec(service_hours: str | None) -> str:
    """shops.service_hours as an interval this parser reads, read the way the metrics
    read it (service_facts.service_window): unparseable means 08:00-23:00, equal ends
    mean the whole day."""
    ends = (service_hours or "").split("-")
    try:
        if len(ends) != 2:
            raise CalendarError("not an interval")
        opens, closes = _clock(ends[0], "service_hours"), _clock(ends[1], "service_hours")
    except CalendarError:
        return "08:00-23:00"
    if opens == closes:
        return "00:00-24:00"
    return f"{clock_text(opens)}-{clock_text(closes)}"


def set_hours(store: Any, shop: str, spec: str) -> dict[int, list[Interval]] | None:
    """Replace a shop's weekly opening intervals; "default" removes them (the shop falls
    back to its service_hours every day). Returns the stored week (None for default)."""
    con = _con(store)
    week = None if spec.strip().lower() == "default" else parse_hours(spec)
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM shop_hours WHERE shop_id = ?", [shop])
        for day, intervals in (week or {}).items():
            for opens, closes in intervals:
                con.execute(
                    "INSERT INTO shop_hours VALUES (?, ?, ?, ?)",
                    [shop, day, clock_text(opens), clock_text(closes)],
                )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return week


def add_holiday(store: Any, shop: str, day: date | str, name: str | None = None) -> date:
    """Close a shop for a whole local date (replaces that date's name if already set)."""
    d = parse_date(day)
    _con(store).execute("INSERT OR REPLACE INTO shop_holidays VALUES (?, ?, ?)", [shop, d, name])
    return d


def remove_holiday(store: Any, shop: str, day: date | str) -> bool:
    """Reopen a date; False when it was not a holiday."""
    d = parse_date(day)
    row = (
        _con(store)
        .execute(
            "DELETE FROM shop_holidays WHERE shop_id = ? AND date = ? RETURNING date", [shop, d]
        )
        .fetchall()
    )
    return bool(row)
