"""The dashboard's languages, and its number, currency, duration and date formatting.

Four languages — English, 繁體中文 (Taiwan), 简体中文 (mainland China) and Polski, the
languages of the product's seed documents — chosen by an explicit ``?lang=``, then the
language cookie, then the browser's ``Accept-Language`` (`choose`). Texts live in
``socialscope.web.locales``; labels use the merchants' own vocabulary (SHOPLINE's
社交數據概覽: 互動用戶, 對話數, 銷售金額, 付款淨額, 訊息中心 / 直播 / 貼文; Douyin 飞鸽's
3分钟回复率, 询单转化率, 静默下单).

Formatting follows CLDR through Babel, plus the two CLDR number rules Babel 2.18 does not
apply, so that server-rendered values match the browser's ``Intl.NumberFormat``:

- ``minimumGroupingDigits`` (2 in Polish): no group separator in four-digit numbers
  ("1234,50 zł" but "12 345,00 zł"; the Polish separator is U+00A0).
- currency spacing (CLDR ``currencySpacing``): a letter-ending symbol next to a digit gets a
  U+00A0 ("PLN 1,234.50" in English; "NT$1,234.50" keeps none).

Amounts are formatted from ``Decimal`` (floats through their shortest repr, never binary
arithmetic), rounded half away from zero to the currency's CLDR digits (like the browser's
default ``halfExpand``). One amount has one currency; nothing here converts or mixes them.

``t`` never fails in production: a key missing in a language falls back to English, then to
the key itself, with a `MissingTranslationWarning` — which is also a ``KeyError``, so under
``-W error`` (the test suite's ``filterwarnings = error``) an unknown key raises ``KeyError``.
`missing_keys` lists what a language lacks (the completeness tests assert it is empty).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import warnings
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from functools import cache

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers

from socialscope.contract.enums import Channel
from socialscope.metrics.registry import REGISTRY
from socialscope.web.locales import DESCRIPTION_SOURCES, LocaleData, en, pl, zh_hans, zh_hant

LANGUAGES: dict[str, str] = {
    "en": "English",
    "zh-Hant": "繁體中文",
    "zh-Hans": "简体中文",
    "pl": "Polski",
}
DEFAULT_LANGUAGE = "en"
EMPTY = "—"
"""What a missing value (None, NaN, no previous value) is shown as."""

_DATA: dict[str, LocaleData] = {
    "en": en.DATA,
    "zh-Hant": zh_hant.DATA,
    "zh-Hans": zh_hans.DATA,
    "pl": pl.DATA,
}
_BABEL: dict[str, str] = {
    "en": "en",
    "zh-Hant": "zh_Hant_TW",
    "zh-Hans": "zh_Hans_CN",
    "pl": "pl_PL",
}
_MIN_GROUPING: dict[str, int] = {"pl": 2}
"""CLDR ``minimumGroupingDigits`` where it is not 1 (Babel does not read it)."""

BOOLEAN_COLUMNS: frozenset[str] = frozenset({"is_human", "unreplied", "paid", "cancelled"})
"""Drill-down columns holding booleans, shown as Yes / No."""
VALUE_DIMENSIONS: frozenset[str] = frozenset(en.VALUES) | BOOLEAN_COLUMNS
"""Dimensions and columns whose raw values have labels (`value_label`)."""
TIME_DIMENSIONS: frozenset[str] = frozenset({"date", "week", "month", "hour"})


class TranslationWarning(UserWarning):
    """A text could not be produced as asked (a fallback was shown instead)."""


class MissingTranslationWarning(TranslationWarning, KeyError):  # noqa: N818
    """A UI key has no text in the language (English or the key itself was shown)."""


# -- languages ------------------------------------------------------------------------------
_TAG = re.compile(r"^[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*$")
_QVALUE = re.compile(r"^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$")
_HANT_REGIONS = frozenset({"tw", "hk", "mo"})
_CHINESE = frozenset({"zh", "cmn", "yue"})


def _match(tag: str) -> str | None:
    """The supported language a BCP 47 tag asks for, or None (``zh-TW`` → ``zh-Hant``)."""
    tag = tag.strip()
    if len(tag) > 64 or not _TAG.match(tag):
        return None
    primary, *rest = tag.lower().replace("_", "-").split("-")
    if primary in ("en", "pl"):
        return primary
    if primary not in _CHINESE:
        return None
    if "hant" in rest:
        return "zh-Hant"
    if "hans" in rest:
        return "zh-Hans"
    if _HANT_REGIONS.intersection(rest) or primary == "yue" or "yue" in rest:
        return "zh-Hant"
    return "zh-Hans"


def negotiate(accept_language: str | None) -> str:
    """The best supported language for an ``Accept-Language`` header (RFC 9110 §12.5.4).

    Ranges are taken by q-value, then in header order; ``q=0`` excludes a language; ``*``
    stands for the default. Anything unusable (or nothing supported) gives English.
    """
    if not accept_language:
        return DEFAULT_LANGUAGE
    best: tuple[float, int, str] | None = None
    excluded: set[str] = set()
    for i, item in enumerate(accept_language[:4096].split(",")[:64]):
        tag, *params = (p.strip() for p in item.split(";"))
        if not tag:
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                value = value.strip()
                q = float(value) if _QVALUE.match(value) else -1.0
        if q < 0:
            continue
        lang = DEFAULT_LANGUAGE if tag == "*" else _match(tag)
        if lang is None:
            continue
        if q == 0:
            excluded.add(lang)
        elif best is None or (q, -i) > (best[0], -best[1]):
            best = (q, i, lang)
    if best is None or best[2] in excluded:
        return DEFAULT_LANGUAGE
    return best[2]


def choose(param: str | None, cookie: str | None, accept_language: str | None) -> str:
    """The page language: an explicit ``?lang=`` value, else the cookie, else the header.

    Values naming no supported language are ignored; tags are matched like the header's
    (``zh-TW`` → ``zh-Hant``, ``pl-PL`` → ``pl``).
    """
    for value in (param, cookie):
        if value:
            lang = _match(value)
            if lang is not None:
                return lang
    return negotiate(accept_language)


def _lang(lang: str) -> str:
    if lang in _DATA:
        return lang
    return _match(lang) or DEFAULT_LANGUAGE


def babel_locale(lang: str) -> str:
    """The Babel locale a language formats with."""
    return _BABEL[_lang(lang)]


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(_BABEL[lang])


# -- texts ----------------------------------------------------------------------------------
def t(lang: str, key: str, **params: object) -> str:
    """The UI text for ``key`` in ``lang``, ``str.format``-ed with ``params``.

    Falls back to English, then to the key, warning `MissingTranslationWarning`.
    """
    lang = _lang(lang)
    template = _DATA[lang].ui.get(key)
    if template is None:
        warnings.warn(MissingTranslationWarning(f"no {lang} text for UI key {key!r}"), stacklevel=2)
        template = _DATA[DEFAULT_LANGUAGE].ui.get(key, key)
    if not params:
        return template
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError, AttributeError) as exc:
        warnings.warn(
            TranslationWarning(f"cannot format {lang} text {key!r}: {exc!r}"), stacklevel=2
        )
        return template


def catalog(lang: str) -> dict[str, str]:
    """Every UI key with its text in ``lang`` (English where missing), for the JS side."""
    lang = _lang(lang)
    return {**_DATA[DEFAULT_LANGUAGE].ui, **_DATA[lang].ui}


_CJK_GLOSS = re.compile(r"\s*\([^()]*[\u2e80-\u9fff\uf900-\ufaff][^()]*\)")


def _english_metric_label(metric_id: str) -> str:
    override = _DATA[DEFAULT_LANGUAGE].metrics.get(metric_id)
    if override is not None:
        return override
    if metric_id in REGISTRY:
        return _CJK_GLOSS.sub("", REGISTRY.get(metric_id).label).strip()
    return metric_id


def metric_label(lang: str, metric_id: str) -> str:
    """A metric's name (English: the registry's label without its Chinese gloss)."""
    label = _DATA[_lang(lang)].metrics.get(metric_id)
    return label if label is not None else _english_metric_label(metric_id)


def description_digest(text: str) -> str:
    """The digest ``locales.DESCRIPTION_SOURCES`` records for an English description."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def metric_description(lang: str, metric_id: str) -> str:
    """A metric's definition: translated when the translation is of the registry's current
    English description, else that English description ("" for an unknown metric)."""
    if metric_id not in REGISTRY:
        return ""
    english = REGISTRY.get(metric_id).description
    text = _DATA[_lang(lang)].descriptions.get(metric_id)
    if text is not None and DESCRIPTION_SOURCES.get(metric_id) == description_digest(english):
        return text
    return english


