"""The ``[[alerts]]`` and ``[[alert_webhooks]]`` tables of the server configuration.

Kept free of the rest of the alerts package so `socialscope.config` can import it. Every
rule is checked when the config is read: its condition parses, its metric is registered,
its dimensions and filters exist for that metric, its ``for`` fits its grain — and every
error names the rule (``rule 'reply_rate_low': condition: ...``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

from socialscope.alerts.conditions import (
    Anomaly,
    ChangeVsYesterday,
    Condition,
    ConditionError,
    Threshold,
    parse_condition,
    parse_duration,
)

LOG_TARGET = "log"
ALL_SHOPS = "*"
OVERVIEW_METRICS: tuple[str, ...] = (
    "interacting_users",
    "conversations",
    "sales_amount",
    "net_paid_amount",
    "order_count",
)
"""The Social Data Overview's metrics (see `socialscope.overview`): interaction and sales."""
GRAIN_STEP = {"hour": timedelta(hours=1), "day": timedelta(days=1)}
TIME_DIMS = frozenset({"date", "hour", "week", "month", "shop_id"})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AlertWebhook(_Strict):
    """A receiver of alert messages: JSON POSTs signed with ``secret`` (HMAC-SHA256)."""

    name: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$")
    url: str
    secret: SecretStr
    timeout_s: float = Field(default=5.0, gt=0, le=60)
    max_attempts: int = Field(default=8, ge=1, le=50)
    backoff_base_s: float = Field(default=2.0, gt=0, le=3600)
    backoff_max_s: float = Field(default=600.0, gt=0, le=86400)

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("url must be an http:// or https:// URL with a host")
        return value

    def public_url(self) -> str:
        """The URL without credentials, query or fragment (for lists and logs)."""
        parts = urlsplit(self.url)
        host = parts.hostname or ""
        if parts.port:
            host = f"{host}:{parts.port}"
        return urlunsplit((parts.scheme, host, parts.path, "", ""))


