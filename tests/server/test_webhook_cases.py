"""Our own signed cases for every item of FORMATS.md §8, through the whole server in-process:
HTTP status, then what the store holds after the drainer ran."""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from socialscope.config import parse_config
from socialscope.server.runtime import Server, build
from tests.server.conftest import (
    ADMIN_KEY,
    IDS,
    INBOX_APP_ID,
    SECRETS,
    SHOP,
    WEBHOOKS,
    config_toml,
)

PAGE = IDS["facebook_page_id"]
IG = IDS["instagram_account_id"]
BOT = IDS["line_bot_user_id"]
BOT_APP = str(IDS["meta_app_id"])
DOMAIN = IDS["shopify_shop_domain"]


def line_sig(body: bytes, secret: str = SECRETS["line_channel_secret"]) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def meta_sig(body: bytes, secret: str = SECRETS["meta_app_secret"]) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def shopify_sig(body: bytes, secret: str = SECRETS["shopify_client_secret"]) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def dumps(doc: Any) -> bytes:
    return json.dumps(doc, ensure_ascii=False).encode()


@pytest.fixture
def srv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Server, TestClient]]:
    import tomllib

    monkeypatch.setenv("TEST_SHOP_KEY", "shop-key")
    config = parse_config(tomllib.loads(config_toml()))
    server = build(config, tmp_path / "store.duckdb", local_token="local")
    try:
        with TestClient(server.app) as client:
            yield server, client
    finally:
        server.close()


def post_line(
    client: TestClient, doc: Any, *, raw: bytes | None = None, sig: str | None = None
) -> int:
    body = raw if raw is not None else dumps(doc)
    headers = {"content-type": "application/json"}
    if sig != "":
        headers["x-line-signature"] = sig or line_sig(body)
    return client.post("/webhooks/line", content=body, headers=headers).status_code


def post_meta(
    client: TestClient, doc: Any, *, raw: bytes | None = None, sig: str | None = None
) -> int:
    body = raw if raw is not None else json.dumps(doc).encode()  # Meta escapes non-ASCII
    headers = {"content-type": "application/json"}
    if sig != "":
        headers["x-hub-signature-256"] = sig or meta_sig(body)
    return client.post("/webhooks/meta", content=body, headers=headers).status_code


def post_shopify(
    client: TestClient, topic: str, doc: Any, *, event_id: str, sig: str | None = None
) -> int:
    body = json.dumps(doc).encode()
    headers = {
        "content-type": "application/json",
        "x-shopify-topic": topic,
        "x-shopify-shop-domain": DOMAIN,
        "x-shopify-event-id": event_id,
        "x-shopify-webhook-id": "wh-" + event_id,
        "x-shopify-hmac-sha256": sig or shopify_sig(body),
    }
    return client.post("/webhooks/shopify", content=body, headers=headers).status_code


def drained(server: Server) -> Any:
    assert server.drainer.wait_idle(20)
    return server.state.store.cursor().con


