"""The filters every dashboard page shares, read from and written to the URL.

``?shop=S&channel=line&channel=facebook&preset=last_30_days&compare=previous`` — or
``preset=custom&from=2026-05-01&to=2026-05-31``. Presets are resolved in the shop's own
time zone ("today" is the shop's today). Everything a view shows is in its URL, so a view
can be bookmarked and shared.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from socialscope.contract.enums import Channel

PRESETS = (
    "today",
    "last_7_days",
    "last_30_days",
    "last_90_days",
    "this_month",
    "last_month",
    "custom",
)
DEFAULT_PRESET = "last_30_days"
COMPARES = ("previous", "yoy", "none")
CHANNELS = tuple(c.value for c in Channel)
REPEATABLE_KEYS = frozenset({"where", "models", "orders", "include"})
"""Page keys that may repeat in the URL; their values are kept joined with ';'."""


class FilterError(ValueError):
    """A filter value that cannot be used (shown to the user, with the field)."""


@dataclass(frozen=True)
class Filters:
    shop: str
    date_from: date
    date_to: date
    preset: str = DEFAULT_PRESET
    channels: tuple[str, ...] = ()
    compare: str = "previous"
    extra: dict[str, str] = field(default_factory=dict)
    """Page-specific parameters (tab, metric, by, grain...), kept in the URL too."""

    @property
    def compare_mode(self) -> str | None:
        return None if self.compare == "none" else self.compare

    def where(self) -> dict[str, list[str]]:
        return {"channel": list(self.channels)} if self.channels else {}

    def params(self, **overrides: Any) -> list[tuple[str, str]]:
        """The URL query of these filters (with overrides; None removes a key)."""
        values: dict[str, Any] = {
            "shop": self.shop,
            "preset": self.preset,
            "compare": self.compare,
            "channel": list(self.channels),
            **self.extra,
        }
        if self.preset == "custom":
            values["from"], values["to"] = self.date_from.isoformat(), self.date_to.isoformat()
        values.update(overrides)
        out: list[tuple[str, str]] = []
        for key, value in values.items():
            if value is None:
                continue
            if isinstance(value, list | tuple):
                out.extend((key, str(v)) for v in value)
            else:
                out.append((key, str(value)))
        return out

    def query_string(self, **overrides: Any) -> str:
        return urlencode(self.params(**overrides))

    def shared_query(self) -> str:
        """The query without page-specific keys: what another page keeps of this view."""
        return urlencode(self.params(**dict.fromkeys(self.extra)))

    def with_extra(self, **extra: str) -> Filters:
        return replace(self, extra={**self.extra, **extra})

    def to_dict(self) -> dict[str, Any]:
        return {
            "shop": self.shop,
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "preset": self.preset,
            "channels": list(self.channels),
            "compare": self.compare,
            **self.extra,
        }


def shop_today(timezone: str | None, now: datetime | None = None) -> date:
    zone = ZoneInfo(timezone or "UTC")
    return (now or datetime.now(UTC)).astimezone(zone).date()


def preset_range(preset: str, today: date) -> tuple[date, date]:
    match preset:
        case "today":
            return today, today
        case "last_7_days":
            return today - timedelta(days=6), today
        case "last_30_days":
            return today - timedelta(days=29), today
        case "last_90_days":
            return today - timedelta(days=89), today
        case "this_month":
            return today.replace(day=1), today
        case "last_month":
            end = today.replace(day=1) - timedelta(days=1)
            return end.replace(day=1), end
    raise FilterError(f"preset: unknown preset {preset!r}; presets: {', '.join(PRESETS)}")


def _date(value: str | None, name: str) -> date:
    if not value:
        raise FilterError(f"{name}: a date YYYY-MM-DD is needed for a custom range")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise FilterError(f"{name}: not a date YYYY-MM-DD: {value[:20]!r}") from None


def parse_filters(
    query: Mapping[str, str | Sequence[str]],
    shops: Mapping[str, Mapping[str, Any]],
    allowed_shops: Sequence[str],
    *,
    extra_keys: Sequence[str] = (),
    now: datetime | None = None,
) -> Filters:
    """Filters from a request's query (a multi-dict flattened as key -> str or list).

    `allowed_shops` are the shops the signed-in principal may read, in display order.
    """

    def one(key: str) -> str | None:
        value = query.get(key)
        if isinstance(value, list | tuple):
            value = value[-1] if value else None
        return value.strip() if isinstance(value, str) and value.strip() else None

    def many(key: str) -> list[str]:
        value = query.get(key)
        if value is None:
            return []
        items = [value] if isinstance(value, str) else list(value)
        return [i.strip() for item in items for i in item.split(",") if i.strip()]

    if not allowed_shops:
        raise FilterError("shop: no shop holds data yet")
    shop = one("shop") or allowed_shops[0]
    if shop not in allowed_shops:
        raise FilterError(f"shop: {shop!r} is not one of your shops")
    channels = tuple(dict.fromkeys(many("channel")))
    for ch in channels:
        if ch not in CHANNELS:
            raise FilterError(f"channel: unknown channel {ch!r}")
    compare = one("compare") or "previous"
    if compare not in COMPARES:
        raise FilterError(f"compare: must be one of {', '.join(COMPARES)}")
    preset = one("preset") or ("custom" if one("from") or one("to") else DEFAULT_PRESET)
    if preset == "custom":
        start, end = _date(one("from"), "from"), _date(one("to"), "to")
        if end < start:
            raise FilterError("to: the range ends before it starts")
        if (end - start).days > 3 * 366:
            raise FilterError("to: a range may span at most three years")
    else:
        today = shop_today(str(shops.get(shop, {}).get("timezone") or "UTC"), now)
        start, end = preset_range(preset, today)

    def joined(key: str) -> str | None:
        """A repeatable key (``where=a=b&where=c=d``) as one value ``a=b;c=d``."""
        value = query.get(key)
        items = [value] if isinstance(value, str) else list(value or ())
        return ";".join(i.strip() for i in items if isinstance(i, str) and i.strip()) or None

    extra = {
        k: v
        for k in extra_keys
        if (v := (joined(k) if k in REPEATABLE_KEYS else one(k))) is not None
    }
    return Filters(shop, start, end, preset, channels, compare, extra)
