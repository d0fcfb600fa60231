"""Derived tables, rebuilt for the shops a load touched (METRICS.md section 1).

The mechanics every service metric shares — conversation assignment, human/bot phases,
rounds, a conversation's staff, the staff an order is attributed to, identity resolution —
are computed here once and materialised, so that reception, reply-time, the 3-minute rule
and staff performance all read the same rows. Written in Ibis so the same definitions can
run on another engine; materialised through the store's DuckDB connection.

Derived tables (all keyed by shop_id first, stored sorted by (shop_id, time)):
- d_messages: messages + resolved conversation_id + person_id (identity-resolved customer)
- d_conversations: one row per conversation (first event, human start H, is_human, staff)
- d_rounds: one row per round (customer run + the agent reply that follows it)
- d_orders: orders + attributed staff + refunds to date
- d_interactions: customer messages and customer comments, for interacting_users
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import ibis

from socialscope.store.duckdb import Store

DEFAULT_IDLE_HOURS = 24.0
IDLE_SETTING = "conversation_idle_h"

DERIVED_ORDER: dict[str, str] = {
    "d_messages": "shop_id, ts",
    "d_conversations": "shop_id, first_ts",
    "d_rounds": "shop_id, effective_start",
    "d_orders": "shop_id, created_at",
    "d_interactions": "shop_id, ts",
}
"""Derived table -> its storage order (one-shop range scans stay fast)."""


def idle_hours(store: Store) -> float:
    """The conversation idle gap, a store setting (default 24 h, SCHEMA.md messages)."""
    row = store.con.execute("SELECT value FROM _meta WHERE key = ?", [IDLE_SETTING]).fetchone()
    return float(row[0]) if row else DEFAULT_IDLE_HOURS


def _resolve_person(t: Any, identities: Any) -> Any:
    """person_id = the customer a (channel, channel identity) maps to, else the identity."""
    ids = identities.select(
        i_shop=identities.shop_id,
        i_channel=identities.channel,
        i_user=identities.channel_user_id,
        i_customer=identities.customer_id,
    )
    joined = t.left_join(
        ids,
        [t.shop_id == ids.i_shop, t.channel == ids.i_channel, t.customer_id == ids.i_user],
    )
    return joined.mutate(person_id=joined.i_customer.coalesce(joined.customer_id)).drop(
        "i_shop", "i_channel", "i_user", "i_customer"
    )


def messages_expr(messages: Any, identities: Any, idle_s: float) -> Any:
    """Messages with their conversation: given ids kept, empty ones assigned.

    A thread is (shop, channel, customer_id). A new conversation starts after `idle_s`
    without a message in the thread, or with a customer message after an explicit close.
    An assigned id is `auto:<event_id of the conversation's first event>` — stable when
    later messages arrive.
    """
    m = _resolve_person(messages, identities)
    m = m.mutate(
        conversation_id=ibis.ifelse(
            m.conversation_id.isnull() | (m.conversation_id.strip() == ""),
            ibis.null("string"),
            m.conversation_id,
        )
    )
    given = m.filter(m.conversation_id.notnull())
    todo = m.filter(m.conversation_id.isnull())

    thread = ["shop_id", "channel", "customer_id"]
    order = ["ts", "event_id"]
    w = ibis.window(group_by=thread, order_by=order)
    epoch = todo.ts.epoch_seconds()
    s1 = todo.mutate(
        _gap=(epoch - epoch.lag().over(w)),
        _pos=ibis.row_number().over(w),
    )
    s1 = s1.mutate(_seg_break=ibis.ifelse(s1._gap.isnull() | (s1._gap > idle_s), 1, 0))
    w1 = ibis.window(group_by=thread, order_by=order, rows=(None, 0))
    s2 = s1.mutate(_seg=s1._seg_break.sum().over(w1))
    before = ibis.window(group_by=[*thread, "_seg"], order_by=order, rows=(None, -1))
    s3 = s2.mutate(
        _last_close=ibis.ifelse(s2.kind == "close", s2._pos, ibis.null("int64")).max().over(before),
        _last_cust=ibis.ifelse(s2.sender == "customer", s2._pos, ibis.null("int64"))
        .max()
        .over(before),
    )
    starts_after_close = (
        (s3.sender == "customer")
        & s3._last_close.notnull()
        & (s3._last_cust.isnull() | (s3._last_close > s3._last_cust))
    )
    s4 = s3.mutate(_start=ibis.ifelse((s3._seg_break == 1) | starts_after_close, 1, 0))
    w4 = ibis.window(group_by=thread, order_by=order, rows=(None, 0))
    s5 = s4.mutate(_conv=s4._start.sum().over(w4))
    wc = ibis.window(group_by=[*thread, "_conv"], order_by=order)
    s6 = s5.mutate(conversation_id="auto:" + s5.event_id.first().over(wc))
    assigned = s6.drop(
        "_gap", "_pos", "_seg_break", "_seg", "_last_close", "_last_cust", "_start", "_conv"
    )
    cols = [
        "shop_id",
        "event_id",
        "channel",
        "conversation_id",
        "customer_id",
        "person_id",
        "ts",
        "ts_local",
        "sender",
        "staff_id",
        "kind",
        "message_type",
        "product_id",
    ]
    return given.select(*cols).union(assigned.select(*cols))


def conversations_and_rounds(dm: Any) -> tuple[Any, Any]:
    """d_conversations and d_rounds from d_messages (METRICS.md section 1)."""
    conv_key = [dm.shop_id, dm.conversation_id]
    ordered = ibis.window(group_by=conv_key, order_by=[dm.ts, dm.event_id])
    first = dm.mutate(_rn=ibis.row_number().over(ordered))
    head = first.filter(first._rn == 0).select(
        "shop_id",
        "conversation_id",
        "channel",
        "customer_id",
        "person_id",
        first_ts=first.ts,
        first_ts_local=first.ts_local,
    )
    handoffs = dm.filter(dm.kind == "handoff")
    first_handoff = handoffs.mutate(
        _rn=ibis.row_number().over(
            group_by=[handoffs.shop_id, handoffs.conversation_id],
            order_by=[handoffs.ts, handoffs.event_id],
        )
    )
    first_handoff = first_handoff.filter(first_handoff._rn == 0).select(
        h_shop=first_handoff.shop_id,
        h_conv=first_handoff.conversation_id,
        handoff_ts=first_handoff.ts,
        handoff_ts_local=first_handoff.ts_local,
    )
    stats = (
        dm.group_by("shop_id", "conversation_id")
        .agg(
            last_ts=dm.ts.max(),
            n_events=dm.count(),
            n_bot=(dm.sender == "bot").sum(),
            n_agent=((dm.sender == "agent") & (dm.kind == "message")).sum(),
            n_customer=((dm.sender == "customer") & (dm.kind == "message")).sum(),
        )
        .rename(s_shop="shop_id", s_conv="conversation_id")
    )
    conv = head.join(stats, [head.shop_id == stats.s_shop, head.conversation_id == stats.s_conv])
    conv = conv.left_join(
        first_handoff,
        [conv.shop_id == first_handoff.h_shop, conv.conversation_id == first_handoff.h_conv],
    )
    conv = conv.mutate(
        human_start=conv.handoff_ts.coalesce(conv.first_ts),
        human_start_local=conv.handoff_ts_local.coalesce(conv.first_ts_local),
        is_human=~((conv.n_bot > 0) & conv.handoff_ts.isnull() & (conv.n_agent == 0)),
        has_agent_message=conv.n_agent > 0,
    ).drop("s_shop", "s_conv", "h_shop", "h_conv", "handoff_ts_local")

    # The conversation's staff: staff_id of the first agent message at or after H.
    hs = conv.select(k_shop=conv.shop_id, k_conv=conv.conversation_id, k_h=conv.human_start)
    agents = dm.filter((dm.sender == "agent") & (dm.kind == "message"))
    agents = agents.join(hs, [agents.shop_id == hs.k_shop, agents.conversation_id == hs.k_conv])
    agents = agents.filter(agents.ts >= agents.k_h)
    agents = agents.mutate(
        _rn=ibis.row_number().over(
            group_by=[agents.shop_id, agents.conversation_id],
            order_by=[agents.ts, agents.event_id],
        )
    )
    conv_staff = agents.filter(agents._rn == 0).select(
        c_shop=agents.shop_id, c_conv=agents.conversation_id, staff_id=agents.staff_id
    )
    conv = conv.left_join(
        conv_staff, [conv.shop_id == conv_staff.c_shop, conv.conversation_id == conv_staff.c_conv]
    ).drop("c_shop", "c_conv")

    # Rounds: maximal runs of customer messages and the agent message right after.
    ca = dm.filter(dm.sender.isin(["customer", "agent"]) & (dm.kind == "message"))
    w = ibis.window(group_by=[ca.shop_id, ca.conversation_id], order_by=[ca.ts, ca.event_id])
    r1 = ca.mutate(
        _prev=ca.sender.lag().over(w),
        _next=ca.sender.lead().over(w),
        _next_ts=ca.ts.lead().over(w),
        _next_ts_local=ca.ts_local.lead().over(w),
        _next_staff=ca.staff_id.lead().over(w),
    )
    r1 = r1.mutate(
        _run_start=ibis.ifelse(
            (r1.sender == "customer") & (r1._prev.isnull() | (r1._prev != "customer")), 1, 0
        )
    )
    wr = ibis.window(
        group_by=[r1.shop_id, r1.conversation_id], order_by=[r1.ts, r1.event_id], rows=(None, 0)
    )
    r2 = r1.mutate(round_no=r1._run_start.sum().over(wr))
    cust = r2.filter(r2.sender == "customer")
    replied = cust._next == "agent"
    rounds = cust.group_by("shop_id", "conversation_id", "round_no").agg(
        first_ts=cust.ts.min(),
        first_ts_local=cust.ts_local.min(),
        n_messages=cust.count(),
        reply_ts=ibis.ifelse(replied, cust._next_ts, ibis.null("timestamp")).max(),
        reply_ts_local=ibis.ifelse(replied, cust._next_ts_local, ibis.null("timestamp")).max(),
        reply_staff_id=ibis.ifelse(replied, cust._next_staff, ibis.null("string")).max(),
    )
    cinfo = conv.select(
        j_shop=conv.shop_id,
        j_conv=conv.conversation_id,
        channel=conv.channel,
        person_id=conv.person_id,
        conv_staff_id=conv.staff_id,
        human_start=conv.human_start,
        human_start_local=conv.human_start_local,
        conv_is_human=conv.is_human,
    )
    rounds = rounds.join(
        cinfo, [rounds.shop_id == cinfo.j_shop, rounds.conversation_id == cinfo.j_conv]
    )
    late_start = rounds.human_start > rounds.first_ts
    rounds = rounds.mutate(
        effective_start=ibis.ifelse(late_start, rounds.human_start, rounds.first_ts),
        effective_start_local=ibis.ifelse(
            late_start, rounds.human_start_local, rounds.first_ts_local
        ),
        is_human=rounds.conv_is_human
        & (rounds.reply_ts.isnull() | (rounds.reply_ts >= rounds.human_start)),
    )
    rounds = rounds.mutate(
        response_s=ibis.ifelse(
            rounds.reply_ts.notnull(),
            rounds.reply_ts.epoch_seconds() - rounds.effective_start.epoch_seconds(),
            ibis.null("int64"),
        )
    ).drop("j_shop", "j_conv", "conv_is_human")

    n_rounds = rounds.group_by(q_shop=rounds.shop_id, q_conv=rounds.conversation_id).agg(
        n_rounds=rounds.count(), n_human_rounds=rounds.is_human.sum()
    )
    conv = conv.left_join(
        n_rounds, [conv.shop_id == n_rounds.q_shop, conv.conversation_id == n_rounds.q_conv]
    ).drop("q_shop", "q_conv")
    conv = conv.mutate(
        n_rounds=conv.n_rounds.coalesce(0), n_human_rounds=conv.n_human_rounds.coalesce(0)
    )
    return conv, rounds


def orders_expr(orders: Any, refunds: Any, dm: Any) -> Any:
    """Orders with refunds to date and the staff they are attributed to (section 4).

    Attribution: the order's staff_id; else, with a conversation_id, the staff of the
    last agent message in that conversation before created_at; else none.
    """
    ref = refunds.group_by(r_shop=refunds.shop_id, r_order=refunds.order_id).agg(
        refunded_amount=refunds.amount.sum(), n_refunds=refunds.count()
    )
    o = orders.left_join(ref, [orders.shop_id == ref.r_shop, orders.order_id == ref.r_order])
    o = o.drop("r_shop", "r_order")
    agents = dm.filter((dm.sender == "agent") & (dm.kind == "message")).select(
        a_shop=dm.shop_id,
        a_conv=dm.conversation_id,
        a_ts=dm.ts,
        a_event=dm.event_id,
        a_staff=dm.staff_id,
    )
    linked = o.filter(o.conversation_id.notnull()).select(
        l_shop=o.shop_id, l_order=o.order_id, l_conv=o.conversation_id, l_created=o.created_at
    )
    cand = linked.join(
        agents,
        [
            linked.l_shop == agents.a_shop,
            linked.l_conv == agents.a_conv,
            agents.a_ts < linked.l_created,
        ],
    )
    cand = cand.mutate(
        _rn=ibis.row_number().over(
            group_by=[cand.l_shop, cand.l_order], order_by=[cand.a_ts.desc(), cand.a_event.desc()]
        )
    )
    last_agent = cand.filter(cand._rn == 0).select(
        z_shop=cand.l_shop, z_order=cand.l_order, conv_staff=cand.a_staff
    )
    o = o.left_join(last_agent, [o.shop_id == last_agent.z_shop, o.order_id == last_agent.z_order])
    return o.mutate(
        attributed_staff_id=o.staff_id.coalesce(o.conv_staff),
        refunded_amount=o.refunded_amount.coalesce(0),
        n_refunds=o.n_refunds.coalesce(0),
        is_cancelled=o.cancelled_at.notnull(),
        is_paid=o.paid_at.notnull(),
    ).drop("z_shop", "z_order", "conv_staff", "extra", "_source", "_loaded_at")


def interactions_expr(dm: Any, comments: Any, identities: Any) -> Any:
    """Customer messages and customer comments: who interacted, where and when."""
    msgs = dm.filter((dm.sender == "customer") & (dm.kind == "message")).select(
        "shop_id", "person_id", "channel", "ts", "ts_local", origin=ibis.literal("message")
    )
    c = comments.filter((comments.author == "customer") & ~comments.deleted.fill_null(False))
    c = _resolve_person(c, identities)
    com = c.select(
        "shop_id", "person_id", "channel", "ts", "ts_local", origin=ibis.literal("comment")
    )
    return msgs.union(com)


SOURCE_TABLES = frozenset({"shops", "messages", "identities", "comments", "orders", "refunds"})
"""Canonical tables the derived tables read: loading any other needs no rebuild."""

SCOPE_TABLE = "_derive_scope"
"""Shops being rebuilt. Derived SQL filters on this table instead of a literal list, so
its text never changes and is compiled once per process (compiling costs ~2 s)."""

_SQL_CACHE: dict[tuple[str, bool, float], str] = {}


def refresh(store: Store, shops: Iterable[str] | None = None) -> None:
    """Rebuild every derived table for `shops` (all shops when None), atomically."""
    shop_list = sorted(set(shops)) if shops is not None else None
    if shop_list is not None and not shop_list:
        return
    scoped = shop_list is not None and all(store.table_exists(n) for n in DERIVED_ORDER)
    idle_s = idle_hours(store) * 3600.0
    con = store.con
    own_transaction = not _in_transaction(store)
    if own_transaction:
        con.execute("BEGIN TRANSACTION")
    try:
        con.execute(f"CREATE TABLE IF NOT EXISTS {SCOPE_TABLE} (shop_id VARCHAR)")
        con.execute(f"DELETE FROM {SCOPE_TABLE}")
        if scoped:
            assert shop_list is not None
            con.executemany(f"INSERT INTO {SCOPE_TABLE} VALUES (?)", [[s] for s in shop_list])
        for name in DERIVED_ORDER:
            sql = _derived_sql(store, name, scoped, idle_s)
            order = DERIVED_ORDER[name]
            if scoped:
                con.execute(
                    f'DELETE FROM "{name}" WHERE shop_id IN (SELECT shop_id FROM {SCOPE_TABLE})'
                )
                con.execute(f'INSERT INTO "{name}" BY NAME ({sql} ORDER BY {order})')
            else:
                con.execute(f'CREATE OR REPLACE TABLE "{name}" AS {sql} ORDER BY {order}')
        con.execute(f"DELETE FROM {SCOPE_TABLE}")
        if own_transaction:
            con.execute("COMMIT")
    except BaseException:
        if own_transaction:
            con.execute("ROLLBACK")
        raise


def _in_transaction(store: Store) -> bool:
    try:
        store.con.execute("BEGIN TRANSACTION")
    except Exception:  # duckdb raises TransactionException when one is open
        return True
    store.con.execute("ROLLBACK")
    return False


def _derived_sql(store: Store, name: str, scoped: bool, idle_s: float) -> str:
    """The SELECT that builds one derived table; compiled once per process and shape."""
    key = (name, scoped, idle_s)
    if key not in _SQL_CACHE:
        _SQL_CACHE[key] = ibis.to_sql(_derived_expr(store, name, scoped, idle_s), dialect="duckdb")
    return _SQL_CACHE[key]


def _derived_expr(store: Store, name: str, scoped: bool, idle_s: float) -> Any:
    con = store.ibis

    def base(table: str) -> Any:
        t = con.table(table)
        if not scoped:
            return t
        return t.filter(t.shop_id.isin(con.table(SCOPE_TABLE).shop_id))

    if name == "d_messages":
        return messages_expr(base("messages"), base("identities"), idle_s)
    dm = base("d_messages")
    if name in ("d_conversations", "d_rounds"):
        conv, rounds = conversations_and_rounds(dm)
        return conv if name == "d_conversations" else rounds
    if name == "d_orders":
        return orders_expr(base("orders"), base("refunds"), dm)
    if name == "d_interactions":
        return interactions_expr(dm, base("comments"), base("identities"))
    raise KeyError(name)
