"""Data-driven Shapley attribution (Dalessandro et al. 2012; METRICS.md section 8).

Paths are reduced to their channel sets (order and repeats ignored). For each distinct
set N of converting paths a game is played on N's channels with v(S) = conversions /
(conversions + nulls) of the paths whose channel set is exactly S (0 when there are
none); channel c ∈ N gets φ_c / Σφ of N's conversions and value. Sets are bitmasks
(uint64 words), so v of any subset is a lookup in the sorted observed sets.

Exact for |N| ≤ `exact_max` (all 2^|N| subsets, all sets of one size at once); larger
sets are estimated from `samples` random permutations drawn from a generator seeded
with `seed`, with the standard error reported. Negative φ are kept as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import factorial

import numpy as np
import numpy.typing as npt

from socialscope.attribution.arrays import Credits, Floats, Ints, PathArrays

DEFAULT_EXACT_MAX = 15
DEFAULT_SAMPLES = 10_000
WORD = 64
_CHUNK = 1 << 21  # lookups per block: bounds memory for 15-channel sets

Keys = npt.NDArray[np.uint64]


@dataclass(frozen=True)
class ShapleyCredits(Credits):
    """Credits plus what the Monte-Carlo part (if any) must state."""

    sampled_sets: int = 0  # channel sets beyond exact_max, estimated by permutations
    standard_error: Floats | None = None  # per channel, of its credited conversions


class _Game:
    """v(S) for any channel set S: the observed sets, sorted, and their conversion rates."""

    def __init__(self, keys: Keys, rate: Floats) -> None:
        self.keys = keys  # unique rows, sorted lexicographically (np.unique axis=0)
        self.rate = rate

    def value(self, query: Keys) -> Floats:
        """v for each row of `query` (… × words); 0 for sets never observed."""
        shape = query.shape[:-1]
        flat = query.reshape(-1, query.shape[-1])
        if self.keys.shape[1] == 1:
            known = self.keys[:, 0]
            wanted = flat[:, 0]
            at = np.minimum(np.searchsorted(known, wanted), len(known) - 1)
            hit = known[at] == wanted
            return np.where(hit, self.rate[at], 0.0).reshape(shape)
        both = np.concatenate((self.keys, flat))
        _, inverse = np.unique(both, axis=0, return_inverse=True)
        inverse = inverse.reshape(-1)
        by_id = np.zeros(int(inverse.max()) + 1)
        by_id[inverse[: len(self.keys)]] = self.rate
        return by_id[inverse[len(self.keys) :]].reshape(shape)


def shapley(
    arrays: PathArrays,
    *,
    exact_max: int = DEFAULT_EXACT_MAX,
    samples: int = DEFAULT_SAMPLES,
    seed: int = 0,
) -> ShapleyCredits:
    """Credits per channel code; see the module docstring for the rules."""
    if exact_max < 1:
        raise ValueError(f"shapley exact_max must be at least 1, not {exact_max}")
    if samples < 2:
        raise ValueError(f"shapley samples must be at least 2, not {samples}")
    size = len(arrays.channels)
    conv_credit = np.zeros(size)
    value_credit = np.zeros(size)
    if arrays.rows == 0 or arrays.conversions.sum() <= 0:
        return ShapleyCredits(conv_credit, value_credit)
    words = max(1, -(-size // WORD))
    row_keys = np.zeros((arrays.rows, words), dtype=np.uint64)
    np.bitwise_or.at(row_keys, (arrays.row, arrays.codes // WORD), _bit(arrays.codes))
    keys, inverse = np.unique(row_keys, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    conv = np.bincount(inverse, weights=arrays.conversions, minlength=len(keys))
    nulls = np.bincount(inverse, weights=arrays.nulls, minlength=len(keys))
    value = np.bincount(inverse, weights=arrays.value, minlength=len(keys))
    game = _Game(keys, conv / (conv + nulls))
    converting = np.nonzero(conv > 0)[0]
    members = [_channels_of(keys[i]) for i in converting]
    sizes = np.array([len(m) for m in members])
    variance = np.zeros(size)
    sampled = 0
    rng = np.random.default_rng(seed)
    for n in np.unique(sizes):  # one pass per set size, all sets of that size together
        chosen = np.nonzero(sizes == n)[0]
        players = np.array([members[i] for i in chosen], dtype=np.int64)
        sets = converting[chosen]
        if n <= exact_max:
            phi = _exact(game, players, words)
            phi_var = np.zeros_like(phi)
        else:
            phi, phi_var = _sampled(game, players, words, samples, rng)
            sampled += len(sets)
        total = phi.sum(axis=1, keepdims=True)  # = v(N) − v(∅) = v(N) > 0
        share = phi / total
        np.add.at(conv_credit, players, share * conv[sets, None])
        np.add.at(value_credit, players, share * value[sets, None])
        np.add.at(variance, players, phi_var * (conv[sets, None] / total) ** 2)
    return ShapleyCredits(
        conv_credit,
        value_credit,
        sampled_sets=sampled,
        standard_error=np.sqrt(variance) if sampled else None,
    )


def _bit(codes: Ints) -> Keys:
    return np.left_shift(np.uint64(1), (codes % WORD).astype(np.uint64))


def _channels_of(key: Keys) -> list[int]:
    found: list[int] = []
    for w, word in enumerate(key.tolist()):
        found.extend(w * WORD + b for b in range(WORD) if word >> b & 1)
    return found


def _keys_of(players: Ints, chosen: npt.NDArray[np.bool_], words: int) -> Keys:
    """Set keys (sets × subsets × words) of the subsets `chosen` (subsets × n) of each
    set's `players` (sets × n)."""
    out = np.zeros((players.shape[0], chosen.shape[0], words), dtype=np.uint64)
    bits = _bit(players)
    word = players // WORD
    pick = chosen.astype(np.uint64)
    for j in range(players.shape[1]):
        for w in range(words):
            bit_j = np.where(word[:, j] == w, bits[:, j], np.uint64(0))
            out[:, :, w] |= bit_j[:, None] * pick[None, :, j]
    return out


