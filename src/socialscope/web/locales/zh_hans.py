"""简体中文 (mainland): the vocabulary of Douyin 飞鸽 and 客服数据 tools — 会话, 接待人数,
3分钟回复率, 询单转化率, 静默下单; SHOPLINE's 消息中心 / 直播 / 贴文 for order sources."""

from __future__ import annotations

from socialscope.web.locales import LocaleData

UI: dict[str, str] = {
    "app_title": "socialscope",
    # navigation
    "nav_overview": "社交数据概览",
    "nav_customer_service": "客服数据",
    "nav_explore": "数据探索",
    "nav_conversations": "会话",
    "nav_orders": "订单",
    "logout": "退出登录",
    "login": "登录",
    "language": "语言",
    # filters
    "shop": "店铺",
    "channels": "渠道",
    "all_channels": "全部渠道",
    "date_range": "日期范围",
    "preset_today": "今天",
    "preset_last_7_days": "近 7 天",
    "preset_last_30_days": "近 30 天",
    "preset_last_90_days": "近 90 天",
    "preset_this_month": "本月",
    "preset_last_month": "上月",
    "preset_custom": "自定义",
    "from": "开始日期",
    "to": "结束日期",
    "compare": "对比",
    "compare_previous": "上一周期",
    "compare_yoy": "去年同期",
    "compare_none": "不对比",
    "apply": "应用",
    "reset": "重置",
    "amounts_in": "金额币种：{currency}",
    # states
    "loading": "加载中…",
    "no_data": "该时间段暂无数据",
    "error": "出错了",
    "forbidden": "您无权查看此页面",
    "not_found": "页面不存在",
    # tables and export
    "digest": "摘要报告",
    "export_csv": "导出 CSV",
    "export_xlsx": "导出 Excel",
    "sort_by": "排序方式",
    "rows_count": "共 {n} 条",
    "drill_down": "查看该数字背后的会话",
    "show_orders": "查看该数字背后的订单",
    "previous_value": "上期：{value}",
    "previous_period": "上一周期",
    "change_vs_previous": "较上一周期",
    "total": "合计",
    "label_previous": "{label}（上期）",
    "label_change": "{label}（变化）",
    "label_change_pct": "{label}（变化率）",
    # overview
    "tab_interaction": "用户互动",
    "tab_sales": "销售表现",
    "tab_staff": "员工表现",
    # today vs yesterday (web/today.py)
    "tab_today": "今日与昨日",
    "today_metric": "指标",
    "today_chart": "{metric}：今日与昨日，按小时累计",
    "today_table": "按小时（累计）",
    "today_line": "今日（{date}）",
    "yesterday_line": "昨日（{date}）",
    "today_so_far": "今日截至 {hour}：{value}，昨日同一时刻 {previous}（{change}）",
    "today_not_begun": "按店铺时区，今日尚未开始",
    "today_refresh": "每 {seconds} 秒更新",
    "staff_split": "{name}：消息中心／直播／贴文销售表现",
    "social_total": "消息中心＋直播＋贴文",
    # customer service
    "reception": "接待",
    "speed": "响应速度",
    "conversion_loss": "转化与流失",
    "satisfaction": "满意度",
    "by_channel": "按渠道",
    "by_staff": "按客服",
    "failed_3min_title": "未达 3 分钟回复标准的会话",
    # explorer
    "metric": "指标",
    "dimensions": "拆分维度",
    "grain": "时间粒度",
    "grain_day": "日",
    "grain_date": "日",
    "grain_week": "周",
    "grain_month": "月",
    "grain_hour": "小时",
    "filters": "筛选条件",
    "parameters": "参数",
    "definition": "定义",
    "chart": "图表",
    "table": "表格",
    "add_filter": "添加筛选条件",
    "where_help": (
        "筛选条件格式为 维度=值1,值2，多个条件用“;”分隔，例如 channel=line,facebook;source=live。"
        "参数格式为 名称=值，用“;”分隔。"
    ),
    "top_n": "前 {n} 项",
    "see_all": "查看全部",
    "first_n_shown": "仅显示前 {n} 条",
    "queue_at_end": "期末排队状况",
    "label_all_channels": "{label}（所有渠道）",
    "list_truncated": "显示前 {shown} 条，共 {total} 条",
    # login
    "login_title": "登录 socialscope",
    "api_key": "API 密钥",
    "api_key_help": "您店铺的 API 密钥，或管理员密钥",
    "sign_in": "登录",
    "login_failed": "该密钥无效",
    "logged_out": "您已退出登录",
    # values and units
    "value_none": "（无）",
    "value_yes": "是",
    "value_no": "否",
    "week_of": "{date} 当周",
    "unit_s": "{n}秒",
    "unit_min": "{n}分",
    "unit_h": "{n}小时",
    "unit_d": "{n}天",
    "unit_sep": "",
    # drill-down columns: conversations
    "col_shop_id": "店铺",
    "col_conversation_id": "会话 ID",
    "col_channel": "渠道",
    "col_customer_id": "顾客 ID",
    "col_person_id": "顾客身份 ID",
    "col_staff_id": "员工",
    "col_first_ts": "开始时间",
    "col_last_ts": "最后活动时间",
    "col_is_human": "人工会话",
    "col_rounds": "轮数",
    "col_first_response_s": "首次响应时长",
    "col_longest_response_s": "最长响应时长",
    "col_unanswered_rounds": "未回复轮数",
    "col_unreplied": "未回复",
    "col_three_minute": "3分钟回复",
    "col_three_minute_failed_round": "未达标轮次",
    "col_three_minute_date": "3分钟考核日期",
    "col_csat": "满意度评分",
    "col_order_ids": "订单",
    "col_inquiry_outcome": "询单结果",
    # drill-down columns: orders
    "col_order_id": "订单号",
    "col_created_at": "下单时间",
    "col_source": "订单来源",
    "col_currency": "币种",
    "col_amount": "金额",
    "col_paid": "已付款",
    "col_paid_at": "付款时间",
    "col_refunded_amount": "退款金额",
    "col_cancelled": "已取消",
    "col_order_type": "下单类型",
    # social
    "nav_social": "社交",
    "top_posts_title": "热门贴文（按触达互动率）",
    "lives_title": "直播及带货漏斗",
    "live_funnel_title": "直播漏斗",
    "live_choose": "直播场次",
    "live_unknown": "live：本期间没有开播的直播 {live!r}",
    "post_funnel_title": "贴文带货漏斗",
    "benchmarks": "平台基准值",
    "benchmark_as_cited": "日期以 METRICS.md 引用为准",
    "benchmark_source_unnamed": "METRICS.md 未注明来源",
    "benchmark_variant_per_post": "单条贴文，按粉丝数",
    "benchmark_variant_organic": "自然流量",
    "benchmark_variant_ads": "广告",
    "benchmark_variant_ecommerce": "电商",
    "benchmark_variant_email_popup": "邮件订阅弹窗",
    "benchmark_variant_average_response": "平均响应",
    "benchmark_variant_first_response": "首次响应",
    "col_rank": "排名",
    "col_published_at": "发布时间",
    "col_caption": "文案",
    "col_title": "标题",
    "col_started_at": "开播时间",
    "col_step": "步骤",
    "col_count": "人数",
    "col_rate_from_previous": "较上一步",
    "col_rate_from_first": "较第一步",
    # traffic and funnels
    "nav_funnels": "流量与漏斗",
    "conversion_rate_window": "{label}（{days}天窗口）",
    "funnel_title": "漏斗分析",
    "funnel_choose": "漏斗",
    "funnel_steps": "步骤（自定义）",
    "funnel_steps_help": "以逗号分隔的事件，可加筛选：event[dim=value]。事件：{events}",
    "funnel_unit": "统计单位",
    "funnel_mode": "步骤顺序",
    "funnel_window_d": "转化窗口（天）",
    "funnel_counting": "计数方式",
    "funnel_by": "拆分维度",
    "funnel_breakdown_at": "拆分值取自",
    "funnel_no_breakdown": "（不拆分）",
    "funnel_builtin_social": "社交：曝光 → 购买",
    "funnel_builtin_service": "客服：咨询 → 下单 → 支付",
    "funnel_builtin_live": "直播：评论 → 扣1 → 下单 → 支付",
    "funnel_builtin_post": "贴文：评论 → 扣1 → 下单 → 支付",
    "funnel_builtin_custom": "自定义步骤",
    "unit_visitor": "访客",
    "unit_customer": "客户",
    "mode_ordered": "按顺序（中间可有其他事件）",
    "mode_strict": "严格按顺序（中间不可有其他事件）",
    "mode_any": "不限顺序",
    "counting_unique": "去重（每个单位一次）",
    "counting_totals": "总次数（每次尝试）",
    "breakdown_at_first": "第一步",
    "breakdown_at_last": "最后到达的步骤",
    "funnel_breakdown_first": "按{dim}（取第一步的值）",
    "funnel_breakdown_last": "按{dim}（取最后到达步骤的值）",
    "funnel_statement": (
        "按{unit}统计，{mode}，进入第一步后 {days} 天内，{counting}；人群为期间内进入第一步者。"
    ),
    "funnel_same": "每一步须为同一个 {dims}。",
    "funnel_channel_entry": "渠道筛选：第一步须发生在 {channels}。",
    "funnel_channel_ignored": "渠道筛选不适用：此漏斗的第一步没有渠道。",
    "funnel_chart_title": "漏斗（占第一步比例）",
    "funnel_steps_title": "各步骤",
    "funnel_value_title": "最后一步的金额",
    "funnel_event_impression": "曝光",
    "funnel_event_click": "点击",
    "funnel_event_product_view": "浏览商品",
    "funnel_event_add_to_cart": "加购",
    "funnel_event_checkout": "结算",
    "funnel_event_purchase": "购买",
    "funnel_event_lead": "留资",
    "funnel_event_signup": "注册",
    "funnel_event_inquiry": "咨询",
    "funnel_event_comment": "评论",
    "funnel_event_keyword_comment": "扣1评论",
    "funnel_event_order": "下单",
    "funnel_event_paid": "支付",
    "col_label": "步骤定义",
    "col_conversion_from_first": "较第一步转化率",
    "col_conversion_from_previous": "较上一步转化率",
    "col_drop_off": "流失数",
    "col_drop_off_rate": "流失率",
    "col_median_s_from_previous": "距上一步时长（中位数）",
    "col_median_s_from_first": "距第一步时长（中位数）",
    "col_conversions": "转化数",
    "col_total": "总额",
    "col_mean": "均值",
    "col_entries": "进入第一步",
    "col_completed": "到达最后一步",
    "col_value": "值",
    # attribution
    "nav_attribution": "归因分析",
    "attribution_options_title": "模型与选项",
    "attribution_models": "模型",
    "attribution_orders": "马尔可夫阶数",
    "attribution_include": "同时计入的触点",
    "attribution_lookback_d": "回溯窗口（天）",
    "attribution_conversion": "转化事件",
    "attribution_half_life_h": "时间衰减半衰期（小时）",
    "attribution_measure": "图表显示",
    "measure_conversions": "归因转化数",
    "measure_value": "归因金额",
    "measure_share": "占比",
    "model_first_touch": "首次触点",
    "model_last_touch": "末次触点",
    "model_linear": "线性",
    "model_position_based": "位置归因（40/20/40）",
    "model_time_decay": "时间衰减",
    "model_markov": "马尔可夫链",
    "model_shapley": "Shapley（数据驱动）",
    "markov_order": "{k} 阶",
    "touch_chat": "私信",
    "touch_comment": "评论",
    "touch_live": "直播",
    "touch_direct": "直接（无触点）",
    "conversion_paid_order": "已支付订单",
    "conversion_purchase": "购买事件",
    "attribution_paths": "路径数",
    "attribution_conversions": "转化数",
    "attribution_nulls": "未转化路径",
    "attribution_value": "转化金额",
    "attribution_chart_conversions": "各渠道与模型的归因转化数",
    "attribution_chart_value": "各渠道与模型的归因金额",
    "attribution_table_title": "模型对比",
    "attribution_notes_title": "计算说明",
    "attribution_counts": "使用 {paths} 条路径：{conversions} 次转化、{nulls} 条未转化路径。",
    "attribution_skipped": "{model} 未运行：{why}",
    "attribution_channel_filter": "渠道筛选不影响归因：归因比较的正是各渠道。",
    # campaign review
    "nav_campaigns": "活动复盘",
    "kind_campaign": "营销活动",
    "kind_post": "贴文",
    "kind_live": "直播",
    "review_title": "复盘对象",
    "review_subject": "活动、贴文或直播",
    "review_target": "销售目标（选填）",
    "review_days_after": "上线后天数",
    "review_none": "此店铺与期间没有可复盘的活动、贴文或直播。",
    "review_targets_title": "各漏斗阶段目标（按前期比率）",
    "review_lift_title": "上线后效果提升",
    "review_chart_title": "实际值与预测值（预测 = 100%）",
    "review_band": "预期区间",
    "review_actual": "实际",
    "review_predicted": "预测",
    "review_notes_title": "计算说明",
    "review_launch": "上线日 {launch}（{source}）；比较上线后 {days} 天。",
    "review_trailing": "前期比率取自 {period}。",
    "review_interval": "预测区间：{level}%。",
    "verdict_lift": "提升",
    "verdict_drop": "下降",
    "verdict_within_noise": "在正常波动范围内",
    "percentage_points": "{n} 个百分点",
    "col_stage": "阶段",
    "col_needed": "目标数",
    "col_rate": "前期比率",
    "col_rate_value": "比率",
    "col_rate_numerator": "分子",
    "col_rate_denominator": "分母",
    "col_metric": "指标",
    "col_actual": "实际",
    "col_predicted": "预测",
    "col_low": "区间下限",
    "col_high": "区间上限",
    "col_difference": "差异",
    "col_change_pct": "变化率",
    "col_verdict": "结论",
    "col_note": "备注",
    "attribution_currency": "金额以 {currency} 计；其他币种的转化不计入（不同币种从不相加）。",
    # attribution touch channels
    "touch_organic_search": "自然搜索",
    "touch_paid_search": "付费搜索",
    "touch_referral": "外链引荐",
    "nav_products": "商品",
    "products_options_title": "商品流量",
    "products_by": "行",
    "products_by_product": "按商品",
    "products_by_category": "按类目",
    "products_source": "流量来源",
    "products_all_sources": "全部来源",
    "products_category": "类目",
    "products_all_categories": "全部类目",
    "products_min_click_users": "最少点击人数",
    "products_min_click_users_help": (
        "来源的点击人数达到此值，其点击成交转化率才能使其成为转化最佳的渠道。"
    ),
    "products_funnel_title": "店铺漏斗：曝光 → 点击 → 加购 → 下单 → 支付",
    "products_table_title": "商品：漏斗与主渠道",
    "products_sources_title": "按流量来源的漏斗",
    "products_notes_title": "阅读说明",
    "products_note_rates": (
        "每一步统计期间内的人数（加购之前为访客，下单与支付为顾客）；没有曝光记录的点"
        "击、未加购直接下单仍会计入，因此步骤转化率可能超过 100%。"
    ),
    "products_note_verdict": (
        "成交渠道：成交金额最高的来源。转化渠道：点击人数至少 {n} "
        "的来源中点击成交转化率最高者。并列时一并列出。"
    ),
    "col_click_rate": "曝光 → 点击",
    "col_add_to_cart_rate": "点击 → 加购",
    "col_order_rate": "加购 → 下单",
    "col_paid_rate": "下单 → 支付",
    "col_gmv_channel": "成交渠道",
    "col_conversion_channel": "转化渠道",
    "verdict_small_sample": "点击人数过少",
    "verdict_tied": "{source}（与 {others} 并列）",
    # audience page (docs/audience.md)
    "nav_audience": "受众",
    "audience_options_title": "受众选项",
    "audience_set": "用户群",
    "set_click_users": "点击用户",
    "set_exposure_users": "曝光用户",
    "set_buyers": "成交用户",
    "set_non_buyers": "未成交用户",
    "set_lost_users": "流失用户",
    "set_inquiring_customers": "咨询顾客",
    "set_live_commenters": "直播评论用户",
    "set_post_commenters": "帖子评论用户",
    "audience_traffic_source": "流量来源",
    "audience_any_source": "全部来源",
    "audience_product": "商品编号",
    "audience_month": "流失去向月份",
    "audience_month_help": "已结束的完整月份，YYYY-MM",
    "audience_profile_title": "人群画像",
    "audience_k_note": "少于 {k} 位用户的分组会并入“其他”或不显示。",
    "audience_suppressed": "{name}：用户数低于门槛，不显示。",
    "audience_by": "按{attribute}",
    "attr_gender": "性别",
    "attr_age_band": "年龄段",
    "attr_region": "地区",
    "attr_segment": "策略人群",
    "audience_sources_title": "各流量来源的用户数",
    "audience_export_title": "导出为再营销人群",
    "audience_export_refused": "该用户群中本店顾客少于 {k} 位：不予导出。",
    "audience_destinations_title": "流失用户的购买去向 — {month}",
    "audience_destinations_note": (
        "流失用户 {lost} 位。仅显示至少 {k} 位用户的分组；不会透露其他店铺名称。"
    ),
    "audience_peers_title": "同层店铺对比",
    "peer_source": "同层：等级 {tier}、{category}",
    "peer_count": "{band} 家店铺",
    "peer_rank_label": "百分位排名",
    "peer_not_enough": "同层店铺不足",
    "peer_excellent": "同层优秀值（p90）",
    "peer_card_help": "您的数值与相同等级、相同类目店铺的对比。",
    "col_set_share": "所选用户群",
    "col_buyers_share": "成交用户",
    "col_non_buyers_share": "未成交用户",
    "col_population": "用户群",
    "col_users": "人数",
    "col_category": "类目",
    "col_price_band": "价格带",
    "col_orders": "订单数",
    "col_share": "占流失用户比例",
    "col_set": "用户群",
    "col_customers": "顾客数",
    "col_download": "下载",
    "col_traffic_source": "流量来源",
    # alerts
    "nav_alerts": "告警",
    "alerts_incidents_title": "事件（{firing} 件告警中）",
    "alerts_history_title": "期间内的通知",
    "alerts_notes_title": "阅读说明",
    "alerts_note_order": (
        "告警中的事件不论期间一律排在最前；其后为期间内有通知的事件，由新到旧。每个事"
        "件只发送一次告警通知和一次恢复通知。"
    ),
    "alerts_note_times": (
        "时间为店铺当地时间（{zone}）。规则在服务器配置文件中设置（[[alerts]]）。"
    ),
    "alert_state_firing": "告警中",
    "alert_state_resolved": "已恢复",
    "alert_severity_info": "提示",
    "alert_severity_warning": "警告",
    "alert_severity_critical": "严重",
    "alert_delivery_sent": "{target}：已送达",
    "alert_delivery_pending": "{target}：待重试（已尝试 {attempts} 次）",
    "alert_delivery_failed": "{target}：尝试 {attempts} 次后失败",
    "col_state": "状态",
    "col_severity": "严重程度",
    "col_rule_id": "规则",
    "col_dims": "切片",
    "col_fired_at": "触发时间",
    "col_resolved_at": "恢复时间",
    "col_message": "消息",
    "col_threshold": "阈值",
    "col_at": "时间",
    "col_deliveries": "送达状态",
    # anomalies
    "anomalies_title": "异常波动",
    "anomalies_of": "异常:{metric}",
    "anomaly_tooltip": "{metric}:{value}(预期 {expected},{change})",
    "anomaly_unexplained": "这个时间点前后没有记录到相关事件",
    "anomaly_expected": "预期 {expected}",
    "anomalies_none": "此期间没有异常波动",
    "anomalies_flagged": "异常点:{n} 个",
    "explain_post": "{channel} {kind}“{caption}”",
    "explain_post_paid": "{channel} {kind}“{caption}”(付费)",
    "explain_live": "直播“{title}”({hours} 小时 {minutes} 分钟,{viewers} 位观众)",
    "explain_live_viewers": "直播“{title}”({viewers} 位观众)",
    "explain_live_plain": "直播“{title}”",
    "explain_campaign": "活动“{campaign}”开始",
    "explain_product": "新商品“{title}”(首次售出或被浏览)",
    "explain_big_order": "订单 {order_id}:{amount} {currency}(平时 {usual})",
    "explain_refund": "订单 {order_id} 的退款 {refund_id}:{amount} {currency}(平时 {usual})",
    "explain_refunds_many": "{n} 笔退款(平时约 {usual} 笔)",
    "explain_absent": "{name} 离线(平时在线 {usual} 小时,这次 {now} 小时)",
    "explain_fewer_agents": "在线客服:{n} 位(平时 {usual} 位)",
}

