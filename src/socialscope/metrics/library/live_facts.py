"""Preparation of the comment-to-order sales funnels of lives and posts (METRICS.md 5).

Both funnels have one row per (live or post, customer) who took part in any step, with a
flag per step, dated by the live's started_at / the post's published_at (local): the
live or post is the cohort, whenever its comments and orders came.

- commented: a customer comment (author customer, not deleted) on it;
- keyword: such a comment that is a purchase intent (d_comment_intents);
- ordered: an order (not cancelled) of source live with that live_id / of source post with
  that post_id;
- paid: such an order with paid_at.

Each step is counted as defined: the customers of a live's orders count as ordering
whether or not they commented. Customers are identity-resolved: a comment's author (a
channel identity) is the customer its identity maps to (table identities), else the
identity itself; an order's customer is its customer_id (an order without one has no
customer and counts for no step).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from socialscope.store.derive import resolve_person

Lookup = Callable[[str], Any]

STEP_FLAGS: tuple[str, ...] = ("commented", "keyword", "ordered", "paid")


def _present(column: Any) -> Any:
    return column.notnull() & (column != "")


def _customer_comments(lookup: Lookup) -> Any:
    """Customer comments, not deleted, with their identity-resolved `person_id`."""
    c = lookup("d_comment_intents")
    c = c.filter(c.author == "customer", ~c.deleted)
    return resolve_person(c, lookup("identities"))


def _participants(comments: Any, orders: Any) -> Any:
    """Outer join of per-(shop, entity, person) comment and order flags, every step flag a
    non-null boolean. Inputs: c_shop, c_entity, c_person, c_keyword and o_shop, o_entity,
    o_person, o_paid."""
    j = comments.outer_join(
        orders,
        [
            comments.c_shop == orders.o_shop,
            comments.c_entity == orders.o_entity,
            comments.c_person == orders.o_person,
        ],
    )
    # view(): later joins on these computed keys cannot extend the join chain itself
    return j.select(
        f_shop=j.c_shop.coalesce(j.o_shop),
        f_entity=j.c_entity.coalesce(j.o_entity),
        person_id=j.c_person.coalesce(j.o_person),
        commented=j.c_person.notnull(),
        keyword=j.c_keyword.fill_null(False),
        ordered=j.o_person.notnull(),
        paid=j.o_paid.fill_null(False),
    ).view()


def _comment_flags(c: Any, entity: str) -> Any:
    return c.group_by(c_shop=c.shop_id, c_entity=c[entity], c_person=c.person_id).agg(
        c_keyword=c.is_purchase_intent.any()
    )


def _orders(lookup: Lookup, source: str, entity: str) -> Any:
    """Orders not cancelled, of `source`, with `entity` (live_id / post_id) and a customer."""
    o = lookup("d_orders")
    return o.filter(
        ~o.is_cancelled, o.source == source, _present(o[entity]), _present(o.customer_id)
    )


def _order_flags(o: Any, entity: str) -> Any:
    return o.group_by(o_shop=o.shop_id, o_entity=o[entity], o_person=o.customer_id).agg(
        o_paid=o.is_paid.any()
    )


def prepare_live_funnel(t: Any, lookup: Lookup, params: Mapping[str, Any]) -> Any:
    """live_sessions -> one row per (live, customer) in any step of its funnel, with the
    live's channel and started_at_local."""
    c = _customer_comments(lookup)
    c = c.filter(_present(c.live_id))
    orders = _order_flags(_orders(lookup, "live", "live_id"), "live_id")
    people = _participants(_comment_flags(c, "live_id"), orders)
    lives = t.select("shop_id", "live_id", "channel", "started_at_local")
    j = people.join(lives, [people.f_shop == lives.shop_id, people.f_entity == lives.live_id])
    return j.select("shop_id", "live_id", "channel", "started_at_local", "person_id", *STEP_FLAGS)


def _post_key(channel: Any, post_id: Any) -> Any:
    """A post is (shop, channel, post_id): one string key for the channel and post_id."""
    return channel.concat("\x1f", post_id)


def prepare_post_funnel(t: Any, lookup: Lookup, params: Mapping[str, Any]) -> Any:
    """posts -> one row per (post, customer) in any step of its funnel, with the post's
    channel and published_at_local.

    Comments match the post's shop, channel and post_id, and must have no live_id
    (comments written during a live belong to that live's funnel). Orders match its shop
    and post_id, and its channel when the order has one.
    """
    c = _customer_comments(lookup)
    c = c.filter(_present(c.post_id), ~_present(c.live_id))
    c = c.mutate(post_key=_post_key(c.channel, c.post_id))
    posts = t.select(
        p_shop=t.shop_id, p_post=t.post_id, p_channel=t.channel, p_published=t.published_at_local
    )
    o = _orders(lookup, "post", "post_id")
    o = o.join(
        posts,
        [
            o.shop_id == posts.p_shop,
            o.post_id == posts.p_post,
            o.channel.isnull() | (o.channel == posts.p_channel),
        ],
    )
    o = o.mutate(post_key=_post_key(o.p_channel, o.p_post))
    people = _participants(_comment_flags(c, "post_key"), _order_flags(o, "post_key"))
    posts = posts.mutate(p_key=_post_key(posts.p_channel, posts.p_post))
    j = people.join(posts, [people.f_shop == posts.p_shop, people.f_entity == posts.p_key])
    return j.select(
        shop_id=j.f_shop,
        post_id=j.p_post,
        channel=j.p_channel,
        published_at_local=j.p_published,
        person_id=j.person_id,
        **{flag: j[flag] for flag in STEP_FLAGS},
    )
