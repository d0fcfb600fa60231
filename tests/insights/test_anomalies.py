"""find_anomalies end to end on the synthetic store (tests/insights/conftest.py)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from socialscope.client import Client
from socialscope.insights import Anomaly, find_anomalies
from socialscope.metrics.query import QueryError
from tests.insights.conftest import (
    DROP,
    DST,
    EVAL_FROM,
    LAST,
    LAUNCH,
    LINE_DAY,
    SPIKE,
    order_counts,
)

PERIOD = {"shop": "s1", "date_from": EVAL_FROM, "date_to": LAST}


@pytest.fixture(scope="module")
def total(client: Client) -> list[Anomaly]:
    return client.anomalies("order_count", **PERIOD)


def test_only_the_injected_days_are_flagged(total: list[Anomaly]) -> None:
    assert [(a.date, a.direction) for a in total] == [
        (SPIKE, "up"),
        (DROP, "down"),
        (LAUNCH, "up"),
    ]
    assert all(a.dims == {} and a.hour is None for a in total)


def test_values_come_from_the_metric(client: Client, total: list[Anomaly]) -> None:
    counts = order_counts()
    spike, drop, _ = total
    assert spike.value == counts[SPIKE]
    assert drop.value == counts[DROP]
    row = client.query("order_count", shop="s1", date_from=SPIKE, date_to=SPIKE).rows[0]
    assert spike.value == row["order_count"]
    assert spike.low <= spike.expected <= spike.high < spike.value
    assert drop.value < drop.low
    assert spike.deviation_pct == pytest.approx((spike.value - spike.expected) / spike.expected)


def test_spike_on_the_day_of_a_live_is_explained_by_that_live_first(
    total: list[Anomaly],
) -> None:
    spike = total[0]
    first = spike.explanations[0]
    assert first.kind == "live"
    assert first.ref == {"live_id": "big-live", "channel": "facebook"}
    assert first.label == "Live 'Winter drop' (2 h 10 min, 5,000 viewers)"
    assert first.at == datetime(2026, 3, 18, 18, 0, tzinfo=UTC)  # 19:00 in Warsaw (CET)
    scores = [e.score for e in spike.explanations]
    assert scores == sorted(scores, reverse=True)
    kinds = [e.kind for e in spike.explanations]
    assert "post" in kinds  # the reel of that morning is listed, below the live
    # the ordinary Saturday lives are days earlier: outside the 2-day window
    assert [e.ref.get("live_id") for e in spike.explanations if e.kind == "live"] == ["big-live"]


def test_drop_while_the_usual_agents_were_offline_explains_staff_absence(
    total: list[Anomaly],
) -> None:
    drop = total[1]
    top = drop.explanations[:3]
    assert [e.kind for e in top] == ["staff_absence"] * 3
    assert {e.ref.get("staff_id") for e in top[:2]} == {"a2", "a3"}
    assert top[0].label == "Agent 2 offline (usually online 8.0 h, this time 0.0 h)"
    assert top[2].ref == {"agents_online": "1", "usual": "3"}
    assert top[0].at == datetime(2026, 4, 7, 22, 0, tzinfo=UTC)  # local midnight (CEST)


def test_by_channel_and_zero_expected(client: Client) -> None:
    found = client.anomalies("order_count", by="channel", **PERIOD)
    keyed = {(a.dims["channel"], a.date): a for a in found}
    assert set(keyed) == {
        ("facebook", SPIKE),
        ("instagram", SPIKE),
        ("facebook", DROP),
        ("instagram", DROP),
        ("line", LINE_DAY),
        ("facebook", LAUNCH),
        ("instagram", LAUNCH),
    }
    line = keyed[("line", LINE_DAY)]
    assert (line.value, line.expected, line.deviation_pct, line.direction) == (5, 0, None, "up")
    # the facebook slice is explained by the facebook live, never by the instagram reel
    fb = keyed[("facebook", SPIKE)]
    assert fb.explanations[0].ref["live_id"] == "big-live"
    assert all(e.ref.get("channel") != "instagram" for e in fb.explanations)
    ig = keyed[("instagram", SPIKE)]
    assert all(e.ref.get("channel") != "facebook" for e in ig.explanations)
    assert ig.explanations[0].ref == {"post_id": "p-spike", "channel": "instagram"}


def test_launch_is_explained_by_the_campaign_product_big_order_and_refund(
    total: list[Anomaly],
) -> None:
    launch = total[2]
    by_kind: dict[str, list[tuple[dict[str, str], str]]] = {}
    for e in launch.explanations:
        by_kind.setdefault(e.kind, []).append((e.ref, e.label))
    [(ref, label)] = by_kind["big_order"]
    assert ref == {"order_id": "o20260422000"}
    # usual: the median order (amounts 80-160) of the run's 90-day amount history
    assert re.fullmatch(r"Order o20260422000: 4,000\.00 PLN \(usual 1[12]\d\.\d\d\)", label)
    assert by_kind["campaign"] == [({"campaign": "spring_sale"}, "Campaign 'spring_sale' started")]
    assert by_kind["product"] == [
        ({"product_id": "spring-jacket"}, "New product 'Spring jacket' (first sale or visit)")
    ]  # the basic tee, sold every day, is no news
    refund_refs = [ref for ref, _ in by_kind["refund"]]
    assert {"refund_id": "r-big", "order_id": "o20260422003"} in refund_refs
    assert (
        {"post_id": "p-launch", "channel": "facebook"},
        "Post on facebook 'Spring sale starts now' (paid)",
    ) in by_kind["post"]
    # a rise in orders: the big order (activity) outranks the refund (taken back)
    kinds = [e.kind for e in launch.explanations]
    assert kinds.index("big_order") < kinds.index("refund")


def test_refund_metric_is_explained_by_the_refund(client: Client) -> None:
    # refund_amount is intermittent (a refund every 4 days): only the 3,000 PLN refund flags
    found = client.anomalies("refund_amount", **PERIOD)
    assert [(a.date, a.dims) for a in found] == [(LAUNCH, {"currency": "PLN"})]
    assert found[0].expected == 0 and found[0].deviation_pct is None
    assert found[0].explanations[0].ref == {"refund_id": "r-big", "order_id": "o20260422003"}


def test_dst_day_is_ordinary(client: Client) -> None:
    found = client.anomalies("order_count", shop="s1", date_from=DST, date_to=DST)
    assert found == []


def test_hourly_grain_over_the_dst_change(client: Client) -> None:
    found = client.anomalies(
        "order_count", shop="s1", date_from="2026-03-28", date_to="2026-03-30", grain="hour"
    )
    for a in found:
        assert a.date is None and a.hour is not None and a.hour.tzinfo is None
        assert a.hour != datetime(2026, 3, 29, 2)  # the skipped hour is no point
    spike = client.anomalies("order_count", shop="s1", date_from=SPIKE, date_to=SPIKE, grain="hour")
    assert spike and all(a.hour and a.hour.date() == SPIKE for a in spike)


def test_empty_history_flags_nothing(client: Client) -> None:
    # s2 has ten days only, the last a 6x spike: the warm-up never flags
    assert client.anomalies("order_count", shop="s2") == []


def test_sensitivity_and_no_explain(client: Client) -> None:
    loose = find_anomalies(client, "order_count", sensitivity=1.0, explain=False, **PERIOD)
    assert len(loose) > 2 and all(a.explanations == () for a in loose)
    strict = find_anomalies(client, "order_count", sensitivity=20.0, **PERIOD)
    assert strict == []


def test_money_metric_is_per_currency(client: Client) -> None:
    found = client.anomalies("sales_amount", **PERIOD)
    assert {a.dims["currency"] for a in found} == {"PLN"}
    assert SPIKE in {a.date for a in found}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"metric": "order_cnt"}, "unknown metric 'order_cnt'"),
        ({"by": "date"}, "time dimension"),
        ({"by": "shop_id"}, "one shop"),
        ({"by": "post_kind"}, "cannot be split by 'post_kind'"),
        ({"grain": "year"}, "grain must be one of"),
        ({"sensitivity": 0}, "sensitivity"),
        ({"date_from": "2026-04-01", "date_to": "2026-03-01"}, "after"),
        ({"shop": "nope"}, "unknown shop 'nope'"),
        ({"metric": "queue_waiting"}, "snapshot"),
    ],
)
def test_bad_input_names_the_field(client: Client, kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"metric": "order_count", "shop": "s1", **kwargs}
    metric = str(args.pop("metric"))
    with pytest.raises(QueryError, match=message):
        find_anomalies(client, metric, **args)  # type: ignore[arg-type]


def test_several_shops_need_a_shop(client: Client) -> None:
    with pytest.raises(QueryError, match="several shops"):
        client.anomalies("order_count")


def test_json_shape_exactly(client: Client, total: list[Anomaly]) -> None:
    spike = total[0].to_json()
    assert list(spike) == [
        "date",
        "value",
        "expected",
        "low",
        "high",
        "deviation_pct",
        "direction",
        "explanations",
    ]
    assert spike["date"] == SPIKE.isoformat()
    first = spike["explanations"][0]
    assert list(first) == ["kind", "at", "label", "ref", "score"]
    assert first["at"] == "2026-03-18T18:00:00+00:00"
    by = client.anomalies("order_count", by="channel", **PERIOD)
    line = next(a for a in by if a.dims["channel"] == "line").to_json()
    assert list(line)[:2] == ["channel", "date"] and line["channel"] == "line"
    assert line["deviation_pct"] is None
    hourly = client.anomalies(
        "order_count", shop="s1", date_from=SPIKE, date_to=SPIKE, grain="hour", explain=False
    )
    assert list(hourly[0].to_json())[:1] == ["hour"]
    assert len(hourly[0].to_json()["hour"]) == len("2026-03-18T19:00")


def test_dates_are_local_days(total: list[Anomaly]) -> None:
    assert all(isinstance(a.date, date) and not isinstance(a.date, datetime) for a in total)


def test_ratio_points_with_a_tiny_denominator_are_left_out(client: Client) -> None:
    from datetime import timedelta

    from socialscope.insights.series import fetch_series, metric_spec

    spec = metric_spec(client, "aov", ["channel"], None)

    def line_day(min_denominator: float) -> tuple[float | None, int]:
        data = fetch_series(
            client,
            spec,
            "s1",
            ["channel"],
            "day",
            LINE_DAY,
            LINE_DAY,
            timedelta(days=7),
            None,
            min_denominator,
        )
        assert data.dims == ("channel", "currency")  # money: always per currency
        return data.series[("line", "PLN")][LINE_DAY], data.skipped

    # the line channel sold 5 orders of 100.00 that day: aov = 500 / 5 from the layer
    assert line_day(5) == (100.0, 0)
    assert line_day(6) == (None, 1)  # 5 orders < 6: no rate worth judging
    row = client.query(
        ["aov"],
        by=["channel"],
        shop="s1",
        date_from=LINE_DAY,
        date_to=LINE_DAY,
        where={"channel": ["line"]},
    ).rows[0]
    assert float(row["aov"]) == 100.0