METRICS: dict[str, str] = {
    "conversations": "会话数",
    "human_conversations": "人工会话数",
    "inbound_messages": "收到消息数",
    "outbound_messages": "发出消息数",
    "inquiring_customers": "咨询人数",
    "served_customers": "接待人数",
    "interacting_users": "互动用户数",
    "comments_received": "收到评论数",
    "product_inquiries": "商品咨询数",
    "order_count": "订单数",
    "sales_amount": "销售金额",
    "paid_order_count": "已付款订单数",
    "net_paid_amount": "付款净额",
    "refund_amount": "退款金额",
    "aov": "客单价",
    "conversations_handled": "处理会话数",
    "three_minute_good_conversations": "3分钟回复达标会话数",
    "three_minute_eligible_conversations": "3分钟回复考核会话数",
    "three_minute_reply_rate": "3分钟回复率",
    "first_response_time_avg": "首次响应时长（平均）",
    "first_response_time_median": "首次响应时长（中位数）",
    "first_response_time_p90": "首次响应时长（P90）",
    "avg_response_time": "平均响应时长",
    "slow_rounds": "慢响应轮次",
    "unanswered_rounds": "未回复轮次",
    "unreplied_conversations": "未回复会话数",
    "sla_conversations": "SLA 考核会话数",
    "sla_met_conversations": "SLA 达标会话数",
    "sla_attainment": "首次响应 SLA 达成率",
    "csat_ratings": "满意度评价数",
    "csat_positive_ratings": "满意评价数",
    "csat_rate": "满意率",
    "negative_reviews": "中差评数",
    "inquiry_orders": "咨询下单数",
    "inquiry_order_amount": "咨询下单金额",
    "silent_orders": "静默下单数",
    "silent_order_amount": "静默下单金额",
    "silent_order_share": "静默下单占比",
    "silent_unpaid_orders": "静默下单未付款数",
    "inquiry_cohort_customers": "询单人数",
    "inquiry_converted_customers": "询单成交人数",
    "inquiry_conversion_rate": "询单转化率",
    "inquiry_lost_customers": "询单流失人数",
    "inquiry_unpaid_customers": "询单下单未付款人数",
    "queue_waiting": "排队中会话数",
    "queue_wait_max_s": "最长排队时长",
    "queue_wait_avg_s": "平均排队时长",
    "online_agents": "在线客服数",
    "agent_capacity": "客服接待上限",
    "agent_open_conversations": "在线客服进行中会话数",
    "agent_saturation": "工作饱和度",
    # sections 5-7
    "impressions": "曝光次数",
    "video_views": "视频播放量",
    "link_clicks": "链接点击次数",
    "reach": "累计触达人次（毛触达）",
    "engagements": "互动次数",
    "engagement_rate_by_reach": "互动率（按触达）",
    "engagement_rate_by_impressions": "互动率（按曝光）",
    "engagement_rate_by_followers": "粉丝互动率（单条贴文）",
    "followers": "粉丝数",
    "followers_start": "期初粉丝数",
    "net_follower_growth": "净增粉丝数",
    "follower_growth_rate": "粉丝增长率",
    "posts_published": "发布贴文数",
    "live_viewers": "直播观看人数",
    "live_peak_viewers": "直播最高在线人数",
    "live_watch_seconds": "直播观看总时长",
    "live_commenting_customers": "直播评论人数",
    "live_keyword_customers": "直播扣1人数（+1）",
    "live_ordering_customers": "直播下单人数",
    "live_paying_customers": "直播支付人数",
    "live_commenting_rate": "直播评论率",
    "live_keyword_rate": "直播扣1率",
    "live_ordering_rate": "直播下单率",
    "live_paying_rate": "直播支付率",
    "post_commenting_customers": "贴文评论人数",
    "post_keyword_customers": "贴文扣1人数（+1）",
    "post_ordering_customers": "贴文下单人数",
    "post_paying_customers": "贴文支付人数",
    "post_keyword_rate": "贴文扣1率",
    "post_ordering_rate": "贴文下单率",
    "post_paying_rate": "贴文支付率",
    "click_through_rate": "点击率（内容）",
    "sessions": "访问次数",
    "social_sessions": "社交访问次数",
    "social_session_share": "社交访问占比",
    "visitors": "访客数",
    "session_duration_total": "访问总时长",
    "sessions_with_duration": "有时长的访问次数",
    "avg_session_duration": "平均访问时长",
    "engaged_time_total": "参与时长合计",
    "sessions_with_engaged_time": "有参与时长的访问次数",
    "avg_engaged_time": "平均参与时长",
    "leads": "留资人数",
    "lead_rate": "留资率",
    "first_purchase_customers": "首购人数",
    "first_purchase_sessions": "首购前访问次数合计",
    "sessions_before_purchase": "首购前访问次数（均值）",
    "sessions_before_purchase_median": "首购前访问次数（中位数）",
    "click_users": "点击人数",
    "converted_click_users": "转化点击人数",
    "conversion_rate": "转化率",
    "cart_visitors": "加购人数",
    "abandoned_cart_visitors": "加购未购人数",
    "cart_abandonment_rate": "加购流失率",
    "revenue_gross": "收入总额（现金口径）",
    "refunds_by_date": "退款（按退款日，现金口径）",
    "revenue_net": "收入净额（现金口径）",
    "exposure_users": "商品曝光人数",
    "product_click_users": "商品点击人数",
    "product_clicks": "商品点击次数",
    "product_clicks_per_user": "人均商品点击次数",
    "product_ctr": "商品点击率（人数）",
    "product_cart_users": "商品加购人数",
    "new_click_users": "新客点击人数",
    "returning_click_users": "老客点击人数",
    "new_click_user_share": "新客点击占比",
    "returning_click_user_share": "老客点击占比",
    "product_gmv": "商品成交金额",
    "product_order_users": "商品下单人数",
    "product_buyers": "商品成交人数",
    "product_aov": "商品客单价",
    "click_to_purchase_rate": "点击成交转化率",
    "uv_value": "UV价值",
    "first_purchase_buyers": "首购成交人数",
    "repeat_buyers": "复购成交人数",
    "first_purchase_buyer_share": "首购成交占比",
    "repeat_buyer_share": "复购成交占比",
    "lost_users": "流失人数",
}

