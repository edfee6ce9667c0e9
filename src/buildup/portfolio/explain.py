"""Why no portfolio is feasible, in domain words.

:func:`precheck` tests necessary conditions before any solve: programmes that must be
chosen (mandatory, or required by one) that exclude each other or cannot fit any start
year; what they alone need in a year, or over consecutive years, against the envelopes;
area shares that cannot hold together. :func:`describe_shortfall` words the result of the
elastic model (the MIP with slack on envelopes and area limits) when HiGHS proves
infeasibility that the prechecks did not catch.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from buildup.portfolio.arrays import Formulation
from buildup.units import amount_scale

__all__ = ["area_note", "describe_shortfall", "must_choose", "precheck"]


def money(amount: float, currency: str) -> str:
    """``¥8.81 trillion``-style amount for messages."""
    symbol = {"JPY": "¥", "USD": "US$", "EUR": "€", "GBP": "£"}.get(currency, "")
    unit = f" {currency}" if currency and not symbol else ""
    scale, word = amount_scale(amount)
    if scale > 1:
        return f"{symbol}{amount / scale:,.3g} {word}{unit}"
    return f"{symbol}{amount:,.4g}{unit}"


def must_choose(f: Formulation) -> list[int]:
    """Programmes every feasible portfolio contains: the mandatory ones and what they
    require, transitively."""
    programmes = f.problem.catalogue.programmes
    index = {p.id: i for i, p in enumerate(programmes)}
    seen: dict[int, None] = {}
    stack = [i for i, p in enumerate(programmes) if p.mandatory]
    while stack:
        i = stack.pop()
        if i not in seen:
            seen[i] = None
            stack.extend(index[j] for j in programmes[i].requires)
    return sorted(seen)


def precheck(f: Formulation) -> str | None:
    """A one-line reason the problem is infeasible, or ``None`` if none is found.

    Area shares of zero spending hold trivially, so contradictory area limits make the
    problem infeasible only when some programme must be chosen and spends within the horizon
    (otherwise :func:`area_note` says that only spending nothing meets them).
    """
    forced = any(f.horizon_cost[f.first_col[i] : f.first_col[i] + f.n_cols[i]].min() > 0
                 for i in must_choose(f))  # fmt: skip
    return (
        (_area_conflict(f) if forced else None)
        or _group_conflict(f)
        or _lone_misfit(f)
        or _yearly_shortfall(f)
    )


def area_note(f: Formulation) -> str | None:
    """A note when the area limits can hold only if nothing is spent within the horizon."""
    conflict = _area_conflict(f)
    if conflict is None:
        return None
    return conflict.replace("cannot hold together", "hold only if nothing is spent", 1)


def _area_conflict(f: Formulation) -> str | None:
    limits = f.problem.area_limits.limits
    floor = sum(limit.min_share for limit in limits)
    if floor > 1 + 1e-9:
        parts = ", ".join(f"{x.area} {x.min_share:.0%}" for x in limits if x.min_share > 0)
        return (
            f"the area limits cannot hold together: their minimum shares add up to {floor:.0%} "
            f"of spending ({parts}); lower them to 100 % or less in total"
        )
    capped = {x.area: x.max_share for x in limits}
    if set(f.areas) <= set(capped) and sum(capped.values()) < 1 - 1e-9:
        return (
            f"the area limits cannot hold together: every area is capped and the maximum "
            f"shares add up to only {sum(capped.values()):.0%} of spending; raise them"
        )
    return None


def _group_conflict(f: Formulation) -> str | None:
    programmes = f.problem.catalogue.programmes
    mandatory = {i for i, p in enumerate(programmes) if p.mandatory}
    taken: dict[str, int] = {}
    for i in must_choose(f):
        group = programmes[i].exclusive_group
        if group is None:
            continue
        if group in taken:
            j = taken[group]
            why = " and ".join(
                f"{programmes[x].id} ({'mandatory' if x in mandatory else 'required'})"
                for x in (j, i)
            )
            return (
                f"{why} must both be chosen but are in the same exclusive group {group!r}; "
                "make one of them optional or move it out of the group"
            )
        taken[group] = i
    return None


def _lone_misfit(f: Formulation) -> str | None:
    """A programme that must be chosen but whose minimum quantity fits no start year."""
    programmes = f.problem.catalogue.programmes
    currency = f.problem.envelope.currency
    per_year = f.outlay[: len(f.years)].T.toarray()
    for i in must_choose(f):
        cols = range(int(f.first_col[i]), int(f.first_col[i] + f.n_cols[i]))
        if any(f.hi_col[k] >= f.lo[i] for k in cols):
            continue
        k = cols[0]
        need = per_year[k] * f.lo[i]
        t = int(np.argmax(need - f.envelope))
        p = programmes[i]
        window = (
            f"{p.earliest_start}" if p.earliest_start == p.latest_start
            else f"any of {p.earliest_start}–{p.latest_start}"
        )  # fmt: skip
        return (
            f"{p.id} must be chosen, but its minimum of {f.lo[i]} unit(s) needs "
            f"{money(need[t] * f.money_scale, currency)} in FY{f.years[t]} against an envelope "
            f"of {money(f.envelope[t] * f.money_scale, currency)} when started in {f.start[k]}, "
            f"and no start year ({window}) fits; lower its min_qty, widen its start window "
            "or raise the envelope"
        )
    return None


def _yearly_shortfall(f: Formulation) -> str | None:
    """What the must-choose programmes need at least, per year and over runs of years."""
    needed = must_choose(f)
    if not needed:
        return None
    horizon = len(f.years)
    per_year = f.outlay[:horizon].T.toarray()  # (K × T)
    cumulative = np.concatenate([np.zeros((per_year.shape[0], 1)), per_year.cumsum(1)], axis=1)
    budget = np.concatenate([[0.0], f.envelope.cumsum()])
    currency = f.problem.envelope.currency
    programmes = f.problem.catalogue.programmes
    groups = [np.arange(f.first_col[i], f.first_col[i] + f.n_cols[i]) for i in needed]
    groups = [g[f.hi_col[g] >= f.lo[f.prog[g]]] for g in groups]
    if any(len(g) == 0 for g in groups):
        return None  # a programme that fits no start year is reported by _lone_misfit
    cols = np.concatenate(groups)
    starts = np.cumsum([0] + [len(g) for g in groups[:-1]])
    a_idx, b_idx = np.triu_indices(horizon)  # every run of years a..b
    spend = (cumulative[cols][:, b_idx + 1] - cumulative[cols][:, a_idx]) * f.lo[f.prog[cols]][
        :, None
    ]
    least = np.minimum.reduceat(spend, starts, axis=0)  # (programmes × runs)
    over = least.sum(axis=0) - (budget[b_idx + 1] - budget[a_idx])
    w = int(np.argmax(over))
    if over[w] <= 1e-9 * max(float(budget[-1]), 1.0):
        return None
    a, b, mins = int(a_idx[w]), int(b_idx[w]), least[:, w]
    need = mins.sum() * f.money_scale
    have = (budget[b + 1] - budget[a]) * f.money_scale
    top = [needed[n] for n in np.argsort(-mins)[:3] if mins[n] > 0]
    names = ", ".join(programmes[i].id for i in top) + (" …" if len(needed) > 3 else "")
    span = f"FY{f.years[a]}" if a == b else f"FY{f.years[a]}–FY{f.years[b]}"
    against = "an envelope" if a == b else "envelopes totalling"
    return (
        f"the mandatory programmes (with what they require) alone need at least "
        f"{money(need, currency)} in {span} against {against} {money(have, currency)} "
        f"(largest: {names}); raise the envelope, lower their min_qty or make one optional"
    )


def describe_shortfall(
    f: Formulation, envelope_slack: Sequence[float], area_slack: Mapping[str, float]
) -> str:
    """Word the elastic model's slack (model money units) as the reason for infeasibility."""
    currency = f.problem.envelope.currency
    parts = [
        f"{money(s * f.money_scale, currency)} more in FY{f.years[t]} (envelope "
        f"{money(f.envelope[t] * f.money_scale, currency)})"
        for t, s in enumerate(envelope_slack)
        if s > 1e-6 * max(float(f.envelope.max()), 1.0)
    ]
    parts += [
        f"{money(s * f.money_scale, currency)} more spending in or out of area {area!r} to meet "
        "its share limit"
        for area, s in area_slack.items()
        if s > 1e-6
    ]
    if not parts:
        return (
            "no portfolio meets every constraint: the programmes that must be chosen cannot "
            "be combined in whole units within the envelopes, requires and exclusive groups; "
            "check the mandatory programmes"
        )
    return "no portfolio meets every constraint: it would take " + "; ".join(parts[:4])
