"""Assemble and run the server: open the store, the inbox and the drainer, serve the app.

With ``server.intake_workers`` ≥ 1 (the default) the public port is served by intake
processes (:mod:`socialscope.server.intake`) and this process, the store's owner, listens
on a Unix socket beside the store; with 0 it serves the port itself.

While it runs, a discovery file ``<db>.server.json`` (mode 0600: url, pid and a random
local admin token) tells the CLI on the same machine that the store is owned, and how to
reach it instead (see :mod:`socialscope.server.discovery`).
"""

from __future__ import annotations

import logging
import os
import secrets
import signal
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from socialscope.config import Config, ShopConfig
from socialscope.ingest.loader import ingest_arrow
from socialscope.server import discovery
from socialscope.server.drain import Drainer, DrainStats, _arrow
from socialscope.server.fastpath import WebhookFastPath
from socialscope.server.inbox import Inbox
from socialscope.server.state import ServerState
from socialscope.store.duckdb import Store

if TYPE_CHECKING:
    from socialscope.reports.schedule import ReportScheduler

log = logging.getLogger("socialscope.server")


@dataclass
class Server:
    """Everything `socialscope serve` runs, wired together."""

    state: ServerState
    inbox: Inbox
    drainer: Drainer
    app: Any
    reports: ReportScheduler | None = None
    alerts: Any = None
    """The alert evaluator and deliverer (socialscope.alerts.service), when rules exist."""

    def close(self) -> None:
        """Stop accepting, drain what is durable, close the store."""
        if self.reports is not None:
            self.reports.stop()
        self.drainer.stop()
        if self.alerts is not None:
            self.alerts.stop()
        self.inbox.close()
        if self.state.store is not None:
            self.state.store.close()


def inbox_dir(config: Config, db: Path) -> Path:
    return config.server.inbox_dir or db.with_name(db.name + ".inbox")


def sync_shops(store: Store, shops: tuple[ShopConfig, ...]) -> None:
    """Configured shops become `shops` rows. Only what the config sets changes: other
    columns (and a zone or currency the config leaves out) keep their stored values."""
    if not shops:
        return
    columns = ("name", "timezone", "currency", "tier", "category", "service_hours")
    stored = {
        str(r[0]): dict(zip(columns, r[1:], strict=True))
        for r in store.con.execute(f"SELECT shop_id, {', '.join(columns)} FROM shops").fetchall()
    }
    rows = []
    for shop in shops:
        before = stored.get(shop.shop_id)
        row: dict[str, Any] = {"shop_id": shop.shop_id, **(before or {})}
        for name in ("name", "timezone", "currency"):
            value = getattr(shop, name)
            if value is not None:
                row[name] = value
        if before is None or row != {"shop_id": shop.shop_id, **before}:
            rows.append(row)
    if rows:
        ingest_arrow(store, {"shops": _arrow(rows)}, source="config")


def build(config: Config, db: Path, *, local_token: str | None = None) -> Server:
    """Open everything (the caller runs the app, then calls `close`)."""
    from socialscope.api.app import create_app
    from socialscope.server.local_routes import local_router
    from socialscope.server.webhook_routes import webhook_router
    from socialscope.web.views import web_router

    store = Store(db)
    try:
        sync_shops(store, config.shops)
        state = ServerState(config, store, local_token=local_token)
        app = create_app(state, extra_routers=())
        telemetry = state.telemetry
        inbox = Inbox(inbox_dir(config, db))
        app.include_router(webhook_router(config, inbox, telemetry))
        app.include_router(local_router(state))
        app.include_router(web_router(state))

        def on_batch(stats: DrainStats) -> None:
            state.changed()
            if telemetry is None:
                return
            for platform, n in stats.stored_by_platform.items():
                telemetry.events_stored_total.labels(platform=platform).inc(n)
            for platform, n in stats.duplicates_by_platform.items():
                telemetry.events_duplicate_total.labels(platform=platform).inc(n)
            if stats.rejected:
                telemetry.webhook_rejected_total.labels(platform="any", reason="unroutable").inc(
                    stats.rejected
                )
            telemetry.inbox_depth.set(drainer.depth())
            if stats.oldest_received is not None:
                telemetry.ingest_lag_seconds.set(max(0.0, time.time() - stats.oldest_received))

        drainer = Drainer(store, inbox, config, write_lock=state.write_lock, on_batch=on_batch)
        drainer.drain_all()  # what a previous run acknowledged but did not store
        drainer.start()
        app.state.inbox = inbox
        app.state.drainer = drainer
        reports = report_scheduler(state) if config.reports else None
        if reports is not None:
            reports.start()
        alerts = None
        if config.alerts:
            from socialscope.alerts.service import AlertService

            alerts = AlertService(state)
            alerts.start()
        fast = WebhookFastPath(app, config, inbox, telemetry)
        return Server(state, inbox, drainer, fast, reports=reports, alerts=alerts)
    except BaseException:
        store.close()
        raise


