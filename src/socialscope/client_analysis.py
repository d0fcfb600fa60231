"""The analysis runners as `Client` methods: top posts, benchmarks, attribution, funnels
and the campaign review.

Thin wrappers: each builds the runner's request from plain arguments (the same ones the
CLI and the HTTP API take) and returns the runner's own result object, so notebooks,
the CLI and the server all go through one code path. The runners are imported inside the
methods: they import `Client` themselves, and most sessions never need them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from socialscope.attribution.journeys import JourneyRequest
    from socialscope.attribution.paths import PathSet
    from socialscope.attribution.runner import AttributionRequest, AttributionResult
    from socialscope.campaigns.review import CampaignReviewResult
    from socialscope.campaigns.subjects import Kind
    from socialscope.client import Client
    from socialscope.funnels import FunnelResult, Step
    from socialscope.insights import Anomaly
    from socialscope.platform_benchmarks import Benchmark
    from socialscope.products import ProductsResult
    from socialscope.top_posts import TopPosts

DEFAULT_ORDERS: tuple[int, ...] = (1,)
"""Markov orders when none are asked (`socialscope attribution` without --order)."""
DEFAULT_FUNNEL_DAYS = 30
"""A funnel without a period reads the last 30 days of the shop's data (as the CLI)."""


class AnalysisMixin:
    """Runner wrappers mixed into `Client` (kept apart so client.py stays readable)."""

    @property
    def _client(self) -> Client:
        """This object as the Client it is mixed into (the runners take a Client)."""
        return cast("Client", self)

    def top_posts(
        self,
        shop: str | None = None,
        date_from: date | str | None = None,
        date_to: date | str | None = None,
        channel: str | None = None,
        kind: str | None = None,
        limit: int | None = 10,
    ) -> TopPosts:
        """The `limit` best posts by engagement rate by reach (see socialscope.top_posts):
        a TopPosts with the shop, the resolved period and the ranked rows."""
        from socialscope.top_posts import top_posts

        return top_posts(self._client, shop, date_from, date_to, channel, kind, limit)

    def products(
        self,
        shop: str | None = None,
        date_from: date | str | None = None,
        date_to: date | str | None = None,
        *,
        by: str = "product",
        sources: str | Sequence[str] | None = None,
        categories: str | Sequence[str] | None = None,
        currency: str | None = None,
        compare: str | None = None,
        sort: str = "product_gmv",
        ascending: bool = False,
        limit: int | None = 20,
        min_click_users: int = 30,
    ) -> ProductsResult:
        """Product traffic (METRICS.md section 9, see socialscope.products): KPI totals and,
        per product or category, the funnel exposure → click → add to cart → order → paid
        by traffic source with the main-channel verdict. `currency`: GMV and buyers of
        orders in that currency only (needed when the shop sells in several)."""
        from socialscope.products.cli_args import build_request
        from socialscope.products.runner import run_products

        request = build_request(
            shop=shop,
            date_from=date_from,
            date_to=date_to,
            by=by,
            sources=sources,
            categories=categories,
            currency=currency,
            compare=compare,
            sort=sort,
            ascending=ascending,
            limit=limit,
            min_click_users=min_click_users,
        )
        return run_products(self._client, request)

    def benchmarks(self, metric: str, channel: str | None = None) -> list[Benchmark]:
        """The static platform benchmarks beside a metric (METRICS.md 10), with a channel
        that channel's and the any-channel ones; empty when the metric has none."""
        from socialscope.platform_benchmarks import benchmarks_for

        return benchmarks_for(metric, channel)

    def attribution(
        self,
        paths: PathSet | str | Path | None = None,
        *,
        shop: str | None = None,
        date_from: date | str | None = None,
        date_to: date | str | None = None,
        models: str | Sequence[str] = "all",
        orders: Sequence[int] = DEFAULT_ORDERS,
        half_life_hours: float = 168.0,
        lookback_days: int = 30,
        include: Sequence[str] = (),
        touch_events: Sequence[str] = ("click",),
        conversion: str = "paid_order",
        net_of_refunds: bool = False,
        currency: str | None = None,
    ) -> AttributionResult:
        """Every requested attribution model side by side (socialscope.attribution.runner):
        an AttributionResult (`.to_json()` is `socialscope attribution --format json`).

        The paths are `paths` (a PathSet or an aggregated paths CSV file) or, without it,
        built from the store for `shop` between the local dates `date_from`..`date_to`
        (both required) with the journey options (lookback_days, include, touch_events,
        conversion, net_of_refunds, currency). Giving `paths` and a journey option is a
        ValueError. With a file, `currency` labels its values. `orders` are the Markov
        orders of `markov`/`all`; `markov_oK` model keys add order K. ValueError (incl.
        PathsError, JourneyError) names a bad option.
        """
        request = attribution_request(models, orders, half_life_hours)
        if paths is None:
            path_set = self.attribution_paths(
                journey_request(
                    self._client,
                    shop,
                    date_from,
                    date_to,
                    lookback_days=lookback_days,
                    include=include,
                    touch_events=touch_events,
                    conversion=conversion,
                    net_of_refunds=net_of_refunds,
                    currency=currency,
                )
            )
        else:
            given = _journey_options_given(
                shop=shop,
                date_from=date_from,
                date_to=date_to,
                lookback_days=lookback_days,
                include=include,
                touch_events=touch_events,
                conversion=conversion,
                net_of_refunds=net_of_refunds,
            )
            if given:
                raise ValueError(
                    "give either paths or the store options, not both: "
                    f"{', '.join(given)} only apply to paths built from the store"
                )
            path_set = _path_set(paths, currency)
        from socialscope.attribution.runner import attribute

        return attribute(path_set, request)

    def funnel(
        self,
        steps: str | Sequence[str] | None = None,
        *,
        builtin: str | None = None,
        shop: str | None = None,
        date_from: date | str | None = None,
        date_to: date | str | None = None,
        unit: str | None = None,
        mode: str = "ordered",
        window: timedelta | str = "14d",
        step_windows: Mapping[int, timedelta | str] | None = None,
        counting: str = "unique",
        by: str | None = None,
        breakdown_at: str = "first",
        same: Sequence[str] | None = None,
    ) -> FunnelResult:
        """A funnel over one shop's data (socialscope.funnels, docs/funnels.md): a
        FunnelResult with per-step counts, conversion, drop-off and times, overall and
        per `by` value (`.to_json()` is one shop of `socialscope funnel --format json`).

        Exactly one of `steps` (a comma string like the CLI's --steps, or one step per
        item) and `builtin` (a built-in's name: its steps, and its unit and `same` unless
        given). Durations are timedeltas or text (`14d`, `36h`, `90m`); `step_windows`
        maps a step number (2..n) to the most time from the previous step. Without a
        period: the last 30 local days up to the shop's latest step-1 event. The shop
        defaults to the store's only one. FunnelError (a ValueError) names a bad option.
        """
        from socialscope.funnels import FunnelRequest, run_funnel
        from socialscope.funnels.runner import default_period

        chosen, unit_name, same_dims = funnel_steps(steps, builtin, unit, same)
        if (date_from is None) != (date_to is None):
            raise ValueError(
                "give both date_from and date_to, or neither (the last "
                f"{DEFAULT_FUNNEL_DAYS} days of the shop's data)"
            )
        shop_id = shop if shop is not None else _only_shop(self._client)
        if date_from is None or date_to is None:
            start, end = default_period(self._client, shop_id, chosen, DEFAULT_FUNNEL_DAYS)
        else:
            start, end = _day(date_from, "date_from"), _day(date_to, "date_to")
        request = FunnelRequest(
            chosen,
            shop_id,
            start,
            end,
            unit=unit_name,
            mode=mode,
            window=_duration(window),
            step_windows={int(k): _duration(v) for k, v in (step_windows or {}).items()},
            counting=counting,
            by=by,
            breakdown_at=breakdown_at,
            same=same_dims,
        )
        return run_funnel(self._client, request)

    def campaign_review(
        self,
        kind: str,
        ref: str,
        *,
        shop: str | None = None,
        launch: date | str | None = None,
        days_after: int = 14,
        weeks_before: int = 6,
        trailing_days: int = 28,
        target_sales: Decimal | int | str | None = None,
        interval: float = 0.9,
    ) -> CampaignReviewResult:
        """The review of a campaign, post or live (socialscope.campaigns.review,
        docs/campaign-review.md): a CampaignReviewResult with the funnel targets for
        `target_sales` (from the trailing rates) and the lift after the launch against the
        weeks before (`.to_json()` is `socialscope campaign-review --format json`).

        `kind` is campaign (ref: the utm campaign), post or live (ref: its id); the launch
        defaults to the subject's start. ReviewError (a ValueError) names a bad option.
        """
        from socialscope.campaigns.review import CampaignReviewRequest, run_review

        request = CampaignReviewRequest(
            shop=shop,
            kind=cast("Kind", kind),  # the runner refuses anything but its kinds
            ref=ref,
            launch=None if launch is None else _day(launch, "launch"),
            days_after=days_after,
            weeks_before=weeks_before,
            trailing_days=trailing_days,
            target_sales=None if target_sales is None else _amount(target_sales),
            interval=interval,
        )
        return run_review(self._client, request)

    def attribution_paths(self, request: JourneyRequest) -> PathSet:
        """The converting and non-converting paths of a shop's period, built from the
        store's journeys (socialscope.attribution.journeys.build_paths)."""
        from socialscope.attribution.journeys import build_paths

        return build_paths(self._client, request)

    def anomalies(
        self,
        metric: str,
        *,
        shop: str | None = None,
        date_from: date | str | None = None,
        date_to: date | str | None = None,
        by: str | Sequence[str] | None = None,
        grain: str = "day",
        sensitivity: float = 3.0,
        where: Mapping[str, str | Sequence[str]] | None = None,
        explain: bool = True,
        params: Mapping[str, Any] | None = None,
    ) -> list[Anomaly]:
        """The points of a metric's daily (hourly, weekly, monthly) series outside their band,
        each with what happened around it (socialscope.insights, docs/anomalies.md);
        `[a.to_json() for a in ...]` is `socialscope anomalies --format json`."""
        from socialscope.insights import find_anomalies

        return find_anomalies(
            self._client,
            metric,
            shop=shop,
            date_from=date_from,
            date_to=date_to,
            by=by,
            grain=grain,
            sensitivity=sensitivity,
            where=where,
            explain=explain,
            params=params,
        )


