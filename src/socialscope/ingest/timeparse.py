"""SQL expressions that turn ISO 8601 text into UTC instants and shop-local wall times.

Everything here builds DuckDB SQL so that a million timestamps are converted in one
vectorised statement instead of a Python loop. The rules (SCHEMA.md):

* a value with ``Z`` or an offset (``+08:00``, ``+0800``, ``+08``) is an exact instant;
* a naive value is wall time in the shop's zone: in a DST gap it is shifted forward by the
  gap (02:30 -> 03:30), in a DST overlap it takes the first occurrence.

DuckDB's ``timezone(tz, naive)`` already shifts gaps forward but picks the *second*
occurrence in an overlap, so :func:`naive_to_utc_sql` tries one hour earlier and keeps that
instant when it shows the same wall time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

EXACT_RE = r"^\d{4}-\d{1,2}-\d{1,2}[Tt ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?([zZ]|[+-]\d{2}(:?\d{2})?)$"
"""Date, time and a zone designator: the only shape read as an exact instant."""

NAIVE_RE = r"^\d{4}-\d{1,2}-\d{1,2}([Tt ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?$"
"""A date, optionally with a time, and no zone: wall time in the shop's zone.

Checked explicitly because DuckDB's TIMESTAMP cast silently drops some offsets it does not
understand (``+08:00:00``); anything matching neither shape is unparseable.
"""


def quote_literal(value: str) -> str:
    """A SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def is_exact_sql(text: str) -> str:
    """True when the text carries its own offset (so the shop's zone does not apply)."""
    return f"regexp_matches({text}, {quote_literal(EXACT_RE)})"


def is_naive_sql(text: str) -> str:
    """True when the text is a plain date or date-time without a zone."""
    return f"regexp_matches({text}, {quote_literal(NAIVE_RE)})"


def naive_parse_sql(text: str) -> str:
    """The naive TIMESTAMP of a zone-less text (NULL for any other shape)."""
    return f"CASE WHEN {is_naive_sql(text)} THEN TRY_CAST({text} AS TIMESTAMP) END"


def exact_to_utc_sql(text: str) -> str:
    """Naive UTC TIMESTAMP of a text with an offset (NULL when unparseable)."""
    return f"timezone('UTC', TRY_CAST({text} AS TIMESTAMPTZ))"


def _per_zone(tz: str, zones: Sequence[str], expr: Callable[[str], str], utc_value: str) -> str:
    """CASE over the known zones, each branch with the zone as a literal.

    DuckDB's ``timezone()`` is ~30x slower when the zone is a column than when it is a
    constant, so a table is converted zone by zone; the ELSE branch (a zone not listed)
    stays correct, only slower.
    """
    whens = " ".join(
        f"WHEN {tz} = {quote_literal(z)} THEN {expr(quote_literal(z))}" for z in zones if z != "UTC"
    )
    return f"CASE WHEN {tz} = 'UTC' THEN {utc_value} {whens} ELSE {expr(tz)} END"


def candidate_utc_sql(naive: str, tz: str, zones: Sequence[str] = ()) -> str:
    """DuckDB's reading of a naive wall time in zone tz, as naive UTC (2nd in an overlap)."""
    return _per_zone(tz, zones, lambda z: f"timezone('UTC', timezone({z}, {naive}))", naive)


def wall_sql(utc: str, tz: str, zones: Sequence[str] = ()) -> str:
    """Wall time in zone tz of a naive-UTC instant (the `_local` twin)."""
    return _per_zone(tz, zones, lambda z: f"timezone({z}, timezone('UTC', {utc}))", utc)


def naive_to_utc_sql(naive: str, candidate: str, tz: str, zones: Sequence[str] = ()) -> str:
    """Resolve an overlap to its first occurrence, given candidate = candidate_utc_sql(...).

    One hour earlier shows the same wall time only when the naive value is inside an
    overlap (a one-hour DST fall-back, which is every zone in tzdata but Lord Howe).
    """
    alt = f"({candidate} - INTERVAL 1 HOUR)"
    return (
        f"CASE WHEN {wall_sql(alt, tz, zones)} = {naive} THEN {alt} ELSE {candidate} END"
    )


def text_to_utc_sql(text: str, tz: str) -> str:
    """One self-contained expression: ISO text + zone -> naive UTC TIMESTAMP (or NULL).

    Used where a nested query is inconvenient (tests, ad-hoc calls); the loader uses the
    same pieces split over query layers so that each conversion is computed once.
    """
    naive = f"({naive_parse_sql(text)})"
    cand = candidate_utc_sql(naive, tz)
    return (
        f"CASE WHEN {text} IS NULL THEN NULL "
        f"WHEN {is_exact_sql(text)} THEN {exact_to_utc_sql(text)} "
        f"ELSE {naive_to_utc_sql(naive, cand, tz)} END"
    )