_FRT = (
    "针对第一个人工轮次已获回复的每个人工会话：该轮次的响应时长（回复时间 − 有效起始时间，"
    "以秒计），按会话首个事件的日期统计；按 staff_id 拆分时为该会话的客服。"
)

DESCRIPTIONS: dict[str, str] = {
    "conversations": "首个事件落在周期内的会话。",
    "human_conversations": (
        "首个事件落在周期内的人工会话（不只是机器人）；按 staff_id 拆分时，计入该会话的客服"
        "（转人工时或之后第一条客服消息的客服）。"
    ),
    "inbound_messages": "周期内由顾客发送、类型为 message 的记录。",
    "outbound_messages": "周期内由客服和机器人发送、类型为 message 的记录。",
    "inquiring_customers": "周期内至少发送一条顾客消息的去重顾客数。",
    "served_customers": "周期内至少有一条客服消息的去重顾客数。",
    "interacting_users": (
        "周期内发送消息或发表评论（作者为顾客、未删除）的去重顾客数；同一顾客跨渠道只计一次"
        "（按身份合并）。"
    ),
    "comments_received": "周期内的顾客评论（含已删除的：它们确实收到过）。",
    "product_inquiries": "周期内带有 product_id 的顾客消息。",
    "order_count": (
        "周期内创建且未取消的订单。按 staff_id 拆分时：取订单的 staff_id，若没有，则取其会话中"
        "在 created_at 之前最后一条客服消息的客服。"
    ),
    "sales_amount": "周期内订单金额之和（Σ amount），按订单币种计。",
    "paid_order_count": "周期内有 paid_at 的订单。",
    "net_paid_amount": (
        "周期内已付款订单的（金额 − 其退款）之和；退款统计至查询时为止（按同期群口径）。"
    ),
    "refund_amount": "周期内订单的退款之和，统计至查询时为止（按同期群口径）。",
    "aov": "sales_amount / order_count。",
    "conversations_handled": (
        "周期内客服至少发送一条客服消息的人工会话；在两名客服之间转接的会话，两人各计一次"
        "（在切片内按去重会话计）。"
    ),
    "three_minute_good_conversations": (
        "参与考核（3 分钟规则）且每个考核轮次都在 threshold_s 内获得回复的会话，"
        "按其第一个考核轮次的日期统计。"
    ),
    "three_minute_eligible_conversations": (
        "至少有一个考核轮次的会话——考核轮次是有效起始时间落在店铺服务时段内"
        "（shops.service_hours，默认为当地时间 [08:00, 23:00)）的人工轮次——"
        "按其第一个考核轮次的日期统计。"
    ),
    "three_minute_reply_rate": (
        "抖音飞鸽规则：达标会话数 / 考核会话数。考核轮次是有效起始时间落在店铺服务时段内的"
        "人工轮次；会话有 ≥1 个考核轮次即参与考核，每个考核轮次都在 threshold_s 内（含）"
        "获得回复才算达标（未回复的考核轮次即不达标）。按第一个考核轮次的日期统计；服务时段外的"
        "轮次不影响结果。按 staff_id 拆分时：该会话的客服。"
    ),
    "first_response_time_avg": _FRT + "平均值。",
    "first_response_time_median": _FRT + "中位数。",
    "first_response_time_p90": _FRT + "第 90 百分位数。",
    "avg_response_time": (
        "所有已回复人工轮次的平均响应时长（回复时间 − 有效起始时间，以秒计），按轮次有效起始"
        "时间的日期统计；按 staff_id 拆分时为发送回复的客服。"
    ),
    "slow_rounds": (
        "响应时长 > threshold_s 的已回复人工轮次，按轮次有效起始时间的日期统计；"
        "按 staff_id 拆分时为发送回复的客服。"
    ),
    "unanswered_rounds": "没有获得回复的人工轮次，按轮次有效起始时间的日期统计。",
    "unreplied_conversations": "完全没有客服消息的人工会话，按其首个事件的日期统计。",
    "sla_conversations": "第一个人工轮次在周期内开始（有效起始时间）的人工会话。",
    "sla_met_conversations": (
        "第一个人工轮次在周期内开始、且在 sla_s 内（含）获得回复的人工会话。"
    ),
    "sla_attainment": (
        "首次响应在 sla_s 内的人工会话占比：sla_met_conversations / sla_conversations，"
        "按第一个人工轮次有效起始时间的日期统计；按 staff_id 拆分时为该会话的客服。"
    ),
    "csat_ratings": "周期内类型为 csat 的评价。",
    "csat_positive_ratings": "周期内类型为 csat、评分 ≥ 4 的评价。",
    "csat_rate": "评分 ≥ 4 的 csat 评价 / 周期内全部 csat 评价。",
    "negative_reviews": "周期内类型为 review、评分 ≤ 2 的评价。",
    "inquiry_orders": (
        "周期内有 conversation_id，或其顾客在 created_at 之前 inquiry_window_h 小时内"
        "发送过顾客消息的订单。"
    ),
    "inquiry_order_amount": "周期内咨询下单订单的金额之和，按订单币种计。",
    "silent_orders": (
        "周期内不属于咨询下单的订单：没有 conversation_id，且其顾客在下单前"
        " inquiry_window_h 小时内没有发送任何顾客消息。"
    ),
    "silent_order_amount": "周期内静默下单订单的金额之和，按订单币种计。",
    "silent_order_share": "silent_orders / order_count。",
    "silent_unpaid_orders": "周期内没有 paid_at 的静默下单订单。",
    "inquiry_cohort_customers": (
        "周期内发送 ≥1 条顾客消息的去重顾客——即 inquiry_conversion_rate 的分母；"
        "与 inquiring_customers 是同一批顾客，但每位顾客只归属一个渠道和一名客服"
        "（取其周期内最后一个会话的）。"
    ),
    "inquiry_converted_customers": (
        "周期内的询单顾客中，从其周期内首次咨询起、到最后一次咨询后 inquiry_window_h 小时"
        "为止，创建了已付款订单的顾客。"
    ),
    "inquiry_conversion_rate": "inquiry_converted_customers / inquiry_cohort_customers。",
    "inquiry_lost_customers": (
        "周期内的询单顾客中，从其周期内首次咨询起、到最后一次咨询后 inquiry_window_h 小时"
        "为止，没有创建任何订单（未取消）的顾客。"
    ),
    "inquiry_unpaid_customers": (
        "周期内的询单顾客中，在该时间窗内有订单（未取消）但全部未付款的顾客。"
    ),
    "queue_waiting": (
        "截至 as_of 的快照：最后一个顾客轮次尚未获得回复的进行中人工会话——其有效起始时间"
        "在 as_of 或之前，且没有回复或回复在 as_of 之后。"
    ),
    "queue_wait_max_s": (
        "截至 as_of 的快照：等待中会话（queue_waiting）已等待的最长时间，即 as_of − "
        "等待轮次的有效起始时间，以秒计；没有会话在等待时为空值。"
    ),
    "queue_wait_avg_s": (
        "截至 as_of 的快照：等待中会话（queue_waiting）已等待时间的平均值，即 as_of − "
        "等待轮次的有效起始时间，以秒计；没有会话在等待时为空值。"
    ),
    "online_agents": (
        "截至 as_of 的快照：在 as_of 或之前最新一条 agent_status 为 online（在线）"
        "或 busy（忙碌）的客服。"
    ),
    "agent_capacity": (
        "截至 as_of 的快照：在线客服（online 或 busy）的接待上限之和——每名客服取其在"
        " as_of 或之前最新一条 agent_status 记录上的接待上限（默认 5）。"
    ),
    "agent_open_conversations": (
        "截至 as_of 的快照：客服在 as_of 时在线（online 或 busy）的进行中人工会话。"
    ),
    "agent_saturation": (
        "截至 as_of 的快照：agent_open_conversations / agent_capacity——分配给在线客服的"
        "进行中人工会话数，除以这些客服的接待上限之和；上限为 0 时为空值。"
    ),
    # sections 5-7
    "impressions": (
        "日期落在周期内的贴文级 content_metrics 记录的 impressions 之和（Σ impressions）。"
    ),
    "video_views": (
        "日期落在周期内的贴文级 content_metrics 记录的 video_views 之和（Σ video_views）。"
    ),
    "link_clicks": (
        "日期落在周期内的贴文级 content_metrics 记录的 link_clicks 之和（Σ link_clicks）。"
    ),
    "reach": (
        "毛触达：周期内贴文级每日触达之和（Σ）——这是每日触达的加总，因此在两天内、"
        "或被两条贴文触达的同一个人会计两次（无法从每日计数推算去重触达）。"
    ),
    "engagements": (
        "日期落在周期内的贴文级 content_metrics 记录的 engagements 之和（Σ engagements）；"
        "平台未提供该值时，按 likes + comments + shares + saves 计。"
    ),
    "engagement_rate_by_reach": "engagements / reach（毛触达），两者均为切片内贴文级记录之和。",
    "engagement_rate_by_impressions": "engagements / impressions，两者均为切片内贴文级记录之和。",
    "engagement_rate_by_followers": (
        "周期内发布的贴文的（该贴文发布后前 7 天的 engagements / 其发布当日的账号粉丝数）平均值——"
        "Rival IQ 的单条贴文互动率，与静态平台基准值并列展示（socialscope benchmarks）。"
    ),
    "followers": (
        "期末的账号粉丝数：每个渠道取最后一个有值日期的数值；多个渠道时为各渠道最后数值之和。"
    ),
    "followers_start": (
        "周期前一天的账号粉丝数（每个渠道取该日或之前的最后一个值，再跨渠道求和）——即 "
        "follower_growth_rate 的基数。"
    ),
    "net_follower_growth": "期末粉丝数 − 周期前一天的粉丝数，按渠道计算后求和。",
    "follower_growth_rate": (
        "net_follower_growth / followers_start（周期前一天的粉丝数）；该期初值为 0 或缺失时为空值。"
    ),
    "posts_published": "published_at 落在周期内的贴文。",
    "click_through_rate": (
        "日期落在周期内的贴文级 content_metrics 记录的 Σ link_clicks / Σ impressions。"
    ),
    "live_viewers": "周期内开播的直播的 Σ unique_viewers（观看两场直播的观众计两次）。",
    "live_peak_viewers": "周期内开播的直播中最高的 peak_concurrent_viewers。",
    "live_watch_seconds": "周期内开播的直播的 Σ total_watch_seconds。",
    "live_commenting_customers": "在周期内开播的直播中发表过顾客评论（未删除）的去重顾客数。",
    "live_keyword_customers": "在周期内开播的直播中发表过购买关键词评论（扣1）的去重顾客数。",
    "live_ordering_customers": (
        "对于周期内开播的直播，有 source 为 live 且 live_id 为该场直播的订单（未取消）"
        "的去重顾客数。"
    ),
    "live_paying_customers": (
        "对于周期内开播的直播，有 source 为 live 且 live_id 为该场直播的已付款订单（未取消）"
        "的去重顾客数。"
    ),
    "live_commenting_rate": (
        "live_commenting_customers / live_viewers（live_viewers 为 0 时为空值）。"
    ),
    "live_keyword_rate": (
        "live_keyword_customers / live_commenting_customers（live_commenting_customers 为 0 "
        "时为空值）。"
    ),
    "live_ordering_rate": (
        "live_ordering_customers / live_keyword_customers（live_keyword_customers 为 0 时为空值）。"
    ),
    "live_paying_rate": (
        "live_paying_customers / live_ordering_customers（live_ordering_customers 为 0 时为空值）。"
    ),
    "post_commenting_customers": "在周期内发布的贴文下发表过顾客评论（未删除）的去重顾客数。",
    "post_keyword_customers": "在周期内发布的贴文下发表过购买关键词评论（扣1）的去重顾客数。",
    "post_ordering_customers": (
        "对于周期内发布的贴文，有 source 为 post 且 post_id 为该条贴文的订单（未取消）"
        "的去重顾客数。"
    ),
    "post_paying_customers": (
        "对于周期内发布的贴文，有 source 为 post 且 post_id 为该条贴文的已付款订单（未取消）"
        "的去重顾客数。"
    ),
    "post_keyword_rate": (
        "post_keyword_customers / post_commenting_customers（post_commenting_customers 为 0 "
        "时为空值）。"
    ),
    "post_ordering_rate": (
        "post_ordering_customers / post_keyword_customers（post_keyword_customers 为 0 时为空值）。"
    ),
    "post_paying_rate": (
        "post_paying_customers / post_ordering_customers（post_ordering_customers 为 0 时为空值）。"
    ),
    "sessions": "周期内开始的网站访问。",
    "social_sessions": (
        "周期内开始、且渠道为社交渠道（SCHEMA 枚举）或媒介为 social / paid_social 的访问。"
    ),
    "social_session_share": "social_sessions / sessions。",
    "visitors": "周期内有访问开始的去重 visitor_id——按整个切片计，绝不是每日去重数之和。",
    "session_duration_total": (
        "周期内开始的访问的 Σ duration_s（avg_session_duration 的组成部分）。"
    ),
    "sessions_with_duration": "周期内开始、且 duration_s 已知的访问。",
    "avg_session_duration": (
        "周期内开始且有 duration_s 的访问的平均 duration_s（session_duration_total / "
        "sessions_with_duration）。"
    ),
    "engaged_time_total": "周期内开始的访问的 Σ engaged_s（avg_engaged_time 的组成部分）。",
    "sessions_with_engaged_time": "周期内开始、且 engaged_s 已知的访问。",
    "avg_engaged_time": (
        "周期内开始且有 engaged_s 的访问的平均 engaged_s（engaged_time_total / "
        "sessions_with_engaged_time）。"
    ),
    "leads": "周期内有 lead 或 signup 触点的去重访客。",
    "lead_rate": "leads / 同一切片的 visitors。",
    "first_purchase_customers": (
        "首笔已付款订单（未取消）在周期内付款的顾客（sessions_before_purchase 的组成部分）。"
    ),
    "first_purchase_sessions": (
        "对周期内的首购顾客，求和（Σ）其首笔已付款订单前 90 天内的访问次数"
        "（sessions_before_purchase 的组成部分）。"
    ),
    "sessions_before_purchase": (
        "针对首笔已付款订单在周期内付款的每位顾客：其在该订单前 90 天内的访问次数，取平均值"
        "（first_purchase_sessions / first_purchase_customers）。"
    ),
    "sessions_before_purchase_median": (
        "针对首笔已付款订单在周期内付款的每位顾客：其在该订单前 90 天内的访问次数，取中位数。"
    ),
    "click_users": "周期内有 click 触点的去重访客。",
    "converted_click_users": (
        "在其周期内首次点击后 conversion_window_d 天内，有 purchase 触点或已付款订单的点击用户。"
    ),
    "conversion_rate": "converted_click_users / click_users。",
    "cart_visitors": "周期内有 add_to_cart 触点的去重访客。",
    "abandoned_cart_visitors": "最后一次 add_to_cart 后 24 小时内没有购买的加购访客。",
    "cart_abandonment_rate": "abandoned_cart_visitors / cart_visitors。",
    "revenue_gross": "paid_at 落在周期内的已付款订单的 Σ amount，按订单币种计。",
    "refunds_by_date": "ts 落在周期内的退款之和（Σ），不限订单，按订单币种计。",
    "revenue_net": (
        "revenue_gross − refunds_by_date：按 paid_at 计的已付款订单减去按退款 ts 计的退款，"
        "两者均落在周期内（事件口径——即现金口径视图）。"
    ),
    "exposure_users": "期间内看到过该商品曝光（impression）的去重访客。",
    "product_click_users": "期间内点击过该商品（click）的去重访客。",
    "product_clicks": "期间内该商品的点击触点次数。",
    "product_clicks_per_user": "product_clicks / product_click_users。",
    "product_ctr": "product_click_users / exposure_users。",
    "product_cart_users": "期间内有该商品 add_to_cart 触点的去重访客。",
    "new_click_users": "在期间内首次点击商品前 365 天内，在本店没有已支付订单的商品点击用户。",
    "returning_click_users": "在期间内首次点击商品前 365 天内，在本店有已支付订单的商品点击用户。",
    "new_click_user_share": "new_click_users / product_click_users。",
    "returning_click_user_share": "returning_click_users / product_click_users。",
    "product_gmv": (
        "期间内创建、traffic_source "
        "与切片一致的已支付订单中，该商品明细金额之和（Σ），按订单币种计。"
    ),
    "product_order_users": (
        "期间内创建、traffic_source "
        "与切片一致且含该商品的订单（已支付或未支付，未取消）的去重顾客。"
    ),
    "product_buyers": "期间内创建、traffic_source 与切片一致且含该商品的已支付订单的去重顾客。",
    "product_aov": "product_gmv / product_buyers。",
    "click_to_purchase_rate": "product_buyers / product_click_users。",
    "uv_value": "product_gmv / product_click_users。",
    "first_purchase_buyers": "此前在本店没有已支付订单的商品成交顾客。",
    "repeat_buyers": "此前在本店已有已支付订单的商品成交顾客。",
    "first_purchase_buyer_share": "first_purchase_buyers / product_buyers。",
    "repeat_buyer_share": "repeat_buyers / product_buyers。",
    "lost_users": "期间内在本店没有任何来源的已支付订单（按创建时间计）的商品点击用户。",
}