def rows(con: Any, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    return list(con.execute(sql, list(params)).fetchall())


def line_msg(event_id: str, msg_id: str, text: str, ts: int, **kw: Any) -> dict[str, Any]:
    ev = {
        "type": "message",
        "mode": "active",
        "timestamp": ts,
        "webhookEventId": event_id,
        "deliveryContext": {"isRedelivery": kw.pop("redelivery", False)},
        "source": kw.pop("source", {"type": "user", "userId": "U" + "a" * 32}),
        "replyToken": "r",
        "message": {"type": "text", "id": msg_id, "text": text},
    }
    ev.update(kw)
    return ev


# -- LINE -------------------------------------------------------------------------------
def test_line_redelivery_counted_once_and_unseen_redelivery_counted(
    srv: tuple[Server, TestClient],
) -> None:
    server, client = srv
    first = line_msg("01AAAAAAAAAAAAAAAAAAAAAAA1", "9001", "你好", 1752321675482)
    assert post_line(client, {"destination": BOT, "events": [first]}) == 200
    again = copy.deepcopy(first)
    again["deliveryContext"]["isRedelivery"] = True
    unseen = line_msg(
        "01AAAAAAAAAAAAAAAAAAAAAAA2", "9002", "還在嗎", 1752321685482, redelivery=True
    )
    assert post_line(client, {"destination": BOT, "events": [again, unseen]}) == 200
    con = drained(server)
    assert rows(con, "SELECT event_id FROM messages ORDER BY 1") == [
        ("line:msg:9001",),
        ("line:msg:9002",),
    ]
    assert rows(con, "SELECT count(*) FROM _webhook_events") == [(2,)]


def test_line_group_join_group_message_and_unsend(srv: tuple[Server, TestClient]) -> None:
    server, client = srv
    group = {"type": "group", "groupId": "C" + "1" * 32, "userId": "U" + "b" * 32}
    join = {
        "type": "join",
        "mode": "active",
        "timestamp": 1752321600000,
        "webhookEventId": "01GROUPJOIN000000000000001",
        "deliveryContext": {"isRedelivery": False},
        "source": {"type": "group", "groupId": group["groupId"]},
        "replyToken": "r",
    }
    msg = line_msg("01GROUPMSG0000000000000001", "7001", "團購+1", 1752321700000, source=group)
    assert post_line(client, {"destination": BOT, "events": [join, msg]}) == 200
    unsend = {
        "type": "unsend",
        "mode": "active",
        "timestamp": 1752321760000,
        "webhookEventId": "01GROUPUNSEND0000000000001",
        "deliveryContext": {"isRedelivery": False},
        "source": group,
        "unsend": {"messageId": "7001"},
    }
    assert post_line(client, {"destination": BOT, "events": [unsend]}) == 200
    con = drained(server)
    assert rows(con, "SELECT customer_id, text FROM messages WHERE event_id = 'line:msg:7001'") == [
        ("U" + "b" * 32, None)
    ]
    assert rows(con, "SELECT kind FROM _webhook_events ORDER BY ts") == [
        ("join",),
        ("message",),
        ("unsend",),
    ]


def test_line_unsend_before_the_message_still_hides_it(srv: tuple[Server, TestClient]) -> None:
    server, client = srv
    unsend = {
        "type": "unsend",
        "mode": "active",
        "timestamp": 1752321760000,
        "webhookEventId": "01EARLYUNSEND000000000001",
        "deliveryContext": {"isRedelivery": False},
        "source": {"type": "user", "userId": "U" + "a" * 32},
        "unsend": {"messageId": "7100"},
    }
    assert post_line(client, {"destination": BOT, "events": [unsend]}) == 200
    drained(server)
    late = line_msg("01LATEMSG0000000000000001", "7100", "秘密", 1752321700000, redelivery=True)
    assert post_line(client, {"destination": BOT, "events": [late]}) == 200
    con = drained(server)
    assert rows(con, "SELECT text FROM messages WHERE event_id = 'line:msg:7100'") == [(None,)]


# -- Meta messaging ---------------------------------------------------------------------------
def messaging(obj: str, account: str, items: list[dict[str, Any]], key: str = "messaging") -> Any:
    return {"object": obj, "entry": [{"id": account, "time": 1752322801420, key: items}]}


def test_meta_echoes_bot_vs_human_standby_and_handover(srv: tuple[Server, TestClient]) -> None:
    server, client = srv
    psid = "7012345678901234"
    inbound = {
        "sender": {"id": psid},
        "recipient": {"id": PAGE},
        "timestamp": 1752322801118,
        "message": {"mid": "m_in_1", "text": "請問有貨嗎"},
    }
    bot_echo = {
        "sender": {"id": PAGE},
        "recipient": {"id": psid},
        "timestamp": 1752322802118,
        "message": {"mid": "m_bot_1", "is_echo": True, "app_id": int(BOT_APP), "text": "您好～"},
    }
    handover = {
        "sender": {"id": psid},
        "recipient": {"id": PAGE},
        "timestamp": 1752322803118,
        "pass_thread_control": {"new_owner_app_id": INBOX_APP_ID, "metadata": "to human"},
    }
    standby_in = {
        "sender": {"id": psid},
        "recipient": {"id": PAGE},
        "timestamp": 1752322804118,
        "message": {"mid": "m_in_2", "text": "我要黑色M"},
    }
    human_echo = {
        "sender": {"id": PAGE},
        "recipient": {"id": psid},
        "timestamp": 1752322805118,
        "message": {
            "mid": "m_staff_1",
            "is_echo": True,
            "app_id": int(INBOX_APP_ID),
            "text": "有的",
        },
    }
    receipts = [
        {
            "sender": {"id": psid},
            "recipient": {"id": PAGE},
            "timestamp": 1752322806118,
            "delivery": {"mids": ["m_staff_1"], "watermark": 1752322805118},
        },
        {
            "sender": {"id": psid},
            "recipient": {"id": PAGE},
            "timestamp": 1752322807118,
            "read": {"watermark": 1752322805118},
        },
    ]
    assert post_meta(client, messaging("page", PAGE, [inbound, bot_echo, handover])) == 200
    assert post_meta(client, messaging("page", PAGE, [standby_in, human_echo], "standby")) == 200
    assert post_meta(client, messaging("page", PAGE, receipts)) == 200
    # Meta re-sends a whole batch: nothing changes
    assert post_meta(client, messaging("page", PAGE, [inbound, bot_echo, handover])) == 200
    ig_echo = {
        "sender": {"id": IG},
        "recipient": {"id": "1234567890123456"},
        "timestamp": 1752323412999,
        "message": {"mid": "aWdf_echo", "is_echo": True, "text": "已回覆"},
    }
    assert post_meta(client, messaging("instagram", IG, [ig_echo])) == 200
    con = drained(server)
    got = rows(
        con,
        "SELECT event_id, channel, customer_id, sender, staff_id, kind, is_echo FROM messages "
        "ORDER BY ts",
    )
    assert got == [
        ("messenger:mid:m_in_1", "facebook", psid, "customer", None, "message", False),
        ("messenger:mid:m_bot_1", "facebook", psid, "bot", None, "message", True),
        (got[2][0], "facebook", psid, "system", None, "handoff", got[2][6]),
        ("messenger:mid:m_in_2", "facebook", psid, "customer", None, "message", False),
        (
            "messenger:mid:m_staff_1",
            "facebook",
            psid,
            "agent",
            f"meta_app:{INBOX_APP_ID}",
            "message",
            True,
        ),
        (
            "instagram:mid:aWdf_echo",
            "instagram",
            "1234567890123456",
            "agent",
            got[5][4],
            "message",
            True,
        ),
    ]
    assert rows(con, "SELECT count(*) FROM _webhook_events WHERE kind IN ('delivery', 'read')") == [
        (2,)
    ]


# -- Meta feed ----------------------------------------------------------------------------
def feed(changes: list[dict[str, Any]], time_s: int) -> Any:
    return {"object": "page", "entry": [{"id": PAGE, "time": time_s, "changes": changes}]}


def comment(verb: str, cid: str, author: str, message: str | None, created: int) -> Any:
    value: dict[str, Any] = {
        "item": "comment",
        "verb": verb,
        "post_id": f"{PAGE}_555",
        "comment_id": f"555_{cid}",
        "parent_id": f"{PAGE}_555",
        "from": {"id": author, "name": "x"},
        "created_time": created,
        "post": {"id": f"{PAGE}_555", "status_type": "added_photos"},
    }
    if message is not None:
        value["message"] = message
    return {"field": "feed", "value": value}


def test_feed_comments_edits_removals_reactions_page_replies(
    srv: tuple[Server, TestClient],
) -> None:
    server, client = srv
    reaction = {
        "field": "feed",
        "value": {
            "item": "reaction",
            "verb": "add",
            "post_id": f"{PAGE}_555",
            "reaction_type": "like",
            "from": {"id": "u9"},
            "created_time": 1752314700,
        },
    }
    adds = [
        comment("add", "1", "u1", "+1", 1752314711),
        comment("add", "2", "u2", "＋１ 黑M", 1752314740),
        reaction,
        comment("add", "3", "u3", "+2 白色S", 1752314762),
    ]
    reply = comment("add", "4", PAGE, "已私訊", 1752314800)
    reply["value"]["parent_id"] = "555_1"
    assert post_meta(client, feed([*adds, reply], 1752314801)) == 200
    edit = comment("edited", "2", "u2", "+1 白M", 1752314740)
    removal = comment("remove", "3", "u3", None, 1752314762)
    assert post_meta(client, feed([edit, removal], 1752314900)) == 200
    # the original add of comment 2 re-delivered late must not undo the edit
    assert post_meta(client, feed([adds[1]], 1752314801)) == 200
    con = drained(server)
    assert rows(
        con,
        "SELECT comment_id, author, text, deleted, parent_comment_id FROM comments ORDER BY 1",
    ) == [
        ("555_1", "customer", "+1", False, None),
        ("555_2", "customer", "+1 白M", False, None),
        ("555_3", "customer", None, True, None),
        ("555_4", "page", "已私訊", False, "555_1"),
    ]


def test_instagram_live_comments_and_fb_live_video(srv: tuple[Server, TestClient]) -> None:
    server, client = srv
    live_comment = {
        "object": "instagram",
        "entry": [
            {
                "id": IG,
                "time": 1752321700,
                "changes": [
                    {
                        "field": "live_comments",
                        "value": {
                            "id": "17890000000000001",
                            "text": "+1",
                            "from": {"id": "2345678901234567", "username": "mei"},
                            "media": {"id": "18000000000000001", "media_product_type": "LIVE"},
                        },
                    }
                ],
            }
        ],
    }
    assert post_meta(client, live_comment) == 200
    live = {
        "object": "page",
        "entry": [
            {
                "id": PAGE,
                "time": 1752321605,
                "changes": [
                    {"field": "live_videos", "value": {"id": "1234567890123456", "status": "live"}}
                ],
            }
        ],
    }
    stopped = {
        "object": "page",
        "entry": [
            {
                "id": PAGE,
                "time": 1752328805,
                "changes": [
                    {
                        "field": "live_videos",
                        "value": {"id": "1234567890123456", "status": "live_stopped"},
                    }
                ],
            }
        ],
    }
    assert post_meta(client, live) == 200
    assert post_meta(client, stopped) == 200
    assert post_meta(client, live) == 200  # re-sent: must not reopen the live
    con = drained(server)
    assert rows(con, "SELECT live_id, channel, customer_id FROM comments") == [
        ("18000000000000001", "instagram", "2345678901234567")
    ]
    got = rows(con, "SELECT live_id, epoch(started_at), epoch(ended_at) FROM live_sessions")
    assert got == [("1234567890123456", 1752321605, 1752328805)]


# -- Shopify ------------------------------------------------------------------------------
def shopify_doc(name: str) -> Any:
    return json.loads((WEBHOOKS / "shopify" / name).read_text(encoding="utf-8"))


def test_shopify_duplicates_stale_updates_refunds_and_presentment(
    srv: tuple[Server, TestClient],
) -> None:
    server, client = srv
    order = shopify_doc("orders_create_twd.json")
    assert post_shopify(client, "orders/create", order, event_id="e1") == 200
    assert post_shopify(client, "orders/create", order, event_id="e1") == 200  # duplicate
    paid = shopify_doc("orders_paid_twd.json")
    assert post_shopify(client, "orders/paid", paid, event_id="e2") == 200
    refund = shopify_doc("refunds_create_twd.json")
    assert post_shopify(client, "refunds/create", refund, event_id="e3") == 200
    updated = copy.deepcopy(paid)
    updated["updated_at"] = "2025-07-15T14:30:06+08:00"
    updated["financial_status"] = "partially_refunded"
    updated["refunds"] = [refund]
    assert post_shopify(client, "orders/updated", updated, event_id="e4") == 200
    stale = copy.deepcopy(order)  # an orders/updated from before the payment, arriving last
    stale["updated_at"] = "2025-07-12T20:19:00+08:00"
    assert post_shopify(client, "orders/updated", stale, event_id="e5") == 200
    # a USD-presentment order in the TWD shop
    usd = copy.deepcopy(order)
    usd["id"] = 6012345678999
    usd["presentment_currency"] = "USD"
    for key, val in list(usd.items()):
        if key.endswith("_set") and isinstance(val, dict) and "presentment_money" in val:
            pm = val["presentment_money"]
            pm["currency_code"] = "USD"
            pm["amount"] = str((Decimal(pm["amount"]) / Decimal("32")).quantize(Decimal("0.01")))
    assert post_shopify(client, "orders/create", usd, event_id="e6") == 200
    con = drained(server)
    assert rows(con, "SELECT order_id, status, currency, amount FROM orders ORDER BY 1") == [
        ("6012345678901", "paid", "TWD", Decimal("2020.0000")),
        ("6012345678999", order_status(order), "TWD", Decimal("2020.0000")),
    ]
    assert rows(con, "SELECT refund_id, amount FROM refunds") == [
        (str(refund["id"]), Decimal("390.0000"))
    ]
    assert rows(con, "SELECT count(*) FROM _webhook_events WHERE platform = 'shopify'") == [(6,)]


def order_status(order: dict[str, Any]) -> str:
    return "paid" if order.get("financial_status") == "paid" else "open"


# -- refusals ----------------------------------------------------------------------------
def test_refusals_forged_missing_truncated_empty_oversize_and_wrong_token(
    srv: tuple[Server, TestClient],
) -> None:
    server, client = srv
    doc = {"destination": BOT, "events": [line_msg("01X", "1", "hi", 1752321675482)]}
    body = dumps(doc)
    forged = "not-the-real-secret-000000000000"
    assert post_line(client, doc, sig=line_sig(body, forged)) == 401
    assert post_line(client, doc, sig="") == 401
    assert post_meta(client, {"object": "page", "entry": []}, sig="") == 401
    assert post_meta(client, {"object": "page", "entry": []}, sig=meta_sig(b"{}", forged)) == 401
    assert post_shopify(client, "orders/create", {"id": 1}, event_id="x", sig="Zm9yZ2Vk") == 401
    truncated = body[: len(body) // 2]
    assert post_line(client, None, raw=truncated, sig=line_sig(truncated)) == 400
    assert post_line(client, None, raw=b"", sig=line_sig(b"")) == 400
    big = b'{"destination":"' + b"A" * (2 * 1024 * 1024) + b'"}'
    assert post_line(client, None, raw=big, sig=line_sig(big)) == 413
    bad = client.get(
        "/webhooks/meta",
        params={"hub.mode": "subscribe", "hub.challenge": "42", "hub.verify_token": "nope"},
    )
    assert bad.status_code == 403
    good = client.get(
        "/webhooks/meta",
        params={
            "hub.mode": "subscribe",
            "hub.challenge": "42",
            "hub.verify_token": SECRETS["meta_verify_token"],
        },
    )
    assert (good.status_code, good.text) == (200, "42")
    con = drained(server)
    assert rows(con, "SELECT count(*) FROM _webhook_events") == [(0,)]
    assert rows(con, "SELECT count(*) FROM messages") == [(0,)]


def test_events_visible_to_queries_within_two_seconds(srv: tuple[Server, TestClient]) -> None:
    import time

    _server, client = srv
    msg = line_msg("01VISIBLE0000000000000001", "8801", "在嗎", 1752321675482)
    started = time.monotonic()
    assert post_line(client, {"destination": BOT, "events": [msg]}) == 200
    headers = {"Authorization": f"Bearer {ADMIN_KEY}"}
    while True:
        r = client.get(
            "/api/v1/query",
            params={
                "metrics": "inbound_messages",
                "shop": SHOP,
                "from": "2025-07-12",
                "to": "2025-07-12",
            },
            headers=headers,
        )
        assert r.status_code == 200, r.text
        if r.json() and any(
            v for row in r.json() for k, v in row.items() if k == "inbound_messages"
        ):
            break
        assert time.monotonic() - started < 2.0, "not visible within 2 s"
        time.sleep(0.05)


def test_secrets_never_logged_or_answered(
    srv: tuple[Server, TestClient], caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    server, client = srv
    caplog.set_level(logging.DEBUG)
    doc = {"destination": BOT, "events": [line_msg("01S", "5", "hi", 1752321675482)]}
    body = dumps(doc)
    answers = [
        client.post("/webhooks/line", content=body, headers={"x-line-signature": "AAAA"}),
        client.post("/webhooks/meta", content=b"{}", headers={"x-hub-signature-256": "sha256=00"}),
        client.post("/webhooks/line", content=b"{", headers={"x-line-signature": line_sig(b"{")}),
        client.get("/webhooks/meta", params={"hub.mode": "subscribe", "hub.verify_token": "x"}),
        client.post("/webhooks/line", content=body, headers={"x-line-signature": line_sig(body)}),
        client.get(
            "/api/v1/query",
            params={"metrics": "nope"},
            headers={"Authorization": f"Bearer {ADMIN_KEY}"},
        ),
        client.get("/metrics"),
    ]
    drained(server)
    text = caplog.text + "".join(a.text for a in answers)
    for secret in [*SECRETS.values(), ADMIN_KEY, "shop-key", "local"]:
        if len(secret) > 5:
            assert secret not in text
    con = server.state.store.cursor().con
    stored = json_dump_store(con)
    for secret in SECRETS.values():
        assert secret not in stored


def json_dump_store(con: Any) -> str:
    parts = []
    for (name,) in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
    ).fetchall():
        parts.append(str(con.execute(f'SELECT * FROM "{name}"').fetchall()))
    return "".join(parts)


def test_prometheus_counts_stored_duplicate_and_rejected(srv: tuple[Server, TestClient]) -> None:
    server, client = srv
    msg = line_msg("01PROM0000000000000000001", "6601", "hi", 1752321675482)
    assert post_line(client, {"destination": BOT, "events": [msg]}) == 200
    assert post_line(client, {"destination": BOT, "events": [msg]}) == 200
    assert post_line(client, {"destination": BOT, "events": [msg]}, sig="AAAA") == 401
    drained(server)
    text = client.get("/metrics").text
    assert 'events_stored_total{platform="line"} 1.0' in text
    assert 'events_duplicate_total{platform="line"} 1.0' in text
    assert 'webhook_rejected_total{platform="line",reason="signature"} 1.0' in text
    assert "inbox_depth 0.0" in text


def test_a_genuine_request_for_an_unknown_account_is_kept_in_quarantine(
    srv: tuple[Server, TestClient],
) -> None:
    server, client = srv
    msg = line_msg("01UNOWNED0000000000000001", "4401", "hi", 1752321675482)
    other_bot = "U" + "0" * 32
    assert post_line(client, {"destination": other_bot, "events": [msg]}) == 200
    con = drained(server)
    assert rows(con, "SELECT count(*) FROM messages") == [(0,)]
    got = rows(con, "SELECT table_name, reason FROM _quarantine")
    assert len(got) == 1 and got[0][0] == "webhook" and "RoutingError" in got[0][1]
