"""Customers, their channel identities, staff and staff presence.

Chats and comments carry the *channel* user id (a LINE userId, a Messenger PSID...),
as platforms deliver them; `identities` maps most of them to a store customer, some
customers to several channels, and leaves some channel users unmapped — the cases the
engine's identity resolution has to handle.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from socialscope.demo._context import S_PEOPLE, S_STAFF, ShopCtx
from socialscope.demo._profiles import AGE_BANDS, SEGMENTS
from socialscope.demo._util import DAY, Arr, Frame, fmt, pick, scramble


@dataclass(frozen=True)
class People:
    cust_id: Arr  # canonical customer ids
    user_id: Arr  # channel user ids
    user_channel: Arr
    user_cust: Arr  # index into cust_id, -1 when the channel user has no identity row
    user_weight: Arr  # activity propensity (heavy tailed)
    cust_weight: Arr  # store-purchase propensity
    customers: Frame  # without first_seen_at (set once all activity is known)
    identities: Frame
    page_id: str  # the shop's own account id, author of page replies

    def customer_of_users(self, users: Arr) -> Arr:
        """The id an order or rating would carry: the store customer when mapped, the
        channel identity itself otherwise."""
        cust = self.user_cust[users]
        out: Arr = np.where(cust >= 0, self.cust_id[np.maximum(cust, 0)], self.user_id[users])
        return out.astype(object)

    def users_on(self, channel: str) -> Arr:
        out: Arr = np.flatnonzero(self.user_channel == channel)
        return out


def _channel_ids(rng: np.random.Generator, channel: str, idx: Arr, phone: str) -> Arr:
    """Ids in each platform's own shape, unique by construction."""
    n = len(idx)
    if channel == "line":
        a = scramble(idx, 2**48, 0x9E3779B97F4A7, 0x1F2E3D4C5B6A)
        b = rng.integers(0, 2**48, n)
        return np.array(
            [
                f"U{x:012x}{y:012x}{x ^ y:08x}"[:33]
                for x, y in zip(a.tolist(), b.tolist(), strict=True)
            ],
            dtype=object,
        )
    if channel == "facebook":
        return fmt("{}", scramble(idx, 9 * 10**15, 7_777_777_777_777, 10**15) + np.uint64(10**15))
    if channel == "instagram":
        return fmt("{}", scramble(idx, 10**16, 1_234_567_891_011, 5) + np.uint64(17_841 * 10**12))
    if channel == "tiktok":
        return fmt("_000{:016x}", scramble(idx, 2**60, 0x5851F42D4C957F2D, 0xACE))
    if channel == "whatsapp":
        return fmt(phone + "{:09d}", scramble(idx, 10**9, 48_271, 500_000_000))
    return fmt("wc_{:012x}", scramble(idx, 2**48, 0x2545F4914F6D, 0xBEEF))


def build_people(ctx: ShopCtx) -> People:
    p = ctx.p
    rng = ctx.rng(S_PEOPLE)
    scale = max(ctx.days, 14) / 90.0
    n_social = max(int(p.n_customers * scale), 400)
    n_store = int(n_social * 0.3)
    n_c = n_social + n_store
    cust_id = fmt("cus_{:010x}", scramble(np.arange(n_c), 2**40, 0x9E3779B1, 0x1234567))
    chans = np.asarray(p.channels, dtype=object)
    w = np.asarray(p.channel_weights, dtype=np.float64)

    # Social customers get 1-3 channel accounts (Gumbel top-k: distinct, weighted).
    n_acc = 1 + (rng.random(n_social) < 0.24) + (rng.random(n_social) < 0.05)
    keys = np.log(w)[None, :] + rng.gumbel(size=(n_social, len(w)))
    order = np.argsort(-keys, axis=1)
    acc_cust = np.repeat(np.arange(n_social), n_acc)
    rank = np.arange(len(acc_cust)) - np.repeat(np.cumsum(n_acc) - n_acc, n_acc)
    acc_chan = chans[order[acc_cust, rank]]
    # Channel users nobody has linked to a store customer.
    n_anon = int(n_social * 0.35)
    anon_chan = chans[rng.choice(len(w), n_anon, p=w / w.sum())]
    user_channel = np.concatenate([acc_chan, anon_chan]).astype(object)
    user_cust = np.concatenate([acc_cust, np.full(n_anon, -1)]).astype(np.int64)
    user_id = np.empty(len(user_channel), dtype=object)
    for ch in p.channels:
        m = user_channel == ch
        user_id[m] = _channel_ids(rng, ch, np.flatnonzero(m), p.phone_prefix)
    user_weight = rng.lognormal(0.0, 1.1, len(user_id))

    mapped = user_cust >= 0
    identities: Frame = {
        "channel": user_channel[mapped],
        "channel_user_id": user_id[mapped],
        "customer_id": cust_id[user_cust[mapped]],
    }

    r = rng.random(n_c)
    gender = np.where(
        r < p.female_share,
        "female",
        np.where(r < 0.97, "male", np.where(r < 0.985, "other", "unknown")),
    ).astype(object)
    age = pick(AGE_BANDS, rng.choice(len(AGE_BANDS), n_c, p=np.asarray(p.age_weights)))
    age[rng.random(n_c) < 0.08] = None  # not every platform shares an age
    rw = np.asarray(p.region_weights)
    region_idx = rng.choice(len(rw), n_c, p=rw / rw.sum())
    seg = pick(SEGMENTS, rng.choice(len(SEGMENTS), n_c, p=[0.3, 0.3, 0.08, 0.14, 0.1, 0.08]))
    is_follower = np.zeros(n_c, dtype=bool)
    is_follower[:n_social] = rng.random(n_social) < 0.62
    is_follower[n_social:] = rng.random(n_store) < 0.12
    customers: Frame = {
        "customer_id": cust_id,
        "gender": gender,
        "age_band": age,
        "region": pick(p.regions, region_idx),
        "city_tier": pick(p.region_tier, region_idx),
        "segment": seg,
        "is_follower": is_follower,
    }
    cust_weight = rng.lognormal(0.0, 1.0, n_c)
    return People(
        cust_id=cust_id,
        user_id=user_id,
        user_channel=user_channel,
        user_cust=user_cust,
        user_weight=user_weight,
        cust_weight=cust_weight,
        customers=customers,
        identities=identities,
        page_id=f"page_{p.prefix}",
    )