def attribution_request(
    models: str | Sequence[str], orders: Sequence[int], half_life_hours: float
) -> AttributionRequest:
    """The models to run: `models` is `all`, names or `markov_oK` keys (a comma string or
    a list). `orders` go to `markov`/`all`; asked without either, anything but the
    default (1,) is an error rather than silently ignored."""
    from socialscope.attribution.runner import parse_models

    text = models if isinstance(models, str) else ",".join(models)
    names = {n.strip() for n in text.split(",")}
    order_tuple = tuple(orders)
    plain_markov = bool(names & {"all", "markov"})
    if not plain_markov and order_tuple != DEFAULT_ORDERS:
        raise ValueError("orders need markov among the models (or all)")
    request = parse_models(text, order_tuple if plain_markov else None)
    return replace(request, half_life_hours=float(half_life_hours))


def funnel_steps(
    steps: str | Sequence[str] | None,
    builtin: str | None,
    unit: str | None,
    same: Sequence[str] | None,
) -> tuple[tuple[Step, ...], str, tuple[str, ...]]:
    """The steps, unit and `same` dimensions: a built-in's unless given (as the CLI)."""
    from socialscope.funnels import FunnelError, parse_step, parse_steps
    from socialscope.funnels.builtin import builtin as find_builtin

    if (steps is None) == (builtin is None):
        raise FunnelError("give either steps or builtin (see the built-in funnels)")
    if builtin is not None:
        b = find_builtin(builtin)
        return b.steps, unit or b.unit, tuple(same) if same else b.same
    assert steps is not None
    parsed = parse_steps(steps) if isinstance(steps, str) else tuple(map(parse_step, steps))
    return parsed, unit or "visitor", tuple(same or ())


