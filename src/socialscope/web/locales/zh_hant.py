"""繁體中文 (Taiwan): SHOPLINE's vocabulary — 社交數據概覽, 互動用戶, 對話數, 訊息中心, 貼文."""

from __future__ import annotations

from socialscope.web.locales import LocaleData

UI: dict[str, str] = {
    "app_title": "socialscope",
    # navigation
    "nav_overview": "社交數據概覽",
    "nav_customer_service": "客服數據",
    "nav_explore": "數據探索",
    "nav_conversations": "對話",
    "nav_orders": "訂單",
    "logout": "登出",
    "login": "登入",
    "language": "語言",
    # filters
    "shop": "商店",
    "channels": "管道",
    "all_channels": "所有管道",
    "date_range": "日期範圍",
    "preset_today": "今天",
    "preset_last_7_days": "過去 7 天",
    "preset_last_30_days": "過去 30 天",
    "preset_last_90_days": "過去 90 天",
    "preset_this_month": "本月",
    "preset_last_month": "上個月",
    "preset_custom": "自訂",
    "from": "開始日期",
    "to": "結束日期",
    "compare": "比較對象",
    "compare_previous": "前一期間",
    "compare_yoy": "去年同期",
    "compare_none": "不比較",
    "apply": "套用",
    "reset": "重設",
    "amounts_in": "金額幣別：{currency}",
    # states
    "loading": "載入中…",
    "no_data": "此期間沒有資料",
    "error": "發生錯誤",
    "forbidden": "你沒有權限檢視此頁面",
    "not_found": "找不到頁面",
    # tables and export
    "digest": "摘要報告",
    "export_csv": "匯出 CSV",
    "export_xlsx": "匯出 Excel",
    "sort_by": "排序依據",
    "rows_count": "共 {n} 筆",
    "drill_down": "查看這個數字背後的對話",
    "show_orders": "查看這個數字背後的訂單",
    "previous_value": "前期：{value}",
    "previous_period": "前一期間",
    "change_vs_previous": "與前期相比",
    "total": "總計",
    "label_previous": "{label}（前期）",
    "label_change": "{label}（變化）",
    "label_change_pct": "{label}（變化率）",
    # overview
    "tab_interaction": "用戶互動",
    "tab_sales": "銷售表現",
    "tab_staff": "員工表現",
    # today vs yesterday (web/today.py)
    "tab_today": "今日與昨日",
    "today_metric": "指標",
    "today_chart": "{metric}：今日與昨日，按小時累計",
    "today_table": "按小時（累計）",
    "today_line": "今日（{date}）",
    "yesterday_line": "昨日（{date}）",
    "today_so_far": "今日至 {hour}：{value}，昨日同一時刻 {previous}（{change}）",
    "today_not_begun": "依商店時區，今日尚未開始",
    "today_refresh": "每 {seconds} 秒更新",
    "staff_split": "{name}：訊息中心／直播／貼文收單表現",
    "social_total": "訊息中心＋直播＋貼文",
    # customer service
    "reception": "接待",
    "speed": "回覆速度",
    "conversion_loss": "轉換與流失",
    "satisfaction": "滿意度",
    "by_channel": "依管道",
    "by_staff": "依客服",
    "failed_3min_title": "未達 3 分鐘回覆標準的對話",
    # explorer
    "metric": "指標",
    "dimensions": "拆分維度",
    "grain": "時間粒度",
    "grain_day": "日",
    "grain_date": "日",
    "grain_week": "週",
    "grain_month": "月",
    "grain_hour": "小時",
    "filters": "篩選條件",
    "parameters": "參數",
    "definition": "定義",
    "chart": "圖表",
    "table": "表格",
    "add_filter": "新增篩選條件",
    "where_help": (
        "篩選條件格式為 維度=值1,值2，多個條件以「;」分隔，例如 channel=line,facebook;source=live。"
        "參數格式為 名稱=值，以「;」分隔。"
    ),
    "top_n": "前 {n} 項",
    "see_all": "查看全部",
    "first_n_shown": "僅顯示前 {n} 筆",
    "queue_at_end": "期末排隊狀況",
    "label_all_channels": "{label}（所有管道）",
    "list_truncated": "顯示前 {shown} 筆，共 {total} 筆",
    # login
    "login_title": "登入 socialscope",
    "api_key": "API 金鑰",
    "api_key_help": "你的商店 API 金鑰，或管理員金鑰",
    "sign_in": "登入",
    "login_failed": "此金鑰無法使用",
    "logged_out": "你已登出",
    # values and units
    "value_none": "（無）",
    "value_yes": "是",
    "value_no": "否",
    "week_of": "{date} 當週",
    "unit_s": "{n}秒",
    "unit_min": "{n}分",
    "unit_h": "{n}小時",
    "unit_d": "{n}天",
    "unit_sep": "",
    # drill-down columns: conversations
    "col_shop_id": "商店",
    "col_conversation_id": "對話 ID",
    "col_channel": "管道",
    "col_customer_id": "顧客 ID",
    "col_person_id": "顧客身分 ID",
    "col_staff_id": "員工",
    "col_first_ts": "開始時間",
    "col_last_ts": "最後活動時間",
    "col_is_human": "人工對話",
    "col_rounds": "輪數",
    "col_first_response_s": "首次回應時間",
    "col_longest_response_s": "最長回應時間",
    "col_unanswered_rounds": "未回覆輪數",
    "col_unreplied": "未回覆",
    "col_three_minute": "3分鐘回覆",
    "col_three_minute_failed_round": "未達標輪次",
    "col_three_minute_date": "3分鐘考核日期",
    "col_csat": "滿意度評分",
    "col_order_ids": "訂單",
    "col_inquiry_outcome": "詢單結果",
    # drill-down columns: orders
    "col_order_id": "訂單編號",
    "col_created_at": "建立時間",
    "col_source": "訂單來源",
    "col_currency": "幣別",
    "col_amount": "金額",
    "col_paid": "已付款",
    "col_paid_at": "付款時間",
    "col_refunded_amount": "退款金額",
    "col_cancelled": "已取消",
    "col_order_type": "下單類型",
    # social
    "nav_social": "社群",
    "top_posts_title": "熱門貼文（依觸及互動率）",
    "lives_title": "直播與銷售漏斗",
    "live_funnel_title": "直播漏斗",
    "live_choose": "直播場次",
    "live_unknown": "live：此期間沒有開始的直播 {live!r}",
    "post_funnel_title": "貼文銷售漏斗",
    "benchmarks": "平台基準值",
    "benchmark_as_cited": "日期依 METRICS.md 引用",
    "benchmark_source_unnamed": "METRICS.md 未註明來源",
    "benchmark_variant_per_post": "每則貼文，依粉絲數",
    "benchmark_variant_organic": "自然流量",
    "benchmark_variant_ads": "廣告",
    "benchmark_variant_ecommerce": "電商",
    "benchmark_variant_email_popup": "電子報彈出視窗",
    "benchmark_variant_average_response": "平均回應",
    "benchmark_variant_first_response": "首次回應",
    "col_rank": "排名",
    "col_published_at": "發布時間",
    "col_caption": "貼文內容",
    "col_title": "標題",
    "col_started_at": "開始時間",
    "col_step": "步驟",
    "col_count": "人數",
    "col_rate_from_previous": "相對上一步",
    "col_rate_from_first": "相對第一步",
    # traffic and funnels
    "nav_funnels": "流量與漏斗",
    "conversion_rate_window": "{label}（{days} 天內）",
    "funnel_title": "漏斗分析",
    "funnel_choose": "漏斗",
    "funnel_steps": "步驟（自訂）",
    "funnel_steps_help": "以逗號分隔的事件，可加篩選：event[dim=value]。事件：{events}",
    "funnel_unit": "計算單位",
    "funnel_mode": "步驟順序",
    "funnel_window_d": "轉換期間（天）",
    "funnel_counting": "計數方式",
    "funnel_by": "拆分維度",
    "funnel_breakdown_at": "拆分值取自",
    "funnel_no_breakdown": "（不拆分）",
    "funnel_builtin_social": "社群：曝光 → 購買",
    "funnel_builtin_service": "客服：詢問 → 下單 → 付款",
    "funnel_builtin_live": "直播：留言 → +1 → 下單 → 付款",
    "funnel_builtin_post": "貼文：留言 → +1 → 下單 → 付款",
    "funnel_builtin_custom": "自訂步驟",
    "unit_visitor": "訪客",
    "unit_customer": "顧客",
    "mode_ordered": "依序（中間可有其他事件）",
    "mode_strict": "嚴格依序（中間不可有其他事件）",
    "mode_any": "不限順序",
    "counting_unique": "不重複（每個單位一次）",
    "counting_totals": "總次數（每次嘗試）",
    "breakdown_at_first": "第一步",
    "breakdown_at_last": "最後到達的步驟",
    "funnel_breakdown_first": "依{dim}（取第一步的值）",
    "funnel_breakdown_last": "依{dim}（取最後到達步驟的值）",
    "funnel_statement": (
        "以{unit}計算，{mode}，進入第一步後 {days} 天內，{counting}；名單為期間內進入第一步者。"
    ),
    "funnel_same": "每一步須為同一個 {dims}。",
    "funnel_channel_entry": "管道篩選：第一步須發生在 {channels}。",
    "funnel_channel_ignored": "管道篩選不適用：此漏斗的第一步沒有管道。",
    "funnel_chart_title": "漏斗（佔第一步比例）",
    "funnel_steps_title": "各步驟",
    "funnel_value_title": "最後一步的金額",
    "funnel_event_impression": "曝光",
    "funnel_event_click": "點擊",
    "funnel_event_product_view": "瀏覽商品",
    "funnel_event_add_to_cart": "加入購物車",
    "funnel_event_checkout": "結帳",
    "funnel_event_purchase": "購買",
    "funnel_event_lead": "潛在顧客",
    "funnel_event_signup": "註冊",
    "funnel_event_inquiry": "詢問",
    "funnel_event_comment": "留言",
    "funnel_event_keyword_comment": "+1 喊單留言",
    "funnel_event_order": "下單",
    "funnel_event_paid": "付款",
    "col_label": "步驟定義",
    "col_conversion_from_first": "相對第一步轉換率",
    "col_conversion_from_previous": "相對上一步轉換率",
    "col_drop_off": "流失數",
    "col_drop_off_rate": "流失率",
    "col_median_s_from_previous": "距上一步時間（中位數）",
    "col_median_s_from_first": "距第一步時間（中位數）",
    "col_conversions": "轉換數",
    "col_total": "總額",
    "col_mean": "平均",
    "col_entries": "進入第一步",
    "col_completed": "到達最後一步",
    "col_value": "值",
    # attribution
    "nav_attribution": "歸因分析",
    "attribution_options_title": "模型與選項",
    "attribution_models": "模型",
    "attribution_orders": "馬可夫階數",
    "attribution_include": "同時計入的接觸點",
    "attribution_lookback_d": "回溯期間（天）",
    "attribution_conversion": "轉換事件",
    "attribution_half_life_h": "時間衰減半衰期（小時）",
    "attribution_measure": "圖表顯示",
    "measure_conversions": "歸因轉換數",
    "measure_value": "歸因金額",
    "measure_share": "佔比",
    "model_first_touch": "首次接觸",
    "model_last_touch": "最終接觸",
    "model_linear": "線性",
    "model_position_based": "依位置（40/20/40）",
    "model_time_decay": "時間衰減",
    "model_markov": "馬可夫鏈",
    "model_shapley": "Shapley（數據驅動）",
    "markov_order": "{k} 階",
    "touch_chat": "聊天",
    "touch_comment": "留言",
    "touch_live": "直播",
    "touch_direct": "直接（無接觸點）",
    "conversion_paid_order": "已付款訂單",
    "conversion_purchase": "購買事件",
    "attribution_paths": "路徑數",
    "attribution_conversions": "轉換數",
    "attribution_nulls": "未轉換路徑",
    "attribution_value": "轉換金額",
    "attribution_chart_conversions": "各管道與模型的歸因轉換數",
    "attribution_chart_value": "各管道與模型的歸因金額",
    "attribution_table_title": "模型比較",
    "attribution_notes_title": "計算說明",
    "attribution_counts": "使用 {paths} 條路徑：{conversions} 次轉換、{nulls} 條未轉換路徑。",
    "attribution_skipped": "{model} 未執行：{why}",
    "attribution_channel_filter": "管道篩選不影響歸因：歸因比較的就是各管道。",
    # campaign review
    "nav_campaigns": "活動檢視",
    "kind_campaign": "行銷活動",
    "kind_post": "貼文",
    "kind_live": "直播",
    "review_title": "檢視對象",
    "review_subject": "活動、貼文或直播",
    "review_target": "銷售目標（選填）",
    "review_days_after": "上線後天數",
    "review_none": "此商店與期間沒有可檢視的活動、貼文或直播。",
    "review_targets_title": "各漏斗階段目標（依前期比率）",
    "review_lift_title": "上線後成效提升",
    "review_chart_title": "實際值與預測值（預測 = 100%）",
    "review_band": "預期區間",
    "review_actual": "實際",
    "review_predicted": "預測",
    "review_notes_title": "計算說明",
    "review_launch": "上線日 {launch}（{source}）；比較上線後 {days} 天。",
    "review_trailing": "前期比率取自 {period}。",
    "review_interval": "預測區間：{level}%。",
    "verdict_lift": "提升",
    "verdict_drop": "下降",
    "verdict_within_noise": "在正常波動內",
    "percentage_points": "{n} 個百分點",
    "col_stage": "階段",
    "col_needed": "目標數",
    "col_rate": "前期比率",
    "col_rate_value": "比率",
    "col_rate_numerator": "分子",
    "col_rate_denominator": "分母",
    "col_metric": "指標",
    "col_actual": "實際",
    "col_predicted": "預測",
    "col_low": "區間下限",
    "col_high": "區間上限",
    "col_difference": "差異",
    "col_change_pct": "變化率",
    "col_verdict": "判讀",
    "col_note": "備註",
    "attribution_currency": "金額以 {currency} 計；其他幣別的轉換不計入（不同幣別從不相加）。",
    # attribution touch channels
    "touch_organic_search": "自然搜尋",
    "touch_paid_search": "付費搜尋",
    "touch_referral": "推薦連結",
    "nav_products": "商品",
    "products_options_title": "商品流量",
    "products_by": "列",
    "products_by_product": "依商品",
    "products_by_category": "依商品分類",
    "products_source": "流量來源",
    "products_all_sources": "所有來源",
    "products_category": "商品分類",
    "products_all_categories": "所有分類",
    "products_min_click_users": "最少點擊人數",
    "products_min_click_users_help": (
        "來源需達到此點擊人數，其點擊成交轉換率才能使其成為轉換最佳的管道。"
    ),
    "products_funnel_title": "店鋪漏斗：曝光 → 點擊 → 加購 → 下單 → 付款",
    "products_table_title": "商品：漏斗與主要管道",
    "products_sources_title": "依流量來源的漏斗",
    "products_notes_title": "閱讀說明",
    "products_note_rates": (
        "每一步計算期間內的人數（加購之前為訪客，下單與付款為顧客）；沒有曝光紀錄的點"
        "擊、未加購直接下單仍會計入，因此步驟轉換率可能超過 100%。"
    ),
    "products_note_verdict": (
        "成交管道：成交金額最高的來源。轉換管道：點擊人數至少 {n} "
        "的來源中點擊成交轉換率最高者。並列時一併列出。"
    ),
    "col_click_rate": "曝光 → 點擊",
    "col_add_to_cart_rate": "點擊 → 加購",
    "col_order_rate": "加購 → 下單",
    "col_paid_rate": "下單 → 付款",
    "col_gmv_channel": "成交管道",
    "col_conversion_channel": "轉換管道",
    "verdict_small_sample": "點擊人數過少",
    "verdict_tied": "{source}（與 {others} 並列）",
    # audience page (docs/audience.md)
    "nav_audience": "受眾",
    "audience_options_title": "受眾選項",
    "audience_set": "用戶群",
    "set_click_users": "點擊用戶",
    "set_exposure_users": "曝光用戶",
    "set_buyers": "成交用戶",
    "set_non_buyers": "未成交用戶",
    "set_lost_users": "流失用戶",
    "set_inquiring_customers": "諮詢顧客",
    "set_live_commenters": "直播留言用戶",
    "set_post_commenters": "貼文留言用戶",
    "audience_traffic_source": "流量來源",
    "audience_any_source": "全部來源",
    "audience_product": "商品編號",
    "audience_month": "流失去向月份",
    "audience_month_help": "已結束的完整月份，YYYY-MM",
    "audience_profile_title": "人群畫像",
    "audience_k_note": "少於 {k} 位用戶的分組會併入「其他」或不顯示。",
    "audience_suppressed": "{name}：用戶數低於門檻，不顯示。",
    "audience_by": "依{attribute}",
    "attr_gender": "性別",
    "attr_age_band": "年齡層",
    "attr_region": "地區",
    "attr_segment": "策略人群",
    "audience_sources_title": "各流量來源的用戶數",
    "audience_export_title": "匯出為再行銷受眾",
    "audience_export_refused": "此用戶群中本店顧客少於 {k} 位：不予匯出。",
    "audience_destinations_title": "流失用戶的購買去向 — {month}",
    "audience_destinations_note": (
        "流失用戶 {lost} 位。僅顯示至少 {k} 位用戶的分組；不會透露其他店鋪名稱。"
    ),
    "audience_peers_title": "同層店鋪比較",
    "peer_source": "同層：等級 {tier}、{category}",
    "peer_count": "{band} 家店鋪",
    "peer_rank_label": "百分位排名",
    "peer_not_enough": "同層店鋪不足",
    "peer_excellent": "同層優秀值（p90）",
    "peer_card_help": "您的數值與相同等級、相同類目店鋪的比較。",
    "col_set_share": "所選用戶群",
    "col_buyers_share": "成交用戶",
    "col_non_buyers_share": "未成交用戶",
    "col_population": "用戶群",
    "col_users": "人數",
    "col_category": "類目",
    "col_price_band": "價格帶",
    "col_orders": "訂單數",
    "col_share": "佔流失用戶比例",
    "col_set": "用戶群",
    "col_customers": "顧客數",
    "col_download": "下載",
    "col_traffic_source": "流量來源",
    # alerts
    "nav_alerts": "警示",
    "alerts_incidents_title": "事件（{firing} 件警示中）",
    "alerts_history_title": "期間內的通知",
    "alerts_notes_title": "閱讀說明",
    "alerts_note_order": (
        "警示中的事件不論期間一律排在最前；其後為期間內有通知的事件，由新到舊。每個事"
        "件只發送一次警示通知與一次解除通知。"
    ),
    "alerts_note_times": ("時間為商店當地時間（{zone}）。規則設定於伺服器設定檔（[[alerts]]）。"),
    "alert_state_firing": "警示中",
    "alert_state_resolved": "已解除",
    "alert_severity_info": "資訊",
    "alert_severity_warning": "警告",
    "alert_severity_critical": "嚴重",
    "alert_delivery_sent": "{target}：已送達",
    "alert_delivery_pending": "{target}：待重送（已嘗試 {attempts} 次）",
    "alert_delivery_failed": "{target}：嘗試 {attempts} 次後失敗",
    "col_state": "狀態",
    "col_severity": "嚴重程度",
    "col_rule_id": "規則",
    "col_dims": "切片",
    "col_fired_at": "觸發時間",
    "col_resolved_at": "解除時間",
    "col_message": "訊息",
    "col_threshold": "門檻",
    "col_at": "時間",
    "col_deliveries": "送達狀態",
    # anomalies
    "anomalies_title": "異常波動",
    "anomalies_of": "異常:{metric}",
    "anomaly_tooltip": "{metric}:{value}(預期 {expected},{change})",
    "anomaly_unexplained": "這個時間點前後沒有記錄到相關事件",
    "anomaly_expected": "預期 {expected}",
    "anomalies_none": "此期間沒有異常波動",
    "anomalies_flagged": "異常點:{n} 個",
    "explain_post": "{channel} {kind}「{caption}」",
    "explain_post_paid": "{channel} {kind}「{caption}」(付費)",
    "explain_live": "直播「{title}」({hours} 小時 {minutes} 分鐘,{viewers} 位觀眾)",
    "explain_live_viewers": "直播「{title}」({viewers} 位觀眾)",
    "explain_live_plain": "直播「{title}」",
    "explain_campaign": "活動「{campaign}」開始",
    "explain_product": "新商品「{title}」(首次售出或被瀏覽)",
    "explain_big_order": "訂單 {order_id}:{amount} {currency}(平常 {usual})",
    "explain_refund": "訂單 {order_id} 的退款 {refund_id}:{amount} {currency}(平常 {usual})",
    "explain_refunds_many": "{n} 筆退款(平常約 {usual} 筆)",
    "explain_absent": "{name} 離線(平常在線 {usual} 小時,這次 {now} 小時)",
    "explain_fewer_agents": "在線客服:{n} 位(平常 {usual} 位)",
}

