"""Deterministic synthetic social-commerce data at scale, generated in DuckDB SQL.

Every random choice is a hash of the row's coordinates (``hash(shop, row, salt)``), not
``random()``: DuckDB's ``setseed`` + ``random()`` is only reproducible single-threaded,
while hashes give the same data on any number of threads and in any order.

Shop sizes are Zipf-skewed (weight of the i-th shop = 1 / i): one shop holds ~13 % of
all rows at 1,000 shops, the median shop ~0.03 %, and most shops are small.

Files (one directory per parameter set, under ``benchmarks/data/``):

* ``tables/<table>.parquet`` — shops, identities, messages, comments, orders, refunds, in
  the import contract's columns (timestamps as ISO 8601 text with ``Z``), for the store;
* ``messages_import.csv`` — the first ``import_rows`` messages of the period (by ts),
  for the import benchmark;
* ``params.json`` — written last; when it matches, the data is reused.
"""

from __future__ import annotations

import hashlib
import json
import math
import time
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb

GENERATOR_VERSION = 2
"""Bump when the generated data changes shape, so cached data is regenerated.

2: shops get service hours (SERVICE_HOURS); an agent message follows the message before it
by 1..360 s (replies around the 3-minute threshold) instead of sitting on the 300 s grid.
"""

DATA_ROOT = Path(__file__).parent / "data"

TIMEZONES = (
    ("Asia/Taipei", "TWD"),
    ("Asia/Taipei", "TWD"),
    ("Asia/Taipei", "TWD"),
    ("Asia/Bangkok", "THB"),
    ("Asia/Bangkok", "THB"),
    ("Europe/Warsaw", "PLN"),
    ("UTC", "USD"),
    ("Asia/Taipei", "TWD"),
    ("America/New_York", "USD"),
    ("Asia/Taipei", "TWD"),
)
"""Shop i gets TIMEZONES[i % 10]; Warsaw and New York cross a DST change in March."""

SERVICE_HOURS = (
    "08:00-23:00",
    "",
    "09:00-18:00",
    "08:00-23:00",
    "20:00-02:00",
    "08:00-23:00",
    "00:00-00:00",
)
"""Shop i gets SERVICE_HOURS[i % 7]: the default (given and left empty), office hours, an
overnight window and around the clock, for the 3-minute rule's service-hours test."""

TABLES = ("shops", "identities", "messages", "comments", "orders", "refunds")


@dataclass(frozen=True)
class Scale:
    """Size of a generated data set."""

    name: str
    shops: int
    messages: int
    orders: int
    comments: int
    import_rows: int
    days: int = 90
    start: str = "2025-01-01"
    msgs_per_conversation: int = 8  # mean; each conversation has 2..14 messages

    @property
    def end(self) -> date:
        """Last day of the period (inclusive)."""
        return date.fromisoformat(self.start) + timedelta(days=self.days - 1)

    def key(self) -> str:
        blob = json.dumps({**asdict(self), "version": GENERATOR_VERSION}, sort_keys=True)
        return f"{self.name}-{hashlib.sha256(blob.encode()).hexdigest()[:10]}"


SCALES: dict[str, Scale] = {
    "full": Scale("full", 1000, 10_000_000, 1_000_000, 1_000_000, 1_000_000),
    "small": Scale("small", 50, 200_000, 20_000, 20_000, 200_000),
    "tiny": Scale("tiny", 5, 5_000, 500, 500, 5_000),
}


def shop_weights(n: int) -> list[float]:
    """Zipf weights 1/i, normalised to sum 1."""
    raw = [1.0 / (i + 1) for i in range(n)]
    total = sum(raw)
    return [w / total for w in raw]


def _allocate(total: int, weights: list[float], minimum: int = 1) -> list[int]:
    return [max(minimum, round(total * w)) for w in weights]