def stale_descriptions() -> list[str]:
    """Metrics with translated descriptions made from an older English description."""
    translated = {m for data in _DATA.values() for m in data.descriptions}
    return sorted(
        m
        for m in translated
        if m not in REGISTRY
        or DESCRIPTION_SOURCES.get(m) != description_digest(REGISTRY.get(m).description)
    )


_SECTION = re.compile(r"^\s*(\d+)\.\s*(.*)$")


def section_label(lang: str, section: str) -> str:
    """A metric section's title (``spec.section``, "3. Service quality") without its
    METRICS.md number: "Service quality" / 服務品質 / 服务质量 / Jakość obsługi."""
    match = _SECTION.match(section)
    if match is None:
        return section
    number, english = match.groups()
    for data in (_DATA[_lang(lang)], _DATA[DEFAULT_LANGUAGE]):
        label = data.sections.get(number)
        if label is not None:
            return label
    return english


def dimension_label(lang: str, dimension: str) -> str:
    """A dimension's name ("channel" → "Channel" / 管道 / 渠道 / Kanał)."""
    for data in (_DATA[_lang(lang)], _DATA[DEFAULT_LANGUAGE]):
        label = data.dimensions.get(dimension)
        if label is not None:
            return label
    return dimension


def value_label(lang: str, dimension: str, value: object) -> str:
    """How a dimension value is shown: enumerations translated ("message_center" → 訊息中心),
    booleans as Yes / No, time buckets as dates, None as "(none)", anything else as is."""
    lang = _lang(lang)
    if value is None:
        return t(lang, "value_none")
    if isinstance(value, bool):
        return t(lang, "value_yes" if value else "value_no")
    if dimension in TIME_DIMENSIONS:
        return _time_label(lang, dimension, value)
    raw = str(value)
    for data in (_DATA[lang], _DATA[DEFAULT_LANGUAGE]):
        label = data.values.get(dimension, {}).get(raw)
        if label is not None:
            return label
    return raw


