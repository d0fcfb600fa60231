"""Conversation mechanics (METRICS.md section 1) on hand-built message sequences."""

from __future__ import annotations

from typing import Any

from socialscope.client import Client
from tests.core.conftest import put, rebuild


def msg(event: str, ts: str, sender: str, **kw: Any) -> dict[str, Any]:
    row = {
        "shop_id": "s",
        "event_id": event,
        "channel": kw.pop("channel", "line"),
        "customer_id": kw.pop("customer_id", "u1"),
        "ts": ts,
        "sender": sender,
        "kind": kw.pop("kind", "message"),
    }
    row.update(kw)
    return row


def rows(client: Client, sql: str) -> list[tuple[Any, ...]]:
    return client.store.con.execute(sql).fetchall()


def test_threads_split_by_idle_gap_and_close(client: Client) -> None:
    put(
        client,
        "messages",
        [
            msg("a1", "2026-03-01 10:00:00", "customer"),
            msg("a2", "2026-03-01 10:01:00", "agent", staff_id="s1"),
            msg("a3", "2026-03-01 10:02:00", "system", kind="close"),
            msg(
                "a4", "2026-03-01 10:02:30", "agent", staff_id="s1"
            ),  # after close, no customer yet
            msg("b1", "2026-03-01 10:03:00", "customer"),  # customer after close: new
            msg("b2", "2026-03-02 10:02:59", "customer"),  # 23:59:59 later: same
            msg("c1", "2026-03-03 10:03:00", "customer"),  # 24 h + 1 s after b2: new
            msg("x1", "2026-03-01 10:00:00", "customer", channel="facebook"),  # other thread
            msg("g1", "2026-03-01 09:00:00", "customer", conversation_id="GIVEN"),
        ],
    )
    rebuild(client)
    got = dict(rows(client, "SELECT event_id, conversation_id FROM d_messages"))
    assert got == {
        "a1": "auto:a1",
        "a2": "auto:a1",
        "a3": "auto:a1",
        "a4": "auto:a1",
        "b1": "auto:b1",
        "b2": "auto:b1",
        "c1": "auto:c1",
        "x1": "auto:x1",
        "g1": "GIVEN",
    }


def test_idle_gap_of_exactly_24h_keeps_the_conversation(client: Client) -> None:
    put(
        client,
        "messages",
        [msg("a", "2026-03-01 10:00:00", "customer"), msg("b", "2026-03-02 10:00:00", "customer")],
    )
    rebuild(client)
    assert {r[0] for r in rows(client, "SELECT conversation_id FROM d_messages")} == {"auto:a"}


def test_rounds_human_start_and_staff(client: Client) -> None:
    put(
        client,
        "messages",
        [
            msg("1", "2026-03-01 10:00:00", "customer", conversation_id="C"),
            msg("2", "2026-03-01 10:00:05", "bot", conversation_id="C"),
            msg("3", "2026-03-01 10:00:20", "customer", conversation_id="C"),
            msg("4", "2026-03-01 10:00:25", "bot", conversation_id="C"),
            msg("5", "2026-03-01 10:01:00", "system", kind="handoff", conversation_id="C"),
            msg("6", "2026-03-01 10:01:30", "customer", conversation_id="C"),
            msg("7", "2026-03-01 10:03:00", "agent", staff_id="amy", conversation_id="C"),
            msg("8", "2026-03-01 10:05:00", "customer", conversation_id="C"),
            msg("9", "2026-03-01 10:06:00", "agent", staff_id="bob", conversation_id="C"),
            msg("10", "2026-03-01 10:07:00", "customer", conversation_id="C"),
        ],
    )
    rebuild(client)
    conv = rows(
        client,
        "SELECT is_human, staff_id, human_start, n_rounds, n_human_rounds FROM d_conversations",
    )
    assert [(c[0], c[1], str(c[2]), c[3], c[4]) for c in conv] == [
        (True, "amy", "2026-03-01 10:01:00", 3, 3)
    ]
    got = rows(
        client,
        "SELECT round_no, effective_start, reply_ts, reply_staff_id, response_s, is_human "
        "FROM d_rounds ORDER BY round_no",
    )
    # bot and system rows are ignored: customer 1, 3, 6 form one run replied by 7;
    # effective start = max(first ts 10:00:00, H 10:01:00) -> 120 s.
    assert [(r[0], str(r[1]), str(r[2]), r[3], r[4], r[5]) for r in got] == [
        (1, "2026-03-01 10:01:00", "2026-03-01 10:03:00", "amy", 120, True),
        (2, "2026-03-01 10:05:00", "2026-03-01 10:06:00", "bob", 60, True),
        (3, "2026-03-01 10:07:00", "None", None, None, True),
    ]


