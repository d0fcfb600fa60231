"""Chat, comment and live touches of seeds/social (shop tp, Asia/Taipei, TWD), April 2026.

cust_amy (identities: line U_amy, facebook PSID_amy, instagram ig_amy -> cust_amy):
- click facebook 04-17 10:00 (touchpoint of v_amy, customer cust_amy);
- LINE conversation cv1: an agent message 04-18 09:00, then customer messages 10:00 and
  10:05 -> one chat touch at 10:00 (the first *customer* message);
- Facebook post comments by PSID_amy: 04-18 12:00 (counts), 13:00 deleted, 14:00 written
  by the page -> one comment touch at 12:00;
- Instagram live L1 comments by ig_amy: 19:00 deleted, 20:00, 20:05 -> one live touch at
  20:00 (her first comment that counts);
- o_amy paid 04-20 10:00, 1000.
Hours before o_amy: facebook 72, chat 48, comment 46, live 14.

Others (never mapped: the channel identity is the person): U_bob's LINE conversation
03-20 10:00; U_cat's conversation has only an agent message (no touch); fb_carl's post
comment 03-22 10:00; ig_dan's comment on live L0 03-25 20:00. As non-converting journeys
their last touch must lie in [B - 30 d, E - 30 d] = [03-02 00:00, 04-01 00:00]: all do.
"""

from __future__ import annotations

from tests.attribution_journeys.conftest import conv, null

BOB = null(("chat:line",), (0.0,))
CARL = null(("comment:facebook",), (0.0,))
DAN = null(("live:instagram",), (0.0,))


def test_touchpoints_only_by_default(social):
    # chat, comments and live are off: the click alone; nobody else has a touchpoint
    assert social.rows() == [conv(("facebook",), "1000", (72.0,))]


def test_every_kind(social):
    got = social.rows(include=frozenset({"chat", "comment", "live"}))
    assert got == [
        conv(
            ("facebook", "chat:line", "comment:facebook", "live:instagram"),
            "1000",
            (72.0, 48.0, 46.0, 14.0),
        ),
        BOB,  # last touch 03-20
        CARL,  # 03-22
        DAN,  # 03-25
    ]


def test_chat_only(social):
    # U_amy resolves to cust_amy: her conversation joins the order's journey
    got = social.rows(include=frozenset({"chat"}))
    assert got == [conv(("facebook", "chat:line"), "1000", (72.0, 48.0)), BOB]


def test_comment_only(social):
    # one comment touch: the deleted and the page comment never count
    got = social.rows(include=frozenset({"comment"}))
    assert got == [conv(("facebook", "comment:facebook"), "1000", (72.0, 46.0)), CARL]


def test_live_only(social):
    # one touch per (person, live) at the first comment that counts (20:00, not the
    # deleted 19:00 one); live comments are not comment touches
    got = social.rows(include=frozenset({"live"}))
    assert got == [conv(("facebook", "live:instagram"), "1000", (72.0, 14.0)), DAN]


def test_without_touchpoints(social):
    got = social.rows(touch_events=(), include=frozenset({"chat"}))
    assert got == [conv(("chat:line",), "1000", (48.0,)), BOB]