def set_first_seen(ctx: ShopCtx, people: People, cust_idx: Arr, local_s: Arr) -> None:
    """first_seen_at = the customer's first activity for newcomers, an earlier date for
    customers who were already known before the window."""
    rng = ctx.rng(S_PEOPLE + 100)
    n = len(people.cust_id)
    first = np.full(n, np.inf)
    ok = cust_idx >= 0
    np.minimum.at(first, cust_idx[ok], local_s[ok])
    old = rng.random(n) < 0.55
    before = ctx.clock.start_s - rng.uniform(1.0, 720.0, n) * DAY
    never = ~np.isfinite(first)
    first[never] = ctx.clock.start_s + rng.uniform(0, ctx.days * DAY, int(never.sum()))
    seen = np.where(old, np.minimum(before, first), first)
    people.customers["first_seen_at"] = ctx.clock.to_utc_us(seen)


@dataclass(frozen=True)
class Staff:
    ids: Arr
    start_h: Arr
    end_h: Arr
    off: Arr  # (n, 2) weekdays off
    active_days: Arr  # a staff member works on days < this (the inactive one left)
    hosts: Arr  # indices of the live team
    frame: Frame

    def pick(
        self, ctx: ShopCtx, rng: np.random.Generator, local_s: Arr, exclude: Arr | None = None
    ) -> Arr:
        """A staff member on shift at each time; otherwise someone working that day;
        otherwise any current staff member (who then answers out of hours)."""
        n, k = len(local_s), len(self.ids)
        h = ctx.clock.hour(local_s)[:, None]
        day = ctx.clock.day_index(local_s)[:, None]
        dow = ctx.dow(local_s)[:, None]
        active = day < self.active_days[None, :]
        works = active & (dow != self.off[None, :, 0]) & (dow != self.off[None, :, 1])
        shift = works & (h >= self.start_h[None, :]) & (h < self.end_h[None, :])
        score = rng.random((n, k)) + 4.0 * shift + 2.0 * works + 1.0 * active
        if exclude is not None:
            score[np.arange(n), exclude] -= 100.0
        out: Arr = np.argmax(score, axis=1)
        return out


def build_staff(ctx: ShopCtx) -> tuple[Staff, Frame]:
    """Staff in two shifts over the service hours, two days off a week, one of them
    gone mid-window (inactive); plus their presence changes (agent_status)."""
    p = ctx.p
    rng = ctx.rng(S_STAFF)
    k = len(p.staff)
    ids = fmt(p.prefix + "_staff_{:02d}", np.arange(1, k + 1))
    early = np.arange(k) % 2 == 0
    span = min(8, p.close_h - p.open_h)
    start_h = np.where(early, p.open_h, p.close_h - span).astype(np.float64)
    end_h = start_h + span
    off = np.stack([(np.arange(k) * 3) % 7, (np.arange(k) * 3 + 1) % 7], axis=1)
    active_days = np.full(k, ctx.days + 1)
    active_days[-1] = max(int(ctx.days * 0.45), 1)
    teams = np.array(["presales", "aftersales", "live"], dtype=object)[np.arange(k) % 3]
    frame: Frame = {
        "staff_id": ids,
        "name": np.asarray(p.staff, dtype=object),
        "team": teams,
        "active": np.arange(k) < k - 1,
    }
    capacity = rng.integers(3, 9, k)
    st_ids: list[str] = []
    st_ts: list[float] = []
    st_status: list[str] = []
    st_cap: list[int] = []
    for s in range(k):
        for d in range(min(ctx.days, int(active_days[s]))):
            day0 = (ctx.clock.first_day + d) * float(DAY)
            if (ctx.clock.first_day + d + 3) % 7 in off[s]:
                continue
            t0 = day0 + start_h[s] * 3600 + rng.uniform(-600, 600)
            t1 = day0 + end_h[s] * 3600 + rng.uniform(-300, 900)
            times = [t0]
            states = ["online"]
            for b in np.sort(rng.uniform(t0 + 1200, t1 - 1800, rng.integers(1, 5))).tolist():
                if b <= times[-1] + 60:
                    continue
                away = rng.random() < 0.35
                times.append(b)
                states.append("away" if away else "busy")
                times.append(b + (rng.uniform(600, 2400) if away else rng.uniform(300, 3600)))
                states.append("online")
            times.append(max(t1, times[-1] + 120))
            states.append("offline")
            st_ids.extend([str(ids[s])] * len(times))
            st_ts.extend(times)
            st_status.extend(states)
            st_cap.extend([int(capacity[s])] * len(times))
    ts = np.asarray(st_ts)
    keep = ts < ctx.clock.end_s
    status: Frame = {
        "staff_id": np.asarray(st_ids, dtype=object)[keep],
        "ts": ctx.clock.to_utc_us(ts[keep]),
        "status": np.asarray(st_status, dtype=object)[keep],
        "capacity": np.asarray(st_cap, dtype=np.int64)[keep],
    }
    hosts = np.flatnonzero(teams == "live")
    staff = Staff(ids, start_h, end_h, off, active_days, hosts, frame)
    return staff, status
