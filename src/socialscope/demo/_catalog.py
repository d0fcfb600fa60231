"""The product catalogue, with a long-tailed popularity every subsystem samples from."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from socialscope.demo._context import S_PRODUCTS, ShopCtx
from socialscope.demo._util import MONEY_SCALE, Arr, Frame, fmt, scramble


@dataclass(frozen=True)
class Products:
    ids: Arr
    titles: Arr
    category: Arr  # category name per product
    price: Arr  # shop currency, in 1e-4 units
    weight: Arr  # popularity (normalised)
    frame: Frame

    def sample(self, rng: np.random.Generator, n: int) -> Arr:
        out: Arr = rng.choice(len(self.ids), n, p=self.weight)
        return out


def build_products(ctx: ShopCtx) -> Products:
    p = ctx.p
    rng = ctx.rng(S_PRODUCTS)
    n = int(rng.integers(34, 78))
    cat_idx = np.sort(rng.integers(0, len(p.categories), n))
    cats = [p.categories[i] for i in cat_idx.tolist()]
    lo = np.array([c.price_lo for c in cats])
    hi = np.array([c.price_hi for c in cats])
    raw = lo * np.exp(rng.random(n) * np.log(hi / lo))
    price = np.maximum(np.round(raw / p.price_step) * p.price_step - p.price_ending, p.price_step)
    price_units = np.round(price * p.minor).astype(np.int64) * (MONEY_SCALE // p.minor)
    colours = ("", " II", " Classic", " Mini", " Plus", " Limited")
    titles = np.array(
        [
            c.titles[int(rng.integers(0, len(c.titles)))] + colours[i % len(colours)]
            for i, c in enumerate(cats)
        ],
        dtype=object,
    )
    weight = rng.permutation(1.0 / np.arange(1, n + 1) ** 0.9)
    weight = weight / weight.sum()
    ids = fmt("prd_{:08x}", scramble(np.arange(n), 2**32, 0x41C64E6D, 0x3039 + ctx.shop_idx))
    category = np.array([c.name for c in cats], dtype=object)
    frame: Frame = {
        "product_id": ids,
        "title": titles,
        "category": category,
        "price": price_units,
        "currency": np.full(n, p.currency, dtype=object),
    }
    return Products(ids, titles, category, price_units, weight, frame)
