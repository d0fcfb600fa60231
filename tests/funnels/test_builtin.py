"""The service, live and post built-ins on seeds/social.

Shop tp (Asia/Taipei), 2026-03-10 local times. Identities: line U1 and instagram I1 are
customer C1; instagram I4 is C6; everyone else is their channel identity.
Messages (customer unless noted):
  m1 U1 (C1) 10:00; m3 P2 10:00; m4 P3 10:00; m5 U4 03-09 23:00 (before the period);
  m6 agent message to U5 09:00 (not an inquiry)
Orders: o1 C1 11:00 paid 11:30 500 TWD; o2 P2 12:00 cancelled; o3 P2 13:00 paid 13:10
  200 TWD; o4 P3 11:00 cancelled; o5 U4 11:00 paid; o6 C1 live L1 20:30 paid 20:40
  300 TWD; o7 F2 live L2 21:30 paid; o8 F3 live L1 19:45 cancelled; o9 C6 post P9 20:30
  unpaid 450 TWD
Comments (customer, not deleted unless noted):
  c1 I1 (C1) L1 20:00 "so pretty"; c2 I1 L1 20:05 "+1"; c3 F2 L1 21:00 "+1";
  c4 F3 L2 19:00 "hello"; c5 F3 L1 19:30 "+1"; c6 I4 (C6) post P9, no live, 20:00 "+1";
  c7 I9 L1 "+1" deleted; c8 a page comment "+1"
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from socialscope.funnels import FunnelRequest, FunnelResult, ValueResult, run_funnel
from socialscope.funnels.builtin import builtin
from tests.funnels.conftest import Seed, counts

DAY = date(2026, 3, 10)


def _builtin(seed: Seed, name: str, counting: str = "unique") -> FunnelResult:
    b = builtin(name)
    request = FunnelRequest(b.steps, "tp", DAY, DAY, unit=b.unit, same=b.same, counting=counting)
    return run_funnel(seed.client, request)


def test_service(social: Seed) -> None:
    result = _builtin(social, "service")
    # inquirers in the period: C1 (m1 via identity U1), P2, P3 -> 3 (U4 wrote before the
    # period, U5 got an agent message only).
    # order after the inquiry, not cancelled: C1 o1, P2 o3 (o2 cancelled); P3 only has
    # the cancelled o4 -> 2. paid after that order: C1 o1 11:30, P2 o3 13:10 -> 2.
    assert counts(result) == [3, 2, 2]
    steps = result.overall.steps
    # inquiry -> order: C1 1 h, P2 3 h -> median 2 h; order -> paid: 30 min, 10 min
    assert steps[1].median_s_from_previous == 7200.0
    assert steps[2].median_s_from_previous == 1200.0
    # paid value: o1 500 + o3 200 = 700 TWD over 2, mean 350
    assert result.overall.values == (
        ValueResult("TWD", 2, Decimal("700.0000"), Decimal("350.0000")),
    )


def test_live(social: Seed) -> None:
    # entrants (customer comments with a live_id): C1 (c1, c2), F2 (c3), F3 (c4, c5) = 3;
    # c6 has no live, c7 is deleted, c8 is the page's.
    # keyword comment on the same live: C1 c2; F2's "+1" is its entry itself (&);
    # F3: from c4 (L2) there is no "+1" on L2, from c5 (L1) the "+1" is c5 -> 3.
    # order source live on that live: C1 o6 (L1); F2's o7 is on L2; F3's o8 is
    # cancelled -> 1. paid: C1 o6 -> 1, 300 TWD.
    result = _builtin(social, "live")
    assert counts(result) == [3, 3, 1, 1]
    assert result.overall.values == (
        ValueResult("TWD", 1, Decimal("300.0000"), Decimal("300.0000")),
    )
    # totals: attempts c1 (4 steps), c2 (4: itself, o6, paid), c3 (2), c4 (1), c5 (2)
    # -> [5, 4, 2, 2]; value 2 × 300 TWD
    totals = _builtin(social, "live", "totals")
    assert counts(totals) == [5, 4, 2, 2]
    assert totals.overall.values[0].total == Decimal("600.0000")


def test_post(social: Seed) -> None:
    # only c6 (C6 via I4) comments on a post outside a live; its "+1" is itself; order o9
    # (post P9) follows; it is unpaid -> [1, 1, 1, 0], no value
    result = _builtin(social, "post")
    assert counts(result) == [1, 1, 1, 0]
    assert result.overall.values == ()
