"""The "main channel" verdict of one product: where its money and its conversion come from.

Two questions, answered separately because they often differ (search sells the most,
recommendation converts best):

- GMV channel: the traffic source with the highest product_gmv (> 0). Ties: every source
  sharing the top value is listed in `gmv_tied`; the one named is the tied source with more
  buyers, then the first by name.
- Conversion channel: among sources with at least `min_click_users` click users (small
  samples give meaningless rates), the one with the highest click_to_purchase_rate. Ties:
  listed in `conversion_tied`; the one named has more click users, then the first by name.

A slice without a traffic source (orders or touchpoints that carry none) is never a
verdict: "unknown" is no channel to invest in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Verdict:
    gmv_source: str | None
    gmv_tied: tuple[str, ...]
    conversion_source: str | None
    conversion_tied: tuple[str, ...]
    conversion_reason: str | None
    """Why there is no conversion channel: 'no_clicks' or 'small_sample' (none of the
    sources reached min_click_users); None when there is one."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "gmv_source": self.gmv_source,
            "gmv_tied": list(self.gmv_tied),
            "conversion_source": self.conversion_source,
            "conversion_tied": list(self.conversion_tied),
            "conversion_reason": self.conversion_reason,
        }


def _num(value: Any) -> Any:
    return 0 if value is None else value


def main_channel(sources: Sequence[Mapping[str, Any]], min_click_users: int) -> Verdict:
    """The verdict over one product's per-source rows (traffic_source, product_gmv,
    product_buyers, product_click_users, click_to_purchase_rate)."""
    named = [s for s in sources if s.get("traffic_source")]

    sold = [s for s in named if _num(s.get("product_gmv")) > Decimal(0)]
    gmv_source, gmv_tied = None, ()
    if sold:
        top = max(s["product_gmv"] for s in sold)
        tied = sorted((s for s in sold if s["product_gmv"] == top), key=_by_buyers)
        gmv_source = tied[0]["traffic_source"]
        gmv_tied = tuple(sorted(s["traffic_source"] for s in tied)) if len(tied) > 1 else ()

    clicked = [s for s in named if _num(s.get("product_click_users")) > 0]
    big = [s for s in clicked if s["product_click_users"] >= min_click_users]
    conv_source, conv_tied, reason = None, (), None
    if not clicked:
        reason = "no_clicks"
    elif not big:
        reason = "small_sample"
    else:
        best = max(_num(s.get("click_to_purchase_rate")) for s in big)
        tied = sorted(
            (s for s in big if _num(s.get("click_to_purchase_rate")) == best), key=_by_clicks
        )
        conv_source = tied[0]["traffic_source"]
        conv_tied = tuple(sorted(s["traffic_source"] for s in tied)) if len(tied) > 1 else ()
    return Verdict(gmv_source, gmv_tied, conv_source, conv_tied, reason)


def _by_buyers(s: Mapping[str, Any]) -> tuple[int, str]:
    return (-_num(s.get("product_buyers")), s["traffic_source"])


def _by_clicks(s: Mapping[str, Any]) -> tuple[int, str]:
    return (-_num(s.get("product_click_users")), s["traffic_source"])
