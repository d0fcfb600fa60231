"""The service benchmark's metrics as one hand-written DuckDB statement (the oracle).

Written from METRICS.md sections 1 and 3, independently of socialscope's Ibis code, over
the store's derived tables — ``d_rounds`` (one row per round, with ``is_human``,
``effective_start_local``, ``round_no`` and ``response_s``), ``d_conversations`` (one row
per conversation, with ``is_human`` and ``first_ts_local``) — and the canonical
``shops`` table (``service_hours``):

* **3-minute rule** — eligible rounds are human rounds whose effective start's local time
  of day is in the shop's service hours ``[start, end)``: an end before the start runs
  overnight, equal ends mean around the clock, and a missing, empty or unparseable value
  means 08:00-23:00. A conversation with ≥ 1 eligible round is eligible, dated by its
  first eligible round; it is good when every eligible round (in or after the period) has
  a reply within ``threshold_s`` (inclusive). Rate = good / eligible.
* **first response time** — per human conversation (dated by its first event) whose first
  human round (lowest ``round_no``) has a reply: that round's response time; mean and the
  exact 50th / 90th percentiles (``quantile_cont``, linear interpolation).

One row per (shop_id, date) that has an eligible conversation or a first response; shop
and local time bounds are prepared-statement parameters.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from benchmarks.overview_sql import bounds

THRESHOLD_S = 180
DEFAULT_HOURS = ("08:00", "23:00")

COLUMNS = (
    "shop_id",
    "date",
    "three_minute_reply_rate",
    "three_minute_good_conversations",
    "three_minute_eligible_conversations",
    "first_response_time_avg",
    "first_response_time_median",
    "first_response_time_p90",
)


def _eligible_ctes(shop: str) -> str:
    """CTEs `hours`, `win` (service window per shop) and `eligible` (eligible rounds)."""
    start, end = DEFAULT_HOURS
    return f"""
    hours AS (  -- each shop's service window as TIME values ('24:00' is a valid TIME)
      SELECT shop_id, string_split(coalesce(service_hours, ''), '-') AS p
      FROM shops WHERE true {shop}
    ), win AS (
      SELECT shop_id,
        try_cast(trim(p[1]) AS TIME) AS s0, try_cast(trim(p[2]) AS TIME) AS e0,
        len(p) = 2 AND s0 IS NOT NULL AND e0 IS NOT NULL AS ok,
        CASE WHEN ok THEN s0 ELSE TIME '{start}' END AS ws,
        CASE WHEN ok THEN e0 ELSE TIME '{end}' END AS we
      FROM hours
    ), eligible AS (
      SELECT r.shop_id, r.conversation_id, r.effective_start_local AS t, r.response_s
      FROM d_rounds r
      LEFT JOIN win w ON w.shop_id = r.shop_id
      WHERE r.is_human {shop.replace("shop_id", "r.shop_id")} AND (
        CASE
          WHEN coalesce(w.ws, TIME '{start}') < coalesce(w.we, TIME '{end}')
            THEN CAST(r.effective_start_local AS TIME) >= coalesce(w.ws, TIME '{start}')
             AND CAST(r.effective_start_local AS TIME) < coalesce(w.we, TIME '{end}')
          WHEN w.ws > w.we
            THEN CAST(r.effective_start_local AS TIME) >= w.ws
              OR CAST(r.effective_start_local AS TIME) < w.we
          ELSE true
        END)
    )"""


def service_sql(one_shop: bool) -> str:
    shop = "AND shop_id = $shop" if one_shop else ""
    return f"""
    WITH {_eligible_ctes(shop)},
    per_conv AS (  -- every eligible round of the conversation, also after the period
      SELECT shop_id, conversation_id, min(t) AS first_t,
             bool_and(response_s IS NOT NULL AND response_s <= $threshold) AS good
      FROM eligible GROUP BY shop_id, conversation_id
    ), three AS (
      SELECT shop_id, CAST(first_t AS DATE) AS date, count(*) AS eligible,
             count(*) FILTER (WHERE good) AS good
      FROM per_conv WHERE first_t >= $ts_from AND first_t < $ts_to
      GROUP BY ALL
    ), first_round AS (
      -- A round starts after its conversation's first event; local clocks move back at
      -- most a few hours (DST), so rounds of conversations that start in the period begin
      -- after ts_from - 1 day. arg_min_null: a NULL response_s (unanswered) is kept.
      SELECT shop_id, conversation_id, arg_min_null(response_s, round_no) AS response_s
      FROM d_rounds
      WHERE is_human AND effective_start_local >= $ts_from - INTERVAL 1 DAY {shop}
      GROUP BY shop_id, conversation_id
    ), frt AS (
      SELECT c.shop_id, CAST(c.first_ts_local AS DATE) AS date,
             avg(f.response_s) AS frt_avg,
             quantile_cont(f.response_s, 0.5) AS frt_median,
             quantile_cont(f.response_s, 0.9) AS frt_p90
      FROM d_conversations c
      JOIN first_round f ON f.shop_id = c.shop_id AND f.conversation_id = c.conversation_id
      WHERE c.is_human AND f.response_s IS NOT NULL
        AND c.first_ts_local >= $ts_from AND c.first_ts_local < $ts_to
        {shop.replace("shop_id", "c.shop_id")}
      GROUP BY ALL
    )
    SELECT coalesce(t.shop_id, f.shop_id) AS shop_id, coalesce(t.date, f.date) AS date,
           t.good / t.eligible AS three_minute_reply_rate,
           coalesce(t.good, 0) AS three_minute_good_conversations,
           coalesce(t.eligible, 0) AS three_minute_eligible_conversations,
           f.frt_avg AS first_response_time_avg,
           f.frt_median AS first_response_time_median,
           f.frt_p90 AS first_response_time_p90
    FROM three t FULL JOIN frt f ON f.shop_id = t.shop_id AND f.date = t.date
    ORDER BY 1, 2
    """


def run(
    con: Any,
    date_from: date,
    date_to: date,
    shop: str | None = None,
    threshold_s: float = THRESHOLD_S,
) -> Any:
    """The statement's result as an Arrow table (columns: COLUMNS)."""
    ts_from, ts_to = bounds(date_from, date_to)
    params: dict[str, Any] = {"ts_from": ts_from, "ts_to": ts_to, "threshold": threshold_s}
    if shop is not None:
        params["shop"] = shop
    return con.execute(service_sql(shop is not None), params).to_arrow_table()


