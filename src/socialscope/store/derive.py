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

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import ibis

from socialscope.store.duckdb import Store

DERIVED_VERSION = 3
"""Bump when a derived table's columns change: stores with another version are re-derived
on open (v2: d_rounds.is_first_human; v3: d_comment_intents)."""
DERIVED_VERSION_KEY = "derived_version"

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


def resolve_person(t: Any, identities: Any) -> Any:
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
    m = resolve_person(messages, identities)
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
            # rounded to the millisecond: a difference of two large float epochs carries
            # noise in the last digits (1274.0120000839 s)
            (rounds.reply_ts.epoch_seconds() - rounds.effective_start.epoch_seconds()).round(3),
            ibis.null("int64"),
        )
    ).drop("j_shop", "j_conv", "conv_is_human")
    # the conversation's first human round (first response time, SLA): marked here once,
    # so queries need no window over every round
    first_no = (
        ibis.ifelse(rounds.is_human, rounds.round_no, ibis.null("int64"))
        .min()
        .over(group_by=[rounds.shop_id, rounds.conversation_id])
    )
    rounds = rounds.mutate(is_first_human=(rounds.round_no == first_no).fill_null(False))

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
    c = resolve_person(c, identities)
    com = c.select(
        "shop_id", "person_id", "channel", "ts", "ts_local", origin=ibis.literal("comment")
    )
    return msgs.union(com)


SOURCE_TABLES = frozenset({"shops", "messages", "identities", "comments", "orders", "refunds"})
"""Canonical tables the derived tables read: loading any other needs no rebuild."""

TRACKED: dict[str, tuple[str, ...]] = {
    "messages": ("shop_id", "channel", "customer_id"),
    "identities": ("shop_id", "channel", "channel_user_id", "customer_id"),
    "comments": ("shop_id", "channel", "customer_id", "event_id"),
    "orders": ("shop_id", "order_id"),
    "refunds": ("shop_id", "order_id"),
}
"""Source table -> the columns of a changed row (old and new version) that locate the
derived rows it affects; `refresh_changes` reads them. A change to any other source table
(shops: a time-zone change rewrites every local twin) rebuilds the whole shop."""

SCOPE_TABLE = "_derive_scope"
"""Shops being rebuilt. Derived SQL filters on this table instead of a literal list, so
its text never changes and is compiled once per process (compiling costs ~2 s)."""

THREADS = "_derive_threads"
CONVS = "_derive_convs"
ORDERS = "_derive_orders"
PERSONS = "_derive_persons"
SCOPES: dict[str, str] = {
    SCOPE_TABLE: "shop_id VARCHAR",
    THREADS: "shop_id VARCHAR, channel VARCHAR, customer_id VARCHAR",
    CONVS: "shop_id VARCHAR, conversation_id VARCHAR",
    ORDERS: "shop_id VARCHAR, order_id VARCHAR",
    PERSONS: "shop_id VARCHAR, person_id VARCHAR",
}
"""Scope tables of a refresh below the shop level (threads, conversations, orders and
persons being recomputed), filled and emptied inside the refresh transaction."""

FALLBACK_SHARE = 0.2
"""A shop is rebuilt whole when a load touched more than this share of its threads (or
of its orders): one pass over the shop is then faster than the keyed deletes and joins.
Compared with at least 1, so a shop with nothing derived yet is rebuilt whole."""

_fallback_share: ContextVar[float | None] = ContextVar("fallback_share", default=None)
"""A context's own share (`fallback_share`); None: the module's FALLBACK_SHARE, read at
each refresh (so a changed module value takes effect)."""


@contextmanager
def fallback_share(share: float) -> Iterator[None]:
    """Use another FALLBACK_SHARE for the refreshes of this thread/context inside the block
    (the webhook drainer: its batches touch many threads of small shops, where the keyed
    refresh measured cheaper than rebuilding the shop; see docs/server.md)."""
    token = _fallback_share.set(share)
    try:
        yield
    finally:
        _fallback_share.reset(token)


def _share() -> float:
    share = _fallback_share.get()
    return FALLBACK_SHARE if share is None else share


_SCOPE_KEYS: dict[str, tuple[str, ...]] = {
    "d_messages": ("shop_id", "channel", "customer_id"),
    "d_conversations": ("shop_id", "conversation_id"),
    "d_rounds": ("shop_id", "conversation_id"),
    "d_orders": ("shop_id", "order_id"),
    "d_interactions": ("shop_id", "person_id"),
}
_SCOPE_OF: dict[str, str] = {
    "d_messages": THREADS,
    "d_conversations": CONVS,
    "d_rounds": CONVS,
    "d_orders": ORDERS,
    "d_interactions": PERSONS,
}