def _exact(game: _Game, players: Ints, words: int) -> Floats:
    """φ (sets × n) by the Shapley formula over all 2^n subsets (local bitmasks)."""
    n = players.shape[1]
    masks = np.arange(1 << n, dtype=np.int64)
    chosen = ((masks[:, None] >> np.arange(n)) & 1).astype(bool)
    size_of = chosen.sum(axis=1)
    weight = np.array([factorial(s) * factorial(n - s - 1) / factorial(n) for s in range(n)])
    phi = np.zeros(players.shape, dtype=np.float64)
    step = max(1, _CHUNK // len(masks))
    for lo in range(0, players.shape[0], step):
        block = players[lo : lo + step]
        v = game.value(_keys_of(block, chosen, words))  # block × 2^n, cached per block
        for j in range(n):
            without = masks[~chosen[:, j]]
            gain = v[:, without | (1 << j)] - v[:, without]
            phi[lo : lo + step, j] = gain @ weight[size_of[without]]
    return phi


def _sampled(
    game: _Game, players: Ints, words: int, samples: int, rng: np.random.Generator
) -> tuple[Floats, Floats]:
    """φ (sets × n) as the mean marginal gain over random orders, and its variance."""
    n = players.shape[1]
    phi = np.zeros(players.shape, dtype=np.float64)
    var = np.zeros(players.shape, dtype=np.float64)
    for s in range(players.shape[0]):  # one set at a time: each is large
        order = rng.permuted(np.tile(np.arange(n), (samples, 1)), axis=1)
        member = players[s][order]  # samples × n: the channel added at each step
        bits = np.zeros((samples, n, words), dtype=np.uint64)
        for w in range(words):
            bits[:, :, w] = np.where(member // WORD == w, _bit(member), np.uint64(0))
        prefix = np.bitwise_or.accumulate(bits, axis=1)
        v = game.value(prefix)
        gain = np.diff(v, axis=1, prepend=0.0)  # v(∅) = 0: no path has no channel
        total = np.bincount(order.ravel(), weights=gain.ravel(), minlength=n)
        square = np.bincount(order.ravel(), weights=(gain**2).ravel(), minlength=n)
        phi[s] = total / samples
        # variance of the mean: sample variance (n − 1 denominator) / samples
        var[s] = np.maximum(square - samples * phi[s] ** 2, 0.0) / (samples - 1) / samples
    return phi, var
