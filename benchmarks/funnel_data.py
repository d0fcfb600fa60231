"""A socialscope store holding generated touchpoints for the funnel benchmark.

Written with DuckDB SQL straight into the store's ``touchpoints`` table (the contract's
columns, the ``ts_local`` twin computed with the importer's own expression,
``socialscope.ingest.timeparse.wall_sql``): going through the importer (validation, keyed
upsert) for 50 M rows would take far longer than the benchmark itself. The shops go
through the importer (a few rows), so their time zones are stored as the importer does.

Every random choice is a hash of the row's coordinates (``hash(shop, visitor, ..., salt)``),
so the data is identical on every run and machine (same DuckDB version).

Per visitor: 1–3 sessions, a fixed gap of 1 hour .. 18 days apart (so later sessions fall
in or out of the 14-day window from the first impression). The first session starts at
the impression, later ones at impression, click or product_view (a returning visitor).
Each session goes impression → click → product_view → add_to_cart → checkout → purchase
with drop-offs (45, 70, 40, 60, 75 % pass) ~2 minutes apart; 5 % of purchases share the
checkout's second (a tie that funnel order decides). Plus 0–2 noise events per session at
random moments of the session: step events out of order (another impression, click,
product_view, add_to_cart, a checkout before the cart) and lead/signup events that match no
step. Shops are Zipf-sized (weight 1/i) over several time zones (Warsaw and New York
change to summer time in March); data spans 2025-01-01 .. 2025-03-31.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb

from benchmarks.generate import DATA_ROOT, shop_weights

GENERATOR_VERSION = 1
START = date(2025, 1, 1)
DAYS = 90
STEPS = ("impression", "click", "product_view", "add_to_cart", "checkout", "purchase")
PASS = (0.45, 0.70, 0.40, 0.60, 0.75)
"""Probability of going on from step k to step k+1 within a session."""
NOISE = ("impression", "click", "product_view", "add_to_cart", "checkout", "lead", "signup")
CHANNELS = ("facebook", "instagram", "line", "tiktok", "email", "organic_search", "direct")
ZONES = (
    ("Asia/Taipei", "TWD"),
    ("Europe/Warsaw", "PLN"),
    ("America/New_York", "USD"),
    ("Asia/Bangkok", "THB"),
    ("UTC", "USD"),
)
"""Shop i gets ZONES[i % 5]: even the tiny scale has shops that change to summer time."""
SOURCES = ("search", "recommendation", "shop_page", "product_card", "live", "short_video", "ad")


@dataclass(frozen=True)
class FunnelScale:
    name: str
    rows: int  # touchpoints, approximately (the generator aims at it; the store says)
    shops: int

    @property
    def end(self) -> date:
        return START + timedelta(days=DAYS - 1)

    def key(self) -> str:
        blob = json.dumps({**asdict(self), "version": GENERATOR_VERSION}, sort_keys=True)
        return f"funnel-{self.name}-{hashlib.sha256(blob.encode()).hexdigest()[:10]}"


FUNNEL_SCALES: dict[str, FunnelScale] = {
    "full": FunnelScale("full", 50_000_000, 100),
    "small": FunnelScale("small", 2_000_000, 20),
    "tiny": FunnelScale("tiny", 20_000, 4),
}

MACROS = """
CREATE OR REPLACE MACRO u(a, b, salt) AS (hash(a, b, salt) % 1000003) / 1000003.0;
CREATE OR REPLACE MACRO u3(a, b, c, salt) AS (hash(a, b, c, salt) % 1000003) / 1000003.0;
CREATE OR REPLACE MACRO u4(a, b, c, d, salt) AS (hash(a, b, c, d, salt) % 1000003) / 1000003.0;
"""


def _events_sql(visitors: str) -> str:
    """SELECT of the events of `visitors` (a relation of idx, shop_id, v): one row per
    event with shop_id, idx, v, s (session), k (step 1..6, 0 for noise), j (noise
    number), event and the UTC timestamp ts."""
    span = (DAYS - 1) * 86400
    passes = ", ".join(str(p) for p in PASS)
    steps = ", ".join(f"'{s}'" for s in STEPS)
    noise = ", ".join(f"'{s}'" for s in NOISE)
    return f"""
    WITH vis AS (
      SELECT idx, shop_id, v,
        1 + floor(3 * pow(u(idx, v, 'sessions'), 2))::INTEGER AS ns,
        floor(u(idx, v, 'base') * {span})::BIGINT AS base_s,
        3600 + floor(u(idx, v, 'gap') * 17 * 86400)::BIGINT AS gap_s
      FROM {visitors}
    ),
    ses AS (
      SELECT idx, shop_id, v, s, base_s + s * gap_s AS start_s,
        CASE WHEN s = 0 THEN 1 ELSE 1 + floor(3 * u3(idx, v, s, 'entry'))::INTEGER END AS st
      FROM (SELECT *, unnest(range(ns)) AS s FROM vis)
    ),
    deep AS (
      SELECT *,
        -- the first step the visitor does not go on from (none: the whole funnel)
        list_position(
          list_transform(range(st, 6), k -> u4(idx, v, s, k, 'pass') < [{passes}][k]), false
        ) AS stop,
        floor(3 * u3(idx, v, s, 'noise'))::INTEGER AS nn,
        u3(idx, v, s, 'tie') < 0.05 AS tie
      FROM ses
    ),
    sized AS (
      SELECT *, CASE WHEN stop IS NULL OR stop = 0 THEN 6 ELSE st + stop - 1 END AS depth
      FROM deep
    ),
    steps AS (
      SELECT idx, shop_id, v, s, k, 0 AS j, ([{steps}])[k] AS event,
        start_s + (CASE WHEN k = 6 AND tie THEN 5 ELSE k END - st) * 120
          + floor(110 * u4(idx, v, s, CASE WHEN k = 6 AND tie THEN 5 ELSE k END, 'jit'))
          AS at_s
      FROM (SELECT *, unnest(range(st, depth + 1)) AS k FROM sized)
    ),
    noise AS (
      SELECT idx, shop_id, v, s, 0 AS k, j + 1 AS j,
        ([{noise}])[1 + floor({len(NOISE)} * u4(idx, v, s, j, 'what'))::INTEGER] AS event,
        start_s + floor(u4(idx, v, s, j, 'when') * ((depth - st) * 120 + 600)) AS at_s
      FROM (SELECT *, unnest(range(nn)) AS j FROM sized)
    )
    SELECT shop_id, idx, v, s, k, j, event,
      TIMESTAMP '{START.isoformat()}' + to_seconds(at_s) AS ts
    FROM (SELECT * FROM steps UNION ALL SELECT * FROM noise)
    """


def _events_per_visitor() -> float:
    """Mean events per visitor of this generator (over 200,000 visitors)."""
    con = duckdb.connect()
    try:
        con.execute(MACROS)
        row = con.execute(
            "SELECT count(*) / 200000.0 FROM ("
            + _events_sql("(SELECT 0 AS idx, 'x' AS shop_id, unnest(range(200000)) AS v)")
            + ")"
        ).fetchone()
    finally:
        con.close()
    assert row is not None
    return float(row[0])


def _shops(scale: FunnelScale, per_visitor: float) -> list[tuple[int, str, str, str, int]]:
    """(idx, shop_id, timezone, currency, visitors) per shop."""
    weights = shop_weights(scale.shops)
    return [
        (i, f"fshop{i + 1:03d}", *ZONES[i % len(ZONES)],
         max(1, round(scale.rows * w / per_visitor)))
        for i, w in enumerate(weights)
    ]  # fmt: skip


def _insert_sql(zones: list[str]) -> str:
    from socialscope.ingest.timeparse import wall_sql

    channels = ", ".join(f"'{c}'" for c in CHANNELS)
    sources = ", ".join(f"'{c}'" for c in SOURCES)
    local = wall_sql("e.ts", "g.timezone", zones)
    return f"""
    INSERT INTO touchpoints BY NAME
    SELECT e.shop_id,
      'v' || e.v || '-s' || e.s || CASE WHEN e.k > 0 THEN '-k' || e.k ELSE '-n' || e.j END
        AS event_id,
      'v' || e.v AS visitor_id,
      CASE WHEN u(e.idx, e.v, 'customer') < 0.2 THEN 'c' || e.v END AS customer_id,
      e.ts, {local} AS ts_local, e.event,
      ([{channels}])[1 + floor({len(CHANNELS)} * u(e.idx, e.v, 'channel'))::INTEGER]
        AS channel,
      ([{sources}])[1 + floor({len(SOURCES)} * u3(e.idx, e.v, e.s, 'source'))::INTEGER]
        AS source,
      'cmp' || floor(10 * u(e.idx, e.v, 'campaign'))::INTEGER AS campaign,
      'p' || floor(500 * u3(e.idx, e.v, e.s, 'product'))::INTEGER AS product_id,
      CASE WHEN e.event = 'purchase' THEN 'o' || e.v || '-' || e.s END AS order_id,
      CASE WHEN e.event = 'purchase'
        THEN round(100 + 4900 * u3(e.idx, e.v, e.s, 'amount'), 2)::DECIMAL(18, 4) END AS value,
      CASE WHEN e.event = 'purchase' THEN g.currency END AS currency,
      'benchmarks.funnel_data' AS _source, now()::TIMESTAMP AS _loaded_at
    FROM ({_events_sql("gvis")}) e JOIN gshops g USING (idx)
    """


def store_path(scale: FunnelScale, root: Path = DATA_ROOT) -> Path:
    return root / scale.key() / "touchpoints.duckdb"


def build_store(scale: FunnelScale, root: Path = DATA_ROOT, *, force: bool = False) -> Path:
    """Generate (or reuse) the store of `scale`; returns its path. params.json beside it is
    written last: when present and matching, the store is reused."""
    from socialscope.ingest.loader import ingest_paths
    from socialscope.store.duckdb import Store

    path = store_path(scale, root)
    marker = path.parent / "params.json"
    if not force and marker.is_file() and path.is_file():
        try:
            if json.loads(marker.read_text())["key"] == scale.key():
                return path
        except (ValueError, KeyError):
            pass
    path.parent.mkdir(parents=True, exist_ok=True)
    marker.unlink(missing_ok=True)
    path.unlink(missing_ok=True)
    t0 = time.perf_counter()
    per_visitor = _events_per_visitor()
    shops = _shops(scale, per_visitor)
    shops_csv = path.parent / "shops.csv"
    shops_csv.write_text(
        "shop_id,name,timezone,currency\n"
        + "".join(f"{s[1]},Funnel shop {s[0] + 1},{s[2]},{s[3]}\n" for s in shops)
    )
    store = Store(path)
    try:
        con = store.con
        con.execute("SET enable_progress_bar = false")
        ingest_paths(store, [shops_csv], table="shops")
        con.execute(MACROS)
        con.execute(
            "CREATE TEMP TABLE gshops (idx BIGINT, shop_id VARCHAR, timezone VARCHAR, "
            "currency VARCHAR, visitors BIGINT)"
        )
        con.executemany("INSERT INTO gshops VALUES (?, ?, ?, ?, ?)", shops)
        con.execute(
            "CREATE TEMP VIEW gvis AS SELECT idx, shop_id, unnest(range(visitors)) AS v FROM gshops"
        )
        zones = sorted({s[2] for s in shops})
        con.execute(_insert_sql(zones))
        con.execute("CHECKPOINT")
        row = con.execute("SELECT count(*), count(DISTINCT visitor_id) FROM touchpoints").fetchone()
    finally:
        store.close()
    assert row is not None
    meta = {
        "key": scale.key(),
        "scale": asdict(scale),
        "generator_version": GENERATOR_VERSION,
        "events_per_visitor": round(per_visitor, 4),
        "touchpoints": int(row[0]),
        "seconds": round(time.perf_counter() - t0, 2),
    }
    marker.write_text(json.dumps(meta, indent=2))
    return path


def read_meta(path: Path) -> dict[str, object]:
    meta: dict[str, object] = json.loads((path.parent / "params.json").read_text())
    return meta
