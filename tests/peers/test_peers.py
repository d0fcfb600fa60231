"""Peer benchmarks against hand-computed quantiles and ranks (conftest.py)."""

from __future__ import annotations

import json

import pytest

from socialscope.peers import PeerError, peer_band, peer_benchmark
from tests.seedstore import SeedStore

MAY = ("2026-05-01", "2026-05-31")
SECRETS = ("peer1", "peer2", "peer3", "peer4", "peer5", "peer6", "Peer", "food1", "lower1")


def bench(seed: SeedStore, metric: str, shop: str = "me", period: tuple[str, str] = MAY) -> dict:  # type: ignore[type-arg]
    out = peer_benchmark(seed.client, metric, shop, *period).to_json()
    text = json.dumps(out)
    for s in SECRETS:
        assert s not in text, s
    assert "min" not in out and "max" not in out
    return out


def test_six_peers_quantiles_and_tied_rank(seed: SeedStore) -> None:
    out = bench(seed, "order_count")
    # peers (not food1/lower1/me): 1 2 3 5 8 4 → sorted 1 2 3 4 5 8, n = 6.
    # type 7: position (n-1)q = 5q. p25 1.25 → 2 + .25·1 = 2.25; p50 2.5 → 3.5;
    # p75 3.75 → 4 + .75·1 = 4.75; p90 4.5 → 5 + .5·3 = 6.5.
    # rank of 3: below {1, 2} = 2, ties {3} = 1 → 100·(2 + 0.5)/6
    assert out["value"] == 3
    assert (out["p25"], out["p50"], out["p75"], out["p90"]) == (2.25, 3.5, 4.75, 6.5)
    assert out["percentile_rank"] == pytest.approx(100 * 2.5 / 6)
    assert out["enough_peers"] is True
    assert out["peers"] == "5–9"
    assert out["p90_label"] == "excellent value of same-tier shops"


def test_money_metric_only_same_currency_peers(seed: SeedStore) -> None:
    out = bench(seed, "sales_amount")
    # TWD peers: 100 200 300 500 800 (peer6 is USD: left out), n = 5: position 4q.
    # p25 1 → 200; p50 2 → 300; p75 3 → 500; p90 3.6 → 500 + .6·300 = 680.
    # rank of 300: below 2, tie 1 → 100·2.5/5 = 50
    assert out["currency"] == "TWD"
    assert out["value"] == "300.0000"
    assert [out[p] for p in ("p25", "p50", "p75", "p90")] == [
        "200.0000",
        "300.0000",
        "500.0000",
        "680.0000",
    ]
    assert out["percentile_rank"] == 50.0


def test_four_peers_is_not_enough(seed: SeedStore) -> None:
    # May 1-10: peer5 has no order → aov null; peer6 is USD → TWD peers peer1..peer4
    out = bench(seed, "aov", period=("2026-05-01", "2026-05-10"))
    assert out["enough_peers"] is False
    assert out["message"] == "not enough peers"
    assert out["peers"] == "1–4"
    assert [out[p] for p in ("p25", "p50", "p75", "p90", "percentile_rank")] == [None] * 5


def test_five_peers_is_enough(seed: SeedStore) -> None:
    # May 1-10, order_count: peer5 has no order row → no value (not 0); peers 1 2 3 5 4
    # (a count: currency does not matter) → sorted 1 2 3 4 5, n = 5, position 4q:
    # p25 2, p50 3, p75 4, p90 3.6 → 4 + .6·1 = 4.6; rank of 3: (2 + 0.5)/5 = 50
    out = bench(seed, "order_count", period=("2026-05-01", "2026-05-10"))
    assert out["enough_peers"] is True
    assert [out[p] for p in ("p25", "p50", "p75", "p90")] == [2.0, 3.0, 4.0, pytest.approx(4.6)]
    assert out["percentile_rank"] == 50.0


def test_shop_without_tier_has_no_peers(seed: SeedStore) -> None:
    out = bench(seed, "order_count", shop="untiered")
    assert out["peers"] == "0"
    assert out["enough_peers"] is False
    assert out["value"] == 2


def test_bad_requests(seed: SeedStore) -> None:
    with pytest.raises(PeerError, match="unknown metric"):
        peer_benchmark(seed.client, "nope", "me", *MAY)
    with pytest.raises(PeerError, match="unknown shop"):
        peer_benchmark(seed.client, "order_count", "ghost", *MAY)


def test_bands() -> None:
    assert [peer_band(n) for n in (0, 1, 4, 5, 9, 10, 49, 100)] == [
        "0",
        "1–4",
        "1–4",
        "5–9",
        "5–9",
        "10–19",
        "20–49",
        "100+",
    ]