def _time_label(lang: str, dimension: str, value: object) -> str:
    if isinstance(value, str):
        parse = datetime.fromisoformat if dimension == "hour" else date.fromisoformat
        try:
            value = parse(value)
        except ValueError:
            return str(value)
    if dimension == "hour" and isinstance(value, datetime):
        return format_datetime(value, lang, seconds=False)
    if not isinstance(value, date):
        return str(value)
    if isinstance(value, datetime):
        value = value.date()
    if dimension == "week":
        return t(lang, "week_of", date=format_date(value, lang))
    if dimension == "month":
        return babel_dates.format_skeleton("yMMMM", value, locale=_locale(lang))
    return format_date(value, lang)


def channel_choices(lang: str) -> list[tuple[str, str]]:
    """(code, label) of every channel, in the contract's order, for the channel filter."""
    return [(c.value, value_label(lang, "channel", c.value)) for c in Channel]


def column_label(lang: str, name: str) -> str:
    """A table column's heading: its ``col_<name>`` text, else a metric's label (with
    ``__previous`` / ``__change`` / ``__change_pct`` suffixes), else a dimension's, else the
    name itself."""
    lang = _lang(lang)
    if f"col_{name}" in _DATA[DEFAULT_LANGUAGE].ui:
        return t(lang, f"col_{name}")
    for suffix in ("__change_pct", "__change", "__previous"):
        base = name.removesuffix(suffix)
        if base != name and base in REGISTRY:
            return t(lang, f"label_{suffix[2:]}", label=metric_label(lang, base))
    if name in REGISTRY:
        return metric_label(lang, name)
    return dimension_label(lang, name)


def _section_numbers() -> list[str]:
    numbers: dict[str, None] = {}
    for spec in REGISTRY:
        match = _SECTION.match(spec.section)
        numbers.setdefault(match.group(1) if match else spec.section, None)
    return list(numbers)


def known_dimensions() -> list[str]:
    """Every dimension some registered metric allows, in first-seen order."""
    seen: dict[str, None] = {}
    for spec in REGISTRY:
        for dim in REGISTRY.all_dimensions(spec):
            seen.setdefault(dim, None)
    return list(seen)


def required_values() -> dict[str, tuple[str, ...]]:
    """The enumerated values every language must label, per dimension or column."""
    from socialscope import drilldown
    from socialscope.contract.enums import OrderSource, Sender
    from socialscope.metrics.library import conversion_facts as cf

    return {
        "channel": tuple(c.value for c in Channel),
        "source": tuple(s.value for s in OrderSource),
        "sender": tuple(s.value for s in Sender),
        "three_minute": drilldown.THREE_MINUTE_VALUES,
        "order_type": drilldown.ORDER_TYPE_VALUES,
        "inquiry_outcome": drilldown.OUTCOME_VALUES,
        "rounds_bucket": (*(label for _, label in cf.ROUNDS_BUCKETS), cf.ROUNDS_TOP),
        "duration_bucket": (*(label for _, label in cf.DURATION_BUCKETS), cf.DURATION_TOP),
    }