METRICS: dict[str, str] = {
    "conversations": "對話數",
    "human_conversations": "人工對話數",
    "inbound_messages": "收到訊息數",
    "outbound_messages": "送出訊息數",
    "inquiring_customers": "諮詢人數",
    "served_customers": "接待人數",
    "interacting_users": "互動用戶數",
    "comments_received": "收到留言數",
    "product_inquiries": "商品諮詢數",
    "order_count": "訂單數",
    "sales_amount": "銷售金額",
    "paid_order_count": "已付款訂單數",
    "net_paid_amount": "付款淨額",
    "refund_amount": "退款金額",
    "aov": "平均客單價",
    "conversations_handled": "處理對話數",
    "three_minute_good_conversations": "3分鐘回覆達標對話數",
    "three_minute_eligible_conversations": "3分鐘回覆考核對話數",
    "three_minute_reply_rate": "3分鐘回覆率",
    "first_response_time_avg": "首次回應時間（平均）",
    "first_response_time_median": "首次回應時間（中位數）",
    "first_response_time_p90": "首次回應時間（P90）",
    "avg_response_time": "平均回應時間",
    "slow_rounds": "慢回應輪次",
    "unanswered_rounds": "未回覆輪次",
    "unreplied_conversations": "未回覆對話數",
    "sla_conversations": "SLA 考核對話數",
    "sla_met_conversations": "SLA 達標對話數",
    "sla_attainment": "首次回應 SLA 達成率",
    "csat_ratings": "滿意度評價數",
    "csat_positive_ratings": "滿意評價數",
    "csat_rate": "滿意率",
    "negative_reviews": "中差評數",
    "inquiry_orders": "詢單下單數",
    "inquiry_order_amount": "詢單下單金額",
    "silent_orders": "靜默下單數",
    "silent_order_amount": "靜默下單金額",
    "silent_order_share": "靜默下單佔比",
    "silent_unpaid_orders": "靜默下單未付款數",
    "inquiry_cohort_customers": "詢單人數",
    "inquiry_converted_customers": "詢單成交人數",
    "inquiry_conversion_rate": "詢單轉換率",
    "inquiry_lost_customers": "詢單流失人數",
    "inquiry_unpaid_customers": "詢單下單未付款人數",
    "queue_waiting": "排隊中對話數",
    "queue_wait_max_s": "最長排隊時間",
    "queue_wait_avg_s": "平均排隊時間",
    "online_agents": "在線客服數",
    "agent_capacity": "客服接待上限",
    "agent_open_conversations": "在線客服進行中對話數",
    "agent_saturation": "工作飽和度",
    # sections 5-7
    "impressions": "曝光次數",
    "video_views": "影片觀看次數",
    "link_clicks": "連結點擊次數",
    "reach": "累計觸及人次（總觸及）",
    "engagements": "互動次數",
    "engagement_rate_by_reach": "互動率（依觸及）",
    "engagement_rate_by_impressions": "互動率（依曝光）",
    "engagement_rate_by_followers": "互動率（依粉絲數，每則貼文）",
    "followers": "粉絲數",
    "followers_start": "期初粉絲數",
    "net_follower_growth": "粉絲淨增長",
    "follower_growth_rate": "粉絲成長率",
    "posts_published": "發布貼文數",
    "live_viewers": "直播觀看人數",
    "live_peak_viewers": "直播最高同時在線人數",
    "live_watch_seconds": "直播觀看總時長",
    "live_commenting_customers": "直播留言顧客數",
    "live_keyword_customers": "直播喊單顧客數（+1）",
    "live_ordering_customers": "直播下單顧客數",
    "live_paying_customers": "直播付款顧客數",
    "live_commenting_rate": "直播留言率",
    "live_keyword_rate": "直播喊單率",
    "live_ordering_rate": "直播下單率",
    "live_paying_rate": "直播付款率",
    "post_commenting_customers": "貼文留言顧客數",
    "post_keyword_customers": "貼文喊單顧客數（+1）",
    "post_ordering_customers": "貼文下單顧客數",
    "post_paying_customers": "貼文付款顧客數",
    "post_keyword_rate": "貼文喊單率",
    "post_ordering_rate": "貼文下單率",
    "post_paying_rate": "貼文付款率",
    "click_through_rate": "點閱率（內容）",
    "sessions": "工作階段數",
    "social_sessions": "社群工作階段數",
    "social_session_share": "社群工作階段佔比",
    "visitors": "訪客數",
    "session_duration_total": "工作階段總時長",
    "sessions_with_duration": "有時長的工作階段數",
    "avg_session_duration": "平均工作階段時長",
    "engaged_time_total": "互動時間總計",
    "sessions_with_engaged_time": "有互動時間的工作階段數",
    "avg_engaged_time": "平均互動時間",
    "leads": "潛在顧客數",
    "lead_rate": "潛在顧客轉換率",
    "first_purchase_customers": "首購顧客數",
    "first_purchase_sessions": "首購前工作階段總數",
    "sessions_before_purchase": "首購前工作階段數（平均）",
    "sessions_before_purchase_median": "首購前工作階段數（中位數）",
    "click_users": "點擊用戶數",
    "converted_click_users": "已轉換點擊用戶數",
    "conversion_rate": "轉換率",
    "cart_visitors": "加入購物車訪客數",
    "abandoned_cart_visitors": "放棄購物車訪客數",
    "cart_abandonment_rate": "購物車放棄率",
    "revenue_gross": "營收總額（現金制）",
    "refunds_by_date": "退款（依退款日，現金制）",
    "revenue_net": "營收淨額（現金制）",
    "exposure_users": "商品曝光人數",
    "product_click_users": "商品點擊人數",
    "product_clicks": "商品點擊次數",
    "product_clicks_per_user": "人均商品點擊次數",
    "product_ctr": "商品點擊率（人數）",
    "product_cart_users": "商品加購人數",
    "new_click_users": "新客點擊人數",
    "returning_click_users": "老客點擊人數",
    "new_click_user_share": "新客點擊占比",
    "returning_click_user_share": "老客點擊占比",
    "product_gmv": "商品成交金額",
    "product_order_users": "商品下單人數",
    "product_buyers": "商品成交人數",
    "product_aov": "商品客單價",
    "click_to_purchase_rate": "點擊成交轉換率",
    "uv_value": "UV價值",
    "first_purchase_buyers": "首購成交人數",
    "repeat_buyers": "回購成交人數",
    "first_purchase_buyer_share": "首購成交占比",
    "repeat_buyer_share": "回購成交占比",
    "lost_users": "流失人數",
}

