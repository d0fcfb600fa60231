"""The Campaign review page (/campaigns): subjects listed from the store, targets and lift
equal run_review's, bad parameters are messages, every language renders."""

from __future__ import annotations

from decimal import Decimal

import pytest

from socialscope.campaigns.review import CampaignReviewRequest, run_review
from socialscope.web import i18n
from tests.web_pages.conftest import AUTH, Demo
from tests.web_pages.pagectx import EMPTY_PERIOD, PERIOD, block, build, errors

LIVE = "live:ac-live-0004"


def test_subjects_come_from_the_store(demo: Demo) -> None:
    data = build(demo.client, "/campaigns", PERIOD)
    values = [o["value"] for o in block(data, "review_options")["fields"][0]["options"]]
    sessions = demo.client.engine.table("web_sessions")
    campaigns = {
        r["campaign"]
        for r in sessions.filter(sessions.shop_id == "alley_closet")
        .select("campaign")
        .distinct()
        .to_pyarrow()
        .to_pylist()
        if r["campaign"]
    }
    assert {v.removeprefix("campaign:") for v in values if v.startswith("campaign:")} >= campaigns
    lives = demo.client.query(
        ["live_viewers"],
        by=["live_id"],
        shop="alley_closet",
        date_from="2026-03-18",
        date_to="2026-03-31",
    ).rows
    assert {f"live:{r['live_id']}" for r in lives} <= set(values)
    assert any(v.startswith("post:") for v in values)


def test_review_equals_the_runner(demo: Demo) -> None:
    data = build(demo.client, "/campaigns", {**PERIOD, "subject": LIVE, "target": "100000"})
    want = run_review(
        demo.client,
        CampaignReviewRequest("alley_closet", "live", "ac-live-0004", target_sales=Decimal(100000)),
    )
    targets = block(data, "review_targets")["rows"]
    assert [(r["stage"], r["needed"], r["rate_value"]) for r in targets] == [
        (s.metric, s.needed, s.rate.value) for s in want.targets.stages
    ]
    lift = block(data, "review_lift")["rows"]
    assert [(r["metric"], r["actual"], r["predicted"], r["verdict"]) for r in lift] == [
        (m.metric, m.actual, m.predicted, m.verdict) for m in want.lift
    ]
    chart = block(data, "review_lift_chart")
    assert [r["metric"] for r in chart["rows"]] == [m.metric for m in want.lift]
    notes = block(data, "review_notes")["items"]
    assert notes[0].startswith("Launch Mar 23, 2026 (live_sessions.started_at (local date))")
    assert list(want.notes) == notes[len(notes) - len(want.notes) :]


def test_without_target_no_stage_needs_a_number(demo: Demo) -> None:
    data = build(demo.client, "/campaigns", {**PERIOD, "subject": LIVE})
    rows = block(data, "review_targets")["rows"]
    assert rows and all(r["needed"] is None for r in rows)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"subject": "banner"}, "subject: write KIND:ID"),
        ({"subject": "tv:spot"}, "subject: write KIND:ID"),
        ({"subject": LIVE, "target": "lots"}, "target: not an amount"),
        ({"subject": LIVE, "target": "-5"}, "target: the sales target must be a positive amount"),
        ({"subject": LIVE, "days_after": "0"}, "days_after: a whole number of days from 1 to 90"),
        ({"subject": "live:no-such-live"}, "no live 'no-such-live' in shop 'alley_closet'"),
    ],
)
def test_bad_parameters_are_messages(demo: Demo, query: dict[str, str], message: str) -> None:
    data = build(demo.client, "/campaigns", {**PERIOD, **query})
    assert len(errors(data)) == 1 and errors(data)[0].startswith(message)
    r = demo.http.get("/campaigns", params={**PERIOD, **query}, headers=AUTH)
    assert r.status_code == 200 and 'role="alert"' in r.text


def test_a_period_without_posts_or_lives_still_offers_campaigns(demo: Demo) -> None:
    data = build(demo.client, "/campaigns", EMPTY_PERIOD)
    values = [o["value"] for o in block(data, "review_options")["fields"][0]["options"]]
    assert values and all(v.startswith("campaign:") for v in values)
    assert errors(data) == []


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
def test_every_language_renders(demo: Demo, lang: str) -> None:
    r = demo.http.get("/campaigns", params={**PERIOD, "subject": LIVE, "lang": lang}, headers=AUTH)
    assert r.status_code == 200
    assert i18n.t(lang, "nav_campaigns") in r.text
    assert i18n.t(lang, "review_targets_title") in r.text


def test_json_twin_and_export(demo: Demo) -> None:
    query = {**PERIOD, "subject": LIVE, "target": "50000"}
    r = demo.http.get("/campaigns.json", params=query, headers=AUTH)
    assert r.status_code == 200
    rows = block(r.json(), "review_targets")["rows"]
    x = demo.http.get("/campaigns/export/review_targets.csv", params=query, headers=AUTH)
    assert x.status_code == 200
    assert len(x.content.decode("utf-8-sig").strip().splitlines()) == 1 + len(rows)