def missing_keys() -> dict[str, list[str]]:
    """Per language, what it lacks: ``ui:<key>`` (a key English has), ``metric:<id>`` (a
    registered metric), ``section:<n>`` (a metric section), ``dimension:<name>`` (a
    dimension some metric allows) and ``value:<dimension>=<value>`` (an enumerated value).
    Empty lists when complete."""
    reference = _DATA[DEFAULT_LANGUAGE]
    values = required_values()
    out: dict[str, list[str]] = {}
    for lang, data in _DATA.items():
        missing = [f"ui:{k}" for k in reference.ui if k not in data.ui]
        if lang != DEFAULT_LANGUAGE:
            missing += [f"metric:{m}" for m in REGISTRY.ids() if m not in data.metrics]
            missing += [f"section:{n}" for n in _section_numbers() if n not in data.sections]
        missing += [f"dimension:{d}" for d in known_dimensions() if d not in data.dimensions]
        for dim, raws in values.items():
            labels = data.values.get(dim, {})
            missing += [f"value:{dim}={v}" for v in raws if v not in labels]
        out[lang] = missing
    return out


def unknown_keys() -> dict[str, list[str]]:
    """Per language, UI keys English does not have (typos or leftovers)."""
    reference = _DATA[DEFAULT_LANGUAGE].ui
    return {lang: [k for k in data.ui if k not in reference] for lang, data in _DATA.items()}


# -- numbers --------------------------------------------------------------------------------
def _decimal(value: object) -> Decimal | None:
    """An exact Decimal for a number (floats through their shortest repr); None for a
    missing or non-finite one. Raises ValueError for something that is not a number."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, bool | int):
        d = Decimal(int(value))
    elif isinstance(value, float):
        d = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            d = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(value) from None
    else:
        raise ValueError(value)
    return d if d.is_finite() else None


def _round(d: Decimal, places: int) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = max(28, d.adjusted() + places + 2)
        q = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return q if q else abs(q)  # no "-0.00"


def _grouped(lang: str, rounded: Decimal) -> bool:
    """Whether CLDR minimumGroupingDigits lets the integer part carry group separators."""
    return abs(rounded) >= Decimal(10) ** (2 + _MIN_GROUPING.get(lang, 1))


def _number(lang: str, d: Decimal, places: int, pattern: str | None = None) -> str:
    q = _round(d, places)
    if pattern is None:
        pattern = "#,##0" + ("." + "0" * places if places else "")
    with localcontext() as ctx:
        ctx.prec = max(28, q.adjusted() + places + 4)
        return babel_numbers.format_decimal(
            q, format=pattern, locale=_locale(lang), group_separator=_grouped(lang, q)
        )


def _count(lang: str, d: Decimal) -> str:
    if d == d.to_integral_value():
        return _number(lang, d, 0)
    q = _round(d, 2)
    return _number(lang, q, 2, "#,##0.##")


def _is_letterish(ch: str) -> bool:
    """CLDR currencySpacing's currencyMatch ``[[:^S:]&[:^Z:]]``: not a symbol or space."""
    return unicodedata.category(ch)[0] not in ("S", "Z")


@cache
def _currency_pattern(lang: str, code: str) -> str:
    locale = _locale(lang)
    pattern = str(locale.currency_formats["standard"].pattern)
    symbol = babel_numbers.get_currency_symbol(code, locale=locale)
    if symbol and _is_letterish(symbol[-1]):
        pattern = re.sub("¤(?=[#0])", "¤\u00a0", pattern)
    if symbol and _is_letterish(symbol[0]):
        pattern = re.sub("(?<=[#0])¤", "\u00a0¤", pattern)
    return pattern


_CURRENCY = re.compile(r"^[A-Za-z]{3}$")


def _money(lang: str, d: Decimal, currency: str | None) -> str:
    code = (currency or "").strip().upper()
    if not code:
        return _number(lang, d, 2)
    if not _CURRENCY.match(code):
        return f"{_number(lang, d, 2)}\u00a0{currency}"
    digits = babel_numbers.get_currency_precision(code)
    q = _round(d, digits)
    with localcontext() as ctx:
        ctx.prec = max(28, q.adjusted() + digits + 4)
        return babel_numbers.format_currency(
            q,
            code,
            format=_currency_pattern(lang, code),
            locale=_locale(lang),
            currency_digits=True,
            group_separator=_grouped(lang, q),
        )


