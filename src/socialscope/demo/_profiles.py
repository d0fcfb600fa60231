"""The three demo shops: who they are, how busy they are, and what they say.

Kept as plain data so the generator code stays free of shop-specific branches; every
rate here is a deliberately plausible guess for a small social-commerce shop.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Category:
    name: str
    price_lo: float  # in the shop currency
    price_hi: float
    titles: tuple[str, ...]


@dataclass(frozen=True)
class Texts:
    """Localised message and comment templates."""

    customer_first: tuple[str, ...]
    customer_more: tuple[str, ...]
    ask_human: tuple[str, ...]
    bot: tuple[str, ...]
    handoff: tuple[str, ...]
    agent: tuple[str, ...]
    agent_order: str
    close: tuple[str, ...]
    product_msg: str
    comment_chat: tuple[str, ...]
    comment_question: tuple[str, ...]
    variants: tuple[str, ...]
    page_reply: tuple[str, ...]
    captions: tuple[str, ...]
    live_titles: tuple[str, ...]
    csat: tuple[str, ...]  # by score 1..5
    review: tuple[str, ...]  # by score 1..5
    refund_reasons: tuple[str, ...]


@dataclass(frozen=True)
class ShopProfile:
    shop_id: str
    prefix: str  # short id prefix, keeps ids readable per shop
    name: str
    timezone: str
    currency: str
    tier: str
    category: str
    open_h: int
    close_h: int
    channels: tuple[str, ...]  # chat channels
    channel_weights: tuple[float, ...]
    social: tuple[str, ...]  # channels with an account (posts, followers)
    conv_per_day: float
    n_customers: int  # social customers over 90 days (store-only ones added on top)
    sessions_per_day: float
    hourly: tuple[float, ...]  # 24 local-hour weights of customer activity
    weekday: tuple[float, ...]  # Mon..Sun multipliers
    categories: tuple[Category, ...]
    price_step: float  # prices are rounded to this, minus `price_ending`
    price_ending: float
    minor: int  # minor units per major unit used for prices (1 for TWD, 100 otherwise)
    shipping_fee: float
    free_shipping: float
    coupon: float
    orders_per_day: dict[str, float]  # web, app, pos, marketplace (social ones derive)
    lives_per_week: float
    live_channels: tuple[str, ...]
    live_hour: float
    live_viewers: float
    posts_per_week: dict[str, float]
    post_kinds: dict[str, tuple[str, ...]]
    followers: dict[str, int]
    staff: tuple[str, ...]
    regions: tuple[str, ...]
    region_weights: tuple[float, ...]
    region_tier: tuple[str, ...]
    female_share: float
    age_weights: tuple[float, ...]  # over AGE_BANDS
    refund_rate: float
    texts: Texts
    second_currency: tuple[str, float, float] | None = None  # (code, rate, share of web)
    phone_prefix: str = "1"
    campaigns: tuple[str, ...] = field(default=("flash_sale", "payday", "new_arrivals"))


AGE_BANDS = ("18-23", "24-30", "31-40", "41-50", "50+")
SEGMENTS = ("new", "repeat", "vip", "dormant", "bargain_hunter", "live_fan")

_ZH = Texts(
    customer_first=(
        "請問這件還有M號嗎?",
        "您好,想問這件有其他顏色嗎?",
        "運費怎麼算呢?",
        "請問下單後多久出貨?",
        "可以超商取貨嗎?",
        "我身高160體重50,要穿S還是M?",
        "請問有現貨嗎",
        "這件可以預購嗎?",
        "我上週的訂單還沒收到",
        "想退換貨,請問流程是?",
        "直播那件洋裝還有嗎?",
        "可以幫我下單嗎?",
    ),
    customer_more=(
        "好的 謝謝",
        "那我要黑色M",
        "可以刷卡嗎?",
        "那大概什麼時候到?",
        "了解~",
        "麻煩了",
        "請問還有優惠碼嗎",
        "謝謝你!",
        "OK",
        "那L號呢?",
    ),
    ask_human=("轉真人客服", "我要找客服", "真人", "這個問題機器人回答不了"),
    bot=(
        "您好!歡迎來到巷弄衣櫥 👋 請選擇您要的服務",
        "全館滿$999免運,超商取貨3-5天送達",
        "查詢訂單請輸入訂單編號",
        "為您推薦本週熱銷商品 ✨",
        "尺寸建議請參考商品頁的尺寸表",
    ),
    handoff=("已為您轉接真人客服,請稍候", "客服人員即將為您服務"),
    agent=(
        "您好~M號還有現貨喔!",
        "這件有黑、白、杏三色可以選",
        "滿$999免運,未滿收$60運費",
        "下單後2-3個工作天出貨唷",
        "建議您穿M號,版型偏寬鬆",
        "不好意思讓您久等了🙏",
        "幫您查詢了,包裹今天會送達門市",
        "沒問題,這邊幫您處理退換貨",
        "目前可以使用代碼 ALLEY100 折$100",
        "好的,還有其他需要幫忙的嗎?",
    ),
    agent_order="已幫您建立訂單,請於24小時內完成付款 🧾",
    close=("對話已結束,感謝您的詢問", "客服已結束此對話"),
    product_msg="[商品] {}",
    comment_chat=("好美", "❤️❤️", "求補貨", "主播好可愛", "已分享", "這件好好看", "@小美 快看"),
    comment_question=(
        "這件有L嗎?",
        "多少錢?",
        "主播身高多少?",
        "還有其他顏色嗎?",
        "什麼時候出貨?",
    ),
    variants=("紅色 M", "黑 L", "白 S", "杏色 F", "red M", "黑色 M"),
    page_reply=("已私訊您喔~", "已登記,請查看私訊", "有的唷!已私訊您"),
    captions=(
        "秋冬新品上架 🍂 今晚8點直播開賣",
        "本週穿搭推薦|小個子也能穿的長版外套",
        "留言+1 即可下單,限量50件",
        "週末限定 全館85折",
        "顧客好評分享 ❤️",
        "新色到貨!留言告訴我們你最愛哪一色",
    ),
    live_titles=("今晚8點 新品直播開箱", "冬季外套專場", "清倉特賣直播", "週五穿搭直播"),
    csat=("很不滿意", "回覆太慢", "還可以", "謝謝客服", "服務超好,很有耐心!"),
    review=("品質很差", "尺寸不合", "普通", "質感不錯", "超喜歡,會再回購!"),
    refund_reasons=("尺寸不合", "商品瑕疵", "與圖片不符", "重複下單", "不想要了"),
)

_PL = Texts(
    customer_first=(
        "Dzień dobry, czy ten kubek jest dostępny?",
        "Ile kosztuje wysyłka do Gdańska?",
        "Czy mogę zamówić zestaw 6 talerzy?",
        "Kiedy wyślecie moje zamówienie?",
        "Czy ceramika nadaje się do zmywarki?",
        "Hi, do you ship to Germany?",
        "Czy będzie jeszcze ten wazon w kolorze zielonym?",
        "Paczka przyszła uszkodzona, co mam zrobić?",
        "Czy robicie zamówienia dla firm?",
    ),
    customer_more=(
        "Dziękuję!",
        "Super, to poproszę",
        "A ile trwa dostawa?",
        "Czy mogę zapłacić BLIKIEM?",
        "OK",
        "Przesyłam zdjęcie",
        "Thank you!",
    ),
    ask_human=("Chcę rozmawiać z konsultantem", "Konsultant", "Talk to a person"),
    bot=(
        "Cześć! 👋 W czym możemy pomóc?",
        "Darmowa wysyłka od 299 zł. Wysyłamy w 2 dni robocze.",
        "Podaj numer zamówienia, a sprawdzimy status.",
        "Zobacz nasze nowości ✨",
    ),
    handoff=("Przekazuję rozmowę do konsultanta.", "Konsultant zaraz odpowie."),
    agent=(
        "Dzień dobry! Tak, mamy go na stanie.",
        "Wysyłka InPost kosztuje 14,99 zł, od 299 zł gratis.",
        "Wszystkie nasze wyroby można myć w zmywarce.",
        "Przepraszamy za kłopot, wyślemy nowy egzemplarz.",
        "Zamówienie wyjdzie jutro rano.",
        "Tak, możemy przygotować fakturę VAT.",
        "Czy mogę jeszcze w czymś pomóc?",
    ),
    agent_order="Przygotowałam zamówienie, link do płatności poniżej 🧾",
    close=("Rozmowa zakończona. Dziękujemy!",),
    product_msg="[Produkt] {}",
    comment_chat=("Piękne!", "😍😍", "Cudo", "Mam taki i polecam", "@ania zobacz"),
    comment_question=("Ile kosztuje?", "Czy jest w innym kolorze?", "Jaka pojemność?"),
    variants=("zielony", "niebieski", "biały", "komplet 6"),
    page_reply=("Wysłaliśmy wiadomość prywatną 😊", "Dziękujemy! Sprawdź DM"),
    captions=(
        "Nowa kolekcja kubków z Bolesławca ☕",
        "Ręcznie malowane talerze — tylko 20 sztuk",
        "Jak dbać o ceramikę? Kilka porad",
        "Weekendowa promocja -15%",
        "Za kulisami pracowni 🏺",
    ),
    live_titles=("Live z pracowni", "Nowości na jesień", "Wyprzedaż drugiego gatunku"),
    csat=("Bardzo źle", "Za długo czekałam", "OK", "Dziękuję za pomoc", "Świetna obsługa!"),
    review=("Pęknięty", "Inny kolor niż na zdjęciu", "W porządku", "Ładny", "Przepiękny!"),
    refund_reasons=("uszkodzenie w transporcie", "inny kolor", "rezygnacja", "wada produktu"),
)

_EN = Texts(
    customer_first=(
        "Hi! Are the spicy mango chips gluten-free?",
        "Do you ship to Oregon?",
        "Where is my order? It's been a week",
        "Can I get a gift box for Friday?",
        "Do you have the variety pack in stock?",
        "Is the jerky keto friendly?",
        "My package arrived damaged",
        "Do you do wholesale?",
        "What's in the snack box this month?",
    ),
    customer_more=(
        "Thanks!",
        "Great, I'll take two",
        "How long does shipping take?",
        "Can I use my coupon?",
        "ok",
        "Sending a photo",
        "Awesome 🙌",
    ),
    ask_human=("agent", "talk to a human", "Can I speak to someone?"),
    bot=(
        "Hey there! 👋 How can we help today?",
        "Free shipping on orders over $50!",
        "Track your order with your order number.",
        "Check out our best sellers 🍪",
    ),
    handoff=("Connecting you with a team member…", "An agent will be with you shortly."),
    agent=(
        "Hi! Yes, they're certified gluten-free.",
        "We ship to all 50 states, 2-5 business days.",
        "So sorry about that! We'll send a replacement today.",
        "Your order shipped yesterday, here's the tracking link.",
        "Our gift boxes ship same day if you order before 2pm.",
        "Anything else I can help with?",
    ),
    agent_order="I've created your order, here is the checkout link 🧾",
    close=("Chat closed. Thanks for reaching out!",),
    product_msg="[Product] {}",
    comment_chat=("Yum!", "😋😋", "Need these", "@jess we need this", "Best snacks ever"),
    comment_question=("How much?", "Is it vegan?", "Do you ship to Canada?"),
    variants=("spicy", "original", "x2", "BBQ"),
    page_reply=("Sent you a DM! 💌", "Check your inbox 😊"),
    captions=(
        "New flavor drop: chili lime 🌶️🍋",
        "Comment +1 to grab a snack box",
        "Weekend deal: 20% off gift boxes",
        "Behind the scenes at our kitchen",
        "Taste test with the team!",
    ),
    live_titles=("Snack Haul Live", "Taste Test Tuesday", "Flash Sale Live"),
    csat=("Terrible", "Slow reply", "Okay", "Helpful, thanks", "Amazing service!"),
    review=("Stale", "Not as described", "Fine", "Tasty", "Obsessed! Buying again"),
    refund_reasons=("damaged in transit", "wrong item", "late delivery", "changed mind"),
)


def _hourly(lunch: float, evening: float, night: float) -> tuple[float, ...]:
    """Activity by local hour: quiet nights, lunch and evening peaks."""
    base = [
        night,
        night * 0.6,
        0.15,
        0.08,
        0.06,
        0.08,
        0.2,
        0.45,
        0.8,
        1.0,
        1.1,
        1.3,
        lunch,
        lunch * 0.9,
        1.1,
        1.0,
        1.0,
        1.05,
        1.2,
        1.5,
        evening * 0.9,
        evening,
        evening * 0.85,
        night * 1.4,
    ]
    return tuple(base)


PROFILES: tuple[ShopProfile, ...] = (
    ShopProfile(
        shop_id="alley_closet",
        prefix="ac",
        name="Alley Closet 巷弄衣櫥",
        timezone="Asia/Taipei",
        currency="TWD",
        tier="L3",
        category="apparel",
        open_h=9,
        close_h=23,
        channels=("line", "facebook", "instagram", "tiktok", "web_chat"),
        channel_weights=(0.38, 0.29, 0.22, 0.08, 0.03),
        social=("facebook", "instagram", "line", "tiktok"),
        conv_per_day=166.0,
        n_customers=14_000,
        sessions_per_day=650.0,
        hourly=_hourly(lunch=1.9, evening=2.4, night=0.7),
        weekday=(1.08, 0.97, 0.95, 0.98, 1.02, 0.93, 1.07),
        categories=(
            Category("tops", 390, 990, ("寬鬆針織上衣", "條紋長袖T", "短版襯衫", "V領毛衣")),
            Category("dresses", 790, 1680, ("碎花洋裝", "針織長洋裝", "襯衫洋裝")),
            Category("pants", 590, 1280, ("高腰寬褲", "直筒牛仔褲", "西裝褲")),
            Category("outerwear", 1280, 3980, ("羊毛大衣", "短版羽絨外套", "牛仔外套")),
            Category("accessories", 190, 690, ("珍珠髮夾", "毛帽", "托特包", "圍巾")),
            Category("shoes", 890, 1980, ("厚底樂福鞋", "短靴", "帆布鞋")),
        ),
        price_step=10,
        price_ending=0,
        minor=1,
        shipping_fee=60,
        free_shipping=999,
        coupon=100,
        orders_per_day={"web": 38.0, "app": 14.0, "pos": 4.0, "marketplace": 6.0},
        lives_per_week=3.0,
        live_channels=("facebook", "facebook", "instagram"),
        live_hour=20.0,
        live_viewers=1400.0,
        posts_per_week={"facebook": 6.0, "instagram": 8.0, "tiktok": 5.0, "line": 2.0},
        post_kinds={
            "facebook": ("photo", "photo", "post", "video"),
            "instagram": ("photo", "reel", "reel", "post"),
            "tiktok": ("short_video",),
            "line": ("post",),
        },
        followers={"facebook": 86_000, "instagram": 54_000, "tiktok": 21_000, "line": 39_000},
        staff=(
            "Amber Lin",
            "Kevin Chen",
            "Yuki Wang",
            "Mia Huang",
            "Leo Tsai",
            "Ivy Wu",
            "Ben Lee",
        ),
        regions=("台北市", "新北市", "桃園市", "台中市", "台南市", "高雄市", "新竹市", "宜蘭縣"),
        region_weights=(0.22, 0.2, 0.1, 0.15, 0.08, 0.13, 0.07, 0.05),
        region_tier=("tier1", "tier1", "tier2", "tier1", "tier2", "tier1", "tier2", "tier3"),
        female_share=0.8,
        age_weights=(0.2, 0.34, 0.28, 0.12, 0.06),
        refund_rate=0.08,
        texts=_ZH,
        second_currency=("USD", 31.5, 0.03),
        phone_prefix="886",
        campaigns=("double11_preheat", "payday_sale", "new_arrivals", "vip_week"),
    ),
    ShopProfile(
        shop_id="krakow_ceramics",
        prefix="kc",
        name="Kraków Ceramics",
        timezone="Europe/Warsaw",
        currency="PLN",
        tier="L1",
        category="home",
        open_h=9,
        close_h=21,
        channels=("instagram", "facebook", "whatsapp", "tiktok", "web_chat"),
        channel_weights=(0.44, 0.34, 0.1, 0.05, 0.07),
        social=("instagram", "facebook", "tiktok"),
        conv_per_day=26.0,
        n_customers=2_600,
        sessions_per_day=170.0,
        hourly=_hourly(lunch=1.6, evening=1.9, night=0.35),
        weekday=(1.05, 1.02, 1.0, 1.0, 0.95, 0.9, 1.08),
        categories=(
            Category("mugs", 39, 89, ("Kubek Bolesławiec", "Kubek Paw", "Filiżanka espresso")),
            Category("plates", 49, 149, ("Talerz obiadowy", "Talerz deserowy", "Półmisek")),
            Category("bowls", 45, 129, ("Miska ramen", "Miseczka", "Salaterka")),
            Category("vases", 89, 349, ("Wazon niebieski", "Wazon wysoki", "Dzbanek")),
            Category("sets", 199, 499, ("Zestaw 6 talerzy", "Zestaw do herbaty", "Komplet")),
        ),
        price_step=1,
        price_ending=0.01,
        minor=100,
        shipping_fee=14.99,
        free_shipping=299,
        coupon=20,
        orders_per_day={"web": 11.0, "app": 0.5, "pos": 3.0, "marketplace": 2.5},
        lives_per_week=1.5,
        live_channels=("instagram",),
        live_hour=19.0,
        live_viewers=200.0,
        posts_per_week={"instagram": 5.0, "facebook": 3.0, "tiktok": 1.5},
        post_kinds={
            "instagram": ("photo", "reel", "photo"),
            "facebook": ("photo", "post"),
            "tiktok": ("short_video",),
        },
        followers={"instagram": 18_500, "facebook": 9_200, "tiktok": 3_100},
        staff=("Anna Nowak", "Piotr Zieliński", "Kasia Wójcik", "Marta Lewandowska", "Tomek Kania"),
        regions=("Małopolskie", "Mazowieckie", "Śląskie", "Pomorskie", "Dolnośląskie", "abroad"),
        region_weights=(0.3, 0.25, 0.14, 0.1, 0.12, 0.09),
        region_tier=("tier1", "tier1", "tier2", "tier2", "tier2", "tier3"),
        female_share=0.66,
        age_weights=(0.06, 0.2, 0.32, 0.24, 0.18),
        refund_rate=0.05,
        texts=_PL,
        phone_prefix="48",
        campaigns=("black_week", "autumn_collection", "seconds_sale"),
    ),
    ShopProfile(
        shop_id="sunset_snacks",
        prefix="ss",
        name="Sunset Snacks",
        timezone="America/Los_Angeles",
        currency="USD",
        tier="L2",
        category="food",
        open_h=9,
        close_h=21,
        channels=("instagram", "tiktok", "facebook", "web_chat", "whatsapp"),
        channel_weights=(0.3, 0.3, 0.25, 0.11, 0.04),
        social=("instagram", "tiktok", "facebook"),
        conv_per_day=48.0,
        n_customers=5_000,
        sessions_per_day=320.0,
        hourly=_hourly(lunch=1.7, evening=2.0, night=0.5),
        weekday=(0.95, 0.97, 1.0, 1.0, 1.06, 1.05, 0.97),
        categories=(
            Category("chips", 3.99, 6.99, ("Spicy Mango Chips", "Sea Salt Chips", "Chili Lime")),
            Category("cookies", 4.99, 9.99, ("Brown Butter Cookies", "Matcha Cookies")),
            Category("jerky", 7.99, 14.99, ("Teriyaki Jerky", "Smoked Jerky", "Vegan Jerky")),
            Category("candy", 2.99, 7.99, ("Sour Gummies", "Salted Caramels", "Mochi Bites")),
            Category("gift_boxes", 24.99, 49.99, ("Sunset Gift Box", "Snack Box XL")),
            Category("drinks", 2.49, 4.99, ("Yuzu Soda", "Cold Brew Can", "Lychee Tea")),
        ),
        price_step=1,
        price_ending=0.01,
        minor=100,
        shipping_fee=6.95,
        free_shipping=50,
        coupon=5,
        orders_per_day={"web": 24.0, "app": 6.0, "pos": 2.0, "marketplace": 7.0},
        lives_per_week=2.0,
        live_channels=("tiktok", "tiktok", "facebook"),
        live_hour=18.0,
        live_viewers=420.0,
        posts_per_week={"instagram": 5.0, "tiktok": 7.0, "facebook": 3.0},
        post_kinds={
            "instagram": ("reel", "photo", "reel"),
            "tiktok": ("short_video",),
            "facebook": ("photo", "video", "post"),
        },
        followers={"instagram": 31_000, "tiktok": 64_000, "facebook": 12_000},
        staff=("Jordan Reyes", "Priya Shah", "Sam Carter", "Noah Kim", "Elena Cruz", "Maya Ito"),
        regions=("CA", "WA", "OR", "NY", "TX", "IL", "FL", "NV"),
        region_weights=(0.38, 0.1, 0.08, 0.12, 0.1, 0.08, 0.08, 0.06),
        region_tier=("tier1", "tier2", "tier2", "tier1", "tier1", "tier1", "tier2", "tier3"),
        female_share=0.52,
        age_weights=(0.18, 0.3, 0.27, 0.15, 0.1),
        refund_rate=0.03,
        texts=_EN,
        campaigns=("halloween_box", "free_ship_weekend", "new_flavor_drop"),
    ),
)
