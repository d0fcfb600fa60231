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
    return f"CASE WHEN {wall_sql(alt, tz, zones)} = {naive} THEN {alt} ELSE {candidate} END"


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


def zone_lookup_sql(source: str, columns: Sequence[tuple[str, str]], shop: str) -> str:
    """SELECT building the per-(shop, exact?, hour) offset table of a parsed batch.

    DuckDB's ``timezone()`` is ~30x slower with a per-row zone than with a constant one,
    and joining every row to ``shops`` costs a pass too. Offsets are constant within an
    hour except around a transition that is not on the hour, so each distinct
    (shop, exact?, hour) is converted once here, and rows only add microseconds:

    * ``tz``: the shop's zone (UTC for an unknown shop);
    * ``to_utc``: microseconds to add to a naive wall time (0 for exact values);
    * ``to_wall``: microseconds to add to the UTC instant to get the wall time;
    * ``mixed``: the offsets differ at the start and at the end of the hour (a transition
      off the hour, e.g. Lord Howe's half-hour DST): those rows take the exact slow path.

    `columns` are (exact_utc_column, naive_column) pairs of `source`.
    """
    parts: list[str] = []
    for exact, naive in columns:
        for flag, col in (("TRUE", exact), ("FALSE", naive)):
            parts.append(
                f"SELECT DISTINCT {shop} AS shop, {flag} AS exact, date_trunc('hour', {col}) AS h "
                f"FROM {source} WHERE {col} IS NOT NULL"
            )
    keys = " UNION ".join(parts)
    end = "(h + INTERVAL 1 HOUR - INTERVAL 1 MICROSECOND)"
    u0 = naive_to_utc_sql("h", candidate_utc_sql("h", "tz"), "tz")
    u1 = naive_to_utc_sql(end, candidate_utc_sql(end, "tz"), "tz")
    w0 = f"(epoch_us({wall_sql('u0', 'tz')}) - epoch_us(u0))"
    w1 = f"(epoch_us({wall_sql('u1', 'tz')}) - epoch_us(u1))"
    return (
        "SELECT shop, exact, h, tz, "
        "CASE WHEN exact THEN 0 ELSE epoch_us(u0) - epoch_us(h) END AS to_utc, "
        f"{w0} AS to_wall, "
        f"{w1} <> {w0} OR (NOT exact AND epoch_us(u1) - epoch_us(e) <> epoch_us(u0) - epoch_us(h))"
        " AS mixed "
        f"FROM (SELECT shop, exact, h, tz, {end} AS e, "
        f"CASE WHEN exact THEN h ELSE {u0} END AS u0, "
        f"CASE WHEN exact THEN {end} ELSE {u1} END AS u1 "
        f"FROM (SELECT k.*, COALESCE(sh.timezone, 'UTC') AS tz FROM ({keys}) k "
        "LEFT JOIN shops sh ON sh.shop_id = k.shop))"
    )


def lookup_key_sql(exact: str, naive: str) -> tuple[str, str]:
    """(exact?, hour) of a row's value, to join the zone lookup table on."""
    return f"({exact} IS NOT NULL)", f"date_trunc('hour', COALESCE({exact}, {naive}))"


def utc_via_lookup_sql(exact: str, naive: str, z: str) -> str:
    """UTC of a row through lookup alias `z` (the exact slow path for mixed hours)."""
    slow = naive_to_utc_sql(naive, candidate_utc_sql(naive, f"{z}.tz"), f"{z}.tz")
    return (
        f"CASE WHEN {exact} IS NOT NULL THEN {exact} WHEN {naive} IS NULL THEN NULL "
        f"WHEN {z}.mixed THEN {slow} "
        f"ELSE {naive} + to_microseconds(COALESCE({z}.to_utc, 0)) END"
    )


def wall_via_lookup_sql(utc: str, tz: str, to_wall: str, mixed: str) -> str:
    """Wall time of a row's UTC value from its looked-up offset (exact path when mixed)."""
    return (
        f"CASE WHEN {utc} IS NULL THEN NULL WHEN {mixed} THEN {wall_sql(utc, tz)} "
        f"ELSE {utc} + to_microseconds(COALESCE({to_wall}, 0)) END"
    )