@cache
def _percent_pattern(lang: str) -> str:
    pattern = str(_locale(lang).percent_formats[None].pattern)
    return pattern.replace("#,##0", "#,##0.0", 1) if "0.0" not in pattern else pattern


def _percent(lang: str, fraction: Decimal) -> str:
    """A fraction as a percentage with one decimal ("37.5%" / "37,5%")."""
    q = _round(fraction, 3)
    return babel_numbers.format_percent(
        q,
        format=_percent_pattern(lang),
        locale=_locale(lang),
        group_separator=_grouped(lang, q * 100),
    )


def _duration(lang: str, d: Decimal) -> str:
    """A duration: "45 s", "3 min 20 s", "2 h 5 min", "1 d 3 h" — two units at most, the smaller
    one rounded (half up) and left out when zero."""
    if d < 0:
        return "\u2212" + _duration(lang, -d)
    sep = t(lang, "unit_sep")

    def part(unit: str, n: int) -> str:
        return t(lang, f"unit_{unit}", n=_number(lang, Decimal(n), 0))

    def pair(big: str, small: str, n: int, per: int) -> str:
        a, b = divmod(n, per)
        return part(big, a) if b == 0 else part(big, a) + sep + part(small, b)

    seconds = int(_round(d, 0))
    if seconds < 60:
        return part("s", seconds)
    if seconds < 3600:
        return pair("min", "s", seconds, 60)
    minutes = int(_round(d / 60, 0))
    if minutes < 24 * 60:
        return pair("h", "min", minutes, 60)
    return pair("d", "h", int(_round(d / 3600, 0)), 24)


def format_value(value: object, unit: str, lang: str, currency: str | None = None) -> str:
    """A metric value for display, by its unit (``metrics.spec.Unit``).

    count: grouped integer ("1,234,567" / "1 234 567"; "1234" in Polish); number (a mean
    or median of counts): the same, with up to two decimals when not whole ("1.5"); money: in
    ``currency`` (CLDR symbol and digits; a number with 2 decimals without one); ratio: a
    percentage with one decimal; seconds: a duration ("3 min 20 s" / "3分20秒"); None
    or NaN: "—". A value that is not a number is shown as it is.
    """
    lang = _lang(lang)
    try:
        d = _decimal(value)
    except ValueError:
        return str(value)
    if d is None:
        return EMPTY
    unit = str(unit)
    if unit == "money":
        return _money(lang, d, currency)
    if unit == "ratio":
        return _percent(lang, d)
    if unit == "seconds":
        return _duration(lang, d)
    return _count(lang, d)


def format_change(pct: float | None, lang: str) -> str:
    """A relative change (a fraction: 0.125 is +12.5%) with its sign: "+12.5%", "−3.0%"
    (U+2212 minus), "0.0%"; "—" when there is none (no previous value)."""
    lang = _lang(lang)
    try:
        d = _decimal(pct)
    except ValueError:
        return EMPTY
    if d is None:
        return EMPTY
    q = _round(d, 3)
    text = _percent(lang, abs(q))
    if q > 0:
        return "+" + text
    if q < 0:
        return "\u2212" + text
    return text


# -- dates ----------------------------------------------------------------------------------
def format_date(d: date, lang: str) -> str:
    """A date in CLDR's medium format ("Apr 1, 2026" / 2026年4月1日 / "1 kwi 2026")."""
    if isinstance(d, datetime):
        d = d.date()
    return babel_dates.format_date(d, "medium", locale=_locale(_lang(lang)))


def format_datetime(dt: datetime, lang: str, seconds: bool = True) -> str:
    """A local (naive) timestamp: medium date and the time, joined the CLDR way
    ("Nov 12, 2026, 2:05 PM" / "2026年11月12日 14:05" / "12 lis 2026, 14:05")."""
    locale = _locale(_lang(lang))
    day = babel_dates.format_date(dt, "medium", locale=locale)
    time = babel_dates.format_time(dt, "medium" if seconds else "short", locale=locale)
    glue = str(locale.datetime_formats["medium"])
    return glue.replace("{1}", day).replace("{0}", time)


def format_period(start: date, end: date, lang: str) -> str:
    """A date range, inclusive, with CLDR interval formats ("Apr 1 – 30, 2026" /
    2026年4月1日至30日 / "1–30 kwi 2026"); one day is one date."""
    if isinstance(start, datetime):
        start = start.date()
    if isinstance(end, datetime):
        end = end.date()
    if start > end:
        raise ValueError(f"period starts after it ends: {start} > {end}")
    if start == end:
        return format_date(start, lang)
    return babel_dates.format_interval(start, end, "yMMMd", locale=_locale(_lang(lang)))
