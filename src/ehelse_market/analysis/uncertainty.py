"""Monte Carlo uncertainty: fan-chart bands for årsverk demand and intervals for the market and
contract-form amounts (issue 5). Same scenario (seed), same numbers.

Workforce (:func:`demand_bands`): ``scenario.mc_samples`` draws of

* productivity growth g ~ uniform on the scenario's growth range (default 0 %/yr, Menon's "no
  gains", to 2 %/yr, "no resource problem"), and
* the 2060 level of SSB's reference path ~ uniform on L0 * (1 -/+ swing) (default +/-10 %,
  assumption.sensitivity.reference_2060_swing),

pushed through :func:`ehelse_market.analysis.sweep.demand_paths` from the scenario's base year; the
result is percentiles of demand (fte) per year. Uniform: the documents give ranges, not
distributions; the bands show where the documents' own range of assumptions leads, not a
probability forecast.

Amounts (:func:`share_bands`): a "ca" share printed as a whole percent lies within +/- the
rounding half-width of it, and the unrounded shares of a split still sum to 100. Draws are
uniform on that set (every share within its interval, sum exactly 100: rejection sampling),
and each amount is ``total * share / 100`` as in :func:`ehelse_market.domain.market.split_amounts`.
The percentiles are narrower than :func:`ehelse_market.domain.market.split`'s hard bounds, which
ignore the sum constraint.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ehelse_market.analysis import sweep
from ehelse_market.domain import contracts, market
from ehelse_market.domain.results import frame
from ehelse_market.errors import ParameterError
from ehelse_market.inputs.loader import Inputs
from ehelse_market.inputs.scenario import Scenario, check_value

#: percentiles of the fan chart and the amount intervals
PERCENTILES: tuple[float, ...] = (5.0, 25.0, 50.0, 75.0, 95.0)
_SUM_TOLERANCE = 1e-9


def _rng(scenario: Scenario, stream: int) -> np.random.Generator:
    """Independent, reproducible stream per use: the scenario's seed plus a fixed stream number."""
    return np.random.default_rng([int(scenario.seed), stream])


def _check_percentiles(percentiles: Sequence[float]) -> np.ndarray:
    p = np.asarray(percentiles, dtype=float)
    if p.ndim != 1 or p.size == 0 or ((p < 0) | (p > 100)).any():
        raise ParameterError("percentiles", list(percentiles), "one or more numbers 0..100")
    return p


# --------------------------------------------------------------------------- workforce fan chart


def demand_draws(inputs: Inputs, scenario: Scenario, years: Sequence[int] | None = None) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """Monte Carlo demand paths: (years, demand array (n_draws, n_years) in fte, drawn parameters).

    The draws are :func:`ehelse_market.analysis.sweep.random_sample` with the scenario's seed and
    ranges, the base year held at the scenario's: the same numbers as ``ehelse-market sweep
    --samples N --seed S --base-year T0 T0`` (same seed, same numbers).
    """
    sin = sweep.SweepInputs.from_inputs(inputs)
    ranges = sweep.ranges_from_scenario(inputs, scenario)
    ranges["base_year"] = (scenario.base_year, scenario.base_year)
    n = int(scenario.mc_samples)
    params = sweep.random_sample(n, int(scenario.seed), ranges, prefix=scenario.name)
    g = params["productivity_growth"].to_numpy()
    lv = params["reference_level_2060"].to_numpy()
    t = np.arange(scenario.base_year, scenario.horizon + 1) if years is None else np.asarray(list(years), dtype=int)
    demand, _basis = sweep.demand_paths(sin, t, g, lv, np.full(n, scenario.base_year))
    return t, demand, params[["productivity_growth", "reference_level_2060"]]


def demand_bands(inputs: Inputs, scenario: Scenario, percentiles: Sequence[float] = PERCENTILES, years: Sequence[int] | None = None) -> pd.DataFrame:
    """Fan-chart data: percentiles of årsverk demand per year (variable fte_demand, unit fte).

    Tidy: one row per year and percentile; the extra column ``percentile`` (0..100) tells the
    bands apart. Years default to the scenario's base year .. horizon.
    """
    p = _check_percentiles(percentiles)
    t, demand, _ = demand_draws(inputs, scenario, years)
    q = np.percentile(demand, p, axis=0)  # (n_p, n_years)
    df = pd.DataFrame(
        {
            "variable": "fte_demand",
            "segment": sweep.WORKFORCE_SEGMENT,
            "unit": "fte",
            "year": np.tile(t, p.size),
            "value": q.ravel(),
            "percentile": np.repeat(p, t.size),
        }
    )
    return frame(df, scenario=scenario.name)


# --------------------------------------------------------------------------- rounded shares


