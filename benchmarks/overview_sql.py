"""The overview as hand-written DuckDB SQL over the store (canonical and derived tables).

Written from METRICS.md, not from socialscope's compiled SQL: each table is one statement —
the parts of each fact aggregated separately, stacked with UNION ALL, and summed per key
(which also keeps a NULL staff_id as its own group). Shop and local time bounds are
prepared-statement parameters, as an application would pass them.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from benchmarks.overview import OVERVIEW, Overview, normalise


def _scope(time_col: str, one_shop: bool, alias: str = "") -> str:
    p = f"{alias}." if alias else ""
    cond = f"{p}{time_col} >= $ts_from AND {p}{time_col} < $ts_to"
    return f"{p}shop_id = $shop AND {cond}" if one_shop else cond


def _keys(one_shop: bool) -> tuple[str, str]:
    """(select list of the keys, group by list)."""
    return ("date, dim", "date, dim") if one_shop else ("shop_id, date, dim", "shop_id, date, dim")


def reception_sql(one_shop: bool) -> str:
    keys, group = _keys(one_shop)
    return f"""
    WITH parts AS (
      SELECT shop_id, CAST(ts_local AS DATE) AS date, channel AS dim,
             count(DISTINCT person_id) AS interacting_users, 0 AS conversations
      FROM d_interactions WHERE {_scope("ts_local", one_shop)}
      GROUP BY shop_id, date, dim
      UNION ALL
      SELECT shop_id, CAST(first_ts_local AS DATE), channel, 0, count(*)
      FROM d_conversations WHERE {_scope("first_ts_local", one_shop)}
      GROUP BY ALL
    )
    SELECT {keys}, sum(interacting_users), sum(conversations)
    FROM parts GROUP BY {group} ORDER BY {group}
    """


def sales_sql(one_shop: bool) -> str:
    keys, group = _keys(one_shop)
    return f"""
    SELECT {keys}, count(*), sum(amount), coalesce(sum(amount - refunded_amount)
           FILTER (WHERE paid_at IS NOT NULL), 0)
    FROM (SELECT *, CAST(created_at_local AS DATE) AS date, source AS dim FROM d_orders
          WHERE cancelled_at IS NULL AND {_scope("created_at_local", one_shop)})
    GROUP BY {group} ORDER BY {group}
    """


def staff_sql(one_shop: bool) -> str:
    keys, group = _keys(one_shop)
    return f"""
    WITH agent AS (
      SELECT m.shop_id, CAST(m.ts_local AS DATE) AS date, m.staff_id AS dim,
             count(DISTINCT m.person_id) AS served,
             count(DISTINCT m.conversation_id) FILTER (WHERE c.is_human) AS handled
      FROM d_messages m
      JOIN d_conversations c ON c.shop_id = m.shop_id AND c.conversation_id = m.conversation_id
      WHERE m.sender = 'agent' AND m.kind = 'message' AND {_scope("ts_local", one_shop, "m")}
      GROUP BY ALL
    ), parts AS (
      SELECT shop_id, date, dim, served, handled, 0 AS human, 0 AS orders,
             0::DECIMAL(38,4) AS sales, 0::DECIMAL(38,4) AS net
      FROM agent
      UNION ALL
      SELECT shop_id, CAST(first_ts_local AS DATE), staff_id, 0, 0, count(*), 0, 0, 0
      FROM d_conversations WHERE is_human AND {_scope("first_ts_local", one_shop)}
      GROUP BY ALL
      UNION ALL
      SELECT shop_id, CAST(created_at_local AS DATE), attributed_staff_id, 0, 0, 0, count(*),
             sum(amount), coalesce(sum(amount - refunded_amount)
             FILTER (WHERE paid_at IS NOT NULL), 0)
      FROM d_orders WHERE cancelled_at IS NULL AND {_scope("created_at_local", one_shop)}
      GROUP BY ALL
    )
    SELECT {keys}, sum(served), sum(handled), sum(human), sum(orders), sum(sales), sum(net)
    FROM parts GROUP BY {group} ORDER BY {group}
    """


STATEMENTS = {"reception": reception_sql, "sales": sales_sql, "staff": staff_sql}


def bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    """[00:00 of date_from, 24:00 of date_to) as naive local timestamps."""
    start = datetime(date_from.year, date_from.month, date_from.day)
    return start, datetime(date_to.year, date_to.month, date_to.day) + timedelta(days=1)


def run(con: Any, date_from: date, date_to: date, shop: str | None = None) -> dict[str, Any]:
    """Run the three statements; results as Arrow tables (what the timings measure: a
    columnar result, like socialscope's `QueryResult.to_arrow()`)."""
    ts_from, ts_to = bounds(date_from, date_to)
    params: dict[str, Any] = {"ts_from": ts_from, "ts_to": ts_to}
    if shop is not None:
        params["shop"] = shop
    out: dict[str, Any] = {}
    for table in OVERVIEW:
        sql = STATEMENTS[table.name](shop is not None)
        out[table.name] = con.execute(sql, params).to_arrow_table()
    return out


def _tuples(arrow: Any) -> list[tuple[Any, ...]]:
    return list(zip(*(c.to_pylist() for c in arrow.columns), strict=True))


def normalise_sql(raw: dict[str, Any], shop: str | None) -> Overview:
    return {t.name: normalise(t, _tuples(raw[t.name]), shop) for t in OVERVIEW}
