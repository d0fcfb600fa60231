"""Store-level settings that change derived data (kept in `_meta`)."""

from __future__ import annotations

from socialscope.store.derive import DEFAULT_IDLE_HOURS, IDLE_SETTING, refresh
from socialscope.store.duckdb import Store

SETTINGS: dict[str, tuple[float, str]] = {
    IDLE_SETTING: (
        DEFAULT_IDLE_HOURS,
        "Hours without a message after which a thread's next message starts a new "
        "conversation (when conversation_id is empty).",
    ),
    "privacy_k": (
        5.0,
        "k-anonymity threshold: aggregates about other shops' users (loss destinations, "
        "peer benchmarks) and audience profiles show no group of fewer than k distinct "
        "users; at least 3 (see docs/audience.md).",
    ),
}


class SettingError(ValueError):
    """An unknown setting or an invalid value."""


def current_settings(store: Store) -> dict[str, float]:
    stored = dict(store.con.execute("SELECT key, value FROM _meta").fetchall())
    return {k: float(stored.get(k, default)) for k, (default, _) in SETTINGS.items()}


def check_name(name: str) -> None:
    if name not in SETTINGS:
        raise SettingError(f"unknown setting {name!r}; settings: {', '.join(SETTINGS)}")


def set_setting(store: Store, name: str, value: float | str) -> None:
    """Validate, store and apply a setting: every derived table is rebuilt."""
    check_name(name)
    if name == "privacy_k":
        from socialscope.audience.privacy import check_k

        try:
            k = check_k(value)
        except ValueError as exc:
            raise SettingError(str(exc)) from None
        store.con.execute("INSERT OR REPLACE INTO _meta VALUES (?, ?)", [name, str(k)])
        return
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not number > 0:
        raise SettingError(f"{name} must be a positive number of hours, got {value!r}")
    store.con.execute("INSERT OR REPLACE INTO _meta VALUES (?, ?)", [name, str(number)])
    refresh(store)
