"""The anomaly mark-up of trend charts, built as the dashboard builds its pages (no
browser): markers sit on the line's own x values, the line's flagged points carry the
tooltip, and the texts come in every language."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from socialscope.client import Client
from tests.insights.conftest import EVAL_FROM, LAST, SPIKE
from tests.web_pages.pagectx import build

PERIOD = {"shop": "s1", "preset": "custom", "compare": "none"}
SPIKE_WEEK = date(2026, 3, 16)


def chart(data: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = next(b for b in data["blocks"] if b.get("kind") == "chart")
    return found


@pytest.mark.parametrize(
    ("grain", "date_from", "first_x"),
    [("date", str(EVAL_FROM), str(SPIKE)), ("hour", "2026-03-17", f"{SPIKE}T09:00:00")],
)
def test_markers_sit_on_the_line(client: Client, grain: str, date_from: str, first_x: str) -> None:
    query = {**PERIOD, "from": date_from, "to": str(SPIKE), "metric": "order_count"}
    block = chart(build(client, "/explore", {**query, "grain": grain}))
    line, marks = block["figure"]["data"][0], block["figure"]["data"][-1]
    assert marks["meta"] == "anomalies" and marks["hoverinfo"] == "skip"
    assert marks["x"][0] == first_x
    assert set(marks["x"]) <= set(line["x"])
    tips = dict(zip(line["x"], line["text"], strict=True))
    assert all(tips[x].startswith("<br><b>Orders: ") for x in marks["x"])
    assert sum(1 for t in line["text"] if t) == len(marks["x"])
    assert [a["x"] for a in block["anomalies"]] == marks["x"]


def test_week_grain_is_marked_like_days(client: Client) -> None:
    """The explorer's week-grain trend chart: the spike week (Monday 2026-03-16) is ringed
    on the line's own x value, with the same tooltip and list as a daily chart."""
    query = {**PERIOD, "from": "2026-01-05", "to": str(LAST), "metric": "order_count"}
    block = chart(build(client, "/explore", {**query, "grain": "week"}))
    line, marks = block["figure"]["data"][0], block["figure"]["data"][-1]
    assert marks["meta"] == "anomalies" and marks["x"] == [str(SPIKE_WEEK)]
    assert str(SPIKE_WEEK) in line["x"]
    tips = dict(zip(line["x"], line["text"], strict=True))
    assert tips[str(SPIKE_WEEK)].startswith("<br><b>Orders: ")
    assert "Winter drop" in tips[str(SPIKE_WEEK)]
    assert [a["x"] for a in block["anomalies"]] == marks["x"]


@pytest.mark.parametrize(
    ("lang", "title", "live"),
    [
        ("en", "Anomalies", "Live 'Winter drop' (2 h 10 min, 5,000 viewers)"),
        ("zh-Hant", "異常波動", "直播「Winter drop」(2 小時 10 分鐘,5,000 位觀眾)"),
        ("zh-Hans", "异常波动", "直播“Winter drop”(2 小时 10 分钟,5,000 位观众)"),
        ("pl", "Anomalie", "Transmisja na żywo „Winter drop” (2 h 10 min, widzowie: 5,000)"),
    ],
)
def test_overview_panel_in_four_languages(client: Client, lang: str, title: str, live: str) -> None:
    query = {**PERIOD, "from": str(EVAL_FROM), "to": str(LAST), "tab": "sales"}
    data = build(client, "/overview", query, lang=lang)
    sales = next(t for t in data["tabs"] if t["id"] == "sales")
    panel = sales["blocks"][1]
    assert (panel["kind"], panel["title"]) == ("anomalies", title)
    spike = [i for i in panel["items"] if i["x"] == str(SPIKE)]
    assert {i["metric"] for i in spike} == {"order_count", "sales_amount"}
    assert all(i["explanations"][0] == live for i in spike)
    assert [i["x"] for i in panel["items"]] == sorted(
        (i["x"] for i in panel["items"]), reverse=True
    )
