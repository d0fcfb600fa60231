"""Synthetic customer journeys for the attribution benchmark, generated in DuckDB SQL.

Every random choice is a hash of the journey's coordinates (``hash(journey, touch, salt)``),
so the files are the same on every run and machine (same DuckDB version).

* 12 marketing channels plus ``direct``. ``direct`` is only ever a whole path (a
  conversion without touches), so "last touch that is not direct" (METRICS.md) and the
  libraries' plain last touch coincide.
* Path length 1..10, skewed short (about half the journeys have one touch).
* No channel follows itself: channel i+1 = channel i + a step of 1..11 (mod 12), the
  step skewed small, so there is sequence structure for the Markov chains and METRICS.md's
  collapse of consecutive repeated states never applies (see README: how the libraries,
  which do not collapse, are compared).
* Conversion ~3–5 %: more likely with longer paths, with email in the path and with a
  chat touch last; value 200..5,000 with cents; hours till conversion per touch (the last
  touch 0..24 h before, each earlier one 1..97 h before the next).

Files under ``benchmarks/data/attribution-<scale>-<hash>/``:

* ``paths.csv`` — aggregated by path (ChannelAttribution format: ``path``,
  ``total_conversions``, ``total_conversion_value``, ``total_null``), no touch times:
  identical paths with different times cannot be one row;
* ``journeys.csv`` — one row per journey, the same columns (counts 0/1) plus
  ``hours_till_conv``, for time decay;
* ``params.json`` — written last; when it matches, the files are reused.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb

from benchmarks.generate import DATA_ROOT

GENERATOR_VERSION = 1

CHANNELS = (
    "facebook",
    "instagram",
    "line",
    "tiktok",
    "youtube",
    "email",
    "organic_search",
    "paid_search",
    "referral",
    "display",
    "chat:line",
    "live:facebook",
)
DIRECT = "direct"


@dataclass(frozen=True)
class JourneyScale:
    """Size of a generated journey set."""

    name: str
    journeys: int
    direct_share: float = 0.02  # journeys that are a bare `direct` path

    def key(self) -> str:
        blob = json.dumps({**asdict(self), "version": GENERATOR_VERSION}, sort_keys=True)
        return f"attribution-{self.name}-{hashlib.sha256(blob.encode()).hexdigest()[:10]}"


JOURNEY_SCALES: dict[str, JourneyScale] = {
    "full": JourneyScale("full", 1_000_000),
    "small": JourneyScale("small", 100_000),
    "tiny": JourneyScale("tiny", 5_000),
}


def _journeys_sql(scale: JourneyScale) -> str:
    n_ch = len(CHANNELS)
    names = ", ".join(f"'{c}'" for c in CHANNELS)
    return f"""
    CREATE TABLE touches AS
    WITH j AS (SELECT unnest(range({scale.journeys})) AS j),
    shape AS (
      SELECT j,
        u(j, 0, 'direct') < {scale.direct_share} AS is_direct,
        least(10, 1 + floor(-ln(1 - u(j, 0, 'len')) * 1.4))::INTEGER AS n
      FROM j
    ),
    t AS (SELECT j, is_direct, n, unnest(range(n)) AS i FROM shape WHERE NOT is_direct),
    steps AS (
      SELECT j, n, i,
        -- first channel skewed to the low indexes; then a step of 1..{n_ch - 1}, small ones
        -- more likely, so a channel never follows itself
        CASE WHEN i = 0 THEN floor({n_ch} * pow(u(j, i, 'first'), 1.6))::INTEGER
             ELSE 1 + floor({n_ch - 1} * pow(u(j, i, 'step'), 2.0))::INTEGER END AS d,
        CASE WHEN i = n - 1 THEN 24 * u(j, i, 'gap')
             ELSE 1 + 96 * u(j, i, 'gap') END AS gap_h
      FROM t
    )
    SELECT j, n, i,
      ([{names}])[(sum(d) OVER (PARTITION BY j ORDER BY i) % {n_ch})::INTEGER + 1] AS channel,
      round(sum(gap_h) OVER (PARTITION BY j ORDER BY i DESC), 2) AS hours
    FROM steps
    UNION ALL
    SELECT j, 1 AS n, 0 AS i, '{DIRECT}' AS channel, round(24 * u(j, 0, 'gap'), 2) AS hours
    FROM shape WHERE is_direct
    """


JOURNEYS_SQL = """
CREATE TABLE journeys AS
WITH p AS (
  SELECT j, any_value(n) AS n,
    string_agg(channel, ' > ' ORDER BY i) AS path,
    string_agg(hours::VARCHAR, ' > ' ORDER BY i) AS hours_till_conv,
    bool_or(channel = 'email') AS has_email,
    arg_max(channel, i) AS last_channel
  FROM touches GROUP BY j
)
SELECT j, path, hours_till_conv,
  (u(j, 0, 'conv') < 0.022 + 0.006 * n + 0.015 * has_email::INTEGER
     + 0.012 * (last_channel = 'chat:line')::INTEGER)::INTEGER AS conv,
  round(200 + 4800 * pow(u(j, 0, 'value'), 2), 2)::DECIMAL(18, 2) AS amount
