"""Every text exists in every language: adding a UI key, a metric, a dimension or an
enumerated value without its translations fails here."""

from __future__ import annotations

import pytest

from socialscope import drilldown
from socialscope.contract.enums import Channel, OrderSource
from socialscope.metrics.registry import REGISTRY
from socialscope.web import i18n
from socialscope.web.locales import en, pl, zh_hans

LANGS = list(i18n.LANGUAGES)


def test_languages() -> None:
    assert i18n.LANGUAGES == {
        "en": "English",
        "zh-Hant": "繁體中文",
        "zh-Hans": "简体中文",
        "pl": "Polski",
    }
    assert i18n.DEFAULT_LANGUAGE == "en"
    assert {lang: i18n.babel_locale(lang) for lang in LANGS} == {
        "en": "en",
        "zh-Hant": "zh_Hant_TW",
        "zh-Hans": "zh_Hans_CN",
        "pl": "pl_PL",
    }


def test_nothing_missing() -> None:
    assert i18n.missing_keys() == {lang: [] for lang in LANGS}
    assert i18n.unknown_keys() == {lang: [] for lang in LANGS}


@pytest.mark.parametrize("lang", LANGS)
def test_catalog_has_every_key(lang: str) -> None:
    catalog = i18n.catalog(lang)
    assert set(catalog) == set(en.UI)
    assert all(isinstance(v, str) and v for k, v in catalog.items() if k != "unit_sep")
    for key in catalog:
        assert i18n.t(lang, key) == catalog[key]


def test_ui_keys_the_pages_use() -> None:
    from socialscope.web.filters import COMPARES, PRESETS

    required = {
        "app_title",
        *(f"nav_{p}" for p in ("overview", "customer_service", "explore")),
        *(f"nav_{p}" for p in ("conversations", "orders")),
        *("logout", "login", "language"),
        *("shop", "channels", "all_channels", "date_range", "from", "to", "compare"),
        *(f"preset_{p}" for p in PRESETS),
        *(f"compare_{c}" for c in COMPARES),
        *("apply", "reset", "loading", "no_data", "error", "forbidden", "not_found"),
        *("export_csv", "export_xlsx", "sort_by", "rows_count", "drill_down", "show_orders"),
        *("previous_value", "previous_period", "change_vs_previous", "total"),
        *("tab_interaction", "tab_sales", "tab_staff", "staff_split"),
        *("reception", "speed", "conversion_loss", "satisfaction", "by_channel", "by_staff"),
        "failed_3min_title",
        *("metric", "dimensions", "grain", "filters", "definition", "chart", "table"),
        *("parameters", "where_help", "top_n", "list_truncated"),
        *(f"grain_{g}" for g in ("day", "week", "month", "hour")),
        "add_filter",
        *("login_title", "api_key", "api_key_help", "sign_in", "login_failed", "logged_out"),
        *(f"col_{c}" for c in drilldown.CONVERSATION_COLUMNS),
        *(f"col_{c}" for c in drilldown.ORDER_COLUMNS),
    }
    assert required - set(en.UI) == set()


@pytest.mark.parametrize("lang", LANGS)
def test_every_metric_labelled(lang: str) -> None:
    labels = {spec.id: i18n.metric_label(lang, spec.id) for spec in REGISTRY}
    assert all(labels.values())
    assert len(set(labels.values())) == len(labels), "two metrics share a label"
    if lang != "en":
        # translated, not the English fallback
        assert not [m for m, label in labels.items() if label == i18n.metric_label("en", m)]


def test_english_metric_labels_drop_the_chinese_gloss() -> None:
    assert REGISTRY.get("interacting_users").label == "Interacting users (互動用戶)"
    assert i18n.metric_label("en", "interacting_users") == "Interacting users"
    assert i18n.metric_label("en", "inquiry_cohort_customers") == (
        "Inquiring customers (conversion cohort)"
    )
    assert i18n.metric_label("pl", "no_such_metric") == "no_such_metric"


