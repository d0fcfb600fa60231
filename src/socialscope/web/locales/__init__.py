"""The dashboard's texts, one module per language (`en`, `zh_hant`, `zh_hans`, `pl`).

Each module defines ``DATA``: the UI strings (``ui``, ``str.format`` templates), metric
labels and descriptions, dimension labels and the labels of enumerated dimension values.
English metric labels and section titles come from the registry (Chinese glosses and
section numbers removed) unless ``en`` overrides them; English descriptions are always the
registry's.

Translated metric descriptions were made from the English descriptions whose digests are
in ``DESCRIPTION_SOURCES``: when a registry description changes, its translations are no
longer shown (the English text is) until they are redone and the digest updated
(``socialscope.web.i18n.stale_descriptions`` lists them).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class LocaleData:
    ui: Mapping[str, str]
    metrics: Mapping[str, str] = field(default_factory=dict)
    descriptions: Mapping[str, str] = field(default_factory=dict)
    sections: Mapping[str, str] = field(default_factory=dict)
    """METRICS.md section number ("2") -> its title"""
    dimensions: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """dimension -> raw value -> label"""


DESCRIPTION_SOURCES: Mapping[str, str] = {
    "conversations": "5e3780fb4534",
    "human_conversations": "853f359c89ec",
    "inbound_messages": "49b10518ec36",
    "outbound_messages": "52ceb149cf38",
    "inquiring_customers": "6ffb449ab62f",
    "served_customers": "75ea85596194",
    "interacting_users": "6134e0458b9f",
    "comments_received": "c3f187146407",
    "product_inquiries": "914daf89caf0",
    "order_count": "840968722aa8",
    "sales_amount": "bc10a01ff6bd",
    "paid_order_count": "d92ffe11ea30",
    "net_paid_amount": "2644de33889b",
    "refund_amount": "4fcaedbe11e1",
    "aov": "577cbd7dcd82",
    "conversations_handled": "72e168d9f7d7",
    "three_minute_good_conversations": "ba5ed9ca90a6",
    "three_minute_eligible_conversations": "684c98f51a1b",
    "three_minute_reply_rate": "0919e2070356",
    "first_response_time_avg": "ebeeecf20b24",
    "first_response_time_median": "7ff98bef0935",
    "first_response_time_p90": "2c42e45832cc",
    "avg_response_time": "6f15df7092e0",
    "slow_rounds": "c4ac2b02dbde",
    "unanswered_rounds": "d1c02b4ccab7",
    "unreplied_conversations": "ef32f8099059",
    "sla_conversations": "e650adfd9a38",
    "sla_met_conversations": "d804d768269c",
    "sla_attainment": "1c85e99ed483",
    "csat_ratings": "80d963d31b13",
    "csat_positive_ratings": "e5b6ba3446f1",
    "csat_rate": "c0565acdb8bb",
    "negative_reviews": "9223359792c1",
    "inquiry_orders": "1bf920c5a60a",
    "inquiry_order_amount": "19d15eb60a03",
    "silent_orders": "773afb1e7208",
    "silent_order_amount": "76b1b53282f8",
    "silent_order_share": "8a5c36220f68",
    "silent_unpaid_orders": "0a188d5acf2c",
    "inquiry_cohort_customers": "6fce4fb1d627",
    "inquiry_converted_customers": "8279df02e36d",
    "inquiry_conversion_rate": "ad2eabb81e20",
    "inquiry_lost_customers": "1adf72849e60",
    "inquiry_unpaid_customers": "a65a8af4f99d",
    "queue_waiting": "af567061f8fb",
    "queue_wait_max_s": "e6f538be7906",
    "queue_wait_avg_s": "16655e32bdde",
    "online_agents": "8707c22b578d",
    "agent_capacity": "9084776049cd",
    "agent_open_conversations": "a0c2e03bb501",
    "agent_saturation": "3334ac41ac30",
    "impressions": "78182647e1ac",
    "video_views": "781b709f29b7",
    "link_clicks": "ebc15cc4ea8f",
    "reach": "0819ea836dc4",
    "engagements": "a0b9ea402369",
    "engagement_rate_by_reach": "eadbd9db368c",
    "engagement_rate_by_impressions": "20e05aef1a9f",
    "engagement_rate_by_followers": "34cb4f1729ff",
    "followers": "8d967c8a10b3",
    "followers_start": "5cff12b2eb48",
    "net_follower_growth": "c8debbdd1888",
    "follower_growth_rate": "c04ed7509942",
    "posts_published": "b643db438371",
    "click_through_rate": "afd0c16f441e",
    "live_viewers": "57d64b01ab1a",
    "live_peak_viewers": "d79219d24e38",
    "live_watch_seconds": "e46c9f9b69b8",
    "live_commenting_customers": "13ac45b80486",
    "live_keyword_customers": "d46acdad25fe",
    "live_ordering_customers": "b43eb80f839a",
    "live_paying_customers": "510bdc1eedb2",
    "live_commenting_rate": "f2f0e08951e8",
    "live_keyword_rate": "11a33610138c",
    "live_ordering_rate": "1a69d47b8ed9",
    "live_paying_rate": "b2eb57ba8e4f",
    "post_commenting_customers": "476e13a76729",
    "post_keyword_customers": "1a4381a03984",
    "post_ordering_customers": "f460f04e345a",
    "post_paying_customers": "5293af8fa211",
    "post_keyword_rate": "2556d1dbb6e9",
    "post_ordering_rate": "dac347811a9f",
    "post_paying_rate": "d7ee44a0b2ca",
    "sessions": "d380321f3a10",
    "social_sessions": "b7a429cec31d",
    "social_session_share": "9ea17af13319",
    "visitors": "f670e4387f30",
    "session_duration_total": "573e53244eac",
    "sessions_with_duration": "8c913afd4a77",
    "avg_session_duration": "736766ddc3b4",
    "engaged_time_total": "2b5419c5b924",
    "sessions_with_engaged_time": "0d0b44e60490",
    "avg_engaged_time": "c6156d53cae4",
    "leads": "dddc64422e60",
    "lead_rate": "66f646699d9f",
    "first_purchase_customers": "4428fce608fe",
    "first_purchase_sessions": "1ae7fbffc963",
    "sessions_before_purchase": "9b32340a8861",
    "sessions_before_purchase_median": "143d22ff18a9",
    "click_users": "6d859ad742cc",
    "converted_click_users": "72fb63bd1444",
    "conversion_rate": "1ddf791bdb7c",
    "cart_visitors": "ae8ca0ce8acb",
    "abandoned_cart_visitors": "3f1fa2a0e2f4",
    "cart_abandonment_rate": "f1556e2d957f",
    "revenue_gross": "32d4ad7a79fd",
    "refunds_by_date": "88b41a8a8f9d",
    "revenue_net": "a721acf0674f",
    "exposure_users": "c5d0336a9387",
    "product_click_users": "15fd16d35e1b",
    "product_clicks": "7d9fff4cf608",
    "product_clicks_per_user": "64084d427ab6",
    "product_ctr": "e6699a1a4ef9",
    "product_cart_users": "ba34ba5ac3a6",
    "new_click_users": "d6611cb92114",
    "returning_click_users": "7c55d7ae5f73",
    "new_click_user_share": "592047e84328",
    "returning_click_user_share": "018b5a01cb44",
    "product_gmv": "8115bcadee09",
    "product_order_users": "16dd19674077",
    "product_buyers": "d5c88bed08bf",
    "product_aov": "8867ccbe74a8",
    "click_to_purchase_rate": "a6fa4fa5150c",
    "uv_value": "bbe897356cac",
    "first_purchase_buyers": "e357d4501592",
    "repeat_buyers": "b9c2f884a6c4",
    "first_purchase_buyer_share": "d7f2778983a3",
    "repeat_buyer_share": "e0cba523edd6",
    "lost_users": "ffc6cc748d7b",
}
"""metric id -> digest (``i18n.description_digest``) of the English description translated."""
