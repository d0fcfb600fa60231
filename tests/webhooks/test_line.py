"""LINE adapter cases beyond the manifest: redelivery, groups, unsend, message types,
bad bodies, routing and unknown event types (FORMATS.md §1, §8)."""

from __future__ import annotations

from typing import Any

import pytest

from socialscope.config import ShopConfig
from socialscope.webhooks.auth import authenticate_line
from socialscope.webhooks.events import PayloadError, RoutingError, RowMode, WebhookEvent
from socialscope.webhooks.line import parse_line
from tests.webhooks.fixtures.support import (
    SHOP_ID,
    check_contract,
    config,
    line_body,
    line_event,
    line_headers,
    ms,
    rows,
)

USER = "U1a2b3c4d5e6f708192a3b4c5d6e7f809"
GROUP = "Ca56f94637cc4347f90a25382909b24b9"
TS = 1752321675482


def parse(body: bytes) -> list[WebhookEvent]:
    """Authenticate (signed with the test secret) and parse, as the server does."""
    return check_contract(parse_line(body, authenticate_line(body, line_headers(body), config())))


def text_event(event_id: str, message_id: str, text: str, **kw: Any) -> dict[str, Any]:
    message = {"type": "text", "id": message_id, "text": text}
    return line_event("message", event_id, TS, message=message, **kw)


# -- redelivery ----------------------------------------------------------------------------
def test_redelivery_has_the_same_dedupe_key_and_row_key() -> None:
    first = parse(line_body(text_event("01JZZ85M6T57WQFRZ69JQ05NAH", "5267", "黑色M")))
    again = parse(
        line_body(text_event("01JZZ85M6T57WQFRZ69JQ05NAH", "5267", "黑色M", redelivery=True))
    )
    assert [e.dedupe_key for e in first] == [e.dedupe_key for e in again]
    assert first[0].dedupe_key == "line:event:01JZZ85M6T57WQFRZ69JQ05NAH"
    assert rows(first)[0].values["event_id"] == rows(again)[0].values["event_id"] == "line:msg:5267"
    # the redelivered copy keeps the original time (LINE does not restamp it)
    assert first[0].ts == again[0].ts == ms(TS)


def test_redelivered_event_never_seen_is_parsed_normally() -> None:
    (event,) = parse(
        line_body(text_event("01K0000000000000000000000A", "777", "還有嗎", redelivery=True))
    )
    assert event.kind == "message"
    (row,) = event.rows
    assert row.mode is RowMode.UPSERT
    assert row.values["text"] == "還有嗎"
    assert row.values["sender"] == "customer"
    assert event.payload["deliveryContext"]["isRedelivery"] is True  # logged, not in the row
    (original,) = parse(line_body(text_event("01K0000000000000000000000A", "777", "還有嗎")))
    assert original.rows == event.rows  # so a redelivery never rewrites the stored row


def test_a_whole_batch_resent_gives_identical_output() -> None:
    body = line_body(
        text_event("01A", "1", "a"),
        line_event("follow", "01B", TS + 1, follow={"isUnblocked": False}),
        line_event("postback", "01C", TS + 2, postback={"data": "x=1"}),
    )
    assert parse(body) == parse(body)


# -- groups and rooms ----------------------------------------------------------------------
def test_group_join_then_group_message() -> None:
    join = line_event("join", "01JOIN", TS, user_id=None, group_id=GROUP, replyToken="r")
    message = text_event("01GMSG", "9001", "+1 白色S", group_id=GROUP, user_id=USER)
    events = parse(line_body(join, message))
    assert [e.kind for e in events] == ["join", "message"]
    assert events[0].rows == ()
    (row,) = events[1].rows
    assert row.values["customer_id"] == USER  # the sender, not the group
    assert row.values["extra"]["group_id"] == GROUP
    assert row.values["extra"]["source_type"] == "group"
    assert row.values["text"] == "+1 白色S"


def test_group_message_without_user_id_is_the_group() -> None:
    (event,) = parse(line_body(text_event("01G2", "9002", "hi", group_id=GROUP, user_id=None)))
    assert event.rows[0].values["customer_id"] == GROUP


def test_room_message() -> None:
    (event,) = parse(line_body(text_event("01R", "9003", "hi", room_id="Rroom1", user_id=USER)))
    assert event.rows[0].values["customer_id"] == USER
    assert event.rows[0].values["extra"]["room_id"] == "Rroom1"


@pytest.mark.parametrize("kind", ["leave", "memberJoined", "memberLeft"])
def test_membership_events_have_no_rows(kind: str) -> None:
    (event,) = parse(line_body(line_event(kind, "01M", TS, user_id=None, group_id=GROUP)))
    assert (event.kind, event.rows) == (kind, ())


