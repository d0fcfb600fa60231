"""Scheduled digests: which reports are due now, produced once per period.

A daily digest covers yesterday and is due from ``at`` (shop-local) each day; a weekly one
covers last Monday–Sunday and is due from ``at`` on ``weekday``. Each run produces the most
recent due period of every (schedule, shop) that has not been delivered yet, and records
the delivery in ``_report_runs`` — so a server restart, a second `run-due` or a late start
never sends the same digest twice, and a digest missed while the server was down is sent
when it comes back (only the latest one: a digest of a week long gone helps nobody).
A failed delivery is recorded with its reason and retried on the next run.

Delivery happens before the record is written, so a crash in between re-sends that one
digest once: receivers de-duplicate on the ``X-Socialscope-Report`` header (file name).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from socialscope.client import Client
from socialscope.config import Config, ReportScheduleConfig
from socialscope.reports.deliver import DeliveryError, post, write_file
from socialscope.reports.digest import build_report
from socialscope.reports.period import Period
from socialscope.reports.render import RenderError

log = logging.getLogger("socialscope.reports")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Due:
    schedule: ReportScheduleConfig
    shop: str
    period: Period


@dataclass(frozen=True)
class RunOutcome:
    schedule_id: str
    shop: str
    period_key: str
    status: str  # delivered | failed
    detail: str


def due_period(schedule: ReportScheduleConfig, timezone: str, now: datetime) -> Period:
    """The most recent period of `schedule` whose due moment is at or before `now`."""
    local = now.astimezone(ZoneInfo(timezone))
    today = local.date()
    at = time.fromisoformat(schedule.at)
    reached = local.time().replace(tzinfo=None) >= at
    if schedule.every == "day":
        day = today - timedelta(days=1 if reached else 2)
        return Period(day, day, "yesterday")
    # Weekly: due on `weekday` of the week after the covered Monday–Sunday.
    due_wd = WEEKDAYS.index(schedule.weekday)
    this_monday = today - timedelta(days=today.weekday())
    due_this_week = this_monday + timedelta(days=due_wd)
    if today > due_this_week or (today == due_this_week and reached):
        covered_monday = this_monday - timedelta(days=7)
    else:
        covered_monday = this_monday - timedelta(days=14)
    return Period(covered_monday, covered_monday + timedelta(days=6), "last-week")


def _shops(
    schedule: ReportScheduleConfig, config: Config, stored: dict[str, dict[str, Any]]
) -> list[str]:
    if schedule.shop_id == "*":
        configured = [s.shop_id for s in config.shops]
        return [s for s in (configured or sorted(stored)) if s in stored]
    return [schedule.shop_id] if schedule.shop_id in stored else []


def due_reports(client: Client, config: Config, now: datetime) -> list[Due]:
    """Every (schedule, shop, period) due at `now` and not delivered yet."""
    stored = client.shops()
    delivered = {
        (r[0], r[1], r[2])
        for r in client.store.con.execute(
            "SELECT schedule_id, shop_id, period_key FROM _report_runs WHERE status = 'delivered'"
        ).fetchall()
    }
    out = []
    for schedule in config.reports:
        for shop in _shops(schedule, config, stored):
            timezone = str(stored[shop].get("timezone") or "UTC")
            period = due_period(schedule, timezone, now)
            if (schedule.id, shop, period.key) not in delivered:
                out.append(Due(schedule, shop, period))
    return out


def _language(config: Config, schedule: ReportScheduleConfig, shop: str) -> str | None:
    if schedule.language:
        return schedule.language
    shop_config = config.shop(shop)
    return shop_config.language if shop_config else None


Recorder = Callable[[RunOutcome, datetime], None]
"""Writes a run's outcome to the store (in `serve`, under the writer lock)."""


def record_in(client: Client) -> Recorder:
    def record(outcome: RunOutcome, now: datetime) -> None:
        client.store.con.execute(
            "INSERT OR REPLACE INTO _report_runs VALUES (?, ?, ?, ?, ?, ?)",
            [
                outcome.schedule_id,
                outcome.shop,
                outcome.period_key,
                outcome.status,
                now.astimezone(UTC).replace(tzinfo=None),
                outcome.detail,
            ],
        )

    return record


def produce(client: Client, config: Config, due: Due, now: datetime) -> RunOutcome:
    """Build the digest in every configured format and deliver it; never raises for a
    delivery problem (the outcome says what failed, without secrets)."""
    schedule = due.schedule
    sent: list[str] = []
    try:
        for fmt in schedule.formats:
            doc, _ = build_report(
                client, due.shop, due.period, fmt, _language(config, schedule, due.shop), now=now
            )
            if schedule.folder is not None:
                sent.append(str(write_file(doc, schedule.folder)))
            if schedule.webhook_url is not None:
                secret = schedule.webhook_secret
                post(doc, schedule.webhook_url, secret.get_secret_value() if secret else None)
                sent.append(f"{doc.filename} posted")
        status, detail = "delivered", "; ".join(sent)
    except (DeliveryError, RenderError, OSError) as exc:
        status, detail = "failed", str(exc)
    log.info("report %s for %s (%s): %s", schedule.id, due.shop, due.period.key, status)
    return RunOutcome(schedule.id, due.shop, due.period.key, status, detail)


def run_due(
    client: Client,
    config: Config,
    now: datetime | None = None,
    record: Recorder | None = None,
) -> list[RunOutcome]:
    """Produce every due digest (the `serve` scheduler and `socialscope report --due`).

    Reading and rendering use `client`; only the record of each run goes through
    `record` (default: written with the same client)."""
    moment = now or datetime.now(UTC)
    write = record or record_in(client)
    outcomes = []
    for due in due_reports(client, config, moment):
        outcome = produce(client, config, due, moment)
        write(outcome, moment)
        outcomes.append(outcome)
    return outcomes


def runs(client: Client) -> list[dict[str, object]]:
    """The record of produced digests, newest first."""
    cur = client.store.con.execute(
        "SELECT schedule_id, shop_id, period_key, status, ran_at, detail FROM _report_runs "
        "ORDER BY ran_at DESC, schedule_id, shop_id"
    )
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


class ReportScheduler:
    """The `serve` thread that checks once a minute which digests are due."""

    def __init__(self, run: Callable[[datetime], object], interval_s: float = 60.0) -> None:
        self._run = run
        self._interval = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="report-scheduler", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=30)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self._run(datetime.now(UTC))
            except Exception:
                log.exception("scheduled reports failed")
            self._stop.wait(self._interval)