_FRT = (
    "針對第一個人工輪次已獲回覆的每個人工對話：該輪次的回應時間（回覆時間 − 有效起始時間，"
    "以秒計），以對話首個事件的日期計；依 staff_id 拆分時為該對話的客服。"
)

DESCRIPTIONS: dict[str, str] = {
    "conversations": "首個事件落在期間內的對話。",
    "human_conversations": (
        "首個事件落在期間內的人工對話（不是只有機器人）；依 staff_id 拆分時，計入該對話的客服"
        "（轉人工當下或之後第一則客服訊息的客服）。"
    ),
    "inbound_messages": "期間內由顧客發送、類型為 message 的紀錄。",
    "outbound_messages": "期間內由客服與機器人發送、類型為 message 的紀錄。",
    "inquiring_customers": "期間內至少發送一則顧客訊息的不重複顧客數。",
    "served_customers": "期間內至少有一則客服訊息的不重複顧客數。",
    "interacting_users": (
        "期間內傳送訊息或留言（作者為顧客、未刪除）的不重複顧客數；同一位顧客跨管道只計一次"
        "（依身分整合）。"
    ),
    "comments_received": "期間內的顧客留言（含已刪除者：它們確實收到過）。",
    "product_inquiries": "期間內帶有 product_id 的顧客訊息。",
    "order_count": (
        "期間內建立且未取消的訂單。依 staff_id 拆分時：採訂單的 staff_id，若無，則採其對話中"
        "在 created_at 之前最後一則客服訊息的客服。"
    ),
    "sales_amount": "期間內訂單金額的加總（Σ amount），以訂單幣別計。",
    "paid_order_count": "期間內有 paid_at 的訂單。",
    "net_paid_amount": (
        "期間內已付款訂單的（金額 − 其退款）加總；退款計至查詢當下為止（同期群口徑）。"
    ),
    "refund_amount": "期間內訂單的退款加總，計至查詢當下為止（同期群口徑）。",
    "aov": "sales_amount / order_count。",
    "conversations_handled": (
        "期間內客服至少發送一則客服訊息的人工對話；在兩位客服之間轉接的對話，兩人各計一次"
        "（在切片內以不重複對話計）。"
    ),
    "three_minute_good_conversations": (
        "列入考核（3 分鐘規則）且每個考核輪次都在 threshold_s 內獲得回覆的對話，"
        "以其第一個考核輪次的日期計。"
    ),
    "three_minute_eligible_conversations": (
        "至少有一個考核輪次的對話——考核輪次是有效起始時間落在商店服務時段內"
        "（shops.service_hours，預設為當地時間 [08:00, 23:00)）的人工輪次——"
        "以其第一個考核輪次的日期計。"
    ),
    "three_minute_reply_rate": (
        "抖音飛鴿規則：達標對話數 / 考核對話數。考核輪次是有效起始時間落在商店服務時段內的"
        "人工輪次；對話有 ≥1 個考核輪次即列入考核，每個考核輪次都在 threshold_s 內（含）"
        "獲得回覆才算達標（未回覆的考核輪次即未達標）。以第一個考核輪次的日期計；服務時段外的"
        "輪次不影響結果。依 staff_id 拆分時：該對話的客服。"
    ),
    "first_response_time_avg": _FRT + "平均值。",
    "first_response_time_median": _FRT + "中位數。",
    "first_response_time_p90": _FRT + "第 90 百分位數。",
    "avg_response_time": (
        "所有已回覆人工輪次的平均回應時間（回覆時間 − 有效起始時間，以秒計），以輪次有效起始"
        "時間的日期計；依 staff_id 拆分時為發送回覆的客服。"
    ),
    "slow_rounds": (
        "回應時間 > threshold_s 的已回覆人工輪次，以輪次有效起始時間的日期計；"
        "依 staff_id 拆分時為發送回覆的客服。"
    ),
    "unanswered_rounds": "沒有獲得回覆的人工輪次，以輪次有效起始時間的日期計。",
    "unreplied_conversations": "完全沒有客服訊息的人工對話，以其首個事件的日期計。",
    "sla_conversations": "第一個人工輪次在期間內開始（有效起始時間）的人工對話。",
    "sla_met_conversations": (
        "第一個人工輪次在期間內開始、且在 sla_s 內（含）獲得回覆的人工對話。"
    ),
    "sla_attainment": (
        "首次回應在 sla_s 內的人工對話佔比：sla_met_conversations / sla_conversations，"
        "以第一個人工輪次有效起始時間的日期計；依 staff_id 拆分時為該對話的客服。"
    ),
    "csat_ratings": "期間內類型為 csat 的評價。",
    "csat_positive_ratings": "期間內類型為 csat、分數 ≥ 4 的評價。",
    "csat_rate": "分數 ≥ 4 的 csat 評價 / 期間內所有 csat 評價。",
    "negative_reviews": "期間內類型為 review、分數 ≤ 2 的評價。",
    "inquiry_orders": (
        "期間內有 conversation_id，或其顧客在 created_at 之前 inquiry_window_h 小時內"
        "發送過顧客訊息的訂單。"
    ),
    "inquiry_order_amount": "期間內詢單下單訂單的金額加總，以訂單幣別計。",
    "silent_orders": (
        "期間內不屬於詢單下單的訂單：沒有 conversation_id，且其顧客在下單前"
        " inquiry_window_h 小時內沒有發送任何顧客訊息。"
    ),
    "silent_order_amount": "期間內靜默下單訂單的金額加總，以訂單幣別計。",
    "silent_order_share": "silent_orders / order_count。",
    "silent_unpaid_orders": "期間內沒有 paid_at 的靜默下單訂單。",
    "inquiry_cohort_customers": (
        "期間內發送 ≥1 則顧客訊息的不重複顧客——即 inquiry_conversion_rate 的分母；"
        "與 inquiring_customers 是同一批顧客，但每位顧客只歸屬一個管道與一位客服"
        "（取其期間內最後一個對話的）。"
    ),
    "inquiry_converted_customers": (
        "期間內的詢單顧客中，在其期間內首次詢問起、到最後一次詢問後 inquiry_window_h 小時"
        "為止，建立了已付款訂單者。"
    ),
    "inquiry_conversion_rate": "inquiry_converted_customers / inquiry_cohort_customers。",
    "inquiry_lost_customers": (
        "期間內的詢單顧客中，在其期間內首次詢問起、到最後一次詢問後 inquiry_window_h 小時"
        "為止，沒有建立任何訂單（未取消）者。"
    ),
    "inquiry_unpaid_customers": (
        "期間內的詢單顧客中，在該時間窗內有訂單（未取消）但全部未付款者。"
    ),
    "queue_waiting": (
        "截至 as_of 的快照：最後一個顧客輪次尚未獲得回覆的進行中人工對話——其有效起始時間"
        "在 as_of 或之前，且沒有回覆或回覆在 as_of 之後。"
    ),
    "queue_wait_max_s": (
        "截至 as_of 的快照：等待中對話（queue_waiting）已等待的最長時間，即 as_of − "
        "等待輪次的有效起始時間，以秒計；沒有對話在等待時為空值。"
    ),
    "queue_wait_avg_s": (
        "截至 as_of 的快照：等待中對話（queue_waiting）已等待時間的平均值，即 as_of − "
        "等待輪次的有效起始時間，以秒計；沒有對話在等待時為空值。"
    ),
    "online_agents": (
        "截至 as_of 的快照：在 as_of 或之前最新一筆 agent_status 為 online（在線）"
        "或 busy（忙碌）的客服。"
    ),
    "agent_capacity": (
        "截至 as_of 的快照：在線客服（online 或 busy）的接待上限加總——每位客服取其在"
        " as_of 或之前最新一筆 agent_status 紀錄上的接待上限（預設 5）。"
    ),
    "agent_open_conversations": (
        "截至 as_of 的快照：客服在 as_of 時在線（online 或 busy）的進行中人工對話。"
    ),
    "agent_saturation": (
        "截至 as_of 的快照：agent_open_conversations / agent_capacity——指派給在線客服的"
        "進行中人工對話數，除以這些客服的接待上限加總；上限為 0 時為空值。"
    ),
    # sections 5-7
    "impressions": (
        "日期落在期間內的貼文層級 content_metrics 紀錄之 impressions 加總（Σ impressions）。"
    ),
    "video_views": (
        "日期落在期間內的貼文層級 content_metrics 紀錄之 video_views 加總（Σ video_views）。"
    ),
    "link_clicks": (
        "日期落在期間內的貼文層級 content_metrics 紀錄之 link_clicks 加總（Σ link_clicks）。"
    ),
    "reach": (
        "總觸及：期間內貼文層級每日觸及的加總（Σ）——這是每日觸及的加總，因此在兩天內、"
        "或被兩則貼文觸及的同一個人會計兩次（無法從每日計數推算不重複觸及）。"
    ),
    "engagements": (
        "日期落在期間內的貼文層級 content_metrics 紀錄之 engagements 加總（Σ engagements）；"
        "平台未提供該值時，以 likes + comments + shares + saves 計。"
    ),
    "engagement_rate_by_reach": "engagements / reach（總觸及），兩者皆為切片內貼文層級紀錄的加總。",
    "engagement_rate_by_impressions": (
        "engagements / impressions，兩者皆為切片內貼文層級紀錄的加總。"
    ),
    "engagement_rate_by_followers": (
        "期間內發布之貼文的（該貼文發布後前 7 天的 engagements / 其發布當日的帳號粉絲數）平均值——"
        "Rival IQ 的每則貼文互動率，與靜態平台基準值並列顯示（socialscope benchmarks）。"
    ),
    "followers": (
        "期末的帳號粉絲數：每個管道取最後一個有值日期的數值；跨多個管道時為各管道最後數值的加總。"
    ),
    "followers_start": (
        "期間前一天的帳號粉絲數（每個管道取該日或之前的最後一個值，再跨管道加總）——即 "
        "follower_growth_rate 的基準。"
    ),
    "net_follower_growth": "期末粉絲數 − 期間前一天的粉絲數，逐管道計算後加總。",
    "follower_growth_rate": (
        "net_follower_growth / followers_start（期間前一天的粉絲數）；該期初值為 0 或缺少時為空值。"
    ),
    "posts_published": "published_at 落在期間內的貼文。",
    "click_through_rate": (
        "日期落在期間內的貼文層級 content_metrics 紀錄之 Σ link_clicks / Σ impressions。"
    ),
    "live_viewers": "期間內開始之直播的 Σ unique_viewers（看過兩場直播的觀眾計兩次）。",
    "live_peak_viewers": "期間內開始之直播中最高的 peak_concurrent_viewers。",
    "live_watch_seconds": "期間內開始之直播的 total_watch_seconds 加總（Σ total_watch_seconds）。",
    "live_commenting_customers": "在期間內開始之直播上有顧客留言（未刪除）的不重複顧客數。",
    "live_keyword_customers": "在期間內開始之直播上有購買關鍵字留言（喊單）的不重複顧客數。",
    "live_ordering_customers": (
        "就期間內開始的直播，有 source 為 live 且 live_id 為該場直播之訂單（未取消）"
        "的不重複顧客數。"
    ),
    "live_paying_customers": (
        "就期間內開始的直播，有 source 為 live 且 live_id 為該場直播之已付款訂單（未取消）"
        "的不重複顧客數。"
    ),
    "live_commenting_rate": (
        "live_commenting_customers / live_viewers（live_viewers 為 0 時為空值）。"
    ),
    "live_keyword_rate": (
        "live_keyword_customers / live_commenting_customers（live_commenting_customers 為 0 "
        "時為空值）。"
    ),
    "live_ordering_rate": (
        "live_ordering_customers / live_keyword_customers（live_keyword_customers 為 0 時為空值）。"
    ),
    "live_paying_rate": (
        "live_paying_customers / live_ordering_customers（live_ordering_customers 為 0 時為空值）。"
    ),
    "post_commenting_customers": "在期間內發布之貼文上有顧客留言（未刪除）的不重複顧客數。",
    "post_keyword_customers": "在期間內發布之貼文上有購買關鍵字留言（喊單）的不重複顧客數。",
    "post_ordering_customers": (
        "就期間內發布的貼文，有 source 為 post 且 post_id 為該則貼文之訂單（未取消）"
        "的不重複顧客數。"
    ),
    "post_paying_customers": (
        "就期間內發布的貼文，有 source 為 post 且 post_id 為該則貼文之已付款訂單（未取消）"
        "的不重複顧客數。"
    ),
    "post_keyword_rate": (
        "post_keyword_customers / post_commenting_customers（post_commenting_customers 為 0 "
        "時為空值）。"
    ),
    "post_ordering_rate": (
        "post_ordering_customers / post_keyword_customers（post_keyword_customers 為 0 時為空值）。"
    ),
    "post_paying_rate": (
        "post_paying_customers / post_ordering_customers（post_ordering_customers 為 0 時為空值）。"
    ),
    "sessions": "期間內開始的網站工作階段。",
    "social_sessions": (
        "期間內開始、且管道為社群管道（SCHEMA 列舉）或媒介為 social / paid_social 的工作階段。"
    ),
    "social_session_share": "social_sessions / sessions。",
    "visitors": "期間內有工作階段開始的不重複 visitor_id——以整個切片計，絕不是每日不重複數的加總。",
    "session_duration_total": (
        "期間內開始之工作階段的 Σ duration_s（avg_session_duration 的組成部分）。"
    ),
    "sessions_with_duration": "期間內開始、且 duration_s 已知的工作階段。",
    "avg_session_duration": (
        "期間內開始且有 duration_s 之工作階段的平均 duration_s（session_duration_total / "
        "sessions_with_duration）。"
    ),
    "engaged_time_total": "期間內開始之工作階段的 Σ engaged_s（avg_engaged_time 的組成部分）。",
    "sessions_with_engaged_time": "期間內開始、且 engaged_s 已知的工作階段。",
    "avg_engaged_time": (
        "期間內開始且有 engaged_s 之工作階段的平均 engaged_s（engaged_time_total / "
        "sessions_with_engaged_time）。"
    ),
    "leads": "期間內有 lead 或 signup 接觸點的不重複訪客。",
    "lead_rate": "leads / 同一切片的 visitors。",
    "first_purchase_customers": (
        "首筆已付款訂單（未取消）在期間內付款的顧客（sessions_before_purchase 的組成部分）。"
    ),
    "first_purchase_sessions": (
        "對期間內的首購顧客，加總（Σ）其首筆已付款訂單前 90 天內的工作階段數"
        "（sessions_before_purchase 的組成部分）。"
    ),
    "sessions_before_purchase": (
        "針對首筆已付款訂單在期間內付款的每位顧客：其在該訂單前 90 天內的工作階段數，取平均值"
        "（first_purchase_sessions / first_purchase_customers）。"
    ),
    "sessions_before_purchase_median": (
        "針對首筆已付款訂單在期間內付款的每位顧客：其在該訂單前 90 天內的工作階段數，取中位數。"
    ),
    "click_users": "期間內有 click 接觸點的不重複訪客。",
    "converted_click_users": (
        "在其期間內首次點擊後 conversion_window_d 天內，有 purchase 接觸點或已付款訂單的點擊用戶。"
    ),
    "conversion_rate": "converted_click_users / click_users。",
    "cart_visitors": "期間內有 add_to_cart 接觸點的不重複訪客。",
    "abandoned_cart_visitors": "在最後一次 add_to_cart 後 24 小時內沒有購買的加入購物車訪客。",
    "cart_abandonment_rate": "abandoned_cart_visitors / cart_visitors。",
    "revenue_gross": "paid_at 落在期間內的已付款訂單之 amount 加總（Σ amount），以訂單幣別計。",
    "refunds_by_date": "ts 落在期間內的退款加總（Σ），不限訂單，以訂單幣別計。",
    "revenue_net": (
        "revenue_gross − refunds_by_date：依 paid_at 計的已付款訂單減去依退款 ts 計的退款，"
        "兩者皆落在期間內（事件口徑——即現金制觀點）。"
    ),
    "exposure_users": "期間內曾看到該商品曝光（impression）的不重複訪客。",
    "product_click_users": "期間內曾點擊該商品（click）的不重複訪客。",
    "product_clicks": "期間內該商品的點擊接觸點次數。",
    "product_clicks_per_user": "product_clicks / product_click_users。",
    "product_ctr": "product_click_users / exposure_users。",
    "product_cart_users": "期間內有該商品 add_to_cart 接觸點的不重複訪客。",
    "new_click_users": "在期間內首次點擊商品前 365 天內，於本店沒有已付款訂單的商品點擊用戶。",
    "returning_click_users": "在期間內首次點擊商品前 365 天內，於本店有已付款訂單的商品點擊用戶。",
    "new_click_user_share": "new_click_users / product_click_users。",
    "returning_click_user_share": "returning_click_users / product_click_users。",
    "product_gmv": (
        "期間內建立、traffic_source "
        "與切片相同的已付款訂單中，該商品明細金額的加總（Σ），以訂單幣別計。"
    ),
    "product_order_users": (
        "期間內建立、traffic_source "
        "與切片相同且含該商品的訂單（已付款或未付款，未取消）之不重複顧客。"
    ),
    "product_buyers": "期間內建立、traffic_source 與切片相同且含該商品的已付款訂單之不重複顧客。",
    "product_aov": "product_gmv / product_buyers。",
    "click_to_purchase_rate": "product_buyers / product_click_users。",
    "uv_value": "product_gmv / product_click_users。",
    "first_purchase_buyers": "先前在本店沒有已付款訂單的商品成交顧客。",
    "repeat_buyers": "先前在本店已有已付款訂單的商品成交顧客。",
    "first_purchase_buyer_share": "first_purchase_buyers / product_buyers。",
    "repeat_buyer_share": "repeat_buyers / product_buyers。",
    "lost_users": "期間內在本店沒有任何來源之已付款訂單（以建立時間計）的商品點擊用戶。",
}

