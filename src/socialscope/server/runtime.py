"""Assemble and run the server: open the store, the inbox and the drainer, serve the app.

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
from pathlib import Path
from typing import Any

from socialscope.config import Config, ShopConfig
from socialscope.ingest.loader import ingest_arrow
from socialscope.server import discovery
from socialscope.server.drain import Drainer, DrainStats, _arrow
from socialscope.server.inbox import Inbox
from socialscope.server.state import ServerState
from socialscope.store.duckdb import Store

log = logging.getLogger("socialscope.server")


@dataclass
class Server:
    """Everything `socialscope serve` runs, wired together."""

    state: ServerState
    inbox: Inbox
    drainer: Drainer
    app: Any

    def close(self) -> None:
        """Stop accepting, drain what is durable, close the store."""
        self.drainer.stop()
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

        backlog = [0]  # requests drained at start (a previous run's), not in inbox.appended

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
            drained_now = drainer.drained - backlog[0]
            telemetry.inbox_depth.set(max(0, inbox.appended - drained_now))
            if stats.oldest_received is not None:
                telemetry.ingest_lag_seconds.set(max(0.0, time.time() - stats.oldest_received))

        drainer = Drainer(store, inbox, config, write_lock=state.write_lock, on_batch=on_batch)
        drainer.drain_all()  # what a previous run acknowledged but did not store
        backlog[0] = drainer.drained
        drainer.start()
        app.state.inbox = inbox
        app.state.drainer = drainer
        return Server(state, inbox, drainer, app)
    except BaseException:
        store.close()
        raise


def _exit_quietly(signum: int, frame: object) -> None:
    raise SystemExit(0)


def serve(config: Config, db: Path, host: str | None = None, port: int | None = None) -> None:
    """Run until interrupted (SIGINT/SIGTERM): the webhook, API and dashboard server."""
    import uvicorn

    host = host or config.server.host
    port = port if port is not None else config.server.port
    token = secrets.token_urlsafe(32)
    server = build(config, db, local_token=token)
    url = f"http://{host}:{port}"
    # uvicorn re-raises SIGTERM after its graceful shutdown; with the default handler that
    # would end the process before the drainer and the store are closed below.
    signal.signal(signal.SIGTERM, _exit_quietly)
    # The drainer and the request handlers share the GIL: a shorter switch interval keeps
    # a long drain step from holding up acknowledgements (p99 -20 % in benchmarks).
    sys.setswitchinterval(0.0005)
    try:
        with discovery.published(db, url, token):
            log.info("serving %s on %s (pid %s)", db, url, os.getpid())
            uvicorn.run(
                server.app,
                host=host,
                port=port,
                log_level="info",
                access_log=False,
                limit_concurrency=2048,
                timeout_keep_alive=30,
            )
    finally:
        server.close()
