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

from socialscope.contract.tables import Column, ColType, TableSpec
from socialscope.ingest import timeparse
from socialscope.ingest.timeparse import quote_literal as lit
from socialscope.store.ddl import LOCAL_SUFFIX

PROBLEM = "__ss_problem"
ROW_ID = "__ss_rid"
LINE = "__ss_line"
SEP = "chr(31)"
"""Separates column and reason inside ``__ss_problem`` (ASCII unit separator)."""

TZ = "__ss_tz"
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
    """Layer 1: the trimmed text of a column, with its constant default."""
    raw = f"NULLIF(trim(CAST(s.{qi(col.name)} AS VARCHAR)), '')" if present else "NULL"
    if col.enum is not None and present:
        raw = f"lower({raw})"
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


def typed_query(
    spec: TableSpec,
    stage: str,
    columns: Sequence[str],
    line_sql: str,
    zones: Sequence[str] = (),
) -> str:
    """SELECT over staging table `stage` giving canonical typed columns, twins and problems.

    `line_sql` is an expression over ``s`` (the staging table) giving the source line.
    `zones` lists the time zones of the shops (each gets a fast constant-zone branch).
    Output: ``__ss_rid``, ``__ss_line``, the spec's columns, ``<ts>_local`` twins,
    ``extra`` (JSON or NULL) and ``__ss_problem``.
    """
    present = set(columns)
    ts_cols = [c for c in spec.columns if c.type is ColType.TIMESTAMP]
    extras = extra_columns(spec, columns)

    l1 = [f"s.rowid AS {ROW_ID}", f"{line_sql} AS {LINE}"]
    l1 += [_text_sql(c, c.name in present) for c in spec.columns]
    if extras:
        pairs = ", ".join(f"{lit(x)}, CAST(s.{qi(x)} AS VARCHAR)" for x in extras)
        l1.append(f"json_object({pairs}) AS extra")
    else:
        l1.append("CAST(NULL AS JSON) AS extra")
    join = ""
    if ts_cols:
        shop = "NULLIF(trim(CAST(s.shop_id AS VARCHAR)), '')" if "shop_id" in present else "NULL"
        l1.append(f"COALESCE(sh.timezone, 'UTC') AS {TZ}")
        join = f" LEFT JOIN shops sh ON sh.shop_id = {shop}"
    q = f"SELECT {', '.join(l1)} FROM {qi(stage)} s{join}"

    l2 = ["*"] + [e for c in spec.columns for e in _typed_sql(c)]
    q = f"SELECT {', '.join(l2)} FROM ({q})"

    if ts_cols:
        l3 = ["*"]
        for c in ts_cols:
            n = qi(c.name + "__n")
            cand = timeparse.candidate_utc_sql(n, TZ, zones)
            l3.append(f"{cand} AS {qi(c.name + '__c')}")
        q = f"SELECT {', '.join(l3)} FROM ({q})"
        l4 = ["*"]
        for c in ts_cols:
            n, cand = qi(c.name + "__n"), qi(c.name + "__c")
            e = qi(c.name + "__e")
            utc = timeparse.naive_to_utc_sql(n, cand, TZ, zones)
            l4.append(f"COALESCE({e}, {utc}) AS {_t(c)}")
        q = f"SELECT {', '.join(l4)} FROM ({q})"

    out = [ROW_ID, LINE]
    for c in spec.columns:
        computed = COMPUTED_DEFAULTS.get((spec.name, c.name))
        value = f"COALESCE({_t(c)}, {computed})" if computed else _t(c)
        out.append(f"{value} AS {qi(c.name)}")
        if c.type is ColType.TIMESTAMP:
            out.append(f"{timeparse.wall_sql(_t(c), TZ, zones)} AS {qi(c.name + LOCAL_SUFFIX)}")
    out += ["extra", f"{problem_sql(spec)} AS {PROBLEM}"]
    return f"SELECT {', '.join(out)} FROM ({q})"
