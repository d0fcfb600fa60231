"""Anomaly conditions end to end, over the anomaly runner's synthetic store
(tests/insights/conftest.py: shop s1, Europe/Warsaw; orders × 2.2 on Wed 2026-03-18).

Replayed day by day from 2026-03-16 to 2026-03-20, a daily `anomaly` rule on order_count
judges each local day at the following midnight: it fires at 2026-03-19 00:00 (the
spike day judged) and resolves at 2026-03-20 00:00 (the 19th is ordinary).
`anomaly_any_overview` fires for order_count and for the sales amount (the spike's
orders carry it), in the shop's currency.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from socialscope.alerts.engine import evaluate
from socialscope.alerts.incidents import step
from socialscope.alerts.replay import replay
from socialscope.client import connect
from socialscope.config import parse_config
from tests.insights.conftest import synthetic_db  # noqa: F401  (the session fixture)

WAW = ZoneInfo("Europe/Warsaw")


def test_anomaly_rule_fires_on_the_spike_and_resolves(synthetic_db: Path) -> None:  # noqa: F811
    cfg = parse_config(
        {
            "alerts": [
                {
                    "id": "anom",
                    "shop_id": "s1",
                    "metric": "order_count",
                    "condition": "anomaly",
                    "grain": "day",
                }
            ]
        }
    )
    with connect(synthetic_db, read_only=True) as client:
        transitions, errors = replay(client, cfg.alerts[0], date(2026, 3, 16), date(2026, 3, 20))
    assert errors == []
    assert [(t.at.astimezone(WAW).strftime("%Y-%m-%d %H:%M"), t.state) for t in transitions] == [
        ("2026-03-19 00:00", "firing"),
        ("2026-03-20 00:00", "resolved"),
    ]
    fired = transitions[0]
    assert fired.value is not None and fired.threshold is not None
    assert fired.value > fired.threshold  # above the band's high edge
    assert "order_count anomaly (up) at 2026-03-18" in fired.message
    assert transitions[1].message.endswith("back within the expected band")


def test_anomaly_any_overview(synthetic_db: Path) -> None:  # noqa: F811
    cfg = parse_config(
        {
            "alerts": [
                {"id": "any", "shop_id": "s1", "condition": "anomaly_any_overview", "grain": "day"}
            ]
        }
    )
    at = datetime(2026, 3, 19, 0, 30, tzinfo=WAW)
    with connect(synthetic_db, read_only=True) as client:
        evaluation = evaluate(client, cfg.alerts, at)
        quiet = evaluate(client, cfg.alerts, datetime(2026, 3, 17, 0, 30, tzinfo=WAW))
    assert evaluation.errors == []
    result = step({}, evaluation, at)
    fired = {(t.metric, tuple(sorted(t.dims.items()))) for t in result.transitions}
    assert ("order_count", ()) in fired
    assert {m for m, _ in fired} <= {"order_count", "sales_amount", "net_paid_amount"}
    assert all(t.state == "firing" for t in result.transitions)
    assert quiet.observations == []
