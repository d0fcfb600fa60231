"""The privacy-sensitive runners as `Client` methods: audience profiles, the export of a
shop's own audience, loss destinations and peer benchmarks (docs/audience.md).

Thin wrappers like client_analysis.py: plain arguments in (the ones the CLI and the HTTP
API take), the runner's own result object out.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from socialscope.audience.destinations import LossDestinations
    from socialscope.audience.profile import AudienceProfile
    from socialscope.audience.usersets import UserSetRequest
    from socialscope.client import Client
    from socialscope.peers import PeerBenchmark


class AudienceMixin:
    """Runner wrappers mixed into `Client`."""

    @property
    def _aclient(self) -> Client:
        return cast("Client", self)

    def user_set_request(
        self,
        set: str,
        date_from: date | str,
        date_to: date | str,
        shop: str | None = None,
        product_id: str | None = None,
        category: str | None = None,
        traffic_source: str | None = None,
        live_id: str | None = None,
        post_id: str | None = None,
    ) -> UserSetRequest:
        """A checked UserSetRequest (UserSetError names a bad parameter); without a shop,
        the store's only shop."""
        from socialscope.audience.usersets import UserSetError, UserSetRequest, parse_day

        shops = sorted(self._aclient.shops())
        if shop is None:
            if len(shops) != 1:
                raise UserSetError("shop is required: the store holds several shops")
            shop = shops[0]
        elif shop not in shops:
            raise UserSetError(f"unknown shop {shop!r}")
        return UserSetRequest(
            shop,
            set,
            parse_day(date_from, "from"),
            parse_day(date_to, "to"),
            product_id=product_id,
            category=category,
            traffic_source=traffic_source,
            live_id=live_id,
            post_id=post_id,
        )

    def audience_profile(
        self, request: UserSetRequest, k: int | None = None, compare: bool = True
    ) -> AudienceProfile:
        """The set's k-anonymous distribution over gender, age_band, region, segment, per
        traffic_source, beside buyers and non-buyers (socialscope.audience.profile)."""
        from socialscope.audience.profile import audience_profile

        return audience_profile(self._aclient, request, k=k, compare=compare)

    def audience_export(self, request: UserSetRequest, k: int | None = None) -> str:
        """The set as a CSV of the shop's own customer ids; PrivacyError below k."""
        from socialscope.audience.export import export_csv

        return export_csv(self._aclient, request, k=k)

    def loss_destinations(
        self,
        shop: str,
        month: str,
        k: int | None = None,
        named_shops: Collection[str] = (),
    ) -> LossDestinations:
        """Where the shop's lost users of a complete calendar month bought in other shops
        of the store, by category × price band, groups of ≥ k users only. `named_shops`:
        the caller's own other shops, whose groups may carry the shop id."""
        from socialscope.audience.destinations import loss_destinations

        return loss_destinations(self._aclient, shop, month, k=k, named_shops=named_shops)

    def peer_benchmark(
        self,
        metric: str,
        shop: str,
        date_from: date | str | None = None,
        date_to: date | str | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> PeerBenchmark:
        """The shop's value, percentile rank and peer p25/p50/p75/p90 (METRICS.md 10)."""
        from socialscope.peers import peer_benchmark

        return peer_benchmark(
            self._aclient, metric, shop, date_from, date_to, dict(params) if params else None
        )