def test_seed_vocabulary() -> None:
    """The merchants' own words (SHOPLINE 社交數據概覽, Douyin 飞鸽, 客服数据)."""
    assert i18n.metric_label("zh-Hant", "interacting_users") == "互動用戶數"
    assert i18n.metric_label("zh-Hant", "conversations") == "對話數"
    assert i18n.metric_label("zh-Hant", "sales_amount") == "銷售金額"
    assert i18n.metric_label("zh-Hant", "net_paid_amount") == "付款淨額"
    assert i18n.metric_label("zh-Hant", "order_count") == "訂單數"
    assert i18n.metric_label("zh-Hans", "three_minute_reply_rate") == "3分钟回复率"
    assert i18n.metric_label("zh-Hans", "inquiry_conversion_rate") == "询单转化率"
    assert i18n.metric_label("zh-Hans", "silent_orders") == "静默下单数"
    assert i18n.t("zh-Hant", "tab_interaction") == "用戶互動"
    assert i18n.t("zh-Hant", "tab_sales") == "銷售表現"
    assert i18n.t("zh-Hant", "tab_staff") == "員工表現"
    assert [
        i18n.value_label("zh-Hant", "source", s) for s in ("message_center", "live", "post")
    ] == [
        "訊息中心",
        "直播",
        "貼文",
    ]
    assert [i18n.value_label(lang, "source", "message_center") for lang in LANGS] == [
        "Message center",
        "訊息中心",
        "消息中心",
        "Centrum wiadomości",
    ]


def test_section_labels() -> None:
    sections = {spec.section for spec in REGISTRY}
    assert "3. Service quality" in sections
    assert [i18n.section_label(lang, "3. Service quality") for lang in LANGS] == [
        "Service quality",
        "服務品質",
        "服务质量",
        "Jakość obsługi",
    ]
    for lang in LANGS:
        labels = {i18n.section_label(lang, s) for s in sections}
        assert len(labels) == len(sections)
        assert not any(label[0].isdigit() for label in labels)
    assert i18n.section_label("pl", "Unnumbered") == "Unnumbered"


@pytest.mark.parametrize("lang", LANGS)
def test_every_dimension_labelled(lang: str) -> None:
    dims = {d for spec in REGISTRY for d in REGISTRY.all_dimensions(spec)}
    assert {"date", "week", "month", "hour", "channel", "source", "staff_id", "shop_id"} <= dims
    assert {"currency", "live_id", "post_id"} <= dims
    for dim in dims:
        label = i18n.dimension_label(lang, dim)
        assert label and label != dim, dim


@pytest.mark.parametrize("lang", LANGS)
def test_every_channel_and_order_source_labelled(lang: str) -> None:
    for dim, enum in (("channel", Channel), ("source", OrderSource)):
        for member in enum:
            label = i18n.value_label(lang, dim, member.value)
            assert label and label != member.value, (dim, member)
            assert i18n.value_label(lang, dim, member) == label  # the enum member itself
    assert [code for code, _ in i18n.channel_choices(lang)] == [c.value for c in Channel]


@pytest.mark.parametrize("lang", LANGS)
def test_drilldown_enumerations_labelled(lang: str) -> None:
    for dim, values in i18n.required_values().items():
        for value in values:
            assert i18n.value_label(lang, dim, value) != value, (dim, value)
    assert set(i18n.required_values()["three_minute"]) == {"good", "failed", "not_eligible"}
    assert {"channel", "source", "three_minute", "inquiry_outcome"} <= i18n.VALUE_DIMENSIONS


def test_value_labels() -> None:
    assert i18n.value_label("en", "channel", "line") == "LINE"
    assert i18n.value_label("zh-Hant", "channel", "web_chat") == "網站聊天"
    assert i18n.value_label("zh-Hans", "channel", "douyin") == "抖音"
    assert i18n.value_label("pl", "three_minute", "failed") == "Niespełniona"
    assert i18n.value_label("zh-Hans", "order_type", "silent") == "静默下单"
    assert [i18n.value_label(lang, "channel", None) for lang in LANGS] == [
        "(none)",
        "（無）",
        "（无）",
        "(brak)",
    ]
    assert i18n.value_label("pl", "is_human", True) == "Tak"
    assert i18n.value_label("zh-Hant", "unreplied", False) == "否"
    assert i18n.value_label("en", "staff_id", "ac_staff_05") == "ac_staff_05"
    assert i18n.value_label("en", "channel", "carrier_pigeon") == "carrier_pigeon"
    assert i18n.value_label("en", "csat", 4) == "4"


def test_column_labels() -> None:
    assert i18n.column_label("en", "first_response_s") == "First response time"
    assert i18n.column_label("zh-Hant", "three_minute") == "3分鐘回覆"
    assert i18n.column_label("pl", "order_type") == "Typ zamówienia"
    # metrics, with the compare suffixes of query results
    assert i18n.column_label("zh-Hans", "sales_amount") == "销售金额"
    assert i18n.column_label("en", "sales_amount__previous") == "Sales amount (previous)"
    assert i18n.column_label("pl", "aov__change_pct") == "Średnia wartość zamówienia (zmiana %)"
    assert i18n.column_label("zh-Hant", "order_count__change") == "訂單數（變化）"
    # dimensions, then the name itself
    assert i18n.column_label("zh-Hant", "week") == "週"
    assert i18n.column_label("pl", "mystery") == "mystery"


