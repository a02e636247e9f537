"""E-health market split: total spend x shares -> NOK by segment (seed 000, 4.4; Menon 2021).

Menon estimates the health and care sector's e-health spend at "anslagsvis" 13.6 bn NOK, "ca"
57 / 24 / 19 % by care level (specialist care, primary care, national actors). The amount of a
segment is ``total * share / 100``. The shares are whole percents, so each is only known to
+/- ``halfwidth`` points (0.5 by the data's assumption); the interval an amount lies in is then
``total * (share -/+ halfwidth) / 100``. (With shares that sum to 100 the sum constraint does not
narrow these intervals: the other shares can absorb up to ``(n-1) * halfwidth``.) The total's
own uncertainty is not modelled: the report gives no range for it.

:func:`split_amounts` is the pure kernel on plain numbers; :func:`split` reads the published
total and shares from the data version and accepts a user-given total or split.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from ehelse_market.domain.results import frame, scenario_name
from ehelse_market.errors import ParameterError
from ehelse_market.inputs.loader import Inputs
from ehelse_market.inputs.scenario import Scenario, check_value

TOTAL_KEY = "market.spend_total"
CARE_LEVEL = "care_level_share"
HALFWIDTH_KEY = "assumption.share_rounding_halfwidth"
_SUM_TOLERANCE = 1e-6


def shares(inputs: Inputs, variable: str = CARE_LEVEL) -> dict[str, float]:
    """The published shares of one split (percent), segment -> share, in file order."""
    rows = inputs.values[inputs.values["variable"] == variable]
    if rows.empty:
        raise ValueError(f"the data version has no rows with variable '{variable}'")
    return {str(r.segment): float(r.value) for r in rows.itertuples(index=False)}


def default_halfwidth(inputs: Inputs, params: Scenario | None = None) -> float:
    """Half-width (percentage points) of a rounded share: the scenario's, else the data assumption."""
    h = getattr(params, "share_rounding_halfwidth", None) if params is not None else None
    return float(inputs.value(HALFWIDTH_KEY)) if h is None else float(h)


def check_shares(shares: Mapping[str, float], normalise: bool = False) -> dict[str, float]:
    """Validate a split (percent, each 0..100, summing to 100); optionally rescale it to 100."""
    if not shares:
        raise ParameterError("shares", dict(shares), "one or more segment -> percent entries")
    out = {str(k): float(v) for k, v in shares.items()}
    top = float("inf") if normalise else 100.0
    for k, v in out.items():
        if not 0.0 <= v <= top:
            raise ParameterError(f"shares[{k}]", v, "0..100 (percent)" if not normalise else "a weight >= 0")
    total = sum(out.values())
    if normalise:
        if total <= 0:
            raise ParameterError("shares", out, "a split with a positive sum")
        return {k: v * 100.0 / total for k, v in out.items()}
    if abs(total - 100.0) > _SUM_TOLERANCE:
        raise ParameterError("shares", out, f"percentages summing to 100 (these sum to {total:g}; pass normalise=True to rescale)")
    return out


def split_amounts(total: float, shares: Mapping[str, float], halfwidth: float | None = None) -> pd.DataFrame:
    """NOK by segment for ``total`` (any unit) and ``shares`` (percent summing to 100).

    Columns: segment, share (percent), amount, and with ``halfwidth`` (percentage points)
    share_low/share_high and amount_low/amount_high (shares clipped to 0..100).
    """
    try:
        ok = math.isfinite(float(total)) and float(total) >= 0 and not isinstance(total, bool)
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ParameterError("total", total, "a finite amount >= 0")
    total = float(total)
    s = check_shares(shares)
    df = pd.DataFrame({"segment": list(s), "share": list(s.values())})
    df["amount"] = total * df["share"] / 100.0
    if halfwidth is not None:
        halfwidth = check_value("share_rounding_halfwidth", halfwidth)
        df["share_low"] = (df["share"] - halfwidth).clip(lower=0.0)
        df["share_high"] = (df["share"] + halfwidth).clip(upper=100.0)
        df["amount_low"] = total * df["share_low"] / 100.0
        df["amount_high"] = total * df["share_high"] / 100.0
    return df


def split(
    inputs: Inputs,
    params: Scenario | None = None,
    *,
    total: float | None = None,
    shares_override: Mapping[str, float] | None = None,
    variable: str = CARE_LEVEL,
    total_key: str = TOTAL_KEY,
    intervals: bool = True,
    year: int | None = None,
) -> pd.DataFrame:
    """Tidy split of a total over segments.

    Variables: ``share`` (percent), ``spend`` (NOK bn) and, with ``intervals``, ``spend_low`` /
    ``spend_high`` (NOK bn, each share +/- the rounding half-width) and ``share_low`` /
    ``share_high``. ``total`` (NOK bn) and ``shares_override`` (percent) replace the published
    ones; the default is Menon's 13.6 bn NOK and the care-level split.
    """
    t = float(inputs.value(total_key)) if total is None else total
    s = shares(inputs, variable) if shares_override is None else shares_override
    h = default_halfwidth(inputs, params) if intervals else None
    df = split_amounts(t, s, h)
    rows = []
    for r in df.itertuples(index=False):
        rows.append({"variable": "share", "segment": r.segment, "unit": "percent", "value": r.share})
        rows.append({"variable": "spend", "segment": r.segment, "unit": "NOK bn", "value": r.amount})
        if intervals:
            rows.append({"variable": "share_low", "segment": r.segment, "unit": "percent", "value": r.share_low})
            rows.append({"variable": "share_high", "segment": r.segment, "unit": "percent", "value": r.share_high})
            rows.append({"variable": "spend_low", "segment": r.segment, "unit": "NOK bn", "value": r.amount_low})
            rows.append({"variable": "spend_high", "segment": r.segment, "unit": "NOK bn", "value": r.amount_high})
    rows.append({"variable": "spend", "segment": "total", "unit": "NOK bn", "value": t})
    out = frame(rows, scenario=scenario_name(params))
    out["year"] = pd.array([year] * len(out), dtype="Int64")
    return out


def amount(inputs: Inputs, segment: str, variable: str = CARE_LEVEL, total: float | None = None) -> float:
    """NOK bn of one segment on the published (or given) total; convenience for claims."""
    t = float(inputs.value(TOTAL_KEY)) if total is None else total
    return t * shares(inputs, variable)[segment] / 100.0