FROM p
"""


def data_dir(scale: JourneyScale, root: Path = DATA_ROOT) -> Path:
    return root / scale.key()


def generate_journeys(scale: JourneyScale, root: Path = DATA_ROOT, *, force: bool = False) -> Path:
    """Generate (or reuse) the journey files of `scale`; returns their directory."""
    out = data_dir(scale, root)
    marker = out / "params.json"
    if not force and marker.is_file():
        try:
            if json.loads(marker.read_text())["key"] == scale.key():
                return out
        except (ValueError, KeyError):
            pass
    out.mkdir(parents=True, exist_ok=True)
    marker.unlink(missing_ok=True)
    t0 = time.perf_counter()
    con = duckdb.connect()
    try:
        con.execute("SET enable_progress_bar = false")
        con.execute(
            "CREATE OR REPLACE MACRO u(a, b, salt) AS (hash(a, b, salt) % 1000003) / 1000003.0"
        )
        con.execute(_journeys_sql(scale))
        con.execute(JOURNEYS_SQL)
        con.execute(
            "COPY (SELECT path, conv AS total_conversions, "
            "CASE WHEN conv = 1 THEN amount ELSE 0 END AS total_conversion_value, "
            "1 - conv AS total_null, hours_till_conv FROM journeys ORDER BY j) "
            f"TO '{out / 'journeys.csv'}' (HEADER)"
        )
        con.execute(
            "COPY (SELECT path, sum(conv) AS total_conversions, "
            "sum(CASE WHEN conv = 1 THEN amount ELSE 0 END) AS total_conversion_value, "
            "sum(1 - conv) AS total_null FROM journeys GROUP BY path ORDER BY path) "
            f"TO '{out / 'paths.csv'}' (HEADER)"
        )
        row = con.execute(
            "SELECT count(*), sum(conv), count(DISTINCT path), max(n) FROM journeys "
            "JOIN (SELECT j, max(i) + 1 AS n FROM touches GROUP BY j) USING (j)"
        ).fetchone()
    finally:
        con.close()
    assert row is not None
    meta = {
        "key": scale.key(),
        "scale": asdict(scale),
        "generator_version": GENERATOR_VERSION,
        "journeys": int(row[0]),
        "conversions": int(row[1]),
        "distinct_paths": int(row[2]),
        "longest_path": int(row[3]),
        "seconds": round(time.perf_counter() - t0, 2),
    }
    marker.write_text(json.dumps(meta, indent=2))
    return out


def read_meta(path: Path) -> dict[str, object]:
    meta: dict[str, object] = json.loads((path / "params.json").read_text())
    return meta
