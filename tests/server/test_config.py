"""The TOML configuration: env: secrets, clear errors that never show a secret."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from socialscope.config import ConfigError, load_config, parse_config
from tests.server.conftest import SHOP, config_toml


def test_manifest_config_parses_and_hides_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_SHOP_KEY", "very-secret-shop-key")
    cfg = parse_config(tomllib.loads(config_toml()))
    shop = cfg.shop(SHOP)
    assert shop is not None and shop.api_key is not None
    assert shop.api_key.get_secret_value() == "very-secret-shop-key"
    assert shop.meta is not None and shop.meta.bot_app_ids == ("987654321098765",)
    assert cfg.server.max_body_bytes == 1024 * 1024
    shown = repr(cfg) + str(cfg) + cfg.model_dump_json()
    assert "very-secret-shop-key" not in shown
    assert shop.line is not None
    assert shop.line.channel_secret.get_secret_value() not in shown


def test_unset_env_variable_names_the_field(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TEST_SHOP_KEY", raising=False)
    with pytest.raises(
        ConfigError, match=r"shops\[0\]\.api_key: environment variable TEST_SHOP_KEY"
    ):
        parse_config(tomllib.loads(config_toml()))


def test_errors_name_the_field_never_the_value(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(
        '[[shops]]\nshop_id = "a"\n[shops.line]\nchannel_secret = "s3cr3t-value"\n'
        'bot_user_id = "not-a-bot-id"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert "shops.0.line.bot_user_id" in str(err.value)
    assert "s3cr3t-value" not in str(err.value)
    assert "not-a-bot-id" not in str(err.value)


def test_duplicate_shops_unknown_keys_and_bad_toml(tmp_path: Path) -> None:
    dup = tmp_path / "dup.toml"
    dup.write_text('[[shops]]\nshop_id = "a"\n[[shops]]\nshop_id = "a"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="configured twice"):
        load_config(dup)
    typo = tmp_path / "typo.toml"
    typo.write_text("[server]\nmax_body = 5\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"server\.max_body"):
        load_config(typo)
    broken = tmp_path / "broken.toml"
    broken.write_text("[server\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(broken)
    with pytest.raises(ConfigError, match="no such configuration file"):
        load_config(tmp_path / "missing.toml")


def test_no_config_means_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOCIALSCOPE_CONFIG", raising=False)
    assert load_config(None).shops == ()
