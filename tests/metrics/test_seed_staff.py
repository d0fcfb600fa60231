"""Staff performance and order attribution on seeds/staff, derived by hand.

taipei_shop only (Asia/Taipei +08:00). Conversations (local times):
  k1 line U_k1     04-10 10:00 cust, 10:02 agent s_lin, 10:30 cust,
                   10:40 agent s_wang, 10:50 cust, 10:55 agent s_wang     (handed over)
  k2 facebook fb_k2  04-10 11:00 cust, 11:00:05 bot, 11:01 handoff, 11:03 agent s_chen
  k3 line U_k3     04-10 12:00 cust only                                  (unreplied)
  k4 line U_k4     04-10 13:00 cust, 13:00:05 bot                         (bot-only)
  k5 instagram ig_k5 04-10 23:50 cust, [15:55Z] = 23:55 agent s_lin,
                   [naive] 04-11 00:20 cust, 04-11 00:30 agent s_chen     (crosses midnight)
  k6 facebook fb_k6  04-11 14:00 cust, 14:00:05 bot, 14:01 agent s_wang (before the
                   handoff), 14:05 handoff, 14:06 agent s_lin
Orders (TWD), attribution = staff_id, else last agent message of the conversation before
created_at, else none:
  q1 04-10 11:00  300 paid  message_center staff_id s_chen (conv k1 ignored) -> s_chen
  q2 04-10 10:35  500 paid  message_center conv k1, refund 100 on 04-12
                  agents before 10:35: s_lin 10:02 (s_wang 10:40 is after)  -> s_lin
  q3 04-11 00:25  200 unpaid message_center conv k5: s_lin 23:55 before,
                  s_chen 00:30 after                                          -> s_lin
  q4 04-10 15:00 1000 paid  web, no staff, no conversation                   -> none
  q5 04-11 20:00  400 paid  live  staff_id s_wang                            -> s_wang
  q6 04-11 21:00  250 paid  post  staff_id s_wang, refund 250 (full)         -> s_wang
  q7 04-10 16:00  900 CANCELLED staff_id s_lin                               -> excluded
  q8 04-10 12:30  150 paid  message_center conv k3 (no agent message)        -> none
  q9 04-10 11:02   60 unpaid message_center conv k2: only a bot before 11:02 -> none
  q10 04-11 14:06  90 unpaid message_center conv k6, created at the very second of
                  s_lin's 14:06 message: "before created_at" is strict, so the last agent
                  message before it is s_wang's 14:01                    -> s_wang
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

TP = {"shop": "taipei_shop"}
BOTH = {"date_from": "2026-04-10", "date_to": "2026-04-11"}
DAY10 = {"date_from": "2026-04-10", "date_to": "2026-04-10"}
DAY11 = {"date_from": "2026-04-11", "date_to": "2026-04-11"}
ORDER_METRICS = [
    "order_count",
    "sales_amount",
    "paid_order_count",
    "net_paid_amount",
    "refund_amount",
]


def test_import_has_no_quarantined_rows(staff):
    report = staff.report
    q = getattr(report, "quarantined", None)
    if isinstance(q, dict):
        q = sum(q.values())
    assert q in (0, None), report


def test_order_attribution_by_staff(staff):
    idx = staff.index(ORDER_METRICS, ["staff_id"], **TP, **BOTH)
    c = staff.cell
    # s_chen: q1 (explicit staff_id wins over its conversation k1)
    assert c(idx, "s_chen", "order_count") == 1
    assert c(idx, "s_chen", "sales_amount") == Decimal("300")
    assert c(idx, "s_chen", "net_paid_amount") == Decimal("300")
    # s_lin: q2 (via k1, last agent before 10:35) + q3 (via k5, last agent before 00:25);
    # the cancelled q7 is excluded
    assert c(idx, "s_lin", "order_count") == 2
    assert c(idx, "s_lin", "sales_amount") == Decimal("700")
    assert c(idx, "s_lin", "paid_order_count") == 1  # q3 unpaid
    assert c(idx, "s_lin", "net_paid_amount") == Decimal("400")  # 500 - 100
    assert c(idx, "s_lin", "refund_amount") == Decimal("100")
    # s_wang: q5 + q6 (explicit staff_id) + q10 (via k6: s_wang 14:01 is the last agent
    # message strictly before 14:06; s_lin's message at exactly 14:06 is not before)
    assert c(idx, "s_wang", "order_count") == 3
    assert c(idx, "s_wang", "sales_amount") == Decimal("740")  # 400 + 250 + 90
    assert c(idx, "s_wang", "paid_order_count") == 2  # q10 unpaid
    assert c(idx, "s_wang", "net_paid_amount") == Decimal("400")  # 400 + (250 - 250)
    assert c(idx, "s_wang", "refund_amount") == Decimal("250")
    # none: q4 (no staff, no conversation), q8 (conversation without agent), q9 (agent
    # message only after created_at)
    assert c(idx, None, "order_count") == 3
    assert c(idx, None, "sales_amount") == Decimal("1210")  # 1000 + 150 + 60
    assert c(idx, None, "paid_order_count") == 2
    assert c(idx, None, "net_paid_amount") == Decimal("1150")
    # every order lands in exactly one staff row
    assert sum(r["order_count"] for r in idx.values()) == 9
    assert sum(r["sales_amount"] for r in idx.values()) == Decimal("2950")


def test_order_attribution_by_staff_and_source(staff):
    idx = staff.index(["order_count", "sales_amount"], ["staff_id", "source"], **TP, **BOTH)
    c = staff.cell
    assert c(idx, ("s_chen", "message_center"), "order_count") == 1
    assert c(idx, ("s_lin", "message_center"), "sales_amount") == Decimal("700")
    assert c(idx, ("s_wang", "live"), "sales_amount") == Decimal("400")  # q5
    assert c(idx, ("s_wang", "post"), "sales_amount") == Decimal("250")  # q6
    assert c(idx, ("s_wang", "message_center"), "order_count") == 1  # q10
    assert c(idx, ("s_lin", "message_center"), "order_count") == 2  # q2, q3 (not q10)
    assert c(idx, (None, "web"), "sales_amount") == Decimal("1000")  # q4
    assert c(idx, (None, "message_center"), "order_count") == 2  # q8, q9
    assert c(idx, (None, "message_center"), "sales_amount") == Decimal("210")


def test_orders_by_date(staff):
    idx = staff.index(["order_count", "sales_amount"], ["date"], **TP, **BOTH)
    d10, d11 = date(2026, 4, 10), date(2026, 4, 11)
    # 04-10: q1 q2 q4 q8 q9 = 300+500+1000+150+60; 04-11: q3 (00:25) q5 q6 q10
    assert idx[d10]["order_count"] == 5
    assert idx[d10]["sales_amount"] == Decimal("2010")
    assert idx[d11]["order_count"] == 4
    assert idx[d11]["sales_amount"] == Decimal("940")  # 200 + 400 + 250 + 90


def test_conversations_and_human_by_staff(staff):
    tot = staff.total(["conversations", "human_conversations"], **TP, **BOTH)
    assert tot["conversations"] == 6  # k1..k6; k5 dated 04-10 (first event 23:50)
    assert tot["human_conversations"] == 5  # minus bot-only k4
    idx = staff.index(["human_conversations"], ["staff_id"], **TP, **BOTH)
    c = staff.cell
    # conversation's staff = first agent message at or after H (first handoff, else first
    # event): k1 s_lin (10:02); k2 H=11:01 -> s_chen; k3 none; k5 s_lin (23:55);
    # k6 H=14:05 -> s_lin (s_wang's 14:01 message is before H)
    assert c(idx, "s_lin", "human_conversations") == 3  # k1, k5, k6
    assert c(idx, "s_chen", "human_conversations") == 1  # k2
    assert c(idx, "s_wang", "human_conversations") == 0
    assert c(idx, None, "human_conversations") == 1  # k3


def test_conversations_handled(staff):
    idx = staff.index(["conversations_handled"], ["staff_id"], **TP, **BOTH)
    c = staff.cell
    # human conversations with >=1 agent message of that staff in the period; a hand-over
    # counts for both staff
    assert c(idx, "s_lin", "conversations_handled") == 3  # k1, k5, k6
    assert c(idx, "s_wang", "conversations_handled") == 2  # k1, k6
    assert c(idx, "s_chen", "conversations_handled") == 2  # k2, k5


def test_conversations_handled_dated_by_the_agent_message(staff):
    # "sent >=1 agent message in the period": the message's time decides, not the
    # conversation's date. k5 (dated 04-10) has s_lin on 04-10 and s_chen on 04-11.
    d10 = staff.index(["conversations_handled"], ["staff_id"], **TP, **DAY10)
    assert staff.cell(d10, "s_lin", "conversations_handled") == 2  # k1, k5 (23:55)
    assert staff.cell(d10, "s_wang", "conversations_handled") == 1  # k1
    assert staff.cell(d10, "s_chen", "conversations_handled") == 1  # k2
    d11 = staff.index(["conversations_handled"], ["staff_id"], **TP, **DAY11)
    assert staff.cell(d11, "s_lin", "conversations_handled") == 1  # k6
    assert staff.cell(d11, "s_wang", "conversations_handled") == 1  # k6 (14:01)
    assert staff.cell(d11, "s_chen", "conversations_handled") == 1  # k5 (00:30)


def test_served_customers_by_staff(staff):
    idx = staff.index(["served_customers"], ["staff_id"], **TP, **BOTH)
    c = staff.cell
    assert c(idx, "s_lin", "served_customers") == 3  # U_k1, ig_k5, fb_k6
    assert c(idx, "s_wang", "served_customers") == 2  # U_k1, fb_k6
    assert c(idx, "s_chen", "served_customers") == 2  # fb_k2, ig_k5
    # distinct over the slice: U_k1, fb_k2, ig_k5, fb_k6 (sum of staff rows would be 7)
    assert staff.total(["served_customers"], **TP, **BOTH)["served_customers"] == 4
    d11 = staff.index(["served_customers"], ["staff_id"], **TP, **DAY11)
    assert c(d11, "s_lin", "served_customers") == 1  # fb_k6
    assert c(d11, "s_chen", "served_customers") == 1  # ig_k5 (00:30)