_SQL_CACHE: dict[tuple[str, str, float], str] = {}


class Changes(frozenset[str]):
    """The shops a load touched, with what changed in them (see `refresh_changes`).

    A frozenset of the shops, so that anything taking the shops to refresh takes it;
    `refresh` recomputes only the derived rows the changes reach.
    """

    tables: Mapping[str, str]
    """TRACKED source table -> table of the tracked columns of its changed rows."""
    whole: frozenset[str]
    """Shops to rebuild whole."""

    def __new__(
        cls, shops: Iterable[str], tables: Mapping[str, str], whole: Iterable[str] = ()
    ) -> Changes:
        self = super().__new__(cls, shops)
        self.tables = dict(tables)
        self.whole = frozenset(whole)
        return self


def refresh(store: Store, shops: Iterable[str] | None = None) -> None:
    """Rebuild every derived table for `shops` (all shops when None), atomically.

    Given `Changes`, only the derived rows its changes reach are recomputed.
    """
    if isinstance(shops, Changes):
        refresh_changes(store, shops.tables, shops.whole)
        return
    shop_list = sorted(set(shops)) if shops is not None else None
    if shop_list is not None and not shop_list:
        return
    with _transaction(store):
        _rebuild_shops(store, shop_list)


def refresh_changes(
    store: Store, changes: Mapping[str, str], shops: Iterable[str] = ()
) -> set[str]:
    """Bring the derived tables up to date after a load, atomically; returns the shops
    that were rebuilt whole.

    `changes` maps a TRACKED source table to a table holding its tracked columns for the
    old and the new version of every row the load changed; `shops` are rebuilt whole.
    Otherwise only the derived rows the changes reach are recomputed: d_messages of the
    changed threads (a thread's conversations and person depend on that thread's rows and
    identity only), d_conversations and d_rounds of every conversation id those threads
    held before or hold now (a given id may span threads: its other rows are read from
    d_messages, unchanged), d_orders of the changed orders and of the orders linked to
    those conversations, d_interactions of every person involved, before or after.
    """
    unknown = set(changes) - set(TRACKED)
    if unknown:
        raise ValueError(f"untracked tables: {sorted(unknown)}")
    whole = set(shops)
    if not changes and not whole:
        return set()
    if not all(store.table_exists(n) for n in DERIVED_ORDER):
        refresh(store)
        return whole
    con = store.con
    with _transaction(store):
        _ensure_scopes(store)
        _fill_scopes(store, changes)
        whole |= _too_large(store)
        if whole:
            marks = ", ".join("?" for _ in whole)
            for scope in SCOPES:
                con.execute(f"DELETE FROM {scope} WHERE shop_id IN ({marks})", sorted(whole))
            _rebuild_shops(store, sorted(whole))
        _refresh_scoped(store)
        _clear_scopes(store)
        from socialscope.store import derive_keywords  # d_comment_intents of changed comments

        derive_keywords.refresh_changed(store, changes.get("comments"), whole)
    return whole


@contextmanager
def _transaction(store: Store) -> Iterator[None]:
    """One transaction around a refresh, unless the caller already holds one."""
    own = not _in_transaction(store)
    if own:
        store.con.execute("BEGIN TRANSACTION")
    try:
        yield
        if own:
            store.con.execute("COMMIT")
    except BaseException:
        if own:
            store.con.execute("ROLLBACK")
        raise


def _ensure_scopes(store: Store) -> None:
    for scope, cols in SCOPES.items():
        store.con.execute(f"CREATE TABLE IF NOT EXISTS {scope} ({cols})")


def _clear_scopes(store: Store) -> None:
    for scope in SCOPES:
        store.con.execute(f"DELETE FROM {scope}")


