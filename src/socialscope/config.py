"""The server configuration: one TOML file (``--config PATH`` or ``$SOCIALSCOPE_CONFIG``).

Every string value may be written ``env:VAR_NAME`` to read it from the environment, so
secrets need not live in the file. Secrets are held as :class:`pydantic.SecretStr`: they
print as ``**********`` in logs, errors and reprs, and only the signature checks and the
API-key check ever read them.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)

from socialscope.alerts.rules import ALL_SHOPS, LOG_TARGET, AlertRule, AlertWebhook

CONFIG_ENV = "SOCIALSCOPE_CONFIG"
ENV_PREFIX = "env:"
DEFAULT_MAX_BODY = 1024 * 1024


class ConfigError(ValueError):
    """The configuration file is missing, malformed or names an unset variable."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LineConfig(_Strict):
    """A LINE Official Account channel: its secret signs the webhooks, its bot user id is
    the webhook's ``destination``."""

    channel_secret: SecretStr
    bot_user_id: str = Field(pattern=r"^U[0-9a-f]{32}$")


class MetaConfig(_Strict):
    """A Meta app and the Facebook Pages / Instagram accounts of the shop it serves."""

    app_secret: SecretStr
    verify_token: SecretStr
    page_ids: tuple[str, ...] = ()
    instagram_ids: tuple[str, ...] = ()
    bot_app_ids: tuple[str, ...] = ()
    """Echoes sent by these app ids are the shop's bot; echoes from any other app (the
    Page inbox, Business Suite...) are a person's replies."""

    @field_validator("page_ids", "instagram_ids", "bot_app_ids", mode="before")
    @classmethod
    def _ids_as_text(cls, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return tuple(str(v) for v in value)
        return value


class ShopifyConfig(_Strict):
    """A Shopify store: its domain routes the webhook, its client secret signs it."""

    shop_domain: str
    client_secret: SecretStr
    previous_client_secret: SecretStr | None = None
    """Accepted too while a rotated secret settles (Shopify signs with the old one for up
    to an hour)."""


class ShopConfig(_Strict):
    """One shop: its identity, its API key and the platform accounts that feed it."""

    shop_id: str = Field(min_length=1)
    name: str | None = None
    timezone: str | None = None
    """IANA zone; None keeps the shop's stored zone (UTC for a new shop)."""
    currency: str | None = None
    """ISO 4217; None keeps the stored currency (USD for a new shop)."""
    api_key: SecretStr | None = None
    line: LineConfig | None = None
    meta: MetaConfig | None = None
    shopify: ShopifyConfig | None = None
    language: str | None = Field(default=None, pattern=r"^(en|zh-Hant|zh-Hans|pl)$")
    """The language of the shop's reports (default: from its time zone's market)."""


class ReportScheduleConfig(_Strict):
    """A digest produced on a schedule (`[[reports]]`): which shops, how often, when,
    in which formats and where it goes."""

    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    shop_id: str = Field(min_length=1)
    """A shop id, or "*" for every configured shop."""
    every: str = Field(default="week", pattern=r"^(day|week)$")
    """day: yesterday's digest each day; week: last Monday–Sunday, each week."""
    at: str = Field(default="08:00", pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
    """The shop-local time from which the digest is due."""
    weekday: str = Field(default="mon", pattern=r"^(mon|tue|wed|thu|fri|sat|sun)$")
    """For weekly digests: the local weekday on which it is due."""
    formats: tuple[str, ...] = ("pdf",)
    language: str | None = Field(default=None, pattern=r"^(en|zh-Hant|zh-Hans|pl)$")
    folder: Path | None = None
    webhook_url: str | None = Field(default=None, pattern=r"^https?://")
    webhook_secret: SecretStr | None = None

    @field_validator("formats")
    @classmethod
    def _known_formats(cls, formats: tuple[str, ...]) -> tuple[str, ...]:
        bad = [f for f in formats if f not in ("html", "pdf")]
        if bad or not formats:
            raise ValueError("formats must be a non-empty list of html and/or pdf")
        return tuple(dict.fromkeys(formats))

    @model_validator(mode="after")
    def _has_destination(self) -> ReportScheduleConfig:
        if self.folder is None and self.webhook_url is None:
            raise ValueError(f"report {self.id!r} needs a folder or a webhook_url")
        return self


class ServerConfig(_Strict):
    """How `socialscope serve` listens and buffers."""

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    max_body_bytes: int = Field(default=DEFAULT_MAX_BODY, gt=0)
    inbox_dir: Path | None = None
    """Where the durable inbox of accepted webhook requests lives (default: beside the
    store, ``<db>.inbox``)."""
    drain_interval_s: float = Field(default=0.2, gt=0, le=2)
    """How long the drainer waits for more requests before writing a batch."""
    privacy_k: int | None = Field(default=None, ge=3)
    """k-anonymity threshold of the audience, loss-destination and peer routes; None
    uses the store setting privacy_k (default 5). Below 3 is rejected."""
    intake_workers: int = Field(default=1, ge=0, le=16)
    """Processes that receive webhooks on the public port beside the store's owner (0: the
    owner serves everything itself, in one process). See docs/server.md."""


class EngineConfig(_Strict):
    """Where `serve` reads from (docs/engines.md): the embedded DuckDB store (default), or
    read-only PySpark over a Parquet export (`data`), or another Ibis backend (`url`)."""

    kind: Literal["duckdb", "pyspark"] = "duckdb"
    data: Path | None = None
    """The export directory (`socialscope export --format parquet DIR`) for pyspark."""
    url: str | None = None
    """Another Ibis backend, e.g. clickhouse://host/db (untested beyond DuckDB/PySpark)."""
    master: str | None = None
    """The Spark master (default local[2]), e.g. spark://host:7077."""


class Config(_Strict):
    """The whole file."""

    admin_key: SecretStr | None = None
    """A Bearer key that may query every shop."""
    server: ServerConfig = ServerConfig()
    engine: EngineConfig = EngineConfig()
    shops: tuple[ShopConfig, ...] = ()
    reports: tuple[ReportScheduleConfig, ...] = ()

    @field_validator("reports")
    @classmethod
    def _unique_reports(
        cls, reports: tuple[ReportScheduleConfig, ...]
    ) -> tuple[ReportScheduleConfig, ...]:
        ids = [r.id for r in reports]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"report id {dupes[0]!r} is configured twice")
        return reports

    alerts: tuple[AlertRule, ...] = ()
    """Alert rules (docs/alerts.md)."""
    alert_webhooks: tuple[AlertWebhook, ...] = ()
    """Where alert rules may deliver besides the log (``deliver = ["log", NAME]``)."""

    @model_validator(mode="after")
    def _alerts_refer(self) -> Config:
        hooks = {h.name for h in self.alert_webhooks}
        if len(hooks) != len(self.alert_webhooks):
            raise ValueError("alert_webhooks: a name is used twice")
        if LOG_TARGET in hooks:
            raise ValueError(f"alert_webhooks: {LOG_TARGET!r} is reserved for the log")
        shops = {s.shop_id for s in self.shops}
        seen: set[str] = set()
        for rule in self.alerts:
            if rule.id in seen:
                raise ValueError(f"alerts: rule id {rule.id!r} is used twice")
            seen.add(rule.id)
            if shops and rule.shop_id != ALL_SHOPS and rule.shop_id not in shops:
                raise ValueError(f"rule {rule.id!r}: shop_id {rule.shop_id!r} is not configured")
            for target in rule.deliver:
                if target != LOG_TARGET and target not in hooks:
                    raise ValueError(
                        f"rule {rule.id!r}: deliver: {target!r} is neither 'log' nor the name "
                        "of an [[alert_webhooks]] entry"
                    )
        return self

    @field_validator("shops")
    @classmethod
    def _unique_shops(cls, shops: tuple[ShopConfig, ...]) -> tuple[ShopConfig, ...]:
        seen: set[str] = set()
        for shop in shops:
            if shop.shop_id in seen:
                raise ValueError(f"shop_id {shop.shop_id!r} is configured twice")
            seen.add(shop.shop_id)
        return shops

    def shop(self, shop_id: str) -> ShopConfig | None:
        return next((s for s in self.shops if s.shop_id == shop_id), None)


def _resolve_env(value: Any, where: str) -> Any:
    """Replace every ``env:NAME`` string by the variable's value (recursively)."""
    if isinstance(value, dict):
        return {k: _resolve_env(v, f"{where}.{k}" if where else k) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve_env(v, f"{where}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, str) and value.startswith(ENV_PREFIX):
        name = value[len(ENV_PREFIX) :].strip()
        if name not in os.environ:
            raise ConfigError(f"{where}: environment variable {name} is not set")
        return os.environ[name]
    return value


def parse_config(data: dict[str, Any], source: str = "config") -> Config:
    """Validate a decoded TOML document; errors name the field, never a value."""
    resolved = _resolve_env(data, "")
    try:
        return Config.model_validate(resolved)
    except ValidationError as exc:
        problems = "; ".join(
            f"{_where(err['loc'], resolved)}: {err['msg']}"
            for err in exc.errors(include_input=False)
        )
        raise ConfigError(f"{source}: {problems}") from None


def _where(loc: tuple[int | str, ...], data: Any) -> str:
    """An error's field path; an alert rule's also names the rule (``alerts.0 (rule
    'reply_rate_low').for``)."""
    text = ".".join(str(p) for p in loc) or "(top)"
    if len(loc) >= 2 and loc[0] == "alerts" and isinstance(loc[1], int):
        rules = data.get("alerts") if isinstance(data, dict) else None
        rule = rules[loc[1]] if isinstance(rules, list) and loc[1] < len(rules) else None
        if isinstance(rule, dict) and isinstance(rule.get("id"), str):
            rest = ".".join(str(p) for p in loc[2:])
            text = f"alerts.{loc[1]} (rule {rule['id'][:64]!r})" + (f".{rest}" if rest else "")
    return text


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    """Read ``path``, else ``$SOCIALSCOPE_CONFIG``, else an empty configuration."""
    chosen = path if path is not None else os.environ.get(CONFIG_ENV)
    if not chosen:
        return Config()
    file = Path(chosen)
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{file}: no such configuration file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{file}: not valid TOML: {exc}") from None
    return parse_config(data, str(file))
