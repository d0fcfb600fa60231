"""Per-shop generation context: the window, its daily rhythm and its campaigns.

Every subsystem draws its volumes from the same daily factors, so a campaign day shows
up at once in chats, comments, sessions and orders — the way real spikes do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from socialscope.demo._profiles import ShopProfile
from socialscope.demo._util import DAY, Arr, Clock, choice, nulls, rng_for

# Independent random streams, one per subsystem.
S_CONTEXT, S_PEOPLE, S_STAFF, S_CHAT, S_SOCIAL, S_PRODUCTS, S_ORDERS, S_WEB, S_RATINGS = range(9)


@dataclass(frozen=True)
class ShopCtx:
    p: ShopProfile
    clock: Clock
    seed: int
    shop_idx: int
    factors: Arr  # (days,) daily volume multipliers
    campaign_of_day: Arr  # (days,) campaign name or None
    big_live_day: int  # day index of the big live, -1 when none

    @classmethod
    def build(cls, p: ShopProfile, seed: int, shop_idx: int, end: date, days: int) -> ShopCtx:
        start = end - timedelta(days=days - 1)
        clock = Clock.build(p.timezone, start, days)
        rng = rng_for(seed, shop_idx, S_CONTEXT)
        dow = (np.arange(days) + clock.first_day + 3) % 7  # 1970-01-01 was a Thursday
        trend = np.linspace(0.88, 1.12, days)  # a growing shop: last 30 d beat the previous
        factors = np.asarray(p.weekday)[dow] * trend * rng.gamma(60.0, 1.0 / 60.0, days)
        campaign: Arr = nulls(days)
        # (days before the end, length, peak multiplier) of three campaigns.
        for k, (back, span, peak) in enumerate(((24, 3, 2.3), (52, 2, 1.6), (80, 4, 1.35))):
            first = days - back
            for j in range(span):
                d = first + j
                if 0 <= d < days:
                    campaign[d] = p.campaigns[k % len(p.campaigns)]
                    factors[d] *= peak if j == span // 2 else 1.0 + (peak - 1.0) * 0.4
        big = days - 9 if days > 9 else days // 2
        factors[big] *= 1.3
        return cls(p, clock, seed, shop_idx, factors, campaign, big)

    @property
    def days(self) -> int:
        return self.clock.days

    def rng(self, stream: int) -> np.random.Generator:
        return rng_for(self.seed, self.shop_idx, stream)

    def sample_times(
        self,
        rng: np.random.Generator,
        per_day: float,
        hourly: Arr | None = None,
        extra: Arr | None = None,
    ) -> Arr:
        """Sorted local times: Poisson counts per day following the daily factors,
        hours following the shop's (or the given) hourly profile."""
        mean = per_day * self.factors * (extra if extra is not None else 1.0)
        counts = rng.poisson(mean)
        day = np.repeat(np.arange(self.days), counts)
        w = np.asarray(self.p.hourly if hourly is None else hourly, dtype=np.float64)
        hour = choice(rng, 24, len(day), w)
        t = (self.clock.first_day + day) * float(DAY) + hour * 3600.0
        t = t + rng.uniform(0.0, 3600.0, len(day))
        return np.sort(t)

    def campaign_at(self, local_s: Arr) -> Arr:
        d = np.clip(self.clock.day_index(local_s), 0, self.days - 1)
        out: Arr = self.campaign_of_day[d]
        return out

    def in_service(self, local_s: Arr) -> Arr:
        h = self.clock.hour(local_s)
        out: Arr = (h >= self.p.open_h) & (h < self.p.close_h)
        return out

    def dow(self, local_s: Arr) -> Arr:
        d: Arr = np.floor(np.asarray(local_s, dtype=np.float64) / DAY).astype(np.int64)
        return (d + 3) % 7
