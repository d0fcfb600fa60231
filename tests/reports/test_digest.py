"""The digest's numbers: hand-derived on the seed, equal to the metric layer's, and the
same numbers printed in the HTML and the PDF (rendered to PNG with pdftoppm)."""

from __future__ import annotations

import subprocess
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from socialscope.reports.content import collect
from socialscope.reports.digest import build_report
from socialscope.reports.period import Period
from socialscope.reports.render import render_html
from socialscope.web import i18n
from tests.seedstore import SeedStore

WEEK = Period(date(2026, 11, 2), date(2026, 11, 8), "last-week")
NOW = datetime(2026, 11, 10, 1, 0, tzinfo=UTC)


def _fig(figures: list, metric: str) -> tuple:
    f = next(f for f in figures if f.metric == metric)
    return f.value, f.previous, f.change_pct


def test_overview_numbers_by_hand(seed: SeedStore) -> None:
    data = collect(seed.client, "rep_shop", WEEK, now=NOW, anomalies=False)
    # cu1, cu2, cu3 wrote in the week (cu4 on Sun 11-01 23:59 and cu5 on Mon 11-09 00:00
    # local are outside); the week before: cu4 and cu1.
    assert _fig(data.interaction, "interacting_users") == (3, 2, 0.5)
    assert _fig(data.interaction, "conversations") == (3, 2, 0.5)
    # o1 1200.50 + o2 300 (message center) + o3 999 (live); o4 is cancelled, o6 is web.
    assert _fig(data.sales, "order_count") == (3, 1, 2.0)
    value, previous, _ = _fig(data.sales, "sales_amount")
    assert (value, previous) == (Decimal("2499.50"), Decimal("800"))
    # Paid: o1 (1200.50 − refund 200.50) and o3 999.
    assert _fig(data.sales, "net_paid_amount")[0] == Decimal("1999.00")
    by_source = {s.key: s for s in data.sales_by_source}
    assert list(by_source) == ["message_center", "live", "post"]
    assert by_source["message_center"].figures["sales_amount"].value == Decimal("1500.50")
    assert by_source["post"].figures["order_count"].value in (0, None)


def test_service_and_staff_by_hand(seed: SeedStore) -> None:
    data = collect(seed.client, "rep_shop", WEEK, now=NOW, anomalies=False)
    assert _fig(data.service, "inquiring_customers")[:2] == (3, 2)
    # Agent messages in the week: to cu1 (m2), cu2 (m4) and cu4 (m7, Mon 00:01).
    assert _fig(data.service, "served_customers")[0] == 3
    staff = {s["staff_id"]: s for s in data.staff}
    assert list(staff) == ["s1", "s2"]  # the busiest first
    assert staff["s1"]["name"] == "Amy Lin"
    assert staff["s1"]["served_customers"] == 2  # cu1, cu4
    assert staff["s1"]["sales_amount"] == Decimal("1200.50")  # o1 names s1
    # o2 has no staff_id: the last agent message of its conversation c2 was s2's.
    assert staff["s2"]["sales_amount"] == Decimal("300")


def test_every_figure_equals_the_metric_layer(seed: SeedStore) -> None:
    data = collect(seed.client, "rep_shop", WEEK, now=NOW, anomalies=False)
    for figure in data.service:
        row = seed.total(
            [figure.metric],
            shop="rep_shop",
            date_from=WEEK.date_from,
            date_to=WEEK.date_to,
            compare="previous",
        )
        assert figure.value == row[figure.metric], figure.metric
        assert figure.previous == row[f"{figure.metric}__previous"], figure.metric


def test_html_shows_the_numbers_in_the_shop_language(seed: SeedStore) -> None:
    data = collect(seed.client, "rep_shop", WEEK, now=NOW, anomalies=False)
    html = render_html(data, "zh-Hant")
    assert 'lang="zh-Hant"' in html and "每週摘要" in html and "Report Shop 報表店" in html
    assert i18n.format_value(Decimal("2499.50"), "money", "zh-Hant", "TWD") in html
    assert i18n.metric_label("zh-Hant", "interacting_users") in html
    assert "<script" not in html  # a static document: nothing runs in a mail client
    english = render_html(data, "en")
    assert "Weekly digest" in english and "+50.0%" in english


