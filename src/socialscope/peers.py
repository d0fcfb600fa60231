"""Peer benchmarks (METRICS.md 10): a shop's value against same-tier, same-category shops.

Per-shop values come from the metric layer (`shop_id` as a dimension — the numbers of
`socialscope query --by shop_id`); the peer statistics are computed by DuckDB over that
result, and only aggregates of at least MIN_PEERS peers come out: no per-peer row, no
min or max, the peer count only as a band.

* Peers: shops with the same non-empty `tier` AND `category` as the shop, the shop itself
  excluded, with a non-null value. Money metrics: only peers whose value is in the shop's
  currency (the shop's `currency` setting); a shop's value in another currency is not
  converted.
* Quantiles p25, p50, p75, p90: linear interpolation between order statistics
  (DuckDB `quantile_cont`, Hyndman–Fan type 7: position (n − 1)·q from 0).
* Percentile rank of the shop's value v among the n peer values:
  100 × (#{peer < v} + ½ · #{peer = v}) / n  (ties count half: the mid-rank).
  It says how many peers the shop beats; whether that is good depends on the metric's
  `better` direction, which is reported with it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from socialscope.metrics.registry import REGISTRY

if TYPE_CHECKING:
    from socialscope.client import Client

MIN_PEERS = 5
QUANTILES: tuple[float, ...] = (0.25, 0.5, 0.75, 0.9)
EXCELLENT_LABEL = "excellent value of same-tier shops"


class PeerError(ValueError):
    """A bad peer-benchmark request (unknown metric or shop); names the parameter."""


def peer_band(n: int) -> str:
    """How many peers, as a band (never an exact small number)."""
    if n == 0:
        return "0"
    if n < MIN_PEERS:
        return f"1–{MIN_PEERS - 1}"
    for lo, hi in ((5, 9), (10, 19), (20, 49), (50, 99)):
        if n <= hi:
            return f"{lo}–{hi}"
    return "100+"


@dataclass(frozen=True)
class PeerBenchmark:
    metric: str
    shop: str
    date_from: date | None
    date_to: date | None
    value: Any
    currency: str | None
    tier: str | None
    category: str | None
    peers: str  # a band
    enough_peers: bool
    rank: float | None
    p25: Any
    p50: Any
    p75: Any
    p90: Any
    better: str

    def to_json(self) -> dict[str, Any]:
        def num(v: Any) -> Any:
            return None if v is None else (str(v) if not isinstance(v, (int, float)) else v)

        return {
            "metric": self.metric,
            "shop": self.shop,
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "value": num(self.value),
            "currency": self.currency,
            "tier": self.tier,
            "category": self.category,
            "peers": self.peers,
            "enough_peers": self.enough_peers,
            "message": None if self.enough_peers else "not enough peers",
            "percentile_rank": self.rank,
            "p25": num(self.p25),
            "p50": num(self.p50),
            "p75": num(self.p75),
            "p90": num(self.p90),
            "p90_label": EXCELLENT_LABEL,
            "better": self.better,
        }


def peer_benchmark(
    client: Client,
    metric: str,
    shop: str,
    date_from: date | str | None = None,
    date_to: date | str | None = None,
    params: dict[str, Any] | None = None,
) -> PeerBenchmark:
    """The shop's value, rank and peer quantiles for `metric` over the period."""
    spec = next((m for m in REGISTRY if m.id == metric), None)
    if spec is None:
        raise PeerError(f"unknown metric {metric!r}")
    if spec.snapshot:
        raise PeerError(f"metric {metric} is a snapshot; peer benchmarks need a period metric")
    shops = client.shops()
    if shop not in shops:
        raise PeerError(f"unknown shop {shop!r}")
    by = ["shop_id", "currency"] if spec.is_money else ["shop_id"]
    result = client.query([metric], by=by, date_from=date_from, date_to=date_to, params=params)
    values = result.to_arrow()
    con = client.store.con
    name = f"__ss_peer_values_{uuid.uuid4().hex}"
    con.register(name, values)
    try:
        row = _stats(con, name, metric, shop, spec.is_money)
    finally:
        con.unregister(name)
    n = int(row["n"])
    enough = n >= MIN_PEERS
    qs = row["qs"] if enough and row["qs"] is not None else [None] * len(QUANTILES)
    rank = None
    if enough and row["mine"] is not None:
        rank = 100.0 * (int(row["below"]) + 0.5 * int(row["equal"])) / n
    return PeerBenchmark(
        metric=metric,
        shop=shop,
        date_from=result.date_from,
        date_to=result.date_to,
        value=row["mine"],
        currency=row["currency"],
        tier=row["tier"],
        category=row["category"],
        peers=peer_band(n),
        enough_peers=enough,
        rank=rank,
        p25=qs[0],
        p50=qs[1],
        p75=qs[2],
        p90=qs[3],
        better=str(spec.better.value),
    )


def _stats(con: Any, values: str, metric: str, shop: str, money: bool) -> dict[str, Any]:
    """One row of aggregates; quantiles only when at least MIN_PEERS peers have a value."""
    m = '"' + metric.replace('"', '""') + '"'
    cur = "v.currency" if money else "NULL"
    same_cur = "AND v.currency IS NOT DISTINCT FROM me.currency" if money else ""
    sql = f"""
    WITH me AS (
        SELECT s.tier, s.category, s.currency FROM shops s WHERE s.shop_id = $shop
    ), vals AS (
        SELECT v.shop_id, v.{m} AS value, {cur} AS currency FROM "{values}" v
    ), mine AS (
        SELECT max(v.value) AS value FROM vals v, me
        WHERE v.shop_id = $shop {same_cur}
    ), peers AS (
        SELECT v.value FROM vals v JOIN shops s ON s.shop_id = v.shop_id, me
        WHERE v.shop_id <> $shop AND v.value IS NOT NULL
          AND nullif(trim(me.tier), '') IS NOT NULL AND s.tier = me.tier
          AND nullif(trim(me.category), '') IS NOT NULL AND s.category = me.category
          {same_cur}
    )
    SELECT
        (SELECT count(*) FROM peers) AS n,
        (SELECT CASE WHEN count(*) >= {MIN_PEERS}
                THEN quantile_cont(value, [{", ".join(map(str, QUANTILES))}]) END
           FROM peers) AS qs,
        (SELECT count(*) FROM peers, mine WHERE peers.value < mine.value) AS below,
        (SELECT count(*) FROM peers, mine WHERE peers.value = mine.value) AS equal,
        (SELECT value FROM mine) AS mine,
        (SELECT tier FROM me) AS tier,
        (SELECT category FROM me) AS category,
        (SELECT CASE WHEN {str(money).upper()} THEN currency END FROM me) AS currency
    """
    cols = ["n", "qs", "below", "equal", "mine", "tier", "category", "currency"]
    fetched = con.execute(sql, {"shop": shop}).fetchone()
    return dict(zip(cols, fetched, strict=True))
