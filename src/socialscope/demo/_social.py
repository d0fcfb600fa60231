"""Posts, live streams, their comments and platform-reported daily counters.

Purchase-keyword comments ("+1", "＋1", "+2", "+1 red M") are produced here together
with the commenter and quantity, so live and post orders can follow from them and the
live / post sales funnels of the metrics layer have something real to find.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from socialscope.demo._catalog import Products
from socialscope.demo._context import S_SOCIAL, ShopCtx
from socialscope.demo._people import People, Staff
from socialscope.demo._util import (
    DAY,
    NULL_I,
    Arr,
    Frame,
    fmt,
    nulls,
    pick,
    present,
    scramble,
    where_str,
)

_KIND_REACH = {"post": 0.7, "photo": 1.0, "video": 1.4, "reel": 2.4, "short_video": 3.0}
_LIKE_RATE = {"facebook": 0.022, "instagram": 0.048, "tiktok": 0.065, "line": 0.012}
_SAVE_RATE = {"instagram": 0.009, "tiktok": 0.004}
_VIDEO = ("video", "reel", "short_video", "live")
_POST_HOURS = np.array([0] * 7 + [1, 2, 3, 3, 5, 6, 3, 2, 2, 2, 3, 4, 6, 6, 4, 2, 0], float)


@dataclass(frozen=True)
class Social:
    posts: Frame
    lives: Frame
    comments: Frame
    metrics: Frame
    comment_local: Arr
    comment_user: Arr  # channel-user index, -1 for page replies
    # Purchase intents: one per (user, post or live) with a keyword comment.
    intent_user: Arr
    intent_local: Arr
    intent_qty: Arr
    intent_channel: Arr
    intent_post_id: Arr
    intent_live_id: Arr  # None for post intents
    intent_product: Arr
    intent_deadline: Arr  # orders come in before this local time


def _post_ids(channel: str, idx: Arr, prefix_num: int) -> Arr:
    if channel == "facebook":
        return fmt(f"{prefix_num}_{{}}", scramble(idx, 10**15, 7_919_000_001, 10**14))
    if channel == "instagram":
        return fmt("{}", scramble(idx, 10**17, 1_000_003_001, 7) + np.uint64(17_900 * 10**14))
    if channel == "tiktok":
        return fmt("{}", scramble(idx, 10**17, 2_147_483_629, 11) + np.uint64(73 * 10**17))
    return fmt("{:024x}", scramble(idx, 2**63, 0x9E3779B97F4A7C15, 0xF00D))


def _keyword(rng: np.random.Generator, n: int, variants: tuple[str, ...]) -> tuple[Arr, Arr]:
    """Purchase-keyword comment texts and the quantity each asks for."""
    u = rng.random(n)
    var = pick(variants, rng.integers(0, len(variants), n))
    text = np.full(n, "+1", dtype=object)
    qty = np.ones(n, dtype=np.int64)
    text[(u >= 0.4) & (u < 0.52)] = "+2"
    qty[(u >= 0.4) & (u < 0.52)] = 2
    text[(u >= 0.52) & (u < 0.62)] = "＋1"
    sel = (u >= 0.62) & (u < 0.95)
    text[sel] = np.array(["+1 " + str(v) for v in var[sel]], dtype=object)
    text[u >= 0.95] = "+3"
    qty[u >= 0.95] = 3
    return text, qty


def build_social(ctx: ShopCtx, people: People, staff: Staff, products: Products) -> Social:
    p = ctx.p
    tx = p.texts
    rng = ctx.rng(S_SOCIAL)
    clock = ctx.clock
    page_num = 100_000_000_000_000 + 7_919 * (ctx.shop_idx + 1)

    # ---- posts
    post_parts: list[Frame] = []
    n_seen = 0
    for ch, per_week in p.posts_per_week.items():
        t = ctx.sample_times(rng, per_week / 7.0, _POST_HOURS, extra=1.0 / np.sqrt(ctx.factors))
        k = len(t)
        kinds = pick(p.post_kinds[ch], rng.integers(0, len(p.post_kinds[ch]), k))
        camp = ctx.campaign_at(t)
        camp = where_str(rng.random(k) < 0.85, camp)
        post_parts.append(
            {
                "post_id": _post_ids(ch, np.arange(n_seen, n_seen + k), page_num),
                "channel": np.full(k, ch, dtype=object),
                "kind": kinds,
                "published": t,
                "caption": pick(tx.captions, rng.integers(0, len(tx.captions), k)),
                "is_paid": rng.random(k) < np.where(present(camp), 0.45, 0.12),
                "campaign": camp,
                "sale": rng.random(k) < 0.3,
                "live": np.full(k, -1),
            }
        )
        n_seen += k

    # ---- lives: on the shop's fixed weekdays (sometimes skipped), plus one big live
    k_days = max(1, round(p.lives_per_week))
    weekdays = rng.choice(7, size=k_days, replace=False)
    dow = (clock.first_day + np.arange(ctx.days) + 3) % 7
    on = np.isin(dow, weekdays) & (
        rng.random(ctx.days) < 0.92 * min(1.0, p.lives_per_week / k_days)
    )
    on[ctx.big_live_day] = True
    live_day = np.flatnonzero(on)
    nl = len(live_day)
    l_start = (clock.first_day + live_day) * float(DAY) + (
        p.live_hour + rng.uniform(-0.25, 0.5, nl)
    ) * 3600.0
    l_end = l_start + rng.uniform(1.0, 3.0, nl) * 3600.0
    l_end = np.minimum(l_end, clock.end_s - 1.0)
    l_chan = pick(p.live_channels, rng.integers(0, len(p.live_channels), nl))
    big = live_day == ctx.big_live_day
    viewers = rng.lognormal(np.log(p.live_viewers), 0.35, nl) * np.where(big, 4.0, 1.0)
    viewers = np.round(viewers * ctx.factors[live_day] ** 0.5).astype(np.int64)
    hosts = staff.hosts if len(staff.hosts) else np.arange(len(staff.ids))
    host = hosts[rng.integers(0, len(hosts), nl)]
    left = live_day >= staff.active_days[host]
    host = np.where(left, 0, host)
    live_ids = fmt(p.prefix + "-live-{:04d}", np.arange(1, nl + 1))
    titles = pick(tx.live_titles, rng.integers(0, len(tx.live_titles), nl))
    lives: Frame = {
        "live_id": live_ids,
        "channel": l_chan,
        "started_at": clock.to_utc_us(l_start),
        "ended_at": clock.to_utc_us(l_end),
        "host_staff_id": staff.ids[host],
        "title": np.array(
            [("🔥 " if b else "") + str(t) for b, t in zip(big.tolist(), titles, strict=True)],
            dtype=object,
        ),
        "unique_viewers": viewers,
        "peak_concurrent_viewers": np.round(viewers * rng.uniform(0.12, 0.3, nl)).astype(np.int64),
        "total_watch_seconds": np.round(viewers * rng.uniform(180, 620, nl)),
    }
    live_post_ids = np.empty(nl, dtype=object)
    for ch in np.unique(l_chan).tolist():
        sel = l_chan == ch
        live_post_ids[sel] = _post_ids(ch, np.arange(n_seen, n_seen + int(sel.sum())), page_num)
        n_seen += int(sel.sum())
    post_parts.append(
        {
            "post_id": live_post_ids,
            "channel": l_chan,
            "kind": np.full(nl, "live", dtype=object),
            "published": l_start,
            "caption": lives["title"],
            "is_paid": np.zeros(nl, dtype=bool),
            "campaign": ctx.campaign_at(l_start),
            "sale": np.ones(nl, dtype=bool),
            "live": np.arange(nl),
        }
    )
    posts = {k: np.concatenate([f[k] for f in post_parts]) for k in post_parts[0]}
    npost = len(posts["post_id"])
    # Featured products: a live shows 4-9, a sale post 1-3; the first is the star.
    featured = products.sample(rng, npost * 9).reshape(npost, 9)
    n_feat = np.where(posts["live"] >= 0, rng.integers(4, 10, npost), rng.integers(1, 4, npost))

    # ---- comments
    is_live = posts["live"] >= 0
    lidx = np.maximum(posts["live"], 0)
    foll = np.array([p.followers.get(str(c), 5000) for c in posts["channel"]], dtype=float)
    mean = np.where(
        is_live,
        viewers[lidx] * rng.uniform(0.15, 0.35, npost),
        (foll / 2500.0) ** 0.7 * np.where(posts["sale"], 2.5, 1.0),
    )
    n_com = rng.poisson(rng.gamma(2.0, mean / 2.0))
    c_post = np.repeat(np.arange(npost), n_com)
    nc = len(c_post)
    delay = np.clip(rng.lognormal(np.log(3 * 3600.0), 1.3, nc), 30, 14 * DAY)
    dur = l_end[lidx[c_post]] - l_start[lidx[c_post]]
    c_t = np.where(
        is_live[c_post],
        posts["published"][c_post] + rng.beta(1.3, 1.6, nc) * dur,
        posts["published"][c_post] + delay,
    )
    c_chan = posts["channel"][c_post]
    c_user = np.full(nc, -1)
    for ch in np.unique(c_chan).tolist():
        pool = people.users_on(str(ch))
        sel = c_chan == ch
        if len(pool) == 0:
            continue
        w = people.user_weight[pool]
        c_user[sel] = pool[rng.choice(len(pool), int(sel.sum()), p=w / w.sum())]
    ok = (c_t < clock.end_s) & (c_user >= 0)
    c_post, c_t, c_chan, c_user = c_post[ok], c_t[ok], c_chan[ok], c_user[ok]
    nc = len(c_post)
    kw_share = np.where(is_live[c_post], 0.42, np.where(posts["sale"][c_post], 0.3, 0.03))
    u = rng.random(nc)
    is_kw = u < kw_share
    is_q = (u >= kw_share) & (u < kw_share + 0.2)
    kw_text, kw_qty = _keyword(rng, nc, tx.variants)
    c_text = pick(tx.comment_chat, rng.integers(0, len(tx.comment_chat), nc))
    c_text[is_q] = pick(tx.comment_question, rng.integers(0, len(tx.comment_question), nc))[is_q]
    c_text[is_kw] = kw_text[is_kw]
    deleted = rng.random(nc) < 0.02

    # Page replies to many questions and some keyword comments.
    rep = (is_q & (rng.random(nc) < 0.4)) | (is_kw & (rng.random(nc) < 0.15))
    r_src = np.flatnonzero(rep)
    r_t = c_t[r_src] + np.clip(rng.lognormal(np.log(300.0), 1.0, len(r_src)), 20, DAY)
    r_keep = r_t < clock.end_s
    r_src, r_t = r_src[r_keep], r_t[r_keep]
    nr = len(r_src)
    all_post = np.r_[c_post, c_post[r_src]]
    all_t = np.r_[c_t, r_t]
    n_all = nc + nr
    cid_num = scramble(np.arange(n_all), 10**15, 1_000_000_007, 3) + np.uint64(10**15)
    comment_id = np.array(
        [
            f"{pid}_{num}"
            for pid, num in zip(posts["post_id"][all_post], cid_num.tolist(), strict=True)
        ],
        dtype=object,
    )
    parent = nulls(n_all)
    parent[nc:] = comment_id[r_src]
    live_col = where_str(is_live[all_post], live_ids[lidx[all_post]])
    author = np.r_[np.full(nc, "customer", dtype=object), np.full(nr, "page", dtype=object)]
    cust = np.r_[people.user_id[c_user], np.full(nr, people.page_id, dtype=object)]
    text = np.r_[c_text, pick(tx.page_reply, rng.integers(0, len(tx.page_reply), nr))]
    srt = np.lexsort((np.arange(n_all), all_t))
    comments: Frame = {
        "event_id": fmt(p.prefix + "-cmt-{:07d}", np.arange(1, n_all + 1)),
        "channel": posts["channel"][all_post][srt],
        "post_id": posts["post_id"][all_post][srt],
        "comment_id": comment_id[srt],
        "parent_comment_id": parent[srt],
        "live_id": live_col[srt],
        "customer_id": cust[srt],
        "author": author[srt],
        "ts": clock.to_utc_us(all_t[srt]),
        "text": text[srt],
        "deleted": np.r_[deleted, np.zeros(nr, dtype=bool)][srt],
    }

    # ---- purchase intents: first keyword comment of each (post, user).
    kw = np.flatnonzero(is_kw & ~deleted)
    kkey = c_post[kw].astype(np.int64) * (len(people.user_id) + 1) + c_user[kw]
    order = np.lexsort((c_t[kw], kkey))
    kw, kkey = kw[order], kkey[order]
    first = np.r_[True, kkey[1:] != kkey[:-1]]
    qty = np.minimum(np.add.reduceat(kw_qty[kw], np.flatnonzero(first)), 5) if len(kw) else kw
    kw = kw[first]
    ip = c_post[kw]
    slot = (rng.random(len(kw)) ** 1.5 * n_feat[ip]).astype(np.int64)
    deadline = np.where(is_live[ip], l_end[lidx[ip]] + 2 * 3600.0, posts["published"][ip] + 3 * DAY)

    # ---- content metrics
    metrics = _metrics(ctx, rng, posts, c_post, c_t)
    posts_out: Frame = {
        "post_id": posts["post_id"],
        "channel": posts["channel"],
        "kind": posts["kind"],
        "published_at": clock.to_utc_us(posts["published"]),
        "caption": posts["caption"],
        "is_paid": posts["is_paid"],
        "campaign": posts["campaign"],
    }
    return Social(
        posts=posts_out,
        lives=lives,
        comments=comments,
        metrics=metrics,
        comment_local=c_t,
        comment_user=c_user,
        intent_user=c_user[kw],
        intent_local=c_t[kw],
        intent_qty=qty.astype(np.int64),
        intent_channel=posts["channel"][ip],
        intent_post_id=posts["post_id"][ip],
        intent_live_id=where_str(is_live[ip], live_ids[lidx[ip]]),
        intent_product=featured[ip, slot],
        intent_deadline=deadline,
    )


def _metrics(ctx: ShopCtx, rng: np.random.Generator, posts: Frame, c_post: Arr, c_t: Arr) -> Frame:
    """Post-level rows for the first 7-14 days of each post, account-level rows daily."""
    p = ctx.p
    clock = ctx.clock
    npost = len(posts["post_id"])
    life = rng.integers(7, 15, npost)
    pday = clock.day_index(posts["published"])
    row_post = np.repeat(np.arange(npost), life)
    age = np.arange(len(row_post)) - np.repeat(np.cumsum(life) - life, life)
    day = pday[row_post] + age
    ok = day < ctx.days
    row_post, age, day = row_post[ok], age[ok], day[ok]
    n = len(row_post)
    ch = posts["channel"][row_post]
    kind = posts["kind"][row_post]
    foll = np.array([p.followers.get(str(c), 5000) for c in ch], dtype=float)
    kmult = np.array([_KIND_REACH.get(str(k), 1.5) for k in kind])
    paid = posts["is_paid"][row_post]
    total = foll * rng.uniform(0.12, 0.45, npost)[row_post] * kmult * np.where(paid, 2.6, 1.0)
    share = np.exp(-0.75 * age) * (1 - np.exp(-0.75))
    impressions = rng.poisson(total * share * rng.gamma(30.0, 1 / 30.0, n)).astype(np.int64)
    reach = np.floor(impressions / rng.uniform(1.12, 1.6, n)).astype(np.int64)
    like_rate = np.array([_LIKE_RATE.get(str(c), 0.02) for c in ch])
    likes = rng.binomial(reach, like_rate)
    # Comments counted from the comments table, by the local day they were written.
    key = c_post.astype(np.int64) * (ctx.days + 1) + clock.day_index(c_t)
    counts = np.bincount(key, minlength=npost * (ctx.days + 1))
    comments = counts[row_post * (ctx.days + 1) + day]
    shares = rng.binomial(reach, np.where(ch == "tiktok", 0.007, 0.003))
    save_rate = np.array([_SAVE_RATE.get(str(c), 0.0) for c in ch])
    saves = np.where(save_rate > 0, rng.binomial(reach, save_rate), NULL_I)
    video = np.isin(kind, _VIDEO)
    views = np.where(video, rng.binomial(impressions, 0.46), NULL_I)
    watch = np.where(video, np.maximum(views, 0) * rng.uniform(4.0, 14.0, n), np.nan)
    clicks = rng.binomial(impressions, np.where(paid, 0.009, 0.004))
    post_rows: Frame = {
        "date": (clock.first_day + day).astype(np.int32),
        "channel": ch,
        "post_id": posts["post_id"][row_post],
        "impressions": impressions,
        "reach": reach,
        "engagements": likes + comments + shares + np.maximum(saves, 0),
        "likes": likes,
        "comments": comments.astype(np.int64),
        "shares": shares,
        "saves": saves,
        "video_views": views,
        "video_watch_seconds": np.round(watch, 1),
        "link_clicks": clicks,
        "profile_visits": rng.binomial(reach, 0.003),
    }
    acct: list[Frame] = []
    days = np.arange(ctx.days)
    for c in p.social:
        f0 = float(p.followers[c])
        boost = np.where(days == ctx.big_live_day, 3.0, 1.0) if c in p.live_channels else 1.0
        new = rng.poisson(f0 * 0.0011 * ctx.factors * boost)
        lost = rng.poisson(new * 0.38 + f0 * 0.00015)
        acct.append(
            {
                "date": (clock.first_day + days).astype(np.int32),
                "channel": np.full(ctx.days, c, dtype=object),
                "post_id": np.full(ctx.days, "", dtype=object),
                "profile_visits": rng.poisson(f0 * 0.006 * ctx.factors),
                "followers": (f0 + np.cumsum(new - lost)).astype(np.int64),
                "new_followers": new.astype(np.int64),
                "lost_followers": lost.astype(np.int64),
            }
        )
    out: Frame = {}
    parts = [post_rows, *acct]
    for col in [*post_rows, "followers", "new_followers", "lost_followers"]:
        arrs = []
        for f in parts:
            k = len(f["date"])
            if col in f:
                arrs.append(f[col])
            elif col in ("video_watch_seconds",):
                arrs.append(np.full(k, np.nan))
            else:
                arrs.append(np.full(k, NULL_I, dtype=np.int64))
        out[col] = np.concatenate(arrs)
    return out
