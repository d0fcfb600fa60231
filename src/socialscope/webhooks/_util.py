"""Small helpers the platform adapters share: JSON decoding, safe access, times, money.

Payloads come from outside, so every accessor tolerates a missing key or a value of the
wrong type and answers None; the adapters then decide whether the absence is fatal
(:class:`PayloadError`) or simply means "not present".
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from socialscope.webhooks.events import PayloadError

JsonObject = dict[str, Any]

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ONE_MS = timedelta(milliseconds=1)
_MS_THRESHOLD = 10**11
"""Epoch values at or above this are milliseconds, below it seconds (see epoch_utc)."""


def load_object(body: bytes) -> JsonObject:
    """Decode a verified body; anything but a JSON object is a :class:`PayloadError`."""
    try:
        doc = json.loads(body)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, UnicodeDecodeError
        raise PayloadError(f"body is not valid JSON ({type(exc).__name__})") from None
    if not isinstance(doc, dict):
        raise PayloadError(f"body is a JSON {type(doc).__name__}, not an object")
    return doc


def obj(value: Any) -> JsonObject:
    """``value`` when it is a JSON object, else an empty one (safe chaining)."""
    return value if isinstance(value, dict) else {}


def objects(value: Any) -> list[JsonObject]:
    """The objects of a JSON array (other items skipped); [] when not an array."""
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def get(value: Any, *path: str) -> Any:
    """``value[p0][p1]...`` or None as soon as a step is missing or not an object."""
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def text_id(value: Any) -> str | None:
    """An id as text: platforms send ids as strings or (64-bit) integers."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value:
        return value
    return None


def require_id(value: Any, what: str) -> str:
    """:func:`text_id`, or a :class:`PayloadError` naming the missing field."""
    found = text_id(value)
    if found is None:
        raise PayloadError(f"{what} is missing or not an id")
    return found


def _epoch_number(value: Any, what: str) -> int:
    if isinstance(value, bool):
        raise PayloadError(f"{what} is not a number")
    if isinstance(value, int):
        return value
    if isinstance(value, float | str):
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise PayloadError(f"{what} is not a number") from None
        if number.is_finite() and number == number.to_integral_value():
            return int(number)
    raise PayloadError(f"{what} is missing or not an integer epoch")


def epoch_utc(value: Any, what: str) -> datetime:
    """An epoch time as an aware UTC datetime, in seconds (FB feed, IG comments) or
    milliseconds (LINE, Messenger, IG DM): the magnitude tells them apart unambiguously
    for any date between 1973 and 5138, so a platform changing units cannot shift a time
    by a factor of 1000."""
    number = _epoch_number(value, what)
    if abs(number) < _MS_THRESHOLD:
        number *= 1000
    return _from_ms(number, what)


def _from_ms(ms: int, what: str) -> datetime:
    try:
        return EPOCH + timedelta(milliseconds=ms)
    except OverflowError:
        raise PayloadError(f"{what} is out of range") from None


_FRACTION = re.compile(r"(\.\d{6})\d+")


def iso_utc(value: Any, what: str) -> datetime | None:
    """An ISO-8601 time with an offset (Shopify) as UTC; None when absent.

    Nanosecond fractions are cut to microseconds; a time without an offset is read as
    UTC (Shopify always sends one)."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise PayloadError(f"{what} is not an ISO-8601 string")
    try:
        parsed = datetime.fromisoformat(_FRACTION.sub(r"\1", value.strip()))
    except ValueError:
        raise PayloadError(f"{what} is not an ISO-8601 time") from None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def decimal(value: Any) -> Decimal | None:
    """A money value (decimal string, int, or a float Shopify sometimes sends) as Decimal.

    Floats go through ``str`` so 390.0 becomes Decimal("390.0"), never a binary
    approximation; anything unparseable is None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int | float | str):
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    return None


def digest(value: Any) -> str:
    """A short stable fingerprint of a JSON value: a dedupe key for events without an id
    (the same event re-sent, however it is batched or escaped, gets the same key)."""
    canonical = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:24]


def header(headers: Mapping[str, str], name: str) -> str | None:
    """A header by case-insensitive name, whatever mapping the caller passes."""
    value = headers.get(name)
    if value is None:
        wanted = name.lower()
        value = next((v for k, v in headers.items() if k.lower() == wanted), None)
    return value


def compact(values: Mapping[str, Any]) -> dict[str, Any]:
    """The items whose value is not None (keeps ``extra`` dicts small)."""
    return {k: v for k, v in values.items() if v is not None}


def money_text(value: Decimal | None) -> str | None:
    """A Decimal as JSON-friendly text for ``extra`` (JSON has no decimal type)."""
    return None if value is None else str(value)