SECTIONS: dict[str, str] = {
    "2": "接待與互動",
    "3": "服務品質",
    "4": "成交、詢單轉換與流失",
    "5": "社群內容與直播",
    "6": "考慮階段（進站流量）",
    "7": "購買漏斗",
    "9": "商品流量分析",
}

DIMENSIONS: dict[str, str] = {
    "shop_id": "商店",
    "date": "日期",
    "hour": "小時",
    "week": "週",
    "month": "月份",
    "channel": "管道",
    "source": "訂單來源",
    "sender": "發送者",
    "staff_id": "員工",
    "currency": "幣別",
    "live_id": "直播",
    "post_id": "貼文",
    "product_id": "商品",
    "category": "商品分類",
    "rounds_bucket": "對話輪數",
    "duration_bucket": "對話時長",
    "post_kind": "貼文類型",
    "kind": "貼文類型",
    "medium": "媒介",
    "campaign": "行銷活動",
    "device": "裝置",
    "first_session_channel": "首次工作階段管道",
    "traffic_source": "流量來源",
}

VALUES: dict[str, dict[str, str]] = {
    "channel": {
        "facebook": "Facebook",
        "instagram": "Instagram",
        "line": "LINE",
        "tiktok": "TikTok",
        "douyin": "抖音",
        "whatsapp": "WhatsApp",
        "web_chat": "網站聊天",
        "youtube": "YouTube",
        "x": "X",
        "email": "電子郵件",
        "sms": "簡訊",
        "other": "其他",
    },
    "source": {
        "message_center": "訊息中心",
        "live": "直播",
        "post": "貼文",
        "web": "網店",
        "app": "App",
        "pos": "POS 門市",
        "marketplace": "電商平台",
        "other": "其他",
    },
    "sender": {
        "customer": "顧客",
        "agent": "客服",
        "bot": "機器人",
        "system": "系統",
    },
    "three_minute": {
        "good": "達標",
        "failed": "未達標",
        "not_eligible": "不列入考核",
    },
    "order_type": {
        "inquiry": "詢單下單",
        "silent": "靜默下單",
    },
    "inquiry_outcome": {
        "converted": "已轉換",
        "ordered_unpaid": "下單未付款",
        "lost": "流失",
        "pending": "待轉換",
    },
    "rounds_bucket": {
        "1": "1 輪",
        "2": "2 輪",
        "3-5": "3–5 輪",
        "6+": "6 輪以上",
    },
    "duration_bucket": {
        "<5 min": "5 分鐘內",
        "5-30 min": "5–30 分鐘",
        "30 min-2 h": "30 分鐘–2 小時",
        "2 h+": "2 小時以上",
    },
    "post_kind": {
        "post": "貼文",
        "photo": "相片",
        "video": "影片",
        "reel": "Reels 連續短片",
        "story": "限時動態",
        "short_video": "短影音",
        "live": "直播",
    },
    "kind": {
        "post": "貼文",
        "photo": "相片",
        "video": "影片",
        "reel": "Reels 連續短片",
        "story": "限時動態",
        "short_video": "短影音",
        "live": "直播",
    },
    "traffic_source": {
        "search": "搜尋",
        "recommendation": "推薦",
        "shop_page": "店鋪頁",
        "product_card": "商品卡",
        "live": "直播",
        "short_video": "短影音",
        "post": "貼文",
        "ad": "廣告",
        "cart": "購物車",
        "message": "訊息",
        "external": "站外",
        "other": "其他",
    },
}

DATA = LocaleData(
    ui=UI,
    metrics=METRICS,
    descriptions=DESCRIPTIONS,
    sections=SECTIONS,
    dimensions=DIMENSIONS,
    values=VALUES,
)