def _shops_rows(scale: Scale) -> list[tuple[object, ...]]:
    """(idx, shop_id, timezone, currency, n_conv, n_comments, n_orders, n_staff, n_cust)."""
    w = shop_weights(scale.shops)
    convs = _allocate(scale.messages // scale.msgs_per_conversation, w)
    comments = _allocate(scale.comments, w)
    orders = _allocate(scale.orders, w)
    rows: list[tuple[object, ...]] = []
    for i in range(scale.shops):
        tz, cur = TIMEZONES[i % len(TIMEZONES)]
        n_staff = 1 + min(30, math.ceil(convs[i] / 2000))
        n_cust = max(5, convs[i] // 3)
        rows.append(
            (i, f"shop{i + 1:04d}", tz, cur, convs[i], comments[i], orders[i], n_staff, n_cust)
        )
    return rows


MACROS = """
CREATE OR REPLACE MACRO u(a, b, salt) AS (hash(a, b, salt) % 1000003) / 1000003.0;
CREATE OR REPLACE MACRO u3(a, b, c, salt) AS (hash(a, b, c, salt) % 1000003) / 1000003.0;
CREATE OR REPLACE MACRO iso(t) AS strftime(t, '%Y-%m-%dT%H:%M:%SZ');
"""


def _conversations_sql(start: str, days: int) -> str:
    span = days * 86400 - 4 * 3600
    return f"""
    CREATE TABLE conv AS
    WITH c AS (
      SELECT idx, shop_id, n_staff, n_cust, unnest(range(n_conv)) AS k FROM gshops
    )
    SELECT idx, shop_id, k, n_staff, n_cust,
      CASE WHEN u(idx, k, 'ch') < 0.35 THEN 'facebook'
           WHEN u(idx, k, 'ch') < 0.60 THEN 'instagram'
           WHEN u(idx, k, 'ch') < 0.85 THEN 'line' ELSE 'web_chat' END AS channel,
      CAST(floor(pow(u(idx, k, 'cust'), 2) * n_cust) AS BIGINT) AS person,
      TIMESTAMP '{start}' + to_seconds(CAST(floor(u(idx, k, 'start') * {span}) AS BIGINT))
        AS start_ts,
      CASE WHEN u(idx, k, 'type') < 0.12 THEN 'bot'
           WHEN u(idx, k, 'type') < 0.32 THEN 'handoff'
           WHEN u(idx, k, 'type') < 0.40 THEN 'waiting' ELSE 'human' END AS ctype,
      2 + CAST(hash(idx, k, 'len') % 13 AS BIGINT) AS n_msgs,
      CAST(hash(idx, k, 'staff') % n_staff AS BIGINT) AS staff,
      u(idx, k, 'handover') < 0.15 AS handover,
      u(idx, k, 'close') < 0.30 AS closes
    FROM c
    """


MESSAGES_SQL = """
CREATE TABLE gmessages AS
WITH m AS (
  SELECT *, unnest(range(n_msgs)) AS j FROM conv
), s AS (
  SELECT *,
    CASE
      WHEN closes AND j = n_msgs - 1 AND j > 0 THEN 'system'
      WHEN ctype = 'bot' THEN CASE WHEN j % 2 = 0 THEN 'customer' ELSE 'bot' END
      WHEN ctype = 'handoff' AND j = 1 THEN 'bot'
      WHEN ctype = 'handoff' AND j = 2 THEN 'system'
      WHEN ctype = 'waiting' THEN 'customer'
      WHEN j = 0 THEN 'customer'
      WHEN u3(idx, k, j, 'snd') < 0.5 THEN 'customer'
      ELSE 'agent' END AS sender
  FROM m
)
SELECT
  shop_id,
  'm' || idx || '-' || k || '-' || j AS event_id,
  channel,
  CASE WHEN channel IN ('facebook', 'instagram') THEN 'cv' || idx || '-' || k ELSE '' END
    AS conversation_id,
  channel || '-' || person AS customer_id,
  iso(start_ts + to_seconds(CASE
    WHEN sender = 'agent'  -- the reply: 1..360 s after the message before it
    THEN (j - 1) * 300 + CAST(hash(idx, k, j - 1, 'dt') % 240 AS BIGINT)
         + 1 + CAST(hash(idx, k, j, 'rd') % 360 AS BIGINT)
    ELSE j * 300 + CAST(hash(idx, k, j, 'dt') % 240 AS BIGINT) END)) AS ts,
  sender,
  CASE WHEN sender = 'agent' THEN
    'st' || CASE WHEN handover AND j * 2 > n_msgs THEN (staff + 1) % n_staff ELSE staff END
  ELSE '' END AS staff_id,
  CASE WHEN sender = 'system' AND closes AND j = n_msgs - 1 THEN 'close'
       WHEN sender = 'system' THEN 'handoff' ELSE 'message' END AS kind,
  CASE WHEN u3(idx, k, j, 'img') < 0.1 THEN 'image' ELSE 'text' END AS message_type,
  'hello ' || j AS text,
  CASE WHEN sender = 'customer' AND u3(idx, k, j, 'prod') < 0.1
       THEN 'p' || (hash(idx, k, j, 'pid') % 200) ELSE '' END AS product_id
FROM s
ORDER BY idx, k, j
"""


def _comments_sql(start: str, days: int) -> str:
    span = days * 86400
    return f"""
    CREATE TABLE gcomments AS
    WITH c AS (SELECT idx, shop_id, n_cust, unnest(range(n_comments)) AS k FROM gshops),
    d AS (
      SELECT *,
        CASE WHEN u(idx, k, 'cch') < 0.5 THEN 'facebook'
             WHEN u(idx, k, 'cch') < 0.85 THEN 'instagram' ELSE 'tiktok' END AS channel
      FROM c
    )
    SELECT shop_id, 'c' || idx || '-' || k AS event_id, channel,
      'post' || (hash(idx, k, 'post') % 60) AS post_id,
      'c' || idx || '-' || k AS comment_id,
      CASE WHEN u(idx, k, 'auth') < 0.92 THEN 'customer' ELSE 'page' END AS author,
      channel || '-' || CAST(floor(pow(u(idx, k, 'ccust'), 2) * n_cust) AS BIGINT)
        AS customer_id,
      iso(TIMESTAMP '{start}' + to_seconds(CAST(floor(u(idx, k, 'cts') * {span}) AS BIGINT)))
        AS ts,
      '+1' AS text,
      CASE WHEN u(idx, k, 'del') < 0.05 THEN 'true' ELSE 'false' END AS deleted
    FROM d ORDER BY idx, k
    """


def _orders_sql(start: str, days: int) -> str:
    span = days * 86400 - 3 * 3600
    return f"""
    CREATE TABLE gorders AS
    WITH c AS (
      SELECT idx, shop_id, currency, n_staff, n_cust, n_conv, unnest(range(n_orders)) AS k
      FROM gshops
    ), d AS (
      SELECT *,
        CASE WHEN u(idx, k, 'src') < 0.40 THEN 'message_center'
             WHEN u(idx, k, 'src') < 0.65 THEN 'live'
             WHEN u(idx, k, 'src') < 0.80 THEN 'post' ELSE 'web' END AS source,
        CAST(hash(idx, k, 'oconv') % n_conv AS BIGINT) AS conv_k,
        u(idx, k, 'link') AS link_u
      FROM c
    ), e AS (
      SELECT d.*,
        CASE WHEN source = 'message_center' AND link_u < 0.5 THEN 'cv' || idx || '-' || conv_k
             ELSE '' END AS conversation_id,
        CASE WHEN source = 'message_center' AND link_u < 0.5
             THEN TIMESTAMP '{start}'
                  + to_seconds(CAST(floor(u(idx, conv_k, 'start') * {days * 86400 - 4 * 3600})
                                    AS BIGINT) + 3600)
             ELSE TIMESTAMP '{start}'
                  + to_seconds(CAST(floor(u(idx, k, 'ots') * {span}) AS BIGINT)) END
          AS created
      FROM d
    )
    SELECT shop_id, 'o' || idx || '-' || k AS order_id,
      'cust-' || CAST(floor(u(idx, k, 'ocust') * n_cust) AS BIGINT) AS customer_id,
      iso(created) AS created_at,
      CASE WHEN u(idx, k, 'paid') < 0.85 THEN iso(created + INTERVAL 10 MINUTE) ELSE '' END
        AS paid_at,
      CASE WHEN u(idx, k, 'cancel') < 0.06 THEN iso(created + INTERVAL 2 HOUR) ELSE '' END
        AS cancelled_at,
      currency,
      printf('%.2f', 100 + floor(u(idx, k, 'amt') * 490000) / 100) AS amount,
      source,
      CASE WHEN source IN ('message_center', 'post') THEN 'facebook'
           WHEN source = 'live' THEN 'instagram' ELSE '' END AS channel,
      CASE WHEN source = 'message_center' AND u(idx, k, 'ostaff') < 0.3
           THEN 'st' || (hash(idx, k, 'osid') % n_staff) ELSE '' END AS staff_id,
      conversation_id
    FROM e ORDER BY idx, k
    """


REFUNDS_SQL = """
CREATE TABLE grefunds AS
WITH o AS (
  SELECT shop_id, order_id, CAST(amount AS DECIMAL(18,2)) AS amount,
    CAST(replace(replace(paid_at, 'T', ' '), 'Z', '') AS TIMESTAMP) AS paid
  FROM gorders WHERE paid_at <> '' AND u(shop_id, order_id, 'ref') < 0.07
), r AS (
  SELECT *, unnest(range(CASE WHEN u(shop_id, order_id, 'two') < 0.2 THEN 2 ELSE 1 END)) AS n
  FROM o
)
SELECT shop_id, 'r-' || order_id || '-' || n AS refund_id, order_id,
  iso(paid + INTERVAL 2 DAY + to_seconds(n * 86400)) AS ts,
  printf('%.2f', floor(amount * (0.2 + 0.3 * u(order_id, n, 'ramt')) * 100) / 100) AS amount,
  'changed mind' AS reason
FROM r ORDER BY shop_id, order_id, n
"""

IDENTITIES_SQL = """
CREATE TABLE gidentities AS
WITH p AS (SELECT idx, shop_id, unnest(range(n_cust)) AS person FROM gshops)
SELECT shop_id, ch.channel, ch.channel || '-' || person AS channel_user_id,
  'cust-' || person AS customer_id
FROM p, (VALUES ('facebook'), ('instagram'), ('line'), ('web_chat')) ch(channel)
WHERE u(idx, person, 'mapped') < 0.6
ORDER BY idx, person, ch.channel
"""


def _service_hours_sql() -> str:
    """SERVICE_HOURS[idx % 7] as a SQL expression over gshops."""
    items = ", ".join(f"'{h}'" for h in SERVICE_HOURS)
    return f"[{items}][CAST(idx % {len(SERVICE_HOURS)} AS INTEGER) + 1]"


def data_dir(scale: Scale, root: Path = DATA_ROOT) -> Path:
    return root / scale.key()


def is_cached(scale: Scale, root: Path = DATA_ROOT) -> bool:
    marker = data_dir(scale, root) / "params.json"
    if not marker.is_file():
        return False
    try:
        return bool(json.loads(marker.read_text())["key"] == scale.key())
    except (ValueError, KeyError):
        return False


def generate(scale: Scale, root: Path = DATA_ROOT, *, force: bool = False) -> Path:
    """Generate (or reuse) the data set of `scale`; returns its directory."""
    out = data_dir(scale, root)
    if not force and is_cached(scale, root):
        return out
    tables_dir = out / "tables"
    tables_dir.mkdir(parents=True, exist_ok=True)
    (out / "params.json").unlink(missing_ok=True)
    t0 = time.perf_counter()
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = true")
    con.execute("SET enable_progress_bar = false")
    con.execute(MACROS)
    con.execute(
        "CREATE TABLE gshops (idx BIGINT, shop_id VARCHAR, timezone VARCHAR, currency VARCHAR, "
        "n_conv BIGINT, n_comments BIGINT, n_orders BIGINT, n_staff BIGINT, n_cust BIGINT)"
    )
    con.executemany("INSERT INTO gshops VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", _shops_rows(scale))
    con.execute(_conversations_sql(scale.start, scale.days))
    con.execute(MESSAGES_SQL)
    con.execute(_comments_sql(scale.start, scale.days))
    con.execute(_orders_sql(scale.start, scale.days))
    con.execute(REFUNDS_SQL)
    con.execute(IDENTITIES_SQL)
    exports = {
        "shops": "SELECT shop_id, 'Shop ' || (idx + 1) AS name, timezone, currency, "
        "CASE WHEN idx < 10 THEN 'L1' WHEN idx < 100 THEN 'L2' ELSE 'L3' END AS tier, "
        "'apparel' AS category, "
        f"{_service_hours_sql()} AS service_hours FROM gshops ORDER BY idx",
        "identities": "SELECT * FROM gidentities",
        "messages": "SELECT * FROM gmessages",
        "comments": "SELECT * FROM gcomments",
        "orders": "SELECT * FROM gorders",
        "refunds": "SELECT * FROM grefunds",
    }
    counts: dict[str, int] = {}
    for name, sql in exports.items():
        path = tables_dir / f"{name}.parquet"
        con.execute(f"COPY ({sql}) TO '{path}' (FORMAT parquet, COMPRESSION zstd)")
        row = con.execute(f"SELECT count(*) FROM ({sql})").fetchone()
        counts[name] = int(row[0]) if row else 0
    csv_path = out / "messages_import.csv"
    con.execute(
        f"COPY (SELECT * FROM gmessages ORDER BY ts, event_id LIMIT {scale.import_rows}) "
        f"TO '{csv_path}' (HEADER, DELIMITER ',')"
    )
    counts["messages_import"] = min(scale.import_rows, counts["messages"])
    con.close()
    meta = {
        "key": scale.key(),
        "scale": asdict(scale),
        "generator_version": GENERATOR_VERSION,
        "rows": counts,
        "seconds": round(time.perf_counter() - t0, 2),
    }
    (out / "params.json").write_text(json.dumps(meta, indent=2))
    return out


def read_meta(path: Path) -> dict[str, object]:
    meta: dict[str, object] = json.loads((path / "params.json").read_text())
    return meta


def shop_sizes(path: Path) -> list[tuple[str, int]]:
    """(shop_id, messages) of a generated data set, largest first."""
    con = duckdb.connect()
    rows = con.execute(
        f"SELECT shop_id, count(*) AS n FROM read_parquet('{path / 'tables' / 'messages.parquet'}')"
        " GROUP BY shop_id ORDER BY n DESC, shop_id"
    ).fetchall()
    con.close()
    return [(str(r[0]), int(r[1])) for r in rows]


if __name__ == "__main__":
    import sys

    name = sys.argv[1] if len(sys.argv) > 1 else "small"
    print(generate(SCALES[name], force="--force" in sys.argv))