def _fill_scopes(store: Store, changes: Mapping[str, str]) -> None:
    """Threads, orders and persons that the changed rows (old and new) reach."""
    con = store.con
    if "messages" in changes:
        con.execute(
            f"INSERT INTO {THREADS} SELECT DISTINCT shop_id, channel, customer_id "
            f"FROM {changes['messages']}"
        )
    if "identities" in changes:
        # An identity re-maps a channel identity's person: its thread, and the persons it
        # mapped to before (the old customer_id, or itself) and maps to now.
        ident = changes["identities"]
        con.execute(
            f"INSERT INTO {THREADS} SELECT DISTINCT shop_id, channel, channel_user_id FROM {ident}"
        )
        con.execute(
            f"INSERT INTO {PERSONS} SELECT shop_id, channel_user_id FROM {ident} "
            f"UNION SELECT shop_id, customer_id FROM {ident}"
        )
    if "comments" in changes:
        # A comment's person before and after, through the identities in force now (a
        # re-mapped identity adds its old person above).
        com = changes["comments"]
        con.execute(
            f"INSERT INTO {PERSONS} SELECT c.shop_id, coalesce(i.customer_id, c.customer_id) "
            f"FROM {com} c LEFT JOIN identities i ON i.shop_id = c.shop_id "
            "AND i.channel = c.channel AND i.channel_user_id = c.customer_id "
            f"UNION SELECT shop_id, customer_id FROM {com}"
        )
    for table in ("orders", "refunds"):
        if table in changes:
            con.execute(
                f"INSERT INTO {ORDERS} SELECT DISTINCT shop_id, order_id FROM {changes[table]}"
            )


def _too_large(store: Store) -> set[str]:
    """Shops whose touched threads or orders exceed FALLBACK_SHARE of theirs (or that have
    none derived yet): cheaper to rebuild whole."""
    out: set[str] = set()
    for scope, derived, key in (
        (THREADS, "d_messages", "channel, customer_id"),
        (ORDERS, "d_orders", "order_id"),
    ):
        rows = store.con.execute(
            f"WITH t AS (SELECT shop_id, count(DISTINCT ({key})) AS n FROM {scope} "
            "GROUP BY shop_id), "
            f"d AS (SELECT shop_id, count(DISTINCT ({key})) AS n FROM {derived} "
            "WHERE shop_id IN (SELECT shop_id FROM t) GROUP BY shop_id) "
            "SELECT t.shop_id FROM t LEFT JOIN d ON d.shop_id = t.shop_id "
            "WHERE t.n > ? * greatest(coalesce(d.n, 0), 1)",
            [_share()],
        ).fetchall()
        out |= {str(r[0]) for r in rows}
    return out


def _rebuild_shops(store: Store, shop_list: list[str] | None) -> None:
    """Rebuild every derived table for these shops (all, from scratch, when None)."""
    if shop_list is not None and not shop_list:
        return
    scoped = shop_list is not None and all(store.table_exists(n) for n in DERIVED_ORDER)
    mode = "shops" if scoped else "all"
    idle_s = idle_hours(store) * 3600.0
    con = store.con
    _ensure_scopes(store)
    con.execute(f"DELETE FROM {SCOPE_TABLE}")
    if scoped:
        assert shop_list is not None
        con.executemany(f"INSERT INTO {SCOPE_TABLE} VALUES (?)", [[s] for s in shop_list])
    for name in DERIVED_ORDER:
        sql = _derived_sql(store, name, mode, idle_s)
        order = DERIVED_ORDER[name]
        if scoped:
            con.execute(
                f'DELETE FROM "{name}" WHERE shop_id IN (SELECT shop_id FROM {SCOPE_TABLE})'
            )
            con.execute(f'INSERT INTO "{name}" BY NAME ({sql} ORDER BY {order})')
        else:
            con.execute(f'CREATE OR REPLACE TABLE "{name}" AS {sql} ORDER BY {order}')
    con.execute(f"DELETE FROM {SCOPE_TABLE}")
    from socialscope.store import derive_keywords  # d_comment_intents (purchase keywords)

    derive_keywords.rebuild(store, shop_list if scoped else None)


