"""The overview as a straightforward pandas implementation over the same stored tables.

The tables are read into DataFrames once (not timed: an in-memory pandas workflow);
each overview is then boolean masks, ``groupby`` and ``nunique``/``sum``. Money is
carried as integer 1/10,000ths (the store's DECIMAL(18,4) scale) so sums are exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pandas as pd

from benchmarks.overview import OVERVIEW, Overview, normalise
from benchmarks.overview_sql import bounds

NO_STAFF = ""
"""groupby drops NaN keys by default; a staff_id that is never used stands in for NULL."""


@dataclass
class Frames:
    interactions: pd.DataFrame
    conversations: pd.DataFrame
    agent_messages: pd.DataFrame
    orders: pd.DataFrame

    @property
    def rows(self) -> int:
        return sum(
            len(f)
            for f in (self.interactions, self.conversations, self.agent_messages, self.orders)
        )


def load(con: Any) -> Frames:
    """Read what the overview needs from the store into pandas."""
    return Frames(
        interactions=con.execute(
            "SELECT shop_id, person_id, channel, ts_local FROM d_interactions"
        ).df(),
        conversations=con.execute(
            "SELECT shop_id, conversation_id, channel, first_ts_local, is_human, "
            "coalesce(staff_id, '') AS staff_id FROM d_conversations"
        ).df(),
        agent_messages=con.execute(
            "SELECT shop_id, conversation_id, person_id, coalesce(staff_id, '') AS staff_id, "
            "ts_local FROM d_messages WHERE sender = 'agent' AND kind = 'message'"
        ).df(),
        orders=con.execute(
            "SELECT shop_id, created_at_local, cancelled_at IS NOT NULL AS cancelled, "
            "paid_at IS NOT NULL AS paid, CAST(amount * 10000 AS BIGINT) AS amount_e4, "
            "CAST(refunded_amount * 10000 AS BIGINT) AS refunded_e4, source, "
            "coalesce(attributed_staff_id, '') AS staff_id FROM d_orders"
        ).df(),
    )


def _window(
    df: pd.DataFrame, time_col: str, lo: pd.Timestamp, hi: pd.Timestamp, shop: str | None
) -> pd.DataFrame:
    mask = (df[time_col] >= lo) & (df[time_col] < hi)
    if shop is not None:
        mask &= df["shop_id"] == shop
    out = df[mask]
    return out.assign(date=out[time_col].dt.normalize())


KEYS = ["shop_id", "date", "dim"]


def compute(
    frames: Frames, date_from: date, date_to: date, shop: str | None = None
) -> dict[str, pd.DataFrame]:
    """The three overview tables as DataFrames indexed by (shop_id, date, dim)."""
    start, end = bounds(date_from, date_to)
    lo, hi = pd.Timestamp(start), pd.Timestamp(end)

    inter = _window(frames.interactions, "ts_local", lo, hi, shop).rename(
        columns={"channel": "dim"}
    )
    conv = _window(frames.conversations, "first_ts_local", lo, hi, shop)
    reception = pd.concat(
        [
            inter.groupby(KEYS)["person_id"].nunique().rename("interacting_users"),
            conv.rename(columns={"channel": "dim"}).groupby(KEYS).size().rename("conversations"),
        ],
        axis=1,
    ).fillna(0)

    orders = _window(frames.orders, "created_at_local", lo, hi, shop)
    orders = orders[~orders["cancelled"]].assign(
        net_e4=lambda o: (o["amount_e4"] - o["refunded_e4"]).where(o["paid"], 0)
    )

    def order_metrics(dim: str) -> pd.DataFrame:
        g = orders.rename(columns={dim: "dim"}).groupby(KEYS)
        return pd.DataFrame(
            {
                "order_count": g.size(),
                "sales_amount": g["amount_e4"].sum(),
                "net_paid_amount": g["net_e4"].sum(),
            }
        )

    agent = _window(frames.agent_messages, "ts_local", lo, hi, shop).rename(
        columns={"staff_id": "dim"}
    )
    human = frames.conversations.loc[
        frames.conversations["is_human"], ["shop_id", "conversation_id"]
    ]
    agent_human = agent.merge(human, on=["shop_id", "conversation_id"])
    staff = pd.concat(
        [
            agent.groupby(KEYS)["person_id"].nunique().rename("served_customers"),
            agent_human.groupby(KEYS)["conversation_id"].nunique().rename("conversations_handled"),
            conv[conv["is_human"]]
            .rename(columns={"staff_id": "dim"})
            .groupby(KEYS)
            .size()
            .rename("human_conversations"),
            order_metrics("staff_id"),
        ],
        axis=1,
    ).fillna(0)
    return {"reception": reception, "sales": order_metrics("source"), "staff": staff}


def normalise_pandas(raw: dict[str, pd.DataFrame], shop: str | None) -> Overview:
    ov: Overview = {}
    for table in OVERVIEW:
        df = raw[table.name]
        rows = []
        for key, values in zip(
            df.index, df[list(table.metrics)].itertuples(index=False), strict=True
        ):
            shop_id, day, dim = key
            vals = [
                Decimal(int(v)).scaleb(-4) if m in ("sales_amount", "net_paid_amount") else int(v)
                for m, v in zip(table.metrics, values, strict=True)
            ]
            rows.append((day, dim, *vals) if shop else (shop_id, day, dim, *vals))
        ov[table.name] = normalise(table, rows, shop)
    return ov
