"""A socialscope store for the product traffic benchmark: the funnel benchmark's generated
touchpoints (benchmarks/funnel_data.py — 50 M rows at full scale, product_id and traffic
source on every row, 20 % of visitors signed in as a customer) plus products, orders and
order lines made from its purchase events, so every section 9 metric has data.

Per purchase touchpoint: one order (its order_id) of customer 'c' + the visitor's number
(the id a signed-in visitor carries, so buyers who signed in are linked to their clicks
and the others are not), created at the purchase, traffic_source = the touchpoint's
source, amount = its value, in the shop's currency; 92 % paid a minute later, 3 % of all
cancelled an hour later; one order line of the touchpoint's product. Products: p0..p499
per shop in 12 categories. Written with SQL (the importer over millions of rows would take
longer than the benchmark); the derived tables (d_orders) are then built by
socialscope.store.derive.refresh, as after an import. Reused while params.json matches.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from pathlib import Path

from benchmarks.funnel_data import FUNNEL_SCALES, FunnelScale
from benchmarks.funnel_data import build_store as build_funnel_store
from benchmarks.generate import DATA_ROOT

GENERATOR_VERSION = 1
CATEGORIES = 12
PRODUCTS = 500

_SQL = f"""
INSERT INTO products BY NAME
SELECT shop_id, 'p' || n AS product_id, 'Product ' || n AS title,
  'cat' || (n % {CATEGORIES}) AS category, (100 + n)::DECIMAL(18, 4) AS price,
  currency, 'benchmarks.products_data' AS _source, now()::TIMESTAMP AS _loaded_at
FROM shops, range({PRODUCTS}) r(n);

CREATE TEMP TABLE buys AS
SELECT t.shop_id, t.order_id, 'c' || substr(t.visitor_id, 2) AS customer_id, t.ts,
  t.ts_local, t.source, t.product_id, t.value, t.currency,
  (hash(t.order_id, 'paid') % 100) < 92 AS paid,
  (hash(t.order_id, 'cancel') % 100) < 3 AS cancelled
FROM touchpoints t WHERE t.event = 'purchase';

INSERT INTO orders BY NAME
SELECT shop_id, order_id, customer_id, ts AS created_at, ts_local AS created_at_local,
  CASE WHEN paid THEN ts + INTERVAL 1 MINUTE END AS paid_at,
  CASE WHEN paid THEN ts_local + INTERVAL 1 MINUTE END AS paid_at_local,
  CASE WHEN cancelled THEN ts + INTERVAL 1 HOUR END AS cancelled_at,
  CASE WHEN cancelled THEN ts_local + INTERVAL 1 HOUR END AS cancelled_at_local,
  currency, value AS amount, 'web' AS source, source AS traffic_source,
  'benchmarks.products_data' AS _source, now()::TIMESTAMP AS _loaded_at
FROM buys;

INSERT INTO order_items BY NAME
SELECT shop_id, order_id, '1' AS line_id, product_id, 1 AS quantity, value AS unit_price,
  value AS amount, 'benchmarks.products_data' AS _source, now()::TIMESTAMP AS _loaded_at
FROM buys;
"""


def key(scale: FunnelScale) -> str:
    blob = json.dumps({"funnel": scale.key(), "version": GENERATOR_VERSION}, sort_keys=True)
    return f"products-{scale.name}-{hashlib.sha256(blob.encode()).hexdigest()[:10]}"


def build_store(scale_name: str, root: Path = DATA_ROOT, *, force: bool = False) -> Path:
    """The store of the scale (built from the funnel store, or reused); its path."""
    from socialscope.store.derive import refresh
    from socialscope.store.duckdb import Store

    scale = FUNNEL_SCALES[scale_name]
    path = root / key(scale) / "products.duckdb"
    marker = path.parent / "params.json"
    if not force and marker.is_file() and path.is_file():
        try:
            if json.loads(marker.read_text())["key"] == key(scale):
                return path
        except (ValueError, KeyError):
            pass
    source = build_funnel_store(scale, root, force=force)
    path.parent.mkdir(parents=True, exist_ok=True)
    marker.unlink(missing_ok=True)
    t0 = time.perf_counter()
    shutil.copyfile(source, path)
    store = Store(path)
    try:
        con = store.con
        con.execute("SET enable_progress_bar = false")
        con.execute(_SQL)
        refresh(store)
        con.execute("CHECKPOINT")
        row = con.execute(
            "SELECT (SELECT count(*) FROM touchpoints), (SELECT count(*) FROM orders)"
        ).fetchone()
    finally:
        store.close()
    assert row is not None
    marker.write_text(
        json.dumps(
            {
                "key": key(scale),
                "generator_version": GENERATOR_VERSION,
                "touchpoints": int(row[0]),
                "orders": int(row[1]),
                "seconds": round(time.perf_counter() - t0, 2),
            },
            indent=2,
        )
    )
    return path


def read_meta(path: Path) -> dict[str, object]:
    meta: dict[str, object] = json.loads((path.parent / "params.json").read_text())
    return meta
