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
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not number > 0:
        raise SettingError(f"{name} must be a positive number of hours, got {value!r}")
    store.con.execute("INSERT OR REPLACE INTO _meta VALUES (?, ?)", [name, str(number)])
    refresh(store)
