"""The contract check as one vectorised DuckDB query over a whole staging table.

:func:`typed_query` turns a staging table (any column types; values are read as text)
into the canonical columns, typed, plus ``__ss_problem``: NULL for a good row, else
``column<US>reason`` for the row's FIRST problem (columns in contract order, then the
conditional requirements). One quarantine row per bad row keeps the line/column/reason
triple unambiguous; fix it and the next import names the next problem, if any.

Text normalisation, documented in the import contract: every value is trimmed and an
empty string counts as missing; enum values are also lower-cased; a missing optional
value takes the spec default (``kind='message'``, ``capacity=5``, ``timezone='UTC'``...)
and ``order_items.amount`` defaults to ``quantity × unit_price``. Money is parsed as
DECIMAL(18,4) (more than 4 decimals are rounded half away from zero, never via a float).
"""

from __future__ import annotations

from collections.abc import Sequence

from socialscope.contract.tables import ColType, Column, TableSpec
from socialscope.ingest import timeparse
from socialscope.ingest.timeparse import quote_literal as lit
from socialscope.store.ddl import LOCAL_SUFFIX

PROBLEM = "__ss_problem"
ROW_ID = "__ss_rid"
SEP = "chr(31)"
"""Separates column and reason inside ``__ss_problem`` (ASCII unit separator)."""

VALUE_PREVIEW = 80
"""Longest piece of an offending value quoted in a reason."""

COMPUTED_DEFAULTS: dict[tuple[str, str], str] = {
    ("order_items", "amount"): 'TRY_CAST("quantity__t" * "unit_price__t" AS DECIMAL(18,4))',
}
"""Defaults that are formulas over other (typed) columns rather than constants."""

SPECIAL_CHECKS: dict[tuple[str, str], tuple[str, str]] = {
    ("shops", "timezone"): (
        '"timezone__v" NOT IN (SELECT name FROM pg_timezone_names())',
        "'unknown time zone ''' || \"timezone__v\" || ''' (use an IANA name such as "
        "Asia/Taipei or Europe/Warsaw)'",
    ),
}
"""(condition, reason) checks beyond types, enums and bounds, keyed by (table, column)."""

BOOL_TRUE = ("true", "t", "1", "yes", "y")
BOOL_FALSE = ("false", "f", "0", "no", "n")
INTEGER_RE = r"^[+-]?[0-9]+(\.0*)?$"