# -- unsend, follow ------------------------------------------------------------------------
def test_unsend_redacts_the_message_by_its_id() -> None:
    sent = parse(line_body(text_event("01S", "325708", "打錯了")))
    (event,) = parse(
        line_body(line_event("unsend", "01U", TS + 5000, unsend={"messageId": "325708"}))
    )
    assert event.kind == "unsend"
    (row,) = event.rows
    assert row.mode is RowMode.REDACT
    assert row.table == "messages"
    assert row.values == {"shop_id": SHOP_ID, "event_id": "line:msg:325708"}
    assert row.values["event_id"] == rows(sent)[0].values["event_id"]
    assert event.payload["unsend"]["messageId"] == "325708"  # the raw event is logged


def test_unblock_follow_does_not_reset_first_seen() -> None:
    (event,) = parse(line_body(line_event("follow", "01F", TS, follow={"isUnblocked": True})))
    (row,) = event.rows
    assert row.mode is RowMode.PATCH
    assert row.values["is_follower"] is True
    assert "first_seen_at" not in row.values


# -- message types ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "message_type", "extra"),
    [
        ({"type": "video", "duration": 6000}, "video", {"duration_ms": 6000}),
        ({"type": "audio", "duration": 3000}, "audio", {"duration_ms": 3000}),
        ({"type": "file", "fileName": "單.pdf", "fileSize": 12}, "file", {"file_name": "單.pdf"}),
        (
            {
                "type": "location",
                "title": "7-11",
                "address": "台北",
                "latitude": 25.0,
                "longitude": 121.5,
            },
            "other",
            {"address": "台北"},
        ),
        ({"type": "sticker", "packageId": "1", "stickerId": "2"}, "sticker", {"sticker_id": "2"}),
        ({"type": "hologram"}, "other", {"line_message_type": "hologram"}),
    ],
)
def test_message_types(message: dict[str, Any], message_type: str, extra: dict[str, Any]) -> None:
    event = line_event("message", "01T", TS, message={"id": "1", **message})
    (row,) = rows(parse(line_body(event)))
    assert row.values["message_type"] == message_type
    assert row.values["text"] is None
    for key, value in extra.items():
        assert row.values["extra"][key] == value


def test_full_width_plus_one_text_is_kept_verbatim() -> None:
    (row,) = rows(parse(line_body(text_event("01W", "1", "＋１ 黑M"))))
    assert row.values["text"] == "＋１ 黑M"


def test_standby_mode_is_marked() -> None:
    event = text_event("01SB", "2", "hi")
    event["mode"] = "standby"
    (row,) = rows(parse(line_body(event)))
    assert row.values["extra"]["mode"] == "standby"
    assert row.values["sender"] == "customer"


# -- bodies, routing, unknowns -----------------------------------------------------------------
def test_unknown_event_type_is_logged_without_rows() -> None:
    body = line_body(
        line_event("teleport", "01X", TS, teleport={"to": "moon"}), text_event("01Y", "3", "ok")
    )
    events = parse(body)
    assert [(e.kind, len(e.rows)) for e in events] == [("teleport", 0), ("message", 1)]


def test_empty_events_is_nothing() -> None:
    assert parse(line_body()) == []


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b'{"destination":"U3f7c0e2d9a8b4c6e1f0a2b3c4d5e6f70","events":[{"type":"mess',
        b"[]",
        b'"events"',
        b'{"destination":"U3f7c0e2d9a8b4c6e1f0a2b3c4d5e6f70"}',
        b'{"destination":"U3f7c0e2d9a8b4c6e1f0a2b3c4d5e6f70","events":{}}',
        b'{"destination":"U3f7c0e2d9a8b4c6e1f0a2b3c4d5e6f70","events":[1]}',
        b'{"events":[]}',
        b"\xff\xfe{}",
    ],
    ids=[
        "empty",
        "truncated",
        "array",
        "string",
        "no-events",
        "events-object",
        "event-number",
        "no-destination",
        "not-utf8",
    ],
)
def test_signed_but_unreadable_bodies_are_payload_errors(body: bytes) -> None:
    with pytest.raises(PayloadError):
        parse(body)


def test_event_without_id_or_time_is_a_payload_error() -> None:
    event = text_event("01Z", "4", "x")
    for missing in ("webhookEventId", "timestamp"):
        broken = {k: v for k, v in event.items() if k != missing}
        with pytest.raises(PayloadError):
            parse(line_body(broken))


def test_destination_of_no_verified_shop_is_a_routing_error() -> None:
    body = line_body(text_event("01Q", "5", "x"), destination="U" + "f" * 32)
    with pytest.raises(RoutingError):
        parse(body)


def test_only_verified_shops_are_routed_to() -> None:
    body = line_body(text_event("01Q", "5", "x"))
    with pytest.raises(RoutingError):
        parse_line(body, [])
    other: ShopConfig = config().shops[0].model_copy(update={"line": None})
    with pytest.raises(RoutingError):
        parse_line(body, [other])