SECTIONS: dict[str, str] = {
    "2": "接待与互动",
    "3": "服务质量",
    "4": "成交、询单转化与流失",
    "5": "社交内容与直播",
    "6": "考虑阶段（进店流量）",
    "7": "购买漏斗",
    "9": "商品流量分析",
}

DIMENSIONS: dict[str, str] = {
    "shop_id": "店铺",
    "date": "日期",
    "hour": "小时",
    "week": "周",
    "month": "月份",
    "channel": "渠道",
    "source": "订单来源",
    "sender": "发送方",
    "staff_id": "员工",
    "currency": "币种",
    "live_id": "直播",
    "post_id": "贴文",
    "product_id": "商品",
    "category": "商品类目",
    "rounds_bucket": "对话轮数",
    "duration_bucket": "会话时长",
    "post_kind": "贴文类型",
    "kind": "贴文类型",
    "medium": "媒介",
    "campaign": "营销活动",
    "device": "设备",
    "first_session_channel": "首次访问渠道",
    "traffic_source": "流量来源",
}

VALUES: dict[str, dict[str, str]] = {
    "channel": {
        "facebook": "Facebook",
        "instagram": "Instagram",
        "line": "LINE",
        "tiktok": "TikTok",
        "douyin": "抖音",
        "whatsapp": "WhatsApp",
        "web_chat": "网站聊天",
        "youtube": "YouTube",
        "x": "X",
        "email": "电子邮件",
        "sms": "短信",
        "other": "其他",
    },
    "source": {
        "message_center": "消息中心",
        "live": "直播",
        "post": "贴文",
        "web": "网店",
        "app": "App",
        "pos": "POS 门店",
        "marketplace": "电商平台",
        "other": "其他",
    },
    "sender": {
        "customer": "顾客",
        "agent": "客服",
        "bot": "机器人",
        "system": "系统",
    },
    "three_minute": {
        "good": "达标",
        "failed": "未达标",
        "not_eligible": "不参与考核",
    },
    "order_type": {
        "inquiry": "咨询下单",
        "silent": "静默下单",
    },
    "inquiry_outcome": {
        "converted": "已转化",
        "ordered_unpaid": "下单未付款",
        "lost": "流失",
        "pending": "待转化",
    },
    "rounds_bucket": {
        "1": "1 轮",
        "2": "2 轮",
        "3-5": "3–5 轮",
        "6+": "6 轮以上",
    },
    "duration_bucket": {
        "<5 min": "5 分钟内",
        "5-30 min": "5–30 分钟",
        "30 min-2 h": "30 分钟–2 小时",
        "2 h+": "2 小时以上",
    },
    "post_kind": {
        "post": "图文",
        "photo": "图片",
        "video": "视频",
        "reel": "Reels 短视频",
        "story": "快拍",
        "short_video": "短视频",
        "live": "直播",
    },
    "kind": {
        "post": "图文",
        "photo": "图片",
        "video": "视频",
        "reel": "Reels 短视频",
        "story": "快拍",
        "short_video": "短视频",
        "live": "直播",
    },
    "traffic_source": {
        "search": "搜索",
        "recommendation": "推荐",
        "shop_page": "店铺页",
        "product_card": "商品卡",
        "live": "直播",
        "short_video": "短视频",
        "post": "图文",
        "ad": "广告",
        "cart": "购物车",
        "message": "消息",
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