def qi(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def _v(col: Column) -> str:
    return qi(col.name + "__v")


def _t(col: Column) -> str:
    return qi(col.name + "__t")


def _shown(value_sql: str) -> str:
    """The offending value, shortened, for a reason text."""
    return f"left({value_sql}, {VALUE_PREVIEW})"


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _text_sql(col: Column, present: bool) -> str:
    """Layer 1: the trimmed text of a column, with its constant default.

    The checks before trim() and lower() skip the (allocating) call for the usual value
    that needs neither; this halves the cost of normalising a million rows.
    """
    raw = "NULL"
    if present:
        x = f"CAST(s.{qi(col.name)} AS VARCHAR)"
        raw = (
            f"NULLIF(CASE WHEN starts_with({x}, ' ') OR ends_with({x}, ' ') "
            f"THEN trim({x}) ELSE {x} END, '')"
        )
        if col.enum is not None:
            values = ", ".join(lit(a) for a in col.allowed)
            raw = f"CASE WHEN {raw} IN ({values}) THEN {raw} ELSE lower({raw}) END"
    if col.default is not None:
        raw = f"COALESCE({raw}, {lit(col.default)})"
    return f"CAST({raw} AS VARCHAR) AS {_v(col)}"


def _typed_sql(col: Column) -> list[str]:
    """Layer 2: the typed value (NULL when missing or unparseable)."""
    v = _v(col)
    match col.type:
        case ColType.STRING:
            return [f"{v} AS {_t(col)}"]
        case ColType.INTEGER:
            return [
                f"CASE WHEN regexp_matches({v}, {lit(INTEGER_RE)}) "
                f"THEN TRY_CAST({v} AS BIGINT) END AS {_t(col)}"
            ]
        case ColType.NUMBER:
            d = f"TRY_CAST({v} AS DOUBLE)"
            return [f"CASE WHEN isfinite({d}) THEN {d} END AS {_t(col)}"]
        case ColType.MONEY:
            return [f"TRY_CAST({v} AS DECIMAL(18,4)) AS {_t(col)}"]
        case ColType.DATE:
            return [f"TRY_CAST({v} AS DATE) AS {_t(col)}"]
        case ColType.BOOLEAN:
            lv = f"lower({v})"
            yes = ", ".join(lit(x) for x in BOOL_TRUE)
            no = ", ".join(lit(x) for x in BOOL_FALSE)
            return [
                f"CASE WHEN {lv} IN ({yes}) THEN TRUE WHEN {lv} IN ({no}) THEN FALSE END"
                f" AS {_t(col)}"
            ]
        case ColType.TIMESTAMP:
            n = col.name
            return [
                f"CASE WHEN {timeparse.is_exact_sql(v)} THEN {timeparse.exact_to_utc_sql(v)} END"
                f" AS {qi(n + '__e')}",
                f"CASE WHEN NOT {timeparse.is_exact_sql(v)} THEN {timeparse.naive_parse_sql(v)} END"
                f" AS {qi(n + '__n')}",
            ]
    raise AssertionError(col.type)  # pragma: no cover - exhaustive match


def _type_reason(col: Column) -> str | None:
    """SQL text of the reason for a present value that did not parse."""
    v = _shown(_v(col))
    what = {
        ColType.STRING: None,
        ColType.TIMESTAMP: "unparseable timestamp",
        ColType.INTEGER: "not an integer",
        ColType.NUMBER: "not a number",
        ColType.MONEY: "not a decimal number",
        ColType.DATE: "not a date",
        ColType.BOOLEAN: "not a boolean",
    }[col.type]
    if what is None:
        return None
    return f"'{what} ''' || {v} || ''''"


def _column_checks(spec: TableSpec, col: Column) -> list[tuple[str, str]]:
    """(condition, reason SQL) pairs for one column, in the order they are reported."""
    v, t = _v(col), _t(col)
    checks: list[tuple[str, str]] = []
    if col.required:
        checks.append((f"{v} IS NULL", "'missing required value'"))
    reason = _type_reason(col)
    if reason is not None:
        checks.append((f"{v} IS NOT NULL AND {t} IS NULL", reason))
    if col.enum is not None:
        allowed = ", ".join(col.allowed)
        values = ", ".join(lit(a) for a in col.allowed)
        checks.append(
            (
                f"{v} NOT IN ({values})",
                f"'unknown {col.name} ''' || {_shown(v)} || ''' (allowed: {allowed})'",
            )
        )
    if col.minimum is not None:
        m = _num(col.minimum)
        text = (
            f"'negative value ' || {_shown(v)} || ' (minimum 0)'"
            if col.minimum == 0
            else f"'value ' || {_shown(v)} || ' below minimum {m}'"
        )
        checks.append((f"{t} < {m}", text))
    if col.maximum is not None:
        m = _num(col.maximum)
        checks.append((f"{t} > {m}", f"'value ' || {_shown(v)} || ' above maximum {m}'"))
    special = SPECIAL_CHECKS.get((spec.name, col.name))
    if special is not None:
        checks.append((f"{v} IS NOT NULL AND {special[0]}", special[1]))
    return checks


def problem_sql(spec: TableSpec) -> str:
    """CASE giving ``column<US>reason`` of a row's first problem, NULL for a good row."""
    whens: list[str] = []
    for col in spec.columns:
        for cond, reason in _column_checks(spec, col):
            whens.append(f"WHEN {cond} THEN {lit(col.name)} || {SEP} || {reason}")
    for column, when_col, when_value in spec.conditional_required:
        cond = f"{qi(when_col + '__v')} = {lit(when_value)} AND {qi(column + '__v')} IS NULL"
        reason = lit(f"{column} is required when {when_col}={when_value}")
        whens.append(f"WHEN {cond} THEN {lit(column)} || {SEP} || {reason}")
    return "CASE " + " ".join(whens) + " END" if whens else "CAST(NULL AS VARCHAR)"


def missing_required(spec: TableSpec, columns: Sequence[str]) -> list[str]:
    """Required columns absent from a file's header (a whole-file error)."""
    present = set(columns)
    return [c for c in spec.required_columns if c not in present]


def extra_columns(spec: TableSpec, columns: Sequence[str]) -> list[str]:
    """Columns of the source that the contract does not name (kept in `extra`)."""
    known = set(spec.column_names)
    return sorted(c for c in columns if c not in known)


STEP_A = "__ss_a"
ZONES = "__ss_zone"


def typed_statements(spec: TableSpec, stage: str, columns: Sequence[str], typed: str) -> list[str]:
    """Statements creating temp table `typed` from staging table `stage`.

    `typed` gets ``__ss_rid`` (the staging rowid), the spec's columns, ``<ts>_local``
    twins, ``extra`` (JSON or NULL) and ``__ss_problem``, in staging order.

    Timestamps are parsed first into a narrow table (``__ss_a``, zipped back with a
    POSITIONAL JOIN): DuckDB inlines sub-query expressions, so the regex-and-cast parse,
    referenced by several later expressions, would otherwise run several times per row.
    """
    present = set(columns)
    ts_cols = [c for c in spec.columns if c.type is ColType.TIMESTAMP]
    extras = extra_columns(spec, columns)
    statements: list[str] = []

    l1 = [f"s.rowid AS {ROW_ID}"] + [_text_sql(c, c.name in present) for c in spec.columns]
    if extras:
        pairs = ", ".join(f"{lit(x)}, CAST(s.{qi(x)} AS VARCHAR)" for x in extras)
        l1.append(f"json_object({pairs}) AS extra")
    else:
        l1.append("CAST(NULL AS JSON) AS extra")
    from_ = f"{qi(stage)} s"
    if ts_cols:
        shop = next(c for c in spec.columns if c.name == "shop_id")
        texts = [_text_sql(shop, "shop_id" in present)]
        texts += [_text_sql(c, c.name in present) for c in ts_cols]
        parsed = [_v(shop)] + [e for c in ts_cols for e in _typed_sql(c)]
        pairs_ts = [(qi(c.name + "__e"), qi(c.name + "__n")) for c in ts_cols]
        statements += [
            f"DROP TABLE IF EXISTS {STEP_A}",
            f"CREATE TEMP TABLE {STEP_A} AS SELECT {', '.join(parsed)} "
            f"FROM (SELECT {', '.join(texts)} FROM {qi(stage)} s)",
            f"DROP TABLE IF EXISTS {ZONES}",
            f"CREATE TEMP TABLE {ZONES} AS "
            + timeparse.zone_lookup_sql(STEP_A, pairs_ts, _v(shop)),
        ]
        from_ += f" POSITIONAL JOIN {STEP_A} a"
        for i, (c, (e, n)) in enumerate(zip(ts_cols, pairs_ts, strict=True)):
            z = f"z{i}"
            exact_key, hour_key = timeparse.lookup_key_sql(f"a.{e}", f"a.{n}")
            from_ += (
                f" LEFT JOIN {ZONES} {z} ON {z}.shop = a.{_v(shop)} AND {z}.exact = {exact_key}"
                f" AND {z}.h = {hour_key}"
            )
            l1 += [
                f"{timeparse.utc_via_lookup_sql(f'a.{e}', f'a.{n}', z)} AS {_t(c)}",
                f"{z}.to_wall AS {qi(c.name + '__zw')}",
                f"{z}.mixed AS {qi(c.name + '__zm')}",
                f"{z}.tz AS {qi(c.name + '__tz')}",
            ]
    q = f"SELECT {', '.join(l1)} FROM {from_}"
    l2 = ["*"] + [e for c in spec.columns if c.type is not ColType.TIMESTAMP for e in _typed_sql(c)]
    q = f"SELECT {', '.join(l2)} FROM ({q})"

    out = [ROW_ID]
    for c in spec.columns:
        computed = COMPUTED_DEFAULTS.get((spec.name, c.name))
        value = f"COALESCE({_t(c)}, {computed})" if computed else _t(c)
        out.append(f"{value} AS {qi(c.name)}")
        if c.type is ColType.TIMESTAMP:
            out.append(f"{_wall_sql(c)} AS {qi(c.name + LOCAL_SUFFIX)}")
    out += ["extra", f"{problem_sql(spec)} AS {PROBLEM}"]
    statements += [
        f"DROP TABLE IF EXISTS {typed}",
        f"CREATE TEMP TABLE {typed} AS SELECT {', '.join(out)} FROM ({q})",
        f"DROP TABLE IF EXISTS {STEP_A}",
        f"DROP TABLE IF EXISTS {ZONES}",
    ]
    return statements


def _wall_sql(col: Column) -> str:
    """The `_local` twin from the UTC value and the looked-up wall offset."""
    n = col.name
    return timeparse.wall_via_lookup_sql(_t(col), qi(n + "__tz"), qi(n + "__zw"), qi(n + "__zm"))