def share_draws(shares: Mapping[str, float], halfwidth: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` draws of the unrounded shares (percent), shape (n, n_segments), uniform on the set
    {each share within +/- halfwidth of the published one (and within 0..100), sum = 100}."""
    s = np.asarray(list(market.check_shares(shares).values()), dtype=float)
    halfwidth = check_value("share_rounding_halfwidth", halfwidth)
    lo = np.clip(s - halfwidth, 0.0, 100.0)
    hi = np.clip(s + halfwidth, 0.0, 100.0)
    if halfwidth == 0 or s.size == 1:
        return np.broadcast_to(s, (n, s.size)).copy()
    out = np.empty((0, s.size))
    while out.shape[0] < n:  # acceptance is 2/3 or more for the published splits
        batch = rng.uniform(lo[:-1], hi[:-1], size=(2 * (n - out.shape[0]) + 16, s.size - 1))
        last = 100.0 - batch.sum(axis=1)
        ok = (last >= lo[-1] - _SUM_TOLERANCE) & (last <= hi[-1] + _SUM_TOLERANCE)
        out = np.vstack([out, np.column_stack([batch[ok], last[ok]])])
    return out[:n]


def share_bands(
    inputs: Inputs,
    scenario: Scenario,
    variable: str = market.CARE_LEVEL,
    percentiles: Sequence[float] = (5.0, 50.0, 95.0),
    total: float | None = None,
) -> pd.DataFrame:
    """Percentiles of each segment's amount (variable spend, NOK bn) and share (percent) under
    the rounding of the published shares (half-width: the scenario's). Column ``percentile``."""
    p = _check_percentiles(percentiles)
    shares = market.shares(inputs, variable)
    t = float(inputs.value(market.TOTAL_KEY)) if total is None else float(total)
    stream = 2 if variable == market.CARE_LEVEL else 3
    draws = share_draws(shares, market.default_halfwidth(inputs, scenario), int(scenario.mc_samples), _rng(scenario, stream))
    q_share = np.percentile(draws, p, axis=0)  # (n_p, n_seg)
    segs = list(shares)
    rows = []
    for i, pct in enumerate(p):
        for j, seg in enumerate(segs):
            rows.append({"variable": "share", "segment": seg, "unit": "percent", "value": q_share[i, j], "percentile": pct})
            rows.append({"variable": "spend", "segment": seg, "unit": "NOK bn", "value": t * q_share[i, j] / 100.0, "percentile": pct})
    return frame(rows, scenario=scenario.name)


def market_bands(inputs: Inputs, scenario: Scenario, percentiles: Sequence[float] = (5.0, 50.0, 95.0)) -> pd.DataFrame:
    """Care-level amounts (NOK bn) under the rounding of the 57 / 24 / 19 % shares."""
    return share_bands(inputs, scenario, market.CARE_LEVEL, percentiles)


def contract_bands(inputs: Inputs, scenario: Scenario, percentiles: Sequence[float] = (5.0, 50.0, 95.0)) -> pd.DataFrame:
    """Contract-form amounts (NOK bn) under the rounding of the 50 / 20 / 18 / 12 % shares, on the
    same total as the care-level split (the report does not say so; see contracts.SAME_TOTAL_NOTE)."""
    out = share_bands(inputs, scenario, contracts.CONTRACT_FORM, percentiles)
    out["note"] = np.where(out["unit"] == "NOK bn", contracts.SAME_TOTAL_NOTE, "")
    return out


def intervals_table(bands: pd.DataFrame, percentiles: Sequence[float] = (5.0, 50.0, 95.0)) -> pd.DataFrame:
    """Wide view of amount bands for a report table: segment, unit, then one column per
    percentile named ``p5``, ``p50``, ``p95`` (NOK bn), segments in the split's order."""
    spend = bands[bands["variable"] == "spend"]
    wide = spend.pivot_table(index="segment", columns="percentile", values="value", sort=False)
    missing = [x for x in percentiles if float(x) not in wide.columns]
    if missing:
        raise ParameterError("percentiles", sorted(wide.columns), f"bands that include {missing}")
    out = pd.DataFrame({"segment": wide.index, "unit": spend["unit"].iloc[0]})
    for x in percentiles:
        out[f"p{float(x):g}"] = wide[float(x)].to_numpy()
    return out


def fan_chart_data(inputs: Inputs, scenario: Scenario, percentiles: Sequence[float] = PERCENTILES) -> pd.DataFrame:
    """What the fan chart plots: :func:`demand_bands` plus the centre path for comparison.

    The centre path (variable ``fte_demand_reference``, percentile empty) is SSB's reference
    path at the scenario's 2060 level (the published one unless the scenario overrides it).
    """
    bands = demand_bands(inputs, scenario, percentiles)
    sin = sweep.SweepInputs.from_inputs(inputs)
    t = np.arange(scenario.base_year, scenario.horizon + 1)
    _, basis = sweep.demand_paths(sin, t, [sin.basis_growth], [sweep.level_2060(sin, scenario)], [scenario.base_year])
    ref = frame(
        pd.DataFrame(
            {"variable": "fte_demand_reference", "segment": sweep.WORKFORCE_SEGMENT, "unit": "fte", "year": t, "value": basis[0], "percentile": np.nan}
        ),
        scenario=scenario.name,
    )
    return pd.concat([bands, ref], ignore_index=True)
