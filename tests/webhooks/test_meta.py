"""Meta adapter cases beyond the manifest: echoes (bot / person), standby and handover,
postbacks and receipts, re-sent batches, comment edits and removals, reactions, lives,
Instagram live comments, routing and unknown shapes (FORMATS.md §2-4, §8)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from socialscope.webhooks.auth import authenticate_meta
from socialscope.webhooks.events import PayloadError, RoutingError, RowMode, WebhookEvent
from socialscope.webhooks.meta import parse_meta
from tests.webhooks.fixtures.support import (
    BOT_APP_ID,
    IG_ID,
    INBOX_APP_ID,
    PAGE_ID,
    SHOP_ID,
    changes_entry,
    check_contract,
    config,
    messaging_entry,
    meta_body,
    meta_headers,
    ms,
    rows,
    shop_dict,
)

PSID = "7012345678901234"
IGSID = "1234567890123456"
TS = 1752322801118
POST = f"{PAGE_ID}_1029384756102938"
CREATED = 1752314711  # seconds


def parse(body: bytes) -> list[WebhookEvent]:
    return check_contract(parse_meta(body, authenticate_meta(body, meta_headers(body), config())))


def inbound(mid: str, text: str = "hi", *, ts: int = TS, sender: str = PSID) -> dict[str, Any]:
    return {
        "sender": {"id": sender},
        "recipient": {"id": PAGE_ID},
        "timestamp": ts,
        "message": {"mid": mid, "text": text},
    }


def echo(mid: str, app_id: Any, *, page: str = PAGE_ID, customer: str = PSID) -> dict[str, Any]:
    return {
        "sender": {"id": page},
        "recipient": {"id": customer},
        "timestamp": TS + 1000,
        "message": {"mid": mid, "is_echo": True, "app_id": app_id, "text": "已為您保留"},
    }


def page_body(*items: dict[str, Any], key: str = "messaging") -> bytes:
    return meta_body("page", messaging_entry(items, key=key))


# -- echoes ------------------------------------------------------------------------------
def test_echo_from_the_bot_app_is_the_bot() -> None:
    (event,) = parse(page_body(echo("m_bot", int(BOT_APP_ID))))
    (row,) = event.rows
    assert event.kind == "echo"
    assert row.values["sender"] == "bot"
    assert row.values["staff_id"] is None
    assert row.values["customer_id"] == PSID  # the recipient of an echo
    assert row.values["is_echo"] is True
    assert row.values["event_id"] == event.dedupe_key == "messenger:mid:m_bot"


def test_echo_from_the_inbox_app_is_a_person() -> None:
    (row,) = rows(parse(page_body(echo("m_inbox", int(INBOX_APP_ID)))))
    assert row.values["sender"] == "agent"
    assert row.values["staff_id"] == f"meta_app:{INBOX_APP_ID}"
    assert row.values["extra"]["app_id"] == INBOX_APP_ID


def test_echo_without_app_id_is_an_unknown_person() -> None:
    item = echo("m_noapp", None)
    del item["message"]["app_id"]
    (row,) = rows(parse(page_body(item)))
    assert (row.values["sender"], row.values["staff_id"]) == ("agent", "meta_app:unknown")


def test_instagram_echo() -> None:
    item = echo("aWdfZAG_echo", int(INBOX_APP_ID), page=IG_ID, customer=IGSID)
    body = meta_body("instagram", messaging_entry([item], account_id=IG_ID))
    (event,) = parse(body)
    (row,) = event.rows
    assert event.dedupe_key == "instagram:mid:aWdfZAG_echo"
    assert row.values["channel"] == "instagram"
    assert row.values["customer_id"] == IGSID
    assert row.values["sender"] == "agent"


# -- standby and handover ------------------------------------------------------------------
def test_standby_events_map_like_messaging_and_are_marked() -> None:
    items = [inbound("m_sb1", "請問有貨嗎"), echo("m_sb2", int(INBOX_APP_ID))]
    standby = parse(page_body(*items, key="standby"))
    active = parse(page_body(*items))
    assert [r.values["sender"] for r in rows(standby)] == ["customer", "agent"]
    assert all(r.values["extra"]["standby"] is True for r in rows(standby))
    assert all("standby" not in r.values["extra"] for r in rows(active))
    strip = [{k: v for k, v in r.values.items() if k != "extra"} for r in rows(standby)]
    assert strip == [{k: v for k, v in r.values.items() if k != "extra"} for r in rows(active)]


def handover(name: str, body: dict[str, Any]) -> dict[str, Any]:
    return {"sender": {"id": PSID}, "recipient": {"id": PAGE_ID}, "timestamp": TS, name: body}


def test_pass_thread_control_from_the_bot_is_a_handoff() -> None:
    body = {
        "previous_owner_app_id": BOT_APP_ID,
        "new_owner_app_id": INBOX_APP_ID,
        "metadata": "轉人工",
    }
    (event,) = parse(page_body(handover("pass_thread_control", body)))
    (row,) = event.rows
    assert event.kind == "handoff"
    assert row.values["kind"] == "handoff"
    assert row.values["sender"] == "system"
    assert row.values["customer_id"] == PSID
    assert row.values["ts"] == ms(TS)
    assert row.values["event_id"] == event.dedupe_key
    assert row.values["extra"]["new_owner_app_id"] == INBOX_APP_ID


@pytest.mark.parametrize(
    ("name", "body", "handoff"),
    [
        ("pass_thread_control", {"new_owner_app_id": INBOX_APP_ID}, True),
        (
            "pass_thread_control",
            {"previous_owner_app_id": INBOX_APP_ID, "new_owner_app_id": BOT_APP_ID},
            False,
        ),
        ("pass_thread_control", {"new_owner_app_id": BOT_APP_ID}, False),
        (
            "take_thread_control",
            {"previous_owner_app_id": BOT_APP_ID, "new_owner_app_id": INBOX_APP_ID},
            True,
        ),
        ("take_thread_control", {"previous_owner_app_id": BOT_APP_ID}, True),
        (
            "take_thread_control",
            {"previous_owner_app_id": INBOX_APP_ID, "new_owner_app_id": BOT_APP_ID},
            False,
        ),
        ("request_thread_control", {"requested_owner_app_id": INBOX_APP_ID}, False),
        # between two non-bot apps (the inbox and a CRM): no bot was involved
        (
            "pass_thread_control",
            {"previous_owner_app_id": INBOX_APP_ID, "new_owner_app_id": "42"},
            False,
        ),
        (
            "take_thread_control",
            {"previous_owner_app_id": "42", "new_owner_app_id": INBOX_APP_ID},
            False,
        ),
    ],
)
def test_handover_directions(name: str, body: dict[str, Any], handoff: bool) -> None:
    (event,) = parse(page_body(handover(name, body)))
    assert bool(event.rows) is handoff
    assert event.kind == ("handoff" if handoff else name)


def test_without_a_bot_app_a_handover_is_no_handoff() -> None:
    meta = {**shop_dict()["meta"], "bot_app_ids": []}
    body = page_body(handover("pass_thread_control", {"new_owner_app_id": INBOX_APP_ID}))
    cfg = config(shop_dict(meta=meta))
    (event,) = parse_meta(body, authenticate_meta(body, meta_headers(body), cfg))
    assert event.rows == ()


# -- postbacks, receipts, reactions, edits -------------------------------------------------
def test_postback_is_a_customer_action_message() -> None:
    item = {**handover("postback", {"title": "立即購買", "payload": "BUY_JK", "mid": "m_pb"})}
    (event,) = parse(page_body(item))
    (row,) = event.rows
    assert event.kind == "postback"
    assert row.values["event_id"] == "messenger:mid:m_pb"
    assert (row.values["sender"], row.values["message_type"], row.values["text"]) == (
        "customer",
        "other",
        None,
    )
    assert row.values["extra"]["postback"] == "BUY_JK"


def test_delivery_and_read_have_no_rows() -> None:
    delivery = handover("delivery", {"mids": ["m_1"], "watermark": 1752322900000})
    read = handover("read", {"watermark": 1752322950000})
    events = parse(page_body(delivery, read))
    assert [(e.kind, e.rows) for e in events] == [("delivery", ()), ("read", ())]
    assert [e.dedupe_key for e in events] == [
        f"messenger:delivery:{PSID}:1752322900000",
        f"messenger:read:{PSID}:1752322950000",
    ]


def test_reaction_has_no_row() -> None:
    item = handover("reaction", {"mid": "m_1", "action": "react", "reaction": "love", "emoji": "❤"})
    (event,) = parse(page_body(item))
    assert (event.kind, event.rows) == ("reaction", ())


def test_message_edit_patches_the_text() -> None:
    item = handover("message_edit", {"mid": "m_1", "text": "黑色L", "num_edit": 1})
    (event,) = parse(page_body(item))
    (row,) = event.rows
    assert row.mode is RowMode.PATCH
    assert row.values["event_id"] == "messenger:mid:m_1"
    assert row.values["text"] == "黑色L"
    assert event.dedupe_key != "messenger:mid:m_1"  # not mistaken for the original


def test_instagram_unsend_redacts() -> None:
    item = inbound("aWdf_gone", sender=IGSID)
    item["message"] = {"mid": "aWdf_gone", "is_deleted": True}
    (event,) = parse(meta_body("instagram", messaging_entry([item], account_id=IG_ID)))
    (row,) = event.rows
    assert row.mode is RowMode.REDACT
    assert row.values == {"shop_id": SHOP_ID, "event_id": "instagram:mid:aWdf_gone"}
    assert event.dedupe_key == "instagram:unsend:aWdf_gone"


@pytest.mark.parametrize(
    ("attachment", "message_type"),
    [
        ("video", "video"),
        ("audio", "audio"),
        ("file", "file"),
        ("template", "other"),
        ("fallback", "other"),
        ("location", "other"),
    ],
)
def test_attachment_types(attachment: str, message_type: str) -> None:
    item = inbound("m_a")
    item["message"] = {"mid": "m_a", "attachments": [{"type": attachment, "payload": {}}]}
    (row,) = rows(parse(page_body(item)))
    assert row.values["message_type"] == message_type
    assert row.values["text"] is None


# -- batches -----------------------------------------------------------------------------
def test_a_whole_batch_resent_gives_identical_output() -> None:
    body = meta_body(
        "page",
        messaging_entry([inbound("m_1"), inbound("m_2", "+1")]),
        messaging_entry([echo("m_3", int(BOT_APP_ID))], time_ms=TS + 5),
    )
    assert parse(body) == parse(body)


def test_rebatching_does_not_change_the_keys() -> None:
    together = parse(meta_body("page", messaging_entry([inbound("m_1"), inbound("m_2")])))
    apart = parse(
        meta_body("page", messaging_entry([inbound("m_1")]), messaging_entry([inbound("m_2")]))
    )
    assert together == apart


# -- feed comments -----------------------------------------------------------------------
def comment(
    comment_id: str,
    verb: str = "add",
    *,
    author: str | None = "24019283746501234",
    message: str | None = "+1",
    parent: str = POST,
    status_type: str = "added_photos",
    created: int = CREATED,
) -> dict[str, Any]:
    value: dict[str, Any] = {
        "item": "comment",
        "verb": verb,
        "post_id": POST,
        "comment_id": comment_id,
        "parent_id": parent,
        "created_time": created,
        "post": {"id": POST, "status_type": status_type},
    }
    if author:
        value["from"] = {"id": author, "name": "陳怡君"}
    if message is not None:
        value["message"] = message
    return {"field": "feed", "value": value}


def feed(*changes: dict[str, Any], time_s: int = CREATED + 30) -> bytes:
    return meta_body("page", changes_entry(changes, time_s=time_s))


def test_page_reply_to_a_comment_is_the_page() -> None:
    parent = "1029384756102938_1111111111111111"
    events = parse(
        feed(
            comment(parent),
            comment("1029384756102938_2222", author=PAGE_ID, message="已私訊", parent=parent),
        )
    )
    customer, page = rows(events)
    assert (customer.values["author"], customer.values["parent_comment_id"]) == ("customer", None)
    assert page.values["author"] == "page"
    assert page.values["parent_comment_id"] == parent
    assert page.values["customer_id"] == PAGE_ID


def test_edited_and_removed_comments_patch_and_sort_after_the_add() -> None:
    cid = "1029384756102938_3333"
    add = parse(feed(comment(cid, message="+1"), time_s=CREATED))
    edit_same_second = parse(feed(comment(cid, "edited", message="+2"), time_s=CREATED))
    removed = parse(feed(comment(cid, "remove", author=None, message=None), time_s=CREATED + 90))
    (a,), (e,), (r,) = rows(add), rows(edit_same_second), rows(removed)
    assert a.mode is RowMode.UPSERT
    assert e.mode is r.mode is RowMode.PATCH
    assert a.values["event_id"] == e.values["event_id"] == r.values["event_id"]
    assert e.values["text"] == "+2"
    assert (r.values["deleted"], r.values["text"], r.values["customer_id"]) == (True, None, None)
    assert e.values["deleted"] is False
    created = a.values["ts"]
    assert a.values["updated_at"] == created
    assert e.values["updated_at"] == created + timedelta(milliseconds=1)  # same second as add
    assert r.values["updated_at"] == ms((CREATED + 90) * 1000)
    assert a.values["updated_at"] < e.values["updated_at"] < r.values["updated_at"]
    keys = [ev.dedupe_key for ev in (*add, *edit_same_second, *removed)]
    assert keys == [f"facebook:comment:{cid}:{v}:{CREATED}" for v in ("add", "edited", "remove")]


def test_hide_keeps_the_comment_and_marks_it_hidden() -> None:
    (row,) = rows(parse(feed(comment("1029_44", "hide"))))
    assert row.mode is RowMode.PATCH
    assert row.values["deleted"] is False
    assert row.values["extra"]["hidden"] is True
    (row,) = rows(parse(feed(comment("1029_44", "unhide"))))
    assert row.values["extra"]["hidden"] is False


def test_reaction_mixed_into_a_comment_batch() -> None:
    reaction = {
        "field": "feed",
        "value": {
            "item": "reaction",
            "verb": "add",
            "post_id": POST,
            "reaction_type": "like",
            "from": {"id": "9"},
            "created_time": CREATED,
        },
    }
    events = parse(feed(comment("1029_1"), reaction, comment("1029_2", message="＋１")))
    assert [(e.kind, len(e.rows)) for e in events] == [
        ("comment", 1),
        ("reaction", 0),
        ("comment", 1),
    ]
    assert rows(events)[1].values["text"] == "＋１"  # full width, verbatim


def test_comment_on_a_live_videos_post_keeps_status_type() -> None:
    (row,) = rows(parse(feed(comment("1029_55", status_type="added_video"))))
    assert row.values["live_id"] is None
    assert row.values["extra"]["post_status_type"] == "added_video"


def test_unknown_verb_and_feed_item_have_no_rows() -> None:
    post = {"field": "feed", "value": {"item": "status", "verb": "add", "post_id": POST}}
    events = parse(feed(comment("1029_66", "mute"), post))
    assert [(e.kind, e.rows) for e in events] == [("comment_mute", ()), ("feed:status", ())]


# -- Instagram live comments and FB lives ----------------------------------------------------
def test_instagram_live_comments_carry_the_live_id() -> None:
    value = {
        "id": "17890000000000001",
        "text": "+1 黑色M",
        "from": {"id": "2345678901234567", "username": "mei.shopping"},
        "media": {"id": "18000000000000099", "media_product_type": "LIVE"},
    }
    entry = changes_entry(
        [{"field": "live_comments", "value": value}], account_id=IG_ID, time_s=1752321700
    )
    (event,) = parse(meta_body("instagram", entry))
    (row,) = event.rows
    assert row.values["live_id"] == row.values["post_id"] == "18000000000000099"
    assert row.values["extra"]["surface"] == "live_comments"
    assert row.values["ts"] == ms(1752321700 * 1000)
    assert event.dedupe_key == "instagram:comment:17890000000000001"


def live(status: str, time_s: int) -> bytes:
    change = {"field": "live_videos", "value": {"id": "1234567890123456", "status": status}}
    return meta_body("page", changes_entry([change], time_s=time_s))


def test_fb_live_started_then_stopped() -> None:
    (started,) = parse(live("live", 1752321605))
    (stopped,) = parse(live("live_stopped", 1752329000))
    (vod,) = parse(live("vod", 1752329100))
    assert started.dedupe_key == "facebook:live:1234567890123456:live"
    assert stopped.dedupe_key == "facebook:live:1234567890123456:live_stopped"
    (s,), (e,), (v,) = started.rows, stopped.rows, vod.rows
    assert s.mode is e.mode is v.mode is RowMode.PATCH
    assert s.values["started_at"] == ms(1752321605000)
    assert "ended_at" not in s.values
    assert e.values["ended_at"] == ms(1752329000000)
    assert "started_at" not in e.values
    assert v.values["ended_at"] == ms(1752329100000)
    (other,) = parse(live("scheduled_unpublished", 1752320000))
    assert other.rows == ()


# -- routing, unknowns, bad bodies -------------------------------------------------------------
def test_entry_of_an_unowned_page_is_a_routing_error() -> None:
    body = meta_body("page", messaging_entry([inbound("m_x")], account_id="555"))
    with pytest.raises(RoutingError):
        parse(body)


def test_instagram_entry_with_the_page_id_is_routed_to_the_page_owner() -> None:
    item = inbound("aWdf_old", sender=IGSID)
    (event,) = parse(meta_body("instagram", messaging_entry([item], account_id=PAGE_ID)))
    assert event.shop_id == SHOP_ID
    assert event.rows[0].values["channel"] == "instagram"


def test_unknown_objects_fields_and_keys_never_raise() -> None:
    assert parse(meta_body("whatsapp_business_account", {"id": "1", "changes": []})) == []
    unknown_field = changes_entry([{"field": "mention", "value": {"media_id": "1"}}])
    (event,) = parse(meta_body("page", unknown_field))
    assert (event.kind, event.rows) == ("change:mention", ())
    optin = handover("optin", {"ref": "x"})
    (event,) = parse(page_body(optin))
    assert (event.kind, event.rows) == ("optin", ())
    ig_feed = changes_entry([comment("1029_1")], account_id=IG_ID)  # feed is not an IG field
    (event,) = parse(meta_body("instagram", ig_feed))
    assert event.rows == ()


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b'{"object":"page","entry":[{"id":"1048576',
        b"[1]",
        b'{"object":"page","entry":{}}',
        b'{"object":"page","entry":[7]}',
        b'{"object":"page","entry":[{"time":1}]}',
    ],
    ids=["empty", "truncated", "array", "entry-object", "entry-number", "entry-no-id"],
)
def test_signed_but_unreadable_bodies_are_payload_errors(body: bytes) -> None:
    with pytest.raises(PayloadError):
        parse(body)