def _refresh_scoped(store: Store) -> None:
    """Recompute the derived rows the filled scope tables reach (see refresh_changes)."""
    con = store.con
    idle_s = idle_hours(store) * 3600.0

    def thread_keys() -> None:
        # The conversations and persons of the scoped threads' d_messages rows.
        con.execute(
            f"INSERT INTO {CONVS} SELECT DISTINCT d.shop_id, d.conversation_id "
            f"FROM d_messages d SEMI JOIN {THREADS} t ON d.shop_id = t.shop_id "
            "AND d.channel = t.channel AND d.customer_id = t.customer_id"
        )
        con.execute(
            f"INSERT INTO {PERSONS} SELECT DISTINCT d.shop_id, d.person_id "
            f"FROM d_messages d SEMI JOIN {THREADS} t ON d.shop_id = t.shop_id "
            "AND d.channel = t.channel AND d.customer_id = t.customer_id"
        )

    def replace(name: str) -> None:
        keys = _SCOPE_KEYS[name]
        on = " AND ".join(f'"{name}".{k} = s.{k}' for k in keys)
        con.execute(f'DELETE FROM "{name}" USING {_SCOPE_OF[name]} s WHERE {on}')
        sql = _derived_sql(store, name, "changes", idle_s)
        con.execute(f'INSERT INTO "{name}" BY NAME ({sql} ORDER BY {DERIVED_ORDER[name]})')

    thread_keys()  # before: the ids and persons these threads held
    replace("d_messages")
    thread_keys()  # after
    # Orders linked to a recomputed conversation: their attribution reads its messages.
    con.execute(
        f"INSERT INTO {ORDERS} SELECT o.shop_id, o.order_id FROM orders o "
        f"SEMI JOIN {CONVS} c ON o.shop_id = c.shop_id AND o.conversation_id = c.conversation_id"
    )
    for name in ("d_conversations", "d_rounds", "d_orders", "d_interactions"):
        replace(name)


def _in_transaction(store: Store) -> bool:
    try:
        store.con.execute("BEGIN TRANSACTION")
    except Exception:  # duckdb raises TransactionException when one is open
        return True
    store.con.execute("ROLLBACK")
    return False


def _derived_sql(store: Store, name: str, mode: str, idle_s: float) -> str:
    """The SELECT that builds one derived table; compiled once per process and shape.

    mode: "all" (every shop), "shops" (the shops in SCOPE_TABLE) or "changes" (the
    threads, conversations, orders or persons in the scope tables).
    """
    key = (name, mode, idle_s)
    if key not in _SQL_CACHE:
        _SQL_CACHE[key] = ibis.to_sql(_derived_expr(store, name, mode, idle_s), dialect="duckdb")
    return _SQL_CACHE[key]


def _derived_expr(store: Store, name: str, mode: str, idle_s: float) -> Any:
    con = store.ibis
    if mode == "changes":
        return _changes_expr(store, name, idle_s)

    def base(table: str) -> Any:
        t = con.table(table)
        if mode == "all":
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


def _changes_expr(store: Store, name: str, idle_s: float) -> Any:
    """The derived rows of the threads / conversations / orders / persons in scope."""
    con = store.ibis
    scope = con.table(_SCOPE_OF[name])
    dm = con.table("d_messages")
    if name == "d_messages":
        m = con.table("messages")
        i = con.table("identities")
        m = m.semi_join(
            scope,
            [
                m.shop_id == scope.shop_id,
                m.channel == scope.channel,
                m.customer_id == scope.customer_id,
            ],
        )
        i = i.semi_join(
            scope,
            [
                i.shop_id == scope.shop_id,
                i.channel == scope.channel,
                i.channel_user_id == scope.customer_id,
            ],
        )
        return messages_expr(m, i, idle_s)
    if name in ("d_conversations", "d_rounds"):
        dm = dm.semi_join(
            scope, [dm.shop_id == scope.shop_id, dm.conversation_id == scope.conversation_id]
        )
        conv, rounds = conversations_and_rounds(dm)
        return conv if name == "d_conversations" else rounds
    if name == "d_orders":
        o = con.table("orders")
        r = con.table("refunds")
        o = o.semi_join(scope, [o.shop_id == scope.shop_id, o.order_id == scope.order_id])
        r = r.semi_join(scope, [r.shop_id == scope.shop_id, r.order_id == scope.order_id])
        linked = o.select(c_shop=o.shop_id, c_conv=o.conversation_id)
        dm = dm.semi_join(
            linked, [dm.shop_id == linked.c_shop, dm.conversation_id == linked.c_conv]
        )
        return orders_expr(o, r, dm)
    if name == "d_interactions":
        shops = scope.select("shop_id").distinct()
        c = con.table("comments")
        i = con.table("identities")
        c = c.filter(c.shop_id.isin(shops.shop_id))
        i = i.filter(i.shop_id.isin(shops.shop_id))
        dm = dm.semi_join(scope, [dm.shop_id == scope.shop_id, dm.person_id == scope.person_id])
        it = interactions_expr(dm, c, i)
        return it.semi_join(scope, [it.shop_id == scope.shop_id, it.person_id == scope.person_id])
    raise KeyError(name)
