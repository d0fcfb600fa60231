"""The Attribution page (/attribution): the comparison equals the runner called directly on
paths built from the store; options come from the URL; bad options are messages; results
are cached per shop, period and options and dropped after an import."""

from __future__ import annotations

import time
from datetime import date

import pytest

from socialscope.attribution.journeys import JourneyRequest, build_paths
from socialscope.attribution.runner import AttributionRequest, AttributionResult, attribute
from socialscope.web import i18n
from socialscope.web.cache import RESULTS, ResultCache
from socialscope.web.pages import attribution
from tests.web_pages.conftest import AUTH, Demo
from tests.web_pages.pagectx import EMPTY_PERIOD, PERIOD, block, build, errors, kpi_values

D0, D1 = date(2026, 3, 18), date(2026, 3, 31)


def direct(
    demo: Demo,
    request: AttributionRequest,
    include: frozenset[str] = frozenset(),
    lookback_days: int = 30,
) -> AttributionResult:
    """The runner on paths built from the store, as the page should call them."""
    journeys = JourneyRequest(
        shop="alley_closet",
        date_from=D0,
        date_to=D1,
        include=include,
        lookback_days=lookback_days,
        currency="TWD",
    )
    return attribute(build_paths(demo.client, journeys), request)


def test_default_models_equal_the_runner(demo: Demo) -> None:
    RESULTS.clear()
    data = build(demo.client, "/attribution", PERIOD)
    want = direct(demo, AttributionRequest(markov_orders=(1,)))
    table = block(data, "attribution_comparison")
    assert [r["channel"] for r in table["rows"]] == list(want.channels)
    for key, credits in want.models.items():
        for row in table["rows"]:
            credit = credits[row["channel"]]
            assert row[f"{key}__conversions"] == credit.conversions
            assert row[f"{key}__value"] == credit.value
            assert row[f"{key}__share"] == credit.share
    summary = kpi_values(data)
    assert summary == {
        "paths": want.paths,
        "conversions": want.conversions,
        "nulls": want.nulls,
        "value": want.value,
    }
    # the chart: one trace per model key, one bar per channel
    chart = block(data, "attribution_chart")
    assert [t["name"] for t in chart["figure"]["data"]] == [
        attribution.model_label("en", k) for k in want.models
    ]
    assert len(chart["rows"]) == len(want.models) * len(want.channels)


def test_options_from_the_url(demo: Demo) -> None:
    query = {
        **PERIOD,
        "models": ["last_touch", "markov"],
        "orders": ["1", "2"],
        "include": ["chat", "live"],
        "lookback_d": "14",
        "measure": "value",
    }
    data = build(demo.client, "/attribution", query)
    want = direct(
        demo,
        AttributionRequest(models=("last_touch", "markov"), markov_orders=(1, 2)),
        include=frozenset({"chat", "live"}),
        lookback_days=14,
    )
    rows = block(data, "attribution_comparison")["rows"]
    assert list(want.models) == ["last_touch", "markov_o1", "markov_o2"]
    assert {r["channel"] for r in rows} == set(want.channels)
    assert any(r["channel"].startswith("chat:") for r in rows)
    for row in rows:
        for key, credits in want.models.items():
            assert row[f"{key}__value"] == credits[row["channel"]].value
    chart = block(data, "attribution_chart")
    assert chart["columns"] == ["model", "channel", "value"]
    assert chart["title"] == i18n.t("en", "attribution_chart_value")
    # the form shows what was asked
    fields = {f["name"]: f["value"] for f in block(data, "attribution_options")["fields"]}
    assert fields["models"] == ["last_touch", "markov"] and fields["orders"] == ["1", "2"]
    assert fields["include"] == ["chat", "live"] and fields["lookback_d"] == "14"


def test_time_decay_runs_on_per_journey_paths(demo: Demo) -> None:
    data = build(demo.client, "/attribution", {**PERIOD, "models": "time_decay;linear"})
    notes = block(data, "attribution_notes")["items"]
    # per-journey paths keep their touch times, so time decay runs (half-life stated)
    assert "time_decay: half-life 168 h" in notes
    assert "time_decay__conversions" in block(data, "attribution_comparison")["rows"][0]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"models": "magic"}, "models: unknown magic"),
        ({"orders": "4"}, "orders: Markov orders are 1, 2, 3"),
        ({"lookback_d": "0"}, "lookback_d: a whole number of days from 1 to 365"),
        ({"lookback_d": "abc"}, "lookback_d: a whole number of days from 1 to 365"),
        ({"include": "email"}, "include: unknown email"),
        ({"half_life_h": "-2"}, "half_life_h: the half-life must be a positive number"),
        ({"half_life_h": "soon"}, "half_life_h: not a number of hours"),
        ({"conversion": "visit"}, "conversion: use one of paid_order, purchase"),
        ({"measure": "share"}, "measure: use one of conversions, value"),
    ],
)
def test_bad_options_are_messages(demo: Demo, query: dict[str, str], message: str) -> None:
    data = build(demo.client, "/attribution", {**PERIOD, **query})
    assert [b["kind"] for b in data["blocks"]] == ["options", "error"]
    assert errors(data)[0].startswith(message)
    r = demo.http.get("/attribution", params={**PERIOD, **query}, headers=AUTH)
    assert r.status_code == 200 and 'role="alert"' in r.text


def test_empty_period(demo: Demo) -> None:
    data = build(demo.client, "/attribution", EMPTY_PERIOD)
    assert errors(data) == []
    assert kpi_values(data)["paths"] == 0
    assert block(data, "attribution_chart")["empty"]
    assert block(data, "attribution_comparison")["empty"]


def test_cached_per_options_and_dropped_after_an_import(demo: Demo) -> None:
    RESULTS.clear()
    t0 = time.perf_counter()
    first = build(demo.client, "/attribution", PERIOD)
    cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    again = build(demo.client, "/attribution", {**PERIOD, "measure": "value"}, "zh-Hant")
    warm = time.perf_counter() - t0
    assert kpi_values(first) == kpi_values(again)
    assert warm < cold
    cache = ResultCache()
    calls: list[str] = []

    def compute(tag: str) -> str:
        calls.append(tag)
        return tag

    assert cache.get_or_compute(demo.client, "k", lambda: compute("a")) == "a"
    assert cache.get_or_compute(demo.client, "k", lambda: compute("b")) == "a"  # a hit
    assert calls == ["a"]
    # any import is logged in _imports — here the same shop row again (a duplicate) —
    # and makes the earlier entry unreachable
    shop = demo.client.engine.table("shops").to_pyarrow().select(["shop_id", "timezone"])
    demo.client.ingest_arrow({"shops": shop.slice(0, 1)})
    assert cache.get_or_compute(demo.client, "k", lambda: compute("c")) == "c"
    assert calls == ["a", "c"]


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
def test_every_language_renders(demo: Demo, lang: str) -> None:
    r = demo.http.get("/attribution", params={**PERIOD, "lang": lang}, headers=AUTH)
    assert r.status_code == 200
    assert i18n.t(lang, "nav_attribution") in r.text
    assert i18n.t(lang, "model_shapley") in r.text


def test_json_twin_and_export(demo: Demo) -> None:
    r = demo.http.get("/attribution.json", params=PERIOD, headers=AUTH)
    assert r.status_code == 200
    rows = block(r.json(), "attribution_comparison")["rows"]
    x = demo.http.get("/attribution/export/attribution_comparison.csv", params=PERIOD, headers=AUTH)
    assert x.status_code == 200
    lines = x.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 1 + len(rows)
