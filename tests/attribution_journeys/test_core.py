"""Paths of seeds/core (shop tp, Asia/Taipei = UTC+8 all year, TWD), April 2026.

The period is local 2026-04-01..2026-04-30: B = 04-01 00:00 +08, E = 05-01 00:00 +08.
Lookback 30 days (default), so for non-converting journeys E - 30 d = 04-01 00:00 +08
and B - 30 d = 03-02 00:00 +08. All times below are +08:00.

Journeys (touches are clicks unless said otherwise):
- c_look: facebook 03-05 12:00, instagram 03-06 12:00, email 04-04 12:00, an impression
  facebook 04-04 13:00; o_look paid 04-05 12:00, 300, refund 100.
- c_prev: facebook 03-20 10:00; o_prev1 paid 03-25 10:00 (100); google 03-28 10:00,
  tiktok 04-02 10:00; o_prev2 paid 04-03 10:00 (200).
- c_direct: no touch; o_direct paid 04-10 12:00 (150, refunded in full).
- c_link: visitor v_link_a (facebook 04-08 09:00 without customer, instagram 04-09 09:00
  with c_link) and v_link_b (blank channel 04-09 18:00, with c_link); o_link paid
  04-10 09:00 (500).
- v_switch: email 04-11 10:00 carrying c_old, sms 04-12 10:00 carrying c_new: the latest
  customer, c_new, owns both. o_new (c_new) 04-13 10:00 (100); o_old (c_old) 04-13 11:00
  (80).
- unlinked visitors: v_anon google 03-20 10:00 + facebook 03-25 10:00; v_recent facebook
  04-15; v_old google 02-20; v_edge_end email 04-01 00:00:00; v_edge_late email
  04-01 00:00:01; v_edge_start line 03-02 00:00:00; v_edge_early line 03-01 23:59:59.
- c_after: google 02-10, o_after1 paid 02-15 (100), facebook 03-10 10:00, email 03-15 10:00.
- c_cancel: google 03-25 10:00; o_cancel paid 04-21 but cancelled; o_unpaid never paid.
- c_tie: instagram and facebook both 04-22 10:00; o_tie1 (120) and o_tie2 (60) both paid
  04-23 10:00.
- o_nocust: paid 04-24 10:00 (70), no customer.
- c_late: facebook 04-30 20:00, o_late paid 04-30 23:30 (250).
- c_next: google 04-30 22:00, o_next paid 05-01 00:30 (90).
- c_first: facebook 03-31 23:00, o_before paid 03-31 23:30 (90), instagram 03-31 23:45,
  o_first paid 04-01 00:30 (110).
- shop tp2: o_other of the same c_look and a "leak" touch of v_look.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from tests.attribution_journeys.conftest import conv, null

# Converting rows, in output order (paid_at, then order id):
O_FIRST = conv(("instagram",), "110", (0.75,))
# facebook 03-31 23:00 is before o_before (23:30), the previous conversion: cut off;
# instagram 23:45 -> o_first 00:30 = 0.75 h. o_before itself is paid on 03-31: not counted.
O_PREV2 = conv(("google", "tiktok"), "200", (144.0, 24.0))
# facebook 03-20 lies within 30 days but before o_prev1 (03-25): cut off.
# google 03-28 10:00 -> 04-03 10:00 = 6 d = 144 h; tiktok 04-02 10:00 -> 24 h.
O_LOOK = conv(("instagram", "email"), "300", (720.0, 24.0))
# facebook 03-05 12:00 is 31 d before 04-05 12:00: outside the lookback; instagram 03-06
# 12:00 is exactly 30 d = 720 h before: inside (inclusive); email 04-04 12:00 = 24 h.
# The impression is not a touch by default.
O_LINK = conv(("facebook", "instagram", "direct"), "500", (48.0, 24.0, 15.0))
# v_link_a and v_link_b both belong to c_link: facebook 04-08 09:00 (48 h, before the
# visitor was linked), instagram 04-09 09:00 (24 h), blank channel 04-09 18:00 -> direct
# (15 h before 04-10 09:00).
O_DIRECT = conv(("direct",), "150", (0.0,))
# no touch at all -> ["direct"], the pseudo-touch 0 h before the conversion.
O_NEW = conv(("email", "sms"), "100", (48.0, 24.0))
# v_switch's latest customer is c_new: email 04-11 10:00 (48 h before 04-13 10:00), sms
# 04-12 10:00 (24 h)
O_OLD = conv(("direct",), "80", (0.0,))
# c_old's touch went to c_new with its visitor: c_old has none.
O_TIE1 = conv(("facebook", "instagram"), "120", (24.0, 24.0))
# both touches at 04-22 10:00: tie broken by label, facebook < instagram.
O_TIE2 = conv(("direct",), "60", (0.0,))
# paid at the same instant as o_tie1, which sorts first (o_tie1 < o_tie2): o_tie2's touches
# must be strictly after o_tie1 -> none.
O_NOCUST = conv(("direct",), "70", (0.0,))
O_LATE = conv(("facebook",), "250", (3.5,))
# 04-30 23:30 local is on the last day: counted; facebook 20:00 -> 3.5 h.
# o_next (05-01 00:30 local) is outside the period; o_cancel and o_unpaid never convert.

CONVERTING = [
    O_FIRST,
    O_PREV2,
    O_LOOK,
    O_LINK,
    O_DIRECT,
    O_NEW,
    O_OLD,
    O_TIE1,
    O_TIE2,
    O_NOCUST,
    O_LATE,
]

# Non-converting rows, in output order (last touch, then journey key):
NULLS = [
    null(("line",), (0.0,)),
    # v_edge_start: last touch 03-02 00:00 = B - 30 d exactly -> counted (inclusive)
    null(("facebook", "email"), (120.0, 0.0)),
    # c_after: touches after its last conversion o_after1 (02-15): facebook 03-10 10:00
    # (120 h before the last touch), email 03-15 10:00 (0 h); google 02-10 was before it.
    null(("google",), (0.0,)),
    # c_cancel (key "customer:c_cancel" < "visitor:v_anon", same last touch 03-25 10:00):
    # the cancelled and the unpaid order are no conversions, google 03-25 stays unconverted.
    null(("google", "facebook"), (120.0, 0.0)),
    # v_anon, never linked: its own journey; google 03-20 -> facebook 03-25 = 120 h.
    null(("email",), (0.0,)),
    # v_edge_end: last touch 04-01 00:00 = E - 30 d exactly -> counted (inclusive).
]
# Not counted: v_recent (04-15, too recent), v_edge_late (1 s too recent), c_next (04-30,
# too recent; its order is after the period), v_old (02-20 < B - 30 d), v_edge_early
# (1 s before B - 30 d). Converted journeys have no touch after their last conversion.


def test_rows_in_order(core):
    assert core.rows() == CONVERTING + NULLS


def test_currency_and_source(core):
    paths = core.paths()
    assert paths.currency == "TWD"
    assert paths.has_times
    assert "tp" in paths.source and "lookback 30 d" in paths.source


def test_net_of_refunds(core):
    got = core.rows(net_of_refunds=True)
    # o_look 300 - refund 100 = 200
    assert conv(("instagram", "email"), "200", (720.0, 24.0)) in got
    # o_direct 150 - 150 = 0: still a conversion (paid, not cancelled)
    assert conv(("direct",), "0", (0.0,)) in got
    # the others have no refund; o_cancel's refund changes nothing (never a conversion)
    assert O_PREV2 in got and O_LINK in got and O_LATE in got
    assert len(got) == len(CONVERTING + NULLS)


def test_short_lookback(core):
    got = core.rows(lookback_days=1)
    # o_look: [04-04 12:00, 04-05 12:00] holds email only, exactly 24 h before (inclusive)
    assert conv(("email",), "300", (24.0,)) in got
    # o_link: [04-09 09:00, 04-10 09:00]: instagram (24 h) and the blank channel (15 h)
    assert conv(("instagram", "direct"), "500", (24.0, 15.0)) in got
    # o_prev2: [04-02 10:00, 04-03 10:00]: tiktok (24 h)
    assert conv(("tiktok",), "200", (24.0,)) in got
    # non-converting with a 1-day lookback: last touch in [B - 1 d, E - 1 d] =
    # [03-31 00:00, 04-30 00:00]: v_edge_end (04-01 00:00:00), v_edge_late (04-01
    # 00:00:01), v_recent (04-15); c_next (04-30 22:00) is still too recent.
    assert [r for r in got if r[3] == 1.0] == [
        null(("email",), (0.0,)),
        null(("email",), (0.0,)),
        null(("facebook",), (0.0,)),
    ]


def test_more_touch_events(core):
    got = core.rows(touch_events=("click", "impression"))
    # c_look's impression facebook 04-04 13:00 now counts: 23 h before o_look
    assert conv(("instagram", "email", "facebook"), "300", (720.0, 24.0, 23.0)) in got
    assert O_LOOK not in got


def test_first_and_last_day(core):
    got = core.rows()
    assert O_FIRST in got and O_LATE in got
    one_day = core.rows(date_from=core.base.date_to, date_to=core.base.date_to)
    # 04-30 alone: o_late (23:30) only; o_next at 05-01 00:30 is the next day. Nulls as
    # of E = 05-01 00:00 need a last touch in [03-31 00:00, 04-01 00:00]: v_edge_end
    # (04-01 00:00). c_first's touches of 03-31 came before its conversion o_first.
    assert one_day == [O_LATE, null(("email",), (0.0,))]


def test_empty_period(core):
    got = core.rows(date_from=date(2025, 1, 1), date_to=date(2025, 1, 31))
    # nothing converts in January 2025 and no touch is that old
    assert got == []
    assert core.paths(date_from=date(2025, 1, 1), date_to=date(2025, 1, 31)).currency == "TWD"


def test_aggregate_groups_the_rows(core):
    flat = core.rows()
    grouped: dict[tuple[str, ...], list[Any]] = defaultdict(lambda: [0.0, Decimal(0), 0.0])
    for path, conversions, value, nulls, _hours in flat:
        grouped[path][0] += conversions
        grouped[path][1] += value
        grouped[path][2] += nulls
    agg = core.rows(aggregate=True)
    assert {r[0]: [r[1], r[2], r[3]] for r in agg} == dict(grouped)
    assert len(agg) == len(grouped)  # one row per distinct path
    assert all(r[4] is None for r in agg)
    # by hand: ["direct"] gathers o_direct, o_old, o_tie2, o_nocust: 4 conversions worth
    # 150 + 80 + 60 + 70 = 360; the largest row, so it comes first.
    assert agg[0] == (("direct",), 4.0, Decimal("360"), 0.0, None)
    # totals: 11 conversions worth 1940 (110+200+300+500+150+100+80+120+60+70+250), 5 nulls
    assert sum(r[1] for r in agg) == 11.0
    assert sum(r[2] for r in agg) == Decimal("1940")
    assert sum(r[3] for r in agg) == 5.0
    assert not core.paths(aggregate=True).has_times


def test_other_shop_never_leaks(core):
    labels = {label for row in core.rows() for label in row[0]}
    assert "leak" not in labels
    other = core.rows(shop="tp2")
    # tp2: o_other paid 04-06 12:00; the "leak" click of v_look (c_look) 04-05 11:00 = 25 h
    assert other == [conv(("leak",), "999", (25.0,))]
