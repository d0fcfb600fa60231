"""Purchase conversions and currencies on seeds/purchase (shop tp, Asia/Taipei, TWD).

Touchpoints: v_p1 (anonymous) click facebook 04-21 10:00 and purchase 04-22 10:00 (250
TWD); v_p2 (customer c_p2) click google 04-20 10:00 and purchase 04-21 10:00 (40 USD);
v_p3 purchase 04-23 10:00 without value or currency (-> 0 in the shop's currency, TWD).
Orders: o_p (c_p2) paid 04-21 10:00, 100 TWD; o_usd (c_p4) paid 04-25 10:00, 30 USD.
Every journey's last touch is in April, later than E - 30 d = 04-01 00:00: no
non-converting row anywhere.
"""

from __future__ import annotations

import pytest

from socialscope.attribution.journeys import JourneyError
from tests.attribution_journeys.conftest import conv, rows


def test_purchases_need_a_currency(purchase):
    # p2 and p5 are TWD, p4 is USD: never added together
    with pytest.raises(JourneyError, match=r"several currencies \(TWD, USD\).*pass a currency"):
        purchase.paths(conversion="purchase")


def test_purchases_in_twd(purchase):
    paths = purchase.paths(conversion="purchase", currency="TWD")
    assert paths.currency == "TWD"

    assert rows(paths) == [
        # p2: the anonymous visitor's own journey, facebook 24 h before
        conv(("facebook",), "250", (24.0,)),
        # p5: no touch, no value -> 0
        conv(("direct",), "0", (0.0,)),
    ]


def test_purchases_in_usd(purchase):
    # p4: c_p2's google click 04-20 10:00, 24 h before
    assert purchase.rows(conversion="purchase", currency="USD") == [
        conv(("google",), "40", (24.0,))
    ]


def test_orders_need_a_currency(purchase):
    with pytest.raises(JourneyError, match=r"TWD, USD"):
        purchase.paths()


def test_orders_by_currency(purchase):
    # o_p (c_p2): google 04-20 10:00, 24 h before; the purchase touchpoint is no click
    assert purchase.rows(currency="TWD") == [conv(("google",), "100", (24.0,))]
    # o_usd: c_p4 has no touch
    assert purchase.rows(currency="USD") == [conv(("direct",), "30", (0.0,))]
    assert purchase.paths(currency="USD").currency == "USD"
