"""Customer-service conversations as webhook-like message rows.

Structure (who speaks when) is laid out per conversation in a short Python loop that
only emits small role codes; everything per message — delays, senders, texts, types,
staff — is then vectorised over the flat event arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from socialscope.demo._catalog import Products
from socialscope.demo._context import S_CHAT, ShopCtx
from socialscope.demo._people import People, Staff
from socialscope.demo._util import DAY, Arr, Frame, fmt, nulls, pick, where_str

# Roles of a chat event.
C_FIRST, C_NEW, C_CONT, BOT, HANDOFF, A_FIRST, A_MORE, A_ORDER, CLOSE = range(9)
# Kinds of conversation.
T_BOT_ONLY, T_BOT_HANDOFF, T_HUMAN, T_UNANS_HANDOFF, T_UNANS_DIRECT = range(5)
_MAX_ROUNDS = 7
_BOT_CHANNELS = ("line", "facebook", "instagram", "web_chat")


@dataclass(frozen=True)
class Chat:
    messages: Frame
    msg_local: Arr  # local time of each message row
    msg_user: Arr  # channel-user index of each message row
    # One entry per kept conversation:
    conv_user: Arr
    conv_channel: Arr
    conv_id: Arr  # given conversation id or None
    conv_staff: Arr  # staff of the first agent reply, -1 when never answered
    conv_first_delay: Arr  # seconds to the first agent reply (nan when none)
    conv_end: Arr  # local time of the last event
    conv_order_at: Arr  # local time of the agent's order message (nan when none)
    conv_order_staff: Arr
    conv_product: Arr  # product of interest, -1 when none


def _layout(
    rng: np.random.Generator, ctype: Arr, n_rounds: Arr, converted: Arr
) -> tuple[Arr, Arr, Arr]:
    """Role codes, conversation index and round number (−1 outside rounds) per event."""
    n = len(ctype)
    m = (1 + (rng.random((n, _MAX_ROUNDS)) < 0.42) + (rng.random((n, _MAX_ROUNDS)) < 0.15)).tolist()
    a = (1 + (rng.random((n, _MAX_ROUNDS)) < 0.3) + (rng.random((n, _MAX_ROUNDS)) < 0.08)).tolist()
    extra_bot = (rng.random(n) < 0.35).tolist()
    close = (rng.random(n) < np.where(ctype == T_BOT_ONLY, 0.2, 0.3)).tolist()
    last_open = (rng.random(n) < 0.06).tolist()
    roles: list[int] = []
    conv: list[int] = []
    rnd: list[int] = []
    for c, (t, nr, conv_ok) in enumerate(
        zip(ctype.tolist(), n_rounds.tolist(), converted.tolist(), strict=True)
    ):
        seq: list[int] = []
        rs: list[int] = []
        if t in (T_BOT_ONLY, T_BOT_HANDOFF, T_UNANS_HANDOFF):
            seq += [C_FIRST, BOT]
            if extra_bot[c]:
                seq += [C_NEW, BOT]
            if t != T_BOT_ONLY:
                seq += [C_NEW, HANDOFF]
            rs += [-1] * len(seq)
            if t == T_UNANS_HANDOFF:
                seq.append(C_NEW)
                rs.append(0)
        if t in (T_BOT_HANDOFF, T_HUMAN):
            open_end = last_open[c] and nr > 1
            for r in range(nr):
                if not (r == 0 and t == T_BOT_HANDOFF):
                    k = m[c][r]
                    seq += [C_FIRST if not seq else C_NEW] + [C_CONT] * (k - 1)
                    rs += [r] * k
                if r == nr - 1 and open_end:
                    break
                k = a[c][r]
                seq += [A_FIRST] + [A_MORE] * (k - 1)
                rs += [r] * k
                last_answered = nr - 2 if open_end else nr - 1
                if conv_ok and r == last_answered:
                    seq.append(A_ORDER)
                    rs.append(r)
        elif t == T_UNANS_DIRECT:
            k = m[c][0]
            seq += [C_FIRST] + [C_CONT] * (k - 1)
            rs += [0] * k
        if close[c] and t in (T_BOT_ONLY, T_BOT_HANDOFF, T_HUMAN):
            seq.append(CLOSE)
            rs.append(rs[-1])
        roles += seq
        rnd += rs
        conv += [c] * len(seq)
    return np.asarray(roles), np.asarray(conv), np.asarray(rnd)


def _gaps(rng: np.random.Generator, roles: Arr, load: Arr) -> Arr:
    """Seconds since the previous event of the same conversation, by role."""
    n = len(roles)
    g = np.zeros(n)
    lognorm = np.clip(rng.lognormal(np.log(70.0), 1.0, n), 4, 3600)
    g = np.where(roles == C_NEW, lognorm, g)
    g = np.where(roles == C_CONT, 3 + rng.exponential(20.0, n), g)
    g = np.where(roles == BOT, 1 + rng.exponential(1.5, n), g)
    g = np.where(roles == HANDOFF, 1 + rng.exponential(4.0, n), g)
    u = rng.random(n)
    fast = np.clip(rng.lognormal(np.log(48.0), 0.55, n), 8, 420) * load
    medium = rng.uniform(180, 1200, n) * load
    slow = np.clip(rng.lognormal(np.log(2400.0), 0.9, n), 600, 5 * 3600)
    reply = np.where(u < 0.72, fast, np.where(u < 0.93, medium, slow))
    g = np.where(roles == A_FIRST, reply, g)
    g = np.where(roles == A_MORE, 8 + rng.exponential(35.0, n), g)
    g = np.where(roles == A_ORDER, 30 + rng.exponential(120.0, n), g)
    out: Arr = np.where(roles == CLOSE, 60 + rng.exponential(900.0, n), g)
    return out


def _stamp(start: Arr, conv: Arr, gaps: Arr) -> Arr:
    csum = np.cumsum(gaps)
    first = np.r_[0, np.flatnonzero(np.diff(conv)) + 1]
    base = np.repeat(csum[first] - gaps[first], np.diff(np.r_[first, len(conv)]))
    out: Arr = start[conv] + (csum - base)
    return out


def build_chat(ctx: ShopCtx, people: People, staff: Staff, products: Products) -> Chat:
    p = ctx.p
    tx = p.texts
    rng = ctx.rng(S_CHAT)
    start = ctx.sample_times(rng, p.conv_per_day)
    n = len(start)
    uw = people.user_weight
    user = rng.choice(len(uw), n, p=uw / uw.sum())
    channel = people.user_channel[user]

    # What kind of conversation: bots answer more of the night traffic.
    bot_ok = np.isin(channel, _BOT_CHANNELS)
    p_bot_only = np.where(ctx.in_service(start), 0.16, 0.4)
    u = rng.random(n)
    ctype = np.where(
        u < p_bot_only,
        T_BOT_ONLY,
        np.where(
            u < p_bot_only + 0.45,
            T_BOT_HANDOFF,
            np.where(u < p_bot_only + 0.48, T_UNANS_HANDOFF, T_HUMAN),
        ),
    )
    ctype = np.where(bot_ok, ctype, T_HUMAN)
    ctype = np.where((ctype == T_HUMAN) & (rng.random(n) < 0.07), T_UNANS_DIRECT, ctype)
    n_rounds = np.minimum(rng.geometric(0.42, n), _MAX_ROUNDS)
    has_prod = rng.random(n) < 0.55
    prod = np.where(has_prod, products.sample(rng, n), -1)
    converted = np.isin(ctype, (T_BOT_HANDOFF, T_HUMAN)) & (
        rng.random(n) < np.where(has_prod, 0.36, 0.16)
    )

    roles, conv, rnd = _layout(rng, ctype, n_rounds, converted)
    m = len(roles)
    hw = np.asarray(p.hourly)
    start_hour = ctx.clock.hour(start[conv]).astype(np.int64)
    load = (hw[start_hour] / hw.mean()) ** 0.45
    gaps = _gaps(rng, roles, load)
    ts = _stamp(start, conv, gaps)
    # Most replies to a message written out of hours wait for the next opening.
    prev = np.r_[ts[0], ts[:-1]]
    late = (roles == A_FIRST) & ~ctx.in_service(prev) & (rng.random(m) < 0.8)
    h = ctx.clock.hour(prev)
    day0 = np.floor(prev / DAY) * DAY
    opening = day0 + p.open_h * 3600.0 + np.where(h >= p.open_h, DAY, 0.0)
    gaps = np.where(late, opening - prev + rng.exponential(2400.0, m), gaps)
    ts = _stamp(start, conv, gaps)

    # Drop a conversation starting while the same user's previous one is still going.
    end = np.full(n, -np.inf)
    np.maximum.at(end, conv, ts)
    order = np.lexsort((start, user))
    prev_end = np.r_[-np.inf, end[order][:-1]]
    same = np.r_[False, user[order][1:] == user[order][:-1]]
    keep_conv = np.ones(n, dtype=bool)
    keep_conv[order[same & (start[order] < prev_end + 300)]] = False
    keep = keep_conv[conv] & (ts < ctx.clock.end_s)
    roles, conv, rnd, ts, gaps = roles[keep], conv[keep], rnd[keep], ts[keep], gaps[keep]
    m = len(roles)

    # Staff: whoever is on shift at the first reply; sometimes a second one takes over.
    is_agent = np.isin(roles, (A_FIRST, A_MORE, A_ORDER))
    first_reply = np.full(n, np.nan)
    first_delay = np.full(n, np.nan)
    fa = np.flatnonzero(roles == A_FIRST)
    fa = fa[np.r_[True, conv[fa][1:] != conv[fa][:-1]]] if len(fa) else fa
    first_reply[conv[fa]] = ts[fa]
    first_delay[conv[fa]] = gaps[fa]
    pick_at = np.where(np.isnan(first_reply), start, first_reply)
    staff1 = staff.pick(ctx, rng, pick_at)
    staff2 = staff.pick(ctx, rng, pick_at + 3600.0, exclude=staff1)
    handover = (rng.random(n) < 0.08) & (n_rounds >= 2)
    hand_round = 1 + rng.integers(0, np.maximum(n_rounds - 1, 1))
    second = handover[conv] & (rnd >= hand_round[conv])
    ev_staff = np.where(second, staff2[conv], staff1[conv])

    # Per-message attributes.
    sender = np.full(m, "customer", dtype=object)
    sender[roles == BOT] = "bot"
    sender[is_agent] = "agent"
    sys_handoff = rng.random(n) < 0.6
    sender[(roles == HANDOFF) & sys_handoff[conv]] = "system"
    sender[(roles == HANDOFF) & ~sys_handoff[conv]] = "bot"
    sender[roles == CLOSE] = "system"
    kind = np.full(m, "message", dtype=object)
    kind[roles == HANDOFF] = "handoff"
    kind[roles == CLOSE] = "close"

    is_cust = np.isin(roles, (C_FIRST, C_NEW, C_CONT))
    u = rng.random(m)
    mtype = np.full(m, "text", dtype=object)
    text = nulls(m)
    product_id = nulls(m)
    text[is_cust] = pick(tx.customer_more, rng.integers(0, len(tx.customer_more), m))[is_cust]
    first_c = roles == C_FIRST
    text[first_c] = pick(tx.customer_first, rng.integers(0, len(tx.customer_first), m))[first_c]
    nxt = np.r_[roles[1:], -1]
    ask = (roles == C_NEW) & (nxt == HANDOFF)
    text[ask] = pick(tx.ask_human, rng.integers(0, len(tx.ask_human), m))[ask]
    media = is_cust & ~first_c & ~ask
    for lo, hi, mt in ((0.0, 0.08, "image"), (0.08, 0.16, "sticker"), (0.16, 0.18, "video")):
        sel = media & (u >= lo) & (u < hi)
        mtype[sel] = mt
        text[sel] = None
    sel = media & (u >= 0.18) & (u < 0.2)
    mtype[sel] = "audio"
    text[sel] = None
    # Product inquiries: the first message names the product the customer wants.
    inq = first_c & (prod[conv] >= 0)
    product_id[inq] = products.ids[prod[conv][inq]]
    card = inq & (rng.random(m) < 0.35)
    mtype[card] = "product"
    text[card] = [tx.product_msg.format(t) for t in products.titles[prod[conv][card]]]
    bots = roles == BOT
    text[bots] = pick(tx.bot, rng.integers(0, len(tx.bot), m))[bots]
    bot_card = bots & (rng.random(m) < 0.15)
    rec = products.sample(rng, m)
    mtype[bot_card] = "product"
    product_id[bot_card] = products.ids[rec[bot_card]]
    text[bot_card] = [tx.product_msg.format(t) for t in products.titles[rec[bot_card]]]
    text[roles == HANDOFF] = pick(tx.handoff, rng.integers(0, len(tx.handoff), m))[roles == HANDOFF]
    text[roles == CLOSE] = pick(tx.close, rng.integers(0, len(tx.close), m))[roles == CLOSE]
    ag = np.isin(roles, (A_FIRST, A_MORE))
    text[ag] = pick(tx.agent, rng.integers(0, len(tx.agent), m))[ag]
    u = rng.random(m)
    ag_card = ag & (u < 0.06)
    ag_prod = np.where(prod[conv] >= 0, prod[conv], rec)
    mtype[ag_card] = "product"
    product_id[ag_card] = products.ids[ag_prod[ag_card]]
    text[ag_card] = [tx.product_msg.format(t) for t in products.titles[ag_prod[ag_card]]]
    ag_img = ag & (u >= 0.06) & (u < 0.1)
    mtype[ag_img] = "image"
    text[ag_img] = None
    orders = roles == A_ORDER
    mtype[orders] = "order"
    text[orders] = tx.agent_order

    given = np.isin(channel, ("web_chat", "whatsapp")) | (rng.random(n) < 0.25)
    conv_id = where_str(given, fmt(p.prefix + "-conv-{:06d}", np.arange(n)))

    # Rows in time order; event ids follow it.
    srt = np.lexsort((np.arange(m), ts))
    staff_col = nulls(m)
    staff_col[is_agent] = staff.ids[ev_staff[is_agent]]
    messages: Frame = {
        "event_id": fmt(p.prefix + "-msg-{:07d}", np.arange(1, m + 1)),
        "channel": channel[conv][srt],
        "conversation_id": conv_id[conv][srt],
        "customer_id": people.user_id[user[conv]][srt],
        "ts": ctx.clock.to_utc_us(ts[srt]),
        "sender": sender[srt],
        "staff_id": staff_col[srt],
        "kind": kind[srt],
        "message_type": mtype[srt],
        "text": text[srt],
        "product_id": product_id[srt],
        "is_echo": np.zeros(m, dtype=bool),
    }

    conv_end = np.full(n, -np.inf)
    np.maximum.at(conv_end, conv, ts)
    order_at = np.full(n, np.nan)
    order_staff = np.full(n, -1)
    order_at[conv[orders]] = ts[orders]
    order_staff[conv[orders]] = ev_staff[orders]
    conv_staff = np.where(np.isnan(first_reply), -1, staff1)
    kc = np.flatnonzero(keep_conv & np.isfinite(conv_end))
    return Chat(
        messages=messages,
        msg_local=ts[srt],
        msg_user=user[conv][srt],
        conv_user=user[kc],
        conv_channel=channel[kc],
        conv_id=conv_id[kc],
        conv_staff=conv_staff[kc],
        conv_first_delay=first_delay[kc],
        conv_end=conv_end[kc],
        conv_order_at=order_at[kc],
        conv_order_staff=order_staff[kc],
        conv_product=prod[kc],
    )