COVERAGE_SQL = f"""
WITH {_eligible_ctes("")}, hist AS (
  SELECT count(*) FILTER (WHERE is_human) AS human_rounds,
         count(*) FILTER (WHERE is_human AND response_s IS NULL) AS unanswered,
         count(*) FILTER (WHERE is_human AND response_s <= 180) AS replied_within_180s,
         count(*) FILTER (WHERE is_human AND response_s = 180) AS replied_at_180s,
         count(*) FILTER (WHERE is_human AND response_s = 181) AS replied_at_181s,
         count(*) FILTER (WHERE is_human AND response_s BETWEEN 120 AND 240)
           AS replied_120_to_240s
  FROM d_rounds
)
SELECT hist.*, (SELECT count(*) FROM eligible) AS in_service_hours,
       (SELECT list(DISTINCT service_hours ORDER BY service_hours) FROM shops) AS service_hours
FROM hist
"""
"""What the data exercises (recorded with the results, not timed): human rounds in and out
of service hours, replies around the 180 s threshold, the shops' service-hours values."""


def coverage(con: Any) -> dict[str, Any]:
    cur = con.execute(COVERAGE_SQL)
    names = [d[0] for d in cur.description]
    row = cur.fetchone()
    out = dict(zip(names, row, strict=True)) if row else {}
    if out:
        out["out_of_service_hours"] = out["human_rounds"] - out["in_service_hours"]
    return {k: (int(v) if isinstance(v, int) else v) for k, v in out.items()}