def test_descriptions() -> None:
    english = REGISTRY.get("three_minute_reply_rate").description
    assert i18n.metric_description("en", "three_minute_reply_rate") == english
    assert i18n.metric_description("zh-Hans", "three_minute_reply_rate").startswith("抖音飞鸽规则")
    assert i18n.metric_description("pl", "no_such_metric") == ""
    for lang in LANGS:
        for spec in REGISTRY:
            assert i18n.metric_description(lang, spec.id)


def test_stale_description_falls_back_to_english(monkeypatch: pytest.MonkeyPatch) -> None:
    english = REGISTRY.get("aov").description
    monkeypatch.setattr(i18n, "DESCRIPTION_SOURCES", {"aov": "0" * 12})
    assert i18n.metric_description("pl", "aov") == english
    assert "aov" in i18n.stale_descriptions()


def test_missing_text_warns_and_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(pl.UI, "loading")
    with pytest.warns(i18n.MissingTranslationWarning):
        assert i18n.t("pl", "loading") == "Loading…"
    with pytest.warns(i18n.MissingTranslationWarning):
        assert i18n.t("pl", "no_such_key") == "no_such_key"
    assert i18n.missing_keys()["pl"] == ["ui:loading"]
    assert i18n.catalog("pl")["loading"] == "Loading…"


def test_unknown_key_is_a_key_error_under_strict_warnings() -> None:
    # the suite runs with filterwarnings = error: a typo in a page is a KeyError
    with pytest.raises(KeyError):
        i18n.t("zh-Hant", "no_such_key")


def test_missing_metric_label_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(zh_hans.METRICS, "aov")
    monkeypatch.delitem(zh_hans.VALUES["channel"], "line")
    assert i18n.missing_keys()["zh-Hans"] == ["metric:aov", "value:channel=line"]
    assert i18n.metric_label("zh-Hans", "aov") == "Average order value"
    assert i18n.value_label("zh-Hans", "channel", "line") == "LINE"


def test_t_formats_params() -> None:
    assert i18n.t("en", "rows_count", n=12) == "12 rows"
    assert i18n.t("zh-Hant", "rows_count", n=12) == "共 12 筆"
    assert i18n.t("pl", "previous_value", value="1234,50 zł") == "Poprzednio: 1234,50 zł"
    assert i18n.t("zh-Hans", "staff_split", name="小美") == "小美：消息中心／直播／贴文销售表现"
    assert i18n.t("en", "staff_split", name="Anna") == "Anna: by message center / live / post"
    with pytest.warns(i18n.TranslationWarning):
        assert i18n.t("en", "rows_count", m=1) == "{n} rows"
    # an unsupported language tag behaves like its supported match, else like English
    assert i18n.t("zh-TW", "tab_staff") == "員工表現"
    assert i18n.t("fr", "tab_staff") == "Staff performance"


def test_section_5_to_7_vocabulary() -> None:
    """Taiwan's social words (觸及/互動/粉絲/直播), Douyin / Compass's (曝光/点击/转化率/加购),
    and gross reach called gross in every language (METRICS.md 5: never passed off as unique)."""
    assert i18n.metric_label("zh-Hant", "reach") == "累計觸及人次（總觸及）"
    assert i18n.metric_label("zh-Hant", "engagements") == "互動次數"
    assert i18n.metric_label("zh-Hant", "followers") == "粉絲數"
    assert i18n.metric_label("zh-Hant", "live_viewers") == "直播觀看人數"
    assert i18n.metric_label("zh-Hans", "impressions") == "曝光次数"
    assert i18n.metric_label("zh-Hans", "click_through_rate") == "点击率（内容）"
    assert i18n.metric_label("zh-Hans", "conversion_rate") == "转化率"
    assert i18n.metric_label("zh-Hans", "cart_visitors") == "加购人数"
    assert i18n.metric_label("en", "reach") == "Gross reach"
    assert i18n.metric_label("pl", "reach") == "Zasięg brutto"
    assert i18n.metric_label("zh-Hans", "reach") == "累计触达人次（毛触达）"
    assert [i18n.section_label(lang, "7. Purchase funnel") for lang in LANGS] == [
        "Purchase funnel",
        "購買漏斗",
        "购买漏斗",
        "Lejek zakupowy",
    ]
    assert [i18n.value_label(lang, "post_kind", "story") for lang in LANGS] == [
        "Story",
        "限時動態",
        "快拍",
        "Relacja",
    ]
