"""Live ingest: a real `socialscope serve`, a signed Shopify order webhook, and today's
cumulative value of `compare=yesterday` rising within 2 s."""

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
        time.sleep(0.05)


def test_todays_value_rises_within_two_seconds(server: ServerProcess) -> None:  # noqa: F811
    post_order(server, 7100000000001)
    first, _ = wait_for(server, lambda v: v is not None and v >= 1, 30.0)
    assert first == 1
    posted = time.monotonic()
    post_order(server, 7100000000002)
    value, _ = wait_for(server, lambda v: v == 2, 5.0)
    elapsed = time.monotonic() - posted
    assert value == 2
    assert elapsed < 2.0, f"today's value rose after {elapsed:.2f} s"