def test_unknown_shop_and_format(seed: SeedStore) -> None:
    with pytest.raises(ValueError, match="unknown shop 'nope'"):
        collect(seed.client, "nope", WEEK)
    with pytest.raises(ValueError, match="unknown report format"):
        build_report(seed.client, "rep_shop", WEEK, "docx")


def test_pdf_renders_and_carries_the_same_numbers(seed: SeedStore, tmp_path: Path) -> None:
    doc, data = build_report(seed.client, "rep_shop", WEEK, "pdf", "en", now=NOW)
    assert doc.body.startswith(b"%PDF-") and doc.filename.endswith("-en.pdf")
    pdf = tmp_path / doc.filename
    pdf.write_bytes(doc.body)
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert pages and all(p.stat().st_size > 2000 for p in pages)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    for figure in data.sales:
        shown = i18n.format_value(figure.value, _unit(figure.metric), "en", "TWD")
        assert shown in text, (figure.metric, shown)
    assert "Amy Lin" in text and "Weekly digest" in text


def _unit(metric: str) -> str:
    from socialscope.metrics.registry import REGISTRY

    return REGISTRY.get(metric).unit.value


def test_anomalies_of_the_week_with_their_explanation(synthetic_db: Path) -> None:
    """The anomaly runner's synthetic store: the order spike of Wed 2026-03-18 is listed,
    explained by that evening's big live first."""
    import socialscope
    from tests.insights.conftest import SPIKE

    week = Period(date(2026, 3, 16), date(2026, 3, 22), "last-week")
    with socialscope.connect(synthetic_db, read_only=True) as client:
        data = collect(client, "s1", week)
    spikes = [a for a in data.anomalies if a.metric == "order_count"]
    assert [(a.day, a.direction) for a in spikes] == [(SPIKE, "up")]
    assert spikes[0].explanations[0].label.startswith("Live 'Winter drop'")
    html = render_html(data, "en")
    assert "Unusual changes" in html and "Winter drop" in html
    chinese = render_html(data, "zh-Hant")
    assert "異常變化" in chinese and "Winter drop" in chinese and "Live 'Winter" not in chinese


ALERT_HISTORY = """
CREATE TABLE IF NOT EXISTS _alert_history (
  shop_id VARCHAR, rule_id VARCHAR, incident_id VARCHAR, state VARCHAR, "at" TIMESTAMPTZ,
  metric VARCHAR, dims VARCHAR, value DOUBLE, threshold DOUBLE, message VARCHAR,
  severity VARCHAR
)
"""


def test_alerts_of_the_period_in_shop_time(tmp_path: Path) -> None:
    """Alert events are read from the alert engine's `_alert_history`, by the shop's local
    days: 2026-11-08T16:30Z is already Monday 00:30 in Taipei, outside the week."""
    import socialscope
    from tests.reports.conftest import SEED

    with socialscope.connect(tmp_path / "a.duckdb") as client:
        client.ingest([SEED])
        con = client.store.con
        con.execute(ALERT_HISTORY)
        rows = [
            ("rep_shop", "slow", "i1", "firing", "2026-11-03T02:00:00Z", 0.5, "3-min rate 50%"),
            ("rep_shop", "slow", "i1", "resolved", "2026-11-08T16:30:00Z", 0.9, "back"),
            ("rep_shop", "slow", "i0", "firing", "2026-11-01T15:59:00Z", 0.4, "before"),
            ("other_shop", "slow", "i9", "firing", "2026-11-03T02:00:00Z", 0.1, "other"),
        ]
        for shop, rule, incident, state, at, value, message in rows:
            con.execute(
                "INSERT INTO _alert_history VALUES (?, ?, ?, ?, ?::TIMESTAMPTZ, "
                "'three_minute_reply_rate', '{\"channel\": \"line\"}', ?, 0.8, ?, 'warning')",
                [shop, rule, incident, state, at, value, message],
            )
        data = collect(client, "rep_shop", WEEK, now=NOW, anomalies=False)
        html = render_html(data, "en")
    assert [(a.rule_id, a.state, a.message) for a in data.alerts] == [
        ("slow", "firing", "3-min rate 50%")
    ]
    assert data.alerts[0].dims == {"channel": "line"}
    assert "3-min rate 50%" in html and "Nov 3, 2026, 10:00" in html  # Taipei time
    assert "other" not in [a.message for a in data.alerts]
