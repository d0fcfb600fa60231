"""Markov-chain attribution of order k (METRICS.md section 8), solved exactly.

States are a path's sliding windows of k channels (a path of at most k touches is one
state: the whole path); consecutive identical states are collapsed. Each path adds its
weight (conversions + nulls) to start → s1 → … → sm, and its conversions / nulls to
sm → conversion / sm → null. With Q the transient-to-transient probabilities and r the
probabilities of stepping into conversion, P(conversion) = x[start] where (I − Q) x = r.
Removing channel c removes every state containing c (its inbound transitions go to null):
the same system restricted to the remaining states. RE_c = 1 − P_c / P; credit_c =
RE_c / Σ RE × total conversions (× total value for value). Each system is one sparse LU
solve (scipy), so order 3 with thousands of states stays exact and fast.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from socialscope.attribution.arrays import Credits, Floats, Ints, PathArrays

MAX_ORDER = 3


def removal_effects(arrays: PathArrays, order: int) -> Floats:
    """RE_c per channel code (0 for every channel when nothing converts)."""
    if order not in range(1, MAX_ORDER + 1):
        raise ValueError(f"Markov order must be 1, 2 or 3, not {order}")
    size = len(arrays.channels)
    weight = arrays.conversions + arrays.nulls
    if arrays.rows == 0 or arrays.conversions.sum() <= 0:
        return np.zeros(size)
    state_row, state_code, base = _states(arrays, order)
    codes, node = np.unique(state_code, return_inverse=True)
    node = node.astype(np.int64) + 1  # 0 is start
    count = len(codes) + 1
    first = np.ones(len(state_row), dtype=bool)
    first[1:] = state_row[1:] != state_row[:-1]
    last = np.ones(len(state_row), dtype=bool)
    last[:-1] = state_row[1:] != state_row[:-1]
    prev = np.where(first, 0, np.roll(node, 1))
    edge_weight = weight[state_row]
    transitions = sp.csr_matrix((edge_weight, (prev, node)), shape=(count, count), dtype=np.float64)
    to_conv = np.bincount(node[last], weights=arrays.conversions[state_row[last]], minlength=count)
    out = (
        np.asarray(transitions.sum(axis=1)).ravel()
        + np.bincount(node[last], weights=arrays.nulls[state_row[last]], minlength=count)
        + to_conv
    )
    scale = np.divide(1.0, out, out=np.zeros(count), where=out > 0)
    q = sp.csr_matrix(sp.diags(scale) @ transitions)
    r = to_conv * scale
    whole = _conversion_probability(q, r, np.ones(count, dtype=bool))
    members = _members(codes, base, size)
    effects = np.zeros(size)
    for channel in range(size):  # one solve per channel, never per path
        keep = np.concatenate(([True], ~members[:, channel]))
        effects[channel] = 1.0 - _conversion_probability(q, r, keep) / whole
    return np.clip(effects, 0.0, 1.0)  # removal only drops routes: rounding aside, 0..1


def markov(arrays: PathArrays, order: int = 1) -> Credits:
    """Credits: removal effects normalised to the total conversions and value."""
    effects = removal_effects(arrays, order)
    total = effects.sum()
    share = effects / total if total > 0 else np.zeros_like(effects)
    return Credits(share * arrays.conversions.sum(), share * arrays.value.sum())


def _states(arrays: PathArrays, order: int) -> tuple[Ints, Ints, int]:
    """Per state in path order: its row and its code (digits of channel + 1 in base
    channels + 1, trailing zeros for a short path), consecutive repeats collapsed."""
    base = len(arrays.channels) + 1
    if base**order >= 2**63:
        raise ValueError(f"too many channels ({base - 1}) for Markov order {order}")
    total = len(arrays.codes)
    position = np.arange(total, dtype=np.int64) - arrays.starts[arrays.row]
    n = arrays.lengths[arrays.row]
    code = np.zeros(total, dtype=np.int64)
    for j in range(order):
        inside = position + j < n
        digit = np.where(inside, arrays.codes[np.minimum(np.arange(total) + j, total - 1)] + 1, 0)
        code = code * base + digit
    emitted = np.where(n > order, position <= n - order, position == 0)
    row, code = arrays.row[emitted], code[emitted]
    repeat = np.zeros(len(code), dtype=bool)
    repeat[1:] = (row[1:] == row[:-1]) & (code[1:] == code[:-1])
    return row[~repeat], code[~repeat], base


def _members(codes: Ints, base: int, size: int) -> npt.NDArray[np.bool_]:
    """Boolean states × channels: whether the state's window contains the channel."""
    members = np.zeros((len(codes), size), dtype=bool)
    rest = codes.copy()
    while np.any(rest > 0):
        digit = rest % base
        has = digit > 0
        members[np.nonzero(has)[0], digit[has] - 1] = True
        rest //= base
    return members


def _conversion_probability(q: sp.csr_matrix, r: Floats, keep: npt.NDArray[np.bool_]) -> float:
    """x[start] of (I − Q_kk) x = r_k over the kept nodes (node 0, start, is always kept)."""
    index = np.nonzero(keep)[0]
    sub = q[index][:, index]
    system = (sp.identity(len(index), format="csc") - sub).tocsc()
    x = spla.splu(system).solve(r[index])
    return float(x[0])