def _duration(value: timedelta | str) -> timedelta:
    """A timedelta as given, or parsed from `14d` / `36h` / `90m` / `30s`."""
    if isinstance(value, timedelta):
        return value
    from socialscope.funnels.request import parse_duration

    return parse_duration(value)


def journey_request(
    client: Client,
    shop: str | None,
    date_from: date | str | None,
    date_to: date | str | None,
    *,
    lookback_days: int = 30,
    include: Sequence[str] = (),
    touch_events: Sequence[str] = ("click",),
    conversion: str = "paid_order",
    net_of_refunds: bool = False,
    currency: str | None = None,
) -> JourneyRequest:
    """The journey request of the store mode; the shop defaults to the store's only one."""
    if date_from is None or date_to is None:
        raise ValueError("paths from the store need both date_from and date_to")
    start, end = _day(date_from, "date_from"), _day(date_to, "date_to")
    chosen = shop if shop is not None else _only_shop(client)
    from socialscope.attribution.journeys import JourneyRequest

    return JourneyRequest(
        shop=chosen,
        date_from=start,
        date_to=end,
        touch_events=tuple(touch_events),
        include=frozenset(include),
        lookback_days=lookback_days,
        conversion=conversion,
        net_of_refunds=net_of_refunds,
        currency=currency,
    )


def _journey_options_given(**options: object) -> list[str]:
    """The store-mode options that differ from their defaults."""
    defaults: dict[str, object] = {
        "shop": None,
        "date_from": None,
        "date_to": None,
        "lookback_days": 30,
        "include": (),
        "touch_events": ("click",),
        "conversion": "paid_order",
        "net_of_refunds": False,
    }
    given = []
    for name, value in options.items():
        plain = tuple(value) if isinstance(value, list | set | frozenset) else value
        if plain != defaults[name]:
            given.append(name)
    return given


def _path_set(paths: PathSet | str | Path, currency: str | None) -> PathSet:
    """A PathSet as given, or read from a paths CSV file (`currency` labels its values)."""
    from socialscope.attribution.paths import PathSet
    from socialscope.attribution.paths_csv import read_paths_csv

    if not isinstance(paths, PathSet):
        return read_paths_csv(Path(paths), currency=currency)
    if currency is None or currency == paths.currency:
        return paths
    if paths.currency is None:
        return replace(paths, currency=currency)
    raise ValueError(f"the paths are in {paths.currency}, not {currency}")


def _amount(value: Decimal | int | str) -> Decimal:
    """A money amount (Decimal, int or text like "150,000"); never a binary float."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"target_sales must be an amount, got {value!r}") from None
    if not amount.is_finite():
        raise ValueError(f"target_sales must be an amount, got {value!r}")
    return amount


def _only_shop(client: Client) -> str:
    shops = sorted(client.shops())
    if len(shops) != 1:
        raise ValueError(f"name a shop; shops in this store: {', '.join(shops) or 'none'}")
    return shops[0]


def _day(value: date | str, name: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{name} must be a date YYYY-MM-DD, not {value!r}") from None
