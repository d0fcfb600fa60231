"""audience_profile (METRICS.md 9): a user set's distribution over customer attributes.

Per group (the whole set, then each traffic_source) and per attribute (gender, age_band,
region, segment): users and share. k-anonymity: a value held by fewer than k users is
merged into `other` (which also holds the literal value "other"); while `other` is
non-empty and still below k, the smallest shown value joins it; a group of fewer than k
users is suppressed whole (users null, no values). Missing attributes (a visitor never
linked to a customer, an empty column) count as `unknown`. The set is shown beside
buyers and non-buyers of the same shop, period and filters.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import ibis

from socialscope.audience.privacy import effective_k
from socialscope.audience.usersets import UserSetRequest, materialized, user_set

if TYPE_CHECKING:
    from socialscope.client import Client

ATTRIBUTES: tuple[str, ...] = ("gender", "age_band", "region", "segment")
OTHER = "other"
UNKNOWN = "unknown"
ALL_SOURCES = "all"
NO_SOURCE = "none"
"""traffic_source group of users of sets without one (inquiries, comments)."""


@dataclass(frozen=True)
class Cell:
    value: str
    users: int
    share: float


@dataclass(frozen=True)
class ProfileGroup:
    """One column of the profile: a set (set/buyers/non_buyers) within a traffic source."""

    population: str
    traffic_source: str
    users: int | None  # None: fewer than k users, suppressed
    attributes: dict[str, list[Cell]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "population": self.population,
            "traffic_source": self.traffic_source,
            "users": self.users,
            "suppressed": self.users is None,
            "attributes": {
                a: [{"value": c.value, "users": c.users, "share": c.share} for c in cells]
                for a, cells in self.attributes.items()
            },
        }


@dataclass(frozen=True)
class AudienceProfile:
    request: UserSetRequest
    k: int
    groups: tuple[ProfileGroup, ...]

    def to_json(self) -> dict[str, Any]:
        r = self.request
        return {
            "shop": r.shop,
            "set": r.set,
            "from": r.date_from.isoformat(),
            "to": r.date_to.isoformat(),
            "filters": {
                f: getattr(r, f)
                for f in ("product_id", "category", "traffic_source", "live_id", "post_id")
                if getattr(r, f) is not None
            },
            "k": self.k,
            "groups": [g.to_json() for g in self.groups],
        }


def audience_profile(
    client: Client, request: UserSetRequest, k: int | None = None, compare: bool = True
) -> AudienceProfile:
    """The profile of `request`'s set and, with `compare` (and when the set is not
    already one of them), of buyers and non-buyers side by side."""
    kk = effective_k(client.store, k)
    populations = [request.set]
    if compare:
        populations += [p for p in ("buyers", "non_buyers") if p != request.set]
    reqs = [(pop, request if pop == request.set else request.with_set(pop)) for pop in populations]
    counts = _counts(client.store, reqs)
    groups: list[ProfileGroup] = []
    for pop in populations:
        groups += _groups(pop, counts.get(pop, {}), kk)
    return AudienceProfile(request, kk, tuple(groups))


def _counts(
    store: Any, reqs: list[tuple[str, UserSetRequest]]
) -> dict[str, dict[tuple[str, str, str], int]]:
    """{population: {(traffic_source, attribute, value): distinct users}}, source "all"
    included — one statement for every population, aggregated in the engine: only counts
    come out."""
    con = store.ibis
    shop = reqs[0][1].shop
    sets = [user_set(con, req).mutate(pop=ibis.literal(pop)) for pop, req in reqs]
    s = sets[0]
    for other in sets[1:]:
        s = s.union(other, distinct=False)
    c = con.table("customers")
    c = c.filter(c.shop_id == shop).select(
        c_id=c.customer_id, **{f"a_{a}": c[a].cast("string") for a in ATTRIBUTES}
    )
    joined = s.left_join(c, s.unit == c.c_id).view()
    out: dict[str, dict[tuple[str, str, str], int]] = defaultdict(dict)
    with materialized(store, joined) as j:  # the sets computed once, then read 8 times
        source = j.traffic_source.fill_null(NO_SOURCE)
        parts = []
        for a in ATTRIBUTES:
            raw = j[f"a_{a}"]
            value = ibis.ifelse(raw.isnull() | (raw.strip() == ""), UNKNOWN, raw)
            parts.append(
                j.select(pop=j.pop, unit=j.unit, src=source, attr=ibis.literal(a), value=value)
            )
        rel = parts[0]
        for p in parts[1:]:
            rel = rel.union(p, distinct=False)
        by_src = rel.group_by(["pop", "src", "attr", "value"]).agg(users=rel.unit.nunique())
        overall = rel.group_by(["pop", "attr", "value"]).agg(users=rel.unit.nunique())
        overall = overall.select(
            pop="pop", src=ibis.literal(ALL_SOURCES), attr="attr", value="value", users="users"
        )
        for row in con.to_pyarrow(by_src.union(overall, distinct=False)).to_pylist():
            out[row["pop"]][(row["src"], row["attr"], row["value"])] = int(row["users"])
    return out


def _groups(pop: str, counts: dict[tuple[str, str, str], int], k: int) -> list[ProfileGroup]:
    by_src: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for (src, attr, value), n in counts.items():
        by_src[src][attr][value] = n
    order = [ALL_SOURCES, *sorted(s for s in by_src if s != ALL_SOURCES)]
    if ALL_SOURCES not in by_src:
        by_src[ALL_SOURCES] = defaultdict(dict)
    out = []
    for src in order:
        attrs = by_src[src]
        # every user has exactly one value per attribute: any attribute's sum is the total
        total = sum(attrs[ATTRIBUTES[0]].values()) if attrs else 0
        if total < k:
            out.append(ProfileGroup(pop, src, None))
            continue
        out.append(
            ProfileGroup(pop, src, total, {a: merge_small(attrs[a], total, k) for a in ATTRIBUTES})
        )
    return out


def merge_small(values: dict[str, int], total: int, k: int) -> list[Cell]:
    """The k-anonymous distribution of one attribute (total ≥ k): no cell below k."""
    shown = {v: n for v, n in values.items() if n >= k and v != OTHER}
    other = total - sum(shown.values())
    while 0 < other < k and shown:
        smallest = min(shown, key=lambda v: (shown[v], v))
        other += shown.pop(smallest)
    cells = sorted(shown.items(), key=lambda vn: (-vn[1], vn[0]))
    if other:
        cells.append((OTHER, other))
    return [Cell(v, n, n / total) for v, n in cells]