class AlertRule(_Strict):
    """One rule: which metric, which slice, what condition, for how long, to whom."""

    id: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$")
    shop_id: str = Field(min_length=1)
    """A configured shop, or ``*`` for every configured shop."""
    metric: str | None = None
    condition: str
    where: dict[str, str | list[str]] = Field(default_factory=dict)
    params: dict[str, str | int | float | bool] = Field(default_factory=dict)
    by: tuple[str, ...] = ()
    """Dimensions: each slice (e.g. each channel) is its own incident."""
    for_: str = Field(default="0", alias="for")
    grain: Literal["hour", "day"] = "hour"
    severity: Literal["info", "warning", "critical"] = "warning"
    deliver: tuple[str, ...] = (LOG_TARGET,)
    description: str | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @property
    def parsed(self) -> Condition:
        return parse_condition(self.condition)

    @property
    def duration(self) -> timedelta:
        return parse_duration(self.for_)

    @property
    def metric_id(self) -> str | None:
        """The metric the rule watches (None: every overview metric)."""
        cond = self.parsed
        if isinstance(cond, Threshold) and cond.metric:
            return cond.metric
        return self.metric

    @property
    def metrics(self) -> tuple[str, ...]:
        metric = self.metric_id
        return (metric,) if metric else OVERVIEW_METRICS

    @property
    def is_snapshot(self) -> bool:
        from socialscope.metrics.registry import REGISTRY

        metric = self.metric_id
        return metric is not None and REGISTRY.get(metric).snapshot

    @property
    def buckets(self) -> int:
        """How many consecutive complete buckets the condition must hold (≥ 1)."""
        step = GRAIN_STEP[self.grain]
        return max(1, self.duration // step)

    def where_map(self) -> dict[str, list[str]]:
        return {k: [v] if isinstance(v, str) else list(v) for k, v in self.where.items()}

    @model_validator(mode="after")
    def _check(self) -> AlertRule:
        try:
            _check_rule(self)
        except (ConditionError, ValueError) as exc:
            raise ValueError(f"rule {self.id!r}: {exc}") from None
        return self


def _check_rule(rule: AlertRule) -> None:
    from socialscope.metrics.registry import REGISTRY
    from socialscope.metrics.spec import Count, Ratio, Sum

    try:
        cond = parse_condition(rule.condition)
    except ConditionError as exc:
        raise ValueError(f"condition: {exc}") from None
    try:
        duration = parse_duration(rule.for_)
    except ConditionError as exc:
        raise ValueError(f"for: {exc}") from None
    if isinstance(cond, Threshold) and cond.metric and rule.metric and cond.metric != rule.metric:
        raise ValueError(
            f"condition names metric {cond.metric!r} but metric is {rule.metric!r}; give one"
        )
    if isinstance(cond, Anomaly) and cond.any_overview and rule.metric:
        raise ValueError("metric: anomaly_any_overview watches every overview metric; omit it")
    metric = rule.metric_id
    if metric is None and not (isinstance(cond, Anomaly) and cond.any_overview):
        raise ValueError(
            "metric: required (or name it in the condition, e.g. 'queue_waiting > 20')"
        )
    for m in rule.metrics:
        if m not in REGISTRY:
            raise ValueError(f"metric: unknown metric {m!r} (see socialscope metrics list)")
    spec = REGISTRY.get(rule.metrics[0])
    allowed = set(REGISTRY.all_dimensions(spec)) - TIME_DIMS
    for m in rule.metrics[1:]:
        allowed &= set(REGISTRY.all_dimensions(REGISTRY.get(m)))
    for dim in rule.by:
        if dim not in allowed:
            raise ValueError(f"by: {dim!r} is not a dimension here; allowed: {sorted(allowed)}")
    for dim in rule.where:
        if dim not in allowed:
            raise ValueError(f"where: {dim!r} is not a dimension here; allowed: {sorted(allowed)}")
    known = {p.name for m in rule.metrics for p in REGISTRY.get(m).params}
    for name in rule.params:
        if name not in known or name == "as_of":
            raise ValueError(f"params: {name!r} is not a parameter of {', '.join(rule.metrics)}")
    if spec.snapshot:
        if not isinstance(cond, Threshold):
            raise ValueError(
                f"condition: {metric} is a snapshot metric; only a threshold applies to it"
            )
        return
    step = GRAIN_STEP[rule.grain]
    if duration % step:
        raise ValueError(f"for: {rule.for_!r} is not a whole number of {rule.grain}s (grain)")
    if isinstance(cond, ChangeVsYesterday):
        if rule.grain != "hour":
            raise ValueError("grain: change_vs_yesterday is computed hour by hour; use 'hour'")
        agg = spec.agg
        parts = [agg.numerator, agg.denominator] if isinstance(agg, Ratio) else [spec.id]
        for part in parts:
            if not isinstance(REGISTRY.get(part).agg, Count | Sum):
                raise ValueError(
                    f"condition: change_vs_yesterday sums hours, so it needs a count, a sum or "
                    f"a ratio of them; {part} is not additive across hours"
                )


def rules_for_shop(rules: tuple[AlertRule, ...], shop: str) -> list[AlertRule]:
    return [r for r in rules if r.shop_id in (shop, ALL_SHOPS)]


def public_rule(rule: AlertRule, webhooks: dict[str, AlertWebhook]) -> dict[str, Any]:
    """A rule as lists and the API show it: no secrets, webhook URLs without credentials."""
    targets: list[dict[str, Any]] = []
    for name in rule.deliver:
        hook = webhooks.get(name)
        if hook is None:
            targets.append({"name": name, "kind": "log"})
        else:
            targets.append({"name": name, "kind": "webhook", "url": hook.public_url()})
    return {
        "id": rule.id,
        "shop_id": rule.shop_id,
        "metric": rule.metric_id,
        "metrics": list(rule.metrics),
        "condition": rule.condition,
        "for": rule.for_,
        "grain": rule.grain,
        "by": list(rule.by),
        "where": rule.where_map(),
        "params": dict(rule.params),
        "severity": rule.severity,
        "deliver": targets,
        "description": rule.description,
    }
