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

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

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
            f"{'.'.join(str(p) for p in err['loc']) or '(top)'}: {err['msg']}"
            for err in exc.errors(include_input=False)
        )
        raise ConfigError(f"{source}: {problems}") from None


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