def test_bot_only_conversation_is_not_human_and_customer_only_is(client: Client) -> None:
    put(
        client,
        "messages",
        [
            msg("b1", "2026-03-01 10:00:00", "customer", conversation_id="BOT"),
            msg("b2", "2026-03-01 10:00:01", "bot", conversation_id="BOT"),
            msg("c1", "2026-03-01 11:00:00", "customer", conversation_id="WAIT"),
        ],
    )
    rebuild(client)
    got = dict(rows(client, "SELECT conversation_id, is_human FROM d_conversations"))
    assert got == {"BOT": False, "WAIT": True}


def test_round_answered_before_handoff_is_not_human(client: Client) -> None:
    put(
        client,
        "messages",
        [
            msg("1", "2026-03-01 10:00:00", "customer", conversation_id="C"),
            msg("2", "2026-03-01 10:00:10", "agent", staff_id="amy", conversation_id="C"),
            msg("3", "2026-03-01 10:01:00", "bot", conversation_id="C"),
            msg("4", "2026-03-01 10:02:00", "system", kind="handoff", conversation_id="C"),
            msg("5", "2026-03-01 10:03:00", "customer", conversation_id="C"),
            msg("6", "2026-03-01 10:03:40", "agent", staff_id="bob", conversation_id="C"),
        ],
    )
    rebuild(client)
    got = rows(client, "SELECT round_no, is_human, response_s FROM d_rounds ORDER BY round_no")
    assert [(r[0], r[1], r[2]) for r in got] == [(1, False, -110), (2, True, 40)]
    staff = rows(client, "SELECT staff_id FROM d_conversations")
    assert staff == [("bob",)]  # first agent message at or after H


def test_order_staff_attribution(client: Client) -> None:
    put(
        client,
        "messages",
        [
            msg("1", "2026-03-01 10:00:00", "customer", conversation_id="C"),
            msg("2", "2026-03-01 10:01:00", "agent", staff_id="amy", conversation_id="C"),
            msg("3", "2026-03-01 10:02:00", "agent", staff_id="bob", conversation_id="C"),
            msg("4", "2026-03-01 10:09:00", "agent", staff_id="cat", conversation_id="C"),
        ],
    )
    base = {"shop_id": "s", "currency": "TWD", "amount": 10, "source": "message_center"}
    put(
        client,
        "orders",
        [
            {
                **base,
                "order_id": "own",
                "created_at": "2026-03-01 10:05:00",
                "staff_id": "dan",
                "conversation_id": "C",
            },
            {
                **base,
                "order_id": "conv",
                "created_at": "2026-03-01 10:05:00",
                "conversation_id": "C",
            },
            {
                **base,
                "order_id": "tie",
                "created_at": "2026-03-01 10:02:00",
                "conversation_id": "C",
            },  # strictly before: bob's message at 10:02 does not count
            {**base, "order_id": "none", "created_at": "2026-03-01 10:05:00"},
        ],
    )
    rebuild(client)
    got = dict(rows(client, "SELECT order_id, attributed_staff_id FROM d_orders"))
    assert got == {"own": "dan", "conv": "bob", "tie": "amy", "none": None}


def test_response_seconds_are_exact_to_the_millisecond(client: Client) -> None:
    put(
        client,
        "messages",
        [
            msg("1", "2026-03-01 10:00:00.123456", "customer", conversation_id="C"),
            msg("2", "2026-03-01 10:21:14.135456", "agent", staff_id="amy", conversation_id="C"),
        ],
    )
    rebuild(client)
    assert rows(client, "SELECT response_s FROM d_rounds") == [(1274.012,)]