def report_scheduler(state: ServerState, interval_s: float = 60.0) -> ReportScheduler:
    """The `[[reports]]` schedule, checked every minute: documents are read and rendered
    on the scheduler's own cursor; only the record of each run takes the writer lock."""
    from socialscope.reports.schedule import ReportScheduler, RunOutcome, record_in, run_due

    def record(outcome: RunOutcome, now: datetime) -> None:
        state.write(lambda client: record_in(client)(outcome, now))

    def run(now: datetime) -> None:
        run_due(state.client(), state.config, now, record)

    return ReportScheduler(run, interval_s)


def _exit_quietly(signum: int, frame: object) -> None:
    raise SystemExit(0)


def serve(config: Config, db: Path, host: str | None = None, port: int | None = None) -> None:
    """Run until interrupted (SIGINT/SIGTERM): the webhook, API and dashboard server."""
    import uvicorn

    from socialscope.server.intake import IntakePool, listen, owner_socket_path
    from socialscope.server.shared_telemetry import SnapshotReader

    host = host or config.server.host
    port = port if port is not None else config.server.port
    workers = config.server.intake_workers
    sock = listen(host, port) if workers else None  # fails now if the port is taken
    if sock is not None:
        port = int(sock.getsockname()[1])
    token = secrets.token_urlsafe(32)
    try:
        server = build(config, db, local_token=token)
    except BaseException:
        if sock is not None:
            sock.close()
        raise
    url = f"http://{host}:{port}"
    # uvicorn re-raises SIGTERM after its graceful shutdown; with the default handler that
    # would end the process before the drainer and the store are closed below.
    signal.signal(signal.SIGTERM, _exit_quietly)
    # The drainer and the request handlers share the GIL: a shorter switch interval keeps
    # a long drain step from holding up acknowledgements (p99 -20 % in benchmarks).
    sys.setswitchinterval(0.0005)
    pool: IntakePool | None = None
    uds = owner_socket_path(db)
    listen_on: dict[str, Any] = {"host": host, "port": port}
    try:
        if sock is not None:
            uds.unlink(missing_ok=True)  # a killed run's
            listen_on = {"uds": str(uds)}
            pool = IntakePool(
                config, inbox_dir(config, db), sock, str(uds), workers, server.state.telemetry
            )
            if server.state.telemetry is not None:
                server.state.telemetry.external = SnapshotReader(inbox_dir(config, db)).totals
            pool.start()
        with discovery.published(db, url, token):
            log.info(
                "serving %s on %s (pid %s, %s intake process(es))", db, url, os.getpid(), workers
            )
            uvicorn.run(
                server.app,
                **listen_on,
                log_level="info",
                access_log=False,
                limit_concurrency=2048,
                timeout_keep_alive=30,
            )
    finally:
        if pool is not None:
            pool.stop()  # no new acknowledgements: every lane is final
        if sock is not None:
            sock.close()
            uds.unlink(missing_ok=True)
        server.close()
