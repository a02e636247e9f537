"""One-at-a-time sensitivity of the 2060 gap: tornado-chart data (issue 5).

The gap is the documents' own measure: årsverk demand above SSB's basis path in the final year
(``fte_vs_basis``; Menon's "150 000 årsverk mer enn i basisscenarioet", seed 004 l.186-188). The
central case is the scenario's first productivity growth rate (baseline: 0 %, which gives
about +148 000 in 2060), its base year and its (or the published) 2060 level of the basis path.
Each factor is then swung alone to the two ends of its range, the others held central:

* productivity growth: the scenario's ``growth_range``, else 0 .. 2 %/yr (data rows
  assumption.workforce.no_gains_productivity_growth, workforce.menon.no_resource_problem_growth);
* the 2060 level of the basis path: L0 * (1 -/+ swing) (assumption.sensitivity.reference_2060_swing);
* the base year t0: ``base_year_range``, else 2017 .. assumption.sensitivity.base_year_high.

All seven paths are one call of :func:`ehelse_market.analysis.sweep.demand_paths`. The basis path moves
with its 2060 level, so the gap scales with that level; with a central growth equal to SSB's
0.5 % the gap is 0 whatever the level and base year (the tornado says so rather than hiding it).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ehelse_market.analysis import sweep
from ehelse_market.errors import ParameterError
from ehelse_market.domain.results import frame

#: factors of the tornado, in the parameter names of :mod:`ehelse_market.analysis.sweep`
FACTORS = ("productivity_growth", "reference_level_2060", "base_year")


def central_case(inputs, scenario) -> dict[str, float]:
    """The scenario's central parameter values: first growth rate, 2060 level (fte), base year."""
    return {
        "productivity_growth": float(scenario.productivity_growth[0]),
        "reference_level_2060": sweep.level_2060(inputs, scenario),
        "base_year": int(scenario.base_year),
    }


def tornado(inputs, scenario, year: int | None = None) -> pd.DataFrame:
    """Tornado data for the gap (fte above the basis path) in ``year`` (default: the horizon).

    Tidy rows: the central case (segment ``central``) and, per factor (segment = factor name),
    one row for each end of its range (column ``bound`` = low / high, ``parameter_value`` the
    value used). Column ``swing`` = |gap at high - gap at low| and ``rank`` (1 = moves the gap
    most); rows are ordered by rank, as a tornado chart draws them.
    """
    end = int(scenario.horizon if year is None else year)
    if not scenario.base_year < end <= scenario.horizon:
        raise ParameterError("year", end, f"{scenario.base_year + 1}..{scenario.horizon}")
    sin = sweep.SweepInputs.from_inputs(inputs)
    ranges = sweep.ranges_from_scenario(inputs, scenario)
    centre = central_case(inputs, scenario)
    lo, hi = ranges["base_year"]
    if lo >= end:
        raise ParameterError("base_year_range", [lo, hi], f"base years before {end}")
    ranges["base_year"] = (lo, min(hi, end - 1))  # a base year must come before the year of the gap
    cases = [("central", "central", None)]
    for factor in FACTORS:
        lo, hi = ranges[factor]
        cases += [(factor, "low", lo), (factor, "high", hi)]
    params = []
    for factor, _bound, value in cases:
        p = dict(centre)
        if value is not None:
            p[factor] = value
        params.append(p)
    table = pd.DataFrame(params)
    demand, basis = sweep.demand_paths(sin, [end], table["productivity_growth"], table["reference_level_2060"], table["base_year"].astype(int))
    gap = (demand - basis)[:, 0]
    rows = []
    for (factor, bound, value), g in zip(cases, gap):
        rows.append(
            {
                "variable": "fte_vs_basis",
                "segment": factor,
                "unit": "fte",
                "year": end,
                "value": float(g),
                "bound": bound,
                "parameter_value": np.nan if value is None else float(value),
            }
        )
    df = pd.DataFrame(rows)
    swing = df[df["bound"] != "central"].groupby("segment", sort=False)["value"].agg(lambda v: float(v.max() - v.min()))
    order = swing.sort_values(ascending=False, kind="stable")
    rank = {f: i + 1 for i, f in enumerate(order.index)}
    df["swing"] = df["segment"].map(swing).astype(float)
    df["rank"] = df["segment"].map(rank).fillna(0).astype(int)
    df = df.sort_values(["rank", "bound"], kind="stable", key=lambda s: s.map({"low": 0, "high": 1, "central": -1}) if s.name == "bound" else s)
    return frame(df, scenario=scenario.name)
