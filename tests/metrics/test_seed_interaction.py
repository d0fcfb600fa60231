"""Section 1 and 2 metrics on seeds/interaction, expected values derived by hand.

taipei_shop (Asia/Taipei, +08:00, no DST). Local times; [notation] where not +08:00:
  c1 line U_amy(=cust_amy)  e101 cust 3/28 23:50 [naive]  e102 agent s_lin 3/29 00:05
                            [16:05Z 3/28]  e103 cust 3/29 00:10      -> crosses midnight
  c2 facebook fb_bob        e201 cust 3/29 10:00 P1, e202 bot (P1), e203 cust, e204 bot
                                                                     -> bot-only, NOT human
  c3 line U_cat             e301 cust 11:00 P2, e302 bot, e303 cust 11:02, e304 handoff
                            11:02:30, e305 agent s_wang 11:05, e306 cust, e307 agent s_wang,
                            e308 close                               -> human, staff s_wang
  c4 instagram ig_dan       e401 cust 3/30 09:00, e402 cust 09:01 P1 -> human, unreplied
  c5 facebook PSID_amy      e501 cust 3/30 14:00, e502 agent s_lin, e503 cust, e504 agent
     (=cust_amy)            s_wang, e505 cust P3, e506 agent s_wang (P3)
                                                          -> handed over, staff s_lin
  thread line U_eve, no conversation_id:
    e601 cust 3/28 09:00, e602 agent s_lin 3/28 09:10          -> conversation A (3/28)
    e603 cust 3/29 09:20 (24h10m idle), e604 agent s_lin, e605 close 09:30
                                                               -> conversation B (3/29)
    e606 cust 3/29 10:00 (after close), e607 agent s_wang, e608 cust 3/30 08:00
    (21h55m idle: same conversation)                           -> conversation C (3/29)
  comments: cm1 fb_fay fb post1 3/29 12:00; cm2 page reply (author=page) 3/29;
    cm3 PSID_amy fb post1 3/29 12:10; cm5 ig_dan instagram live_post1/live1 3/29 20:01;
    cm6 fb_fay fb post1 [17:00Z 3/29] = 3/30 01:00; cm4 ig_hal instagram live1 3/30 20:00
    DELETED.
  products: P1, P2 apparel; P3 shoes.

warsaw_shop (Europe/Warsaw; CET +01 until 3/29 02:00 -> CEST +02; back 10/25 03:00):
  w1 line w_ola   ew101 cust [2026-03-29T00:30+01:00] = 3/29 00:30 (UTC date 3/28)
                  ew102 agent [naive 2026-03-29 02:30, in the gap] -> 03:30 CEST (01:30Z)
                  ew103 cust [2026-03-29T22:30Z] = 3/30 00:30 CEST
  w2 line w_piotr ew201 cust [naive 3/28 23:30] = 22:30Z, ew202 agent [22:40Z] = 3/28 23:40
  thread whatsapp w_zofia, no conversation_id:
    ew301 [2026-10-24T02:45+02:00] = 10/24 00:45Z
    ew302 [naive 2026-10-25 02:30, in the overlap] -> first occurrence (CEST) = 10/25 00:30Z,
          23h45m after ew301 -> SAME conversation (second occurrence would be 24h45m: new)
    ew303 [2026-10-25T22:30Z] = 10/25 23:30 CET (22 h later: same conversation)
  w3 facebook w_ewa  10/26 10:00 cust, bot, 10:01 handoff, no agent -> human (handoff),
                     unreplied, staff none
  w4 facebook w_jan  10/26 11:00 cust, bot, 11:02 agent s_nowak, no handoff -> human
                     (agent), staff s_nowak
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import socialscope
from tests.metrics.conftest import SEEDS, Seed

TP = {"shop": "taipei_shop"}
WA = {"shop": "warsaw_shop"}
D28, D29, D30 = date(2026, 3, 28), date(2026, 3, 29), date(2026, 3, 30)
RANGE = {"date_from": "2026-03-28", "date_to": "2026-03-30"}


def test_import_has_no_quarantined_rows(interaction):
    report = interaction.report
    q = getattr(report, "quarantined", None)
    if isinstance(q, dict):
        q = sum(q.values())
    assert q in (0, None), report


# ---------------------------------------------------------------- conversations


def test_conversations_by_date(interaction):
    idx = interaction.index(["conversations", "human_conversations"], ["date"], **TP, **RANGE)
    assert set(idx) == {D28, D29, D30}  # every bucket of the range
    # 3/28: c1 (first event e101 3/28 23:50, though most of it is on 3/29), A (e601)
    # 3/29: c2, c3, B (split by 24h10m idle), C (split by the close) = 4
    # 3/30: c4, c5 = 2
    assert [idx[d]["conversations"] for d in (D28, D29, D30)] == [2, 4, 2]
    # human = all but the bot-only c2: 3/28: c1, A; 3/29: c3, B, C; 3/30: c4 (customer
    # only is human), c5
    assert [idx[d]["human_conversations"] for d in (D28, D29, D30)] == [2, 3, 2]


def test_conversations_total_and_by_channel(interaction):
    tot = interaction.total(["conversations", "human_conversations"], **TP, **RANGE)
    assert tot["conversations"] == 8  # c1..c5 + A, B, C
    assert tot["human_conversations"] == 7  # minus bot-only c2
    assert isinstance(tot["conversations"], int)
    idx = interaction.index(["conversations", "human_conversations"], ["channel"], **TP, **RANGE)
    # line: c1, c3, A, B, C; facebook: c2, c5; instagram: c4
    assert interaction.cell(idx, "line", "conversations") == 5
    assert interaction.cell(idx, "facebook", "conversations") == 2
    assert interaction.cell(idx, "instagram", "conversations") == 1
    assert interaction.cell(idx, "line", "human_conversations") == 5
    assert interaction.cell(idx, "facebook", "human_conversations") == 1  # c5 only
    assert interaction.cell(idx, "instagram", "human_conversations") == 1


def test_conversations_by_date_and_channel(interaction):
    idx = interaction.index(["conversations"], ["date", "channel"], **TP, **RANGE)
    c = interaction.cell
    assert c(idx, (D28, "line"), "conversations") == 2  # c1, A
    assert c(idx, (D29, "line"), "conversations") == 3  # c3, B, C
    assert c(idx, (D29, "facebook"), "conversations") == 1  # c2
    assert c(idx, (D30, "facebook"), "conversations") == 1  # c5
    assert c(idx, (D30, "instagram"), "conversations") == 1  # c4
    assert c(idx, (D30, "line"), "conversations") == 0  # e608 belongs to C (3/29)
    assert sum(r["conversations"] for r in idx.values()) == 8


def test_auto_split_thread_only(interaction):
    # Only U_eve's line thread has no conversation_id; filtering to line on 3/29 isolates
    # c3 + B + C. If the close were ignored B and C would merge (2); if the 24 h idle rule
    # were ignored A and B would merge and 3/29 would hold only c3 + C.
    idx = interaction.index(["conversations"], ["date"], **TP, **RANGE, where={"channel": ["line"]})
    assert [idx[d]["conversations"] for d in (D28, D29, D30)] == [2, 3, 0]


def test_human_conversations_by_staff(interaction):
    idx = interaction.index(["human_conversations"], ["staff_id"], **TP, **RANGE)
    # conversation's staff = first agent message at or after H (first handoff, else first
    # event): c1 s_lin (e102); c3 H=e304 -> s_wang (e305); c4 none; c5 s_lin (e502,
    # although s_wang took over); A s_lin (e602); B s_lin (e604); C s_wang (e607)
    assert interaction.cell(idx, "s_lin", "human_conversations") == 4  # c1, c5, A, B
    assert interaction.cell(idx, "s_wang", "human_conversations") == 2  # c3, C
    assert interaction.cell(idx, None, "human_conversations") == 1  # c4 (unreplied)


# ---------------------------------------------------------------- messages


def test_inbound_outbound_by_date(interaction):
    idx = interaction.index(["inbound_messages", "outbound_messages"], ["date"], **TP, **RANGE)
    # customer rows of kind message, dated by their own local time:
    # 3/28: e101, e601 = 2
    # 3/29: e103 (00:10, c1 after midnight), e201, e203, e301, e303, e306, e603, e606 = 8
    # 3/30: e401, e402, e501, e503, e505, e608 = 6
    assert [idx[d]["inbound_messages"] for d in (D28, D29, D30)] == [2, 8, 6]
    # agent + bot rows of kind message (handoff/close rows excluded):
    # 3/28: e602 = 1
    # 3/29: e102 (00:05 local; UTC date would be 3/28), e202, e204, e302, e305, e307,
    #       e604, e607 = 8
    # 3/30: e502, e504, e506 = 3
    assert [idx[d]["outbound_messages"] for d in (D28, D29, D30)] == [1, 8, 3]


def test_messages_by_channel_and_sender(interaction):
    idx = interaction.index(["inbound_messages", "outbound_messages"], ["channel"], **TP, **RANGE)
    c = interaction.cell
    # inbound line: e101 e103 e301 e303 e306 e601 e603 e606 e608 = 9
    # facebook: e201 e203 e501 e503 e505 = 5; instagram: e401 e402 = 2
    assert c(idx, "line", "inbound_messages") == 9
    assert c(idx, "facebook", "inbound_messages") == 5
    assert c(idx, "instagram", "inbound_messages") == 2
    # outbound line: e102 e302 e305 e307 e602 e604 e607 = 7
    # facebook: e202 e204 e502 e504 e506 = 5; instagram: none
    assert c(idx, "line", "outbound_messages") == 7
    assert c(idx, "facebook", "outbound_messages") == 5
    assert c(idx, "instagram", "outbound_messages") == 0
    by_sender = interaction.index(["outbound_messages"], ["sender"], **TP, **RANGE)
    # agent: e102 e305 e307 e502 e504 e506 e602 e604 e607 = 9; bot: e202 e204 e302 = 3
    assert c(by_sender, "agent", "outbound_messages") == 9
    assert c(by_sender, "bot", "outbound_messages") == 3
    assert c(by_sender, "customer", "outbound_messages") == 0
    assert c(by_sender, "system", "outbound_messages") == 0


# ---------------------------------------------------------------- customers


def test_inquiring_and_served_customers_by_date(interaction):
    idx = interaction.index(["inquiring_customers", "served_customers"], ["date"], **TP, **RANGE)
    # inquiring (customer message that day; U_amy and PSID_amy are one person, cust_amy):
    # 3/28: amy, eve = 2; 3/29: amy (e103), bob, cat, eve = 4; 3/30: dan, amy (e501), eve = 3
    assert [idx[d]["inquiring_customers"] for d in (D28, D29, D30)] == [2, 4, 3]
    # served (agent message that day): 3/28: eve (e602); 3/29: amy (e102), cat, eve;
    # 3/30: amy (c5)
    assert [idx[d]["served_customers"] for d in (D28, D29, D30)] == [1, 3, 1]


def test_distinct_customers_over_whole_slice(interaction):
    tot = interaction.total(["inquiring_customers", "served_customers"], **TP, **RANGE)
    # distinct over the 3 days, never a sum of daily distincts (2+4+3 = 9):
    # amy, bob, cat, dan, eve = 5 (amy once although on line and facebook)
    assert tot["inquiring_customers"] == 5
    assert tot["served_customers"] == 3  # amy, cat, eve (1+3+1 = 5 if summed)
    idx = interaction.index(["inquiring_customers", "served_customers"], ["channel"], **TP, **RANGE)
    c = interaction.cell
    assert c(idx, "line", "inquiring_customers") == 3  # amy, cat, eve
    assert c(idx, "facebook", "inquiring_customers") == 2  # bob, amy
    assert c(idx, "instagram", "inquiring_customers") == 1  # dan
    assert c(idx, "line", "served_customers") == 3  # amy (e102), cat, eve
    assert c(idx, "facebook", "served_customers") == 1  # amy (c5); c2 had bots only
    assert c(idx, "instagram", "served_customers") == 0


def test_served_customers_by_staff(interaction):
    idx = interaction.index(["served_customers"], ["staff_id"], **TP, **RANGE)
    # s_lin: e102 amy, e502 amy, e602 eve, e604 eve -> {amy, eve}
    # s_wang: e305/e307 cat, e504/e506 amy, e607 eve -> {cat, amy, eve}
    assert interaction.cell(idx, "s_lin", "served_customers") == 2
    assert interaction.cell(idx, "s_wang", "served_customers") == 3


def test_interacting_users(interaction):
    idx = interaction.index(["interacting_users"], ["date"], **TP, **RANGE)
    # customer messages or non-deleted customer comments, identities resolved:
    # 3/28: amy (e101), eve (e601) = 2
    # 3/29: msgs amy, bob, cat, eve + comments fay (cm1), amy (cm3 PSID_amy), dan (cm5) = 6
    # 3/30: msgs dan, amy, eve + comment fay (cm6, 17:00Z 3/29 = 01:00 3/30);
    #       hal's only comment (cm4) is deleted; page reply cm2 is not a customer = 4
    assert [idx[d]["interacting_users"] for d in (D28, D29, D30)] == [2, 6, 4]
    tot = interaction.total(["interacting_users"], **TP, **RANGE)
    # amy, bob, cat, dan, eve, fay = 6 (7 if U_amy and PSID_amy were two people)
    assert tot["interacting_users"] == 6
    ch = interaction.index(["interacting_users"], ["channel"], **TP, **RANGE)
    c = interaction.cell
    assert c(ch, "line", "interacting_users") == 3  # amy, cat, eve
    assert c(ch, "facebook", "interacting_users") == 3  # bob, amy, fay (page excluded)
    assert c(ch, "instagram", "interacting_users") == 1  # dan (hal deleted)


# ---------------------------------------------------------------- comments


def test_comments_received_excluding_page_replies(interaction):
    day = {"date_from": "2026-03-29", "date_to": "2026-03-29"}
    # 3/29 customer comments: cm1, cm3, cm5 (none deleted); the page reply cm2 does not count
    assert interaction.total(["comments_received"], **TP, **day)["comments_received"] == 3
    ch = interaction.index(["comments_received"], ["channel"], **TP, **day)
    assert interaction.cell(ch, "facebook", "comments_received") == 2  # cm1, cm3
    assert interaction.cell(ch, "instagram", "comments_received") == 1  # cm5
    post = interaction.index(["comments_received"], ["post_id"], **TP, **day)
    assert interaction.cell(post, "post1", "comments_received") == 2
    assert interaction.cell(post, "live_post1", "comments_received") == 1
    live = interaction.index(["comments_received"], ["live_id"], **TP, **day)
    assert interaction.cell(live, "live1", "comments_received") == 1
    assert interaction.cell(live, None, "comments_received") == 2


def test_comments_received_counts_deleted_comments(interaction):
    # READING (ambiguous in METRICS.md): comments_received = "customer comments in the
    # period", with no "not deleted" qualifier, while interacting_users says explicitly
    # "(author=customer, not deleted)". Read literally, a comment that was received and
    # later deleted still counts as received. 3/30: cm6 (fay) + cm4 (hal, deleted) = 2.
    day = {"date_from": "2026-03-30", "date_to": "2026-03-30"}
    assert interaction.total(["comments_received"], **TP, **day)["comments_received"] == 2


# ---------------------------------------------------------------- products


def test_product_inquiries(interaction):
    # customer messages with a product_id: e201 P1, e301 P2 (3/29), e402 P1, e505 P3 (3/30).
    # Not counted: bot e202 (P1) and agent e506 (P3) mention products but are not customers.
    assert interaction.total(["product_inquiries"], **TP, **RANGE)["product_inquiries"] == 4
    by_p = interaction.index(["product_inquiries"], ["product_id"], **TP, **RANGE)
    assert interaction.cell(by_p, "P1", "product_inquiries") == 2
    assert interaction.cell(by_p, "P2", "product_inquiries") == 1
    assert interaction.cell(by_p, "P3", "product_inquiries") == 1
    by_cat = interaction.index(["product_inquiries"], ["category"], **TP, **RANGE)
    assert interaction.cell(by_cat, "apparel", "product_inquiries") == 3  # P1 x2 + P2
    assert interaction.cell(by_cat, "shoes", "product_inquiries") == 1  # P3
    by_date = interaction.index(["product_inquiries"], ["date"], **TP, **RANGE)
    assert [by_date[d]["product_inquiries"] for d in (D28, D29, D30)] == [0, 2, 2]


# ---------------------------------------------------------------- time zones and DST


def test_warsaw_local_dates_around_spring_dst(interaction):
    idx = interaction.index(
        ["conversations", "inbound_messages", "outbound_messages"], ["date"], **WA, **RANGE
    )
    # w2 starts at naive 3/28 23:30 (read in Warsaw: 3/28; read as UTC it would be 3/29
    # 00:30 local); w1 starts at 00:30+01:00 on 3/29 (UTC date 3/28)
    assert [idx[d]["conversations"] for d in (D28, D29, D30)] == [1, 1, 0]
    # inbound: ew201 (3/28), ew101 (3/29), ew103 (22:30Z 3/29 = 00:30 CEST 3/30; with a
    # stale +01:00 offset it would be 23:30 on 3/29)
    assert [idx[d]["inbound_messages"] for d in (D28, D29, D30)] == [1, 1, 1]
    # outbound: ew202 (22:40Z = 23:40 CET 3/28), ew102 (03:30 CEST 3/29)
    assert [idx[d]["outbound_messages"] for d in (D28, D29, D30)] == [1, 1, 0]


def test_warsaw_naive_time_in_dst_gap_by_hour(interaction):
    rows = interaction.rows(
        ["outbound_messages", "inbound_messages"],
        ["hour"],
        **WA,
        date_from="2026-03-29",
        date_to="2026-03-29",
    )
    hours = {interaction.local_naive(r["hour"], "Europe/Warsaw"): r for r in rows}
    # naive 2026-03-29 02:30 does not exist in Warsaw; SCHEMA: shifted forward by the gap
    # -> 03:30 CEST (01:30Z) -> local hour bucket 03:00
    assert hours[datetime(2026, 3, 29, 3)]["outbound_messages"] == 1
    # ew101 at 00:30 CET -> hour 00:00
    assert hours[datetime(2026, 3, 29, 0)]["inbound_messages"] == 1
    assert sum(r["outbound_messages"] for r in rows) == 1
    assert sum(r["inbound_messages"] for r in rows) == 1
    # nothing may land in the non-existent local hour 02:00
    gap = hours.get(datetime(2026, 3, 29, 2))
    assert gap is None or gap["outbound_messages"] == 0


def test_warsaw_hour_buckets_on_spring_dst_day(interaction):
    # READING: "every bucket of the range appears" -> every local hour that exists; on
    # 2026-03-29 Warsaw has 23 local hours (02:00-02:59 does not exist).
    rows = interaction.rows(
        ["inbound_messages"], ["hour"], **WA, date_from="2026-03-29", date_to="2026-03-29"
    )
    hours = sorted(interaction.local_naive(r["hour"], "Europe/Warsaw") for r in rows)
    expected = [datetime(2026, 3, 29, h) for h in range(24) if h != 2]
    assert hours == expected


def test_warsaw_naive_time_in_dst_overlap_takes_first_occurrence(interaction):
    idx = interaction.index(
        ["conversations", "inbound_messages"],
        ["date"],
        **WA,
        date_from="2026-10-24",
        date_to="2026-10-26",
    )
    d24, d25, d26 = date(2026, 10, 24), date(2026, 10, 25), date(2026, 10, 26)
    # ew302 naive 10/25 02:30 -> first occurrence 02:30 CEST = 00:30Z, 23h45m after ew301
    # (10/24 00:45Z): same engine-assigned conversation, dated 10/24. (The second
    # occurrence, 01:30Z, would be 24h45m later and open a conversation on 10/25.)
    # 10/26: w3, w4
    assert [idx[d]["conversations"] for d in (d24, d25, d26)] == [1, 0, 2]
    # ew303 22:30Z = 23:30 CET on 10/25 (with a stale +02:00 offset it would be 10/26);
    # 10/26: ew401, ew501
    assert [idx[d]["inbound_messages"] for d in (d24, d25, d26)] == [1, 2, 2]


# ---------------------------------------------------------------- shops


def test_by_shop_id_whole_range(interaction):
    idx = interaction.index(["conversations", "inbound_messages"], ["shop_id"])
    # taipei: c1..c5, A, B, C = 8; warsaw: w1, w2, zofia's thread, w3, w4 = 5
    assert idx["taipei_shop"]["conversations"] == 8
    assert idx["warsaw_shop"]["conversations"] == 5
    # inbound: taipei 2+8+6 = 16; warsaw ew101 ew103 ew201 ew301 ew302 ew303 ew401 ew501
    assert idx["taipei_shop"]["inbound_messages"] == 16
    assert idx["warsaw_shop"]["inbound_messages"] == 8


def test_shop_required_when_store_holds_several(interaction):
    with pytest.raises(socialscope.QueryError):
        interaction.query(["conversations"], ["date"], **RANGE)


# ---------------------------------------------------------------- params and filters


def _with_idle_hours(tmp_path: Any, hours: float) -> Seed:
    """A fresh store holding the interaction seed with another conversation idle gap."""
    client = socialscope.connect(tmp_path / "idle.duckdb")
    client.ingest([SEEDS / "interaction"])
    client.set_setting("conversation_idle_h", hours)
    return Seed(client, None, tmp_path / "idle.duckdb")


def test_idle_hours_setting_48(tmp_path: Any) -> None:
    seed = _with_idle_hours(tmp_path, 48)
    idx = seed.index(["conversations"], ["date"], **TP, **RANGE)
    # with a 48 h idle gap, e603 (24h10m after e602) stays in A; the close still splits
    # C off; e608 (21h55m) stays in C: 3/28: c1, A; 3/29: c2, c3, C; 3/30: c4, c5
    assert [idx[d]["conversations"] for d in (D28, D29, D30)] == [2, 3, 2]
    seed.client.close()


def test_idle_hours_setting_12(tmp_path: Any) -> None:
    seed = _with_idle_hours(tmp_path, 12)
    idx = seed.index(["conversations", "human_conversations"], ["date"], **TP, **RANGE)
    # with 12 h, e608 (21h55m after e607) opens a 4th thread conversation D on 3/30
    # (customer-only, so human); conversations with a given conversation_id never split
    assert [idx[d]["conversations"] for d in (D28, D29, D30)] == [2, 4, 3]
    assert [idx[d]["human_conversations"] for d in (D28, D29, D30)] == [2, 3, 3]
    seed.client.close()


def test_where_with_several_values(interaction):
    row = interaction.total(
        ["conversations", "inbound_messages"],
        **TP,
        **RANGE,
        where={"channel": ["line", "instagram"]},
    )
    assert row["conversations"] == 6  # line 5 + instagram 1
    assert row["inbound_messages"] == 11  # line 9 + instagram 2


def test_warsaw_naive_time_in_dst_overlap_by_hour(interaction):
    rows = interaction.rows(
        ["inbound_messages"], ["hour"], **WA, date_from="2026-10-25", date_to="2026-10-25"
    )
    local = [(interaction.local_naive(r["hour"], "Europe/Warsaw"), r) for r in rows]
    # ew302 naive 02:30 (first occurrence, CEST) -> 02:00 bucket; ew303 23:30 CET -> 23:00
    assert sum(r["inbound_messages"] for h, r in local if h == datetime(2026, 10, 25, 2)) == 1
    assert sum(r["inbound_messages"] for h, r in local if h == datetime(2026, 10, 25, 23)) == 1
    assert sum(r["inbound_messages"] for _, r in local) == 2
    # if the engine returns aware hours, the 02:00 message is in the CEST (first) one
    aware = [
        r["hour"]
        for r in rows
        if r["inbound_messages"]
        and isinstance(r["hour"], datetime)
        and r["hour"].tzinfo is not None
        and r["hour"].astimezone(ZoneInfo("Europe/Warsaw")).hour == 2
    ]
    assert all(h.utcoffset() == timedelta(hours=2) for h in aware)


def test_handoff_without_agent_and_agent_without_handoff_are_human(interaction):
    day = {"date_from": "2026-10-26", "date_to": "2026-10-26"}
    tot = interaction.total(["conversations", "human_conversations"], **WA, **day)
    # w3 has a bot but also a handoff -> not bot-only; w4 has a bot but also an agent
    assert tot["conversations"] == 2
    assert tot["human_conversations"] == 2
    by_staff = interaction.index(["human_conversations"], ["staff_id"], **WA, **day)
    assert interaction.cell(by_staff, "s_nowak", "human_conversations") == 1  # w4
    assert interaction.cell(by_staff, None, "human_conversations") == 1  # w3
    by_sender = interaction.index(["outbound_messages"], ["sender"], **WA, **day)
    assert interaction.cell(by_sender, "bot", "outbound_messages") == 2  # ew402, ew502
    assert interaction.cell(by_sender, "agent", "outbound_messages") == 1  # ew503
