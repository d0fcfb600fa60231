"""The digest's own words in the dashboard's four languages.

Metric, channel and source names come from the dashboard's catalogs (`web.i18n`), so a
report and the dashboard call a number the same; only the report's headings live here.
"""

from __future__ import annotations

from socialscope.web import i18n

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "title_daily": "Daily digest",
        "title_weekly": "Weekly digest",
        "title_custom": "Digest",
        "period": "Period",
        "compared_with": "Compared with",
        "generated": "Generated",
        "amounts_in": "Amounts in {currency}",
        "section_interaction": "User interaction",
        "section_sales": "Sales performance",
        "section_service": "Customer service",
        "section_staff": "Staff performance",
        "section_trend": "Day by day",
        "section_anomalies": "Unusual changes",
        "section_alerts": "Alerts",
        "by_channel": "By channel",
        "by_source": "By source",
        "metric": "Metric",
        "value": "Value",
        "previous": "Previous",
        "change": "Change",
        "staff": "Staff",
        "date": "Date",
        "expected": "Expected",
        "deviation": "Deviation",
        "why": "What happened around it",
        "no_anomalies": "No unusual changes in this period.",
        "no_alerts": "No alert fired in this period.",
        "no_rows": "No data in this period.",
        "state_firing": "Firing",
        "state_resolved": "Resolved",
        "rule": "Rule",
        "time": "Time",
        "message": "Message",
        "direction_up": "above expected",
        "direction_down": "below expected",
        "footer": "socialscope · every number is a registered metric (docs/metrics.md)",
    },
    "zh-Hant": {
        "title_daily": "每日摘要",
        "title_weekly": "每週摘要",
        "title_custom": "數據摘要",
        "period": "期間",
        "compared_with": "對比期間",
        "generated": "產生時間",
        "amounts_in": "金額單位:{currency}",
        "section_interaction": "用戶互動",
        "section_sales": "銷售表現",
        "section_service": "客服",
        "section_staff": "員工表現",
        "section_trend": "每日走勢",
        "section_anomalies": "異常變化",
        "section_alerts": "警示",
        "by_channel": "依渠道",
        "by_source": "依來源",
        "metric": "指標",
        "value": "數值",
        "previous": "上期",
        "change": "變化",
        "staff": "員工",
        "date": "日期",
        "expected": "預期",
        "deviation": "偏差",
        "why": "前後發生了什麼",
        "no_anomalies": "此期間沒有異常變化。",
        "no_alerts": "此期間沒有觸發警示。",
        "no_rows": "此期間沒有資料。",
        "state_firing": "觸發中",
        "state_resolved": "已解除",
        "rule": "規則",
        "time": "時間",
        "message": "訊息",
        "direction_up": "高於預期",
        "direction_down": "低於預期",
        "footer": "socialscope · 所有數字皆來自已登錄的指標(docs/metrics.md)",
    },
    "zh-Hans": {
        "title_daily": "每日摘要",
        "title_weekly": "每周摘要",
        "title_custom": "数据摘要",
        "period": "周期",
        "compared_with": "对比周期",
        "generated": "生成时间",
        "amounts_in": "金额单位:{currency}",
        "section_interaction": "用户互动",
        "section_sales": "销售表现",
        "section_service": "客服",
        "section_staff": "员工表现",
        "section_trend": "每日趋势",
        "section_anomalies": "异常变化",
        "section_alerts": "告警",
        "by_channel": "按渠道",
        "by_source": "按来源",
        "metric": "指标",
        "value": "数值",
        "previous": "上期",
        "change": "变化",
        "staff": "员工",
        "date": "日期",
        "expected": "预期",
        "deviation": "偏差",
        "why": "前后发生了什么",
        "no_anomalies": "本周期没有异常变化。",
        "no_alerts": "本周期没有触发告警。",
        "no_rows": "本周期没有数据。",
        "state_firing": "告警中",
        "state_resolved": "已恢复",
        "rule": "规则",
        "time": "时间",
        "message": "消息",
        "direction_up": "高于预期",
        "direction_down": "低于预期",
        "footer": "socialscope · 所有数字均来自已注册的指标(docs/metrics.md)",
    },
    "pl": {
        "title_daily": "Podsumowanie dnia",
        "title_weekly": "Podsumowanie tygodnia",
        "title_custom": "Podsumowanie",
        "period": "Okres",
        "compared_with": "Porównanie z",
        "generated": "Wygenerowano",
        "amounts_in": "Kwoty w {currency}",
        "section_interaction": "Interakcje użytkowników",
        "section_sales": "Wyniki sprzedaży",
        "section_service": "Obsługa klienta",
        "section_staff": "Wyniki zespołu",
        "section_trend": "Dzień po dniu",
        "section_anomalies": "Nietypowe zmiany",
        "section_alerts": "Alerty",
        "by_channel": "Według kanału",
        "by_source": "Według źródła",
        "metric": "Wskaźnik",
        "value": "Wartość",
        "previous": "Poprzednio",
        "change": "Zmiana",
        "staff": "Pracownik",
        "date": "Data",
        "expected": "Oczekiwano",
        "deviation": "Odchylenie",
        "why": "Co się wtedy wydarzyło",
        "no_anomalies": "Brak nietypowych zmian w tym okresie.",
        "no_alerts": "W tym okresie nie uruchomiono żadnego alertu.",
        "no_rows": "Brak danych w tym okresie.",
        "state_firing": "Aktywny",
        "state_resolved": "Zakończony",
        "rule": "Reguła",
        "time": "Czas",
        "message": "Komunikat",
        "direction_up": "powyżej oczekiwań",
        "direction_down": "poniżej oczekiwań",
        "footer": "socialscope · każda liczba to zarejestrowany wskaźnik (docs/metrics.md)",
    },
}

LANGUAGES: tuple[str, ...] = tuple(TEXTS)

_ZONE_LANGUAGE: dict[str, str] = {
    "Asia/Taipei": "zh-Hant",
    "Asia/Hong_Kong": "zh-Hant",
    "Asia/Macau": "zh-Hant",
    "Asia/Shanghai": "zh-Hans",
    "Asia/Chongqing": "zh-Hans",
    "Asia/Urumqi": "zh-Hans",
    "Asia/Singapore": "zh-Hans",
    "Europe/Warsaw": "pl",
}


def shop_language(timezone: str | None, configured: str | None = None) -> str:
    """The shop's language: the configured one, else the language of its time zone's
    market (Taipei → 繁體中文, Shanghai → 简体中文, Warsaw → Polski), else English."""
    if configured:
        return check_language(configured)
    return _ZONE_LANGUAGE.get(timezone or "", i18n.DEFAULT_LANGUAGE)


def check_language(lang: str) -> str:
    if lang not in TEXTS:
        raise ValueError(f"unknown language {lang!r}; use one of: {', '.join(LANGUAGES)}")
    return lang


def text(lang: str, key: str, **params: object) -> str:
    return TEXTS[lang][key].format(**params)
