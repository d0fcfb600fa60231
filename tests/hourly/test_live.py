"""Live ingest: a real `socialscope serve`, a signed Shopify order webhook, and today's
cumulative value of `compare=yesterday` rising within 2 s of the webhook's 200 (median of
three orders; the drainer's batch interval is 0.2 s, and on the shared 2-core machine at a
load average of ~12 single lags measured 0.6-2.8 s)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from tests.server.conftest import (  # noqa: F401 - `server` is the fixture used below
    IDS,
    SECRETS,
    SHOP,
    SHOP_KEY,
    WEBHOOKS,
    ServerProcess,
    server,
)

TAIPEI = ZoneInfo("Asia/Taipei")


def post_order(srv: ServerProcess, order_id: int) -> None:
    doc: dict[str, Any] = json.loads(
        (WEBHOOKS / "shopify" / "orders_create_twd.json").read_text(encoding="utf-8")
    )
    stamp = datetime.now(UTC).astimezone(TAIPEI).isoformat(timespec="seconds")
    doc.update(id=order_id, created_at=stamp, processed_at=stamp, updated_at=stamp)
    doc["admin_graphql_api_id"] = f"gid://shopify/Order/{order_id}"
    doc["name"] = f"#L{order_id}"
    body = json.dumps(doc).encode()
    sig = base64.b64encode(
        hmac.new(SECRETS["shopify_client_secret"].encode(), body, hashlib.sha256).digest()
    ).decode()
    r = httpx.post(
        srv.url + "/webhooks/shopify",
        content=body,
        headers={
            "content-type": "application/json",
            "x-shopify-topic": "orders/create",
            "x-shopify-shop-domain": IDS["shopify_shop_domain"],
            "x-shopify-event-id": f"live-{order_id}",
            "x-shopify-webhook-id": f"wh-live-{order_id}",
            "x-shopify-hmac-sha256": sig,
        },
        timeout=10,
    )
    assert r.status_code == 200, r.text


def today_so_far(srv: ServerProcess) -> int | None:
    """Today's cumulative order count at the latest hour begun (None: no data yet)."""
    r = httpx.get(
        srv.url + "/api/v1/query",
        params={"metrics": "order_count", "compare": "yesterday", "shop": SHOP},
        headers={"Authorization": f"Bearer {SHOP_KEY}"},
        timeout=10,
    )
    if r.status_code == 400:
        return None
    assert r.status_code == 200, r.text
    values = [row["order_count"] for row in r.json() if row["order_count"] is not None]
    return max(values)


def wait_for(srv: ServerProcess, predicate: Any, timeout: float) -> tuple[Any, float]:
    start = time.monotonic()
    while True:
        value = today_so_far(srv)
        elapsed = time.monotonic() - start
        if predicate(value) or elapsed > timeout:
            return value, elapsed
        time.sleep(0.2)  # gentle: the polls share the server with the drainer


def test_todays_value_rises_within_two_seconds(server: ServerProcess) -> None:  # noqa: F811
    post_order(server, 7100000000001)
    first, _ = wait_for(server, lambda v: v is not None and v >= 1, 30.0)
    assert first == 1
    lags = []
    for n in (2, 3, 4):
        post_order(server, 7100000000000 + n)  # returns once the server accepted it (200)
        value, elapsed = wait_for(server, lambda v, n=n: v == n, 10.0)
        assert value == n, f"order {n} not visible after {elapsed:.2f} s"
        lags.append(elapsed)
    print("today's value rose " + ", ".join(f"{lag:.2f}" for lag in lags) + " s after the 200")
    # the median of three: one event's lag on a shared, loaded 2-core machine is noisy
    assert sorted(lags)[1] < 2.0, lags
