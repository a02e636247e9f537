"""One-at-a-time sensitivity of 2060 demand for årsverk: tornado-chart data (issue 5, issue 12).

The measure is demand for årsverk in the final year (``fte_demand``). The central case is the
scenario's central values: its central productivity growth rate (the middle of its rates; the
baseline's 0 / 0.5 / 2 % give SSB's own 0.5 %/yr, whose demand is SSB's published 2060 level,
618 000), its base year and its (or the published) 2060 level of the basis path. Each factor is
then swung alone to the two ends of its range, the others held central:

* productivity growth: the scenario's ``growth_range``, else 0 .. 2 %/yr (data rows
  assumption.workforce.no_gains_productivity_growth, workforce.menon.no_resource_problem_growth);
* the 2060 level of the basis path: L0 * (1 -/+ swing) (assumption.sensitivity.reference_2060_swing);
* the base year t0: ``base_year_range``, else 2017 .. assumption.sensitivity.base_year_high.

Each row also carries ``gap``, the documents' own measure: demand above SSB's basis path at the
same level (Menon's "150 000 årsverk mer enn i basisscenarioet", seed 004 l.186-188: the 0 % end
of the productivity bar). All seven paths are one call of
:func:`ehelse_market.analysis.sweep.demand_paths`. At SSB's own growth rate demand is the basis
path whatever the base year, so the base year moves nothing in the baseline (the tornado says so
rather than hiding it); it matters for any other central rate.
"""

from __future__ import annotations

import pandas as pd

from ehelse_market.analysis import sweep
from ehelse_market.domain.results import frame
from ehelse_market.errors import ParameterError
from ehelse_market.inputs.loader import Inputs
from ehelse_market.inputs.scenario import Scenario

#: factors of the tornado, in the parameter names of :mod:`ehelse_market.analysis.sweep`
FACTORS = ("productivity_growth", "reference_level_2060", "base_year")


def central_growth(scenario: Scenario) -> float:
    """The scenario's central productivity growth (fraction/yr): the middle of its rates (the lower
    middle of an even number), e.g. SSB's 0.5 % for the baseline's 0, 0.5 and 2 %."""
    rates = sorted(float(g) for g in scenario.productivity_growth)
    return rates[(len(rates) - 1) // 2]


def central_case(inputs: Inputs, scenario: Scenario) -> dict[str, float]:
    """The scenario's central parameter values: central growth rate, 2060 level (fte), base year."""
    return {
        "productivity_growth": central_growth(scenario),
        "reference_level_2060": sweep.level_2060(inputs, scenario),
        "base_year": int(scenario.base_year),
    }


def tornado(inputs: Inputs, scenario: Scenario, year: int | None = None) -> pd.DataFrame:
    """Tornado data for demand (fte) in ``year`` (default: the horizon).

    Tidy rows: the central case (segment ``central``, ``parameter_value`` the central growth
    rate) and, per factor (segment = factor name), one row for each end of its range (column
    ``bound`` = low / high, ``parameter_value`` the value used). Column ``gap`` = demand above
    the basis path; ``swing`` = |demand at high - demand at low| and ``rank`` (1 = moves demand
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
    cases = [("central", "central", centre["productivity_growth"])]
    for factor in FACTORS:
        lo, hi = ranges[factor]
        cases += [(factor, "low", lo), (factor, "high", hi)]
    params = []
    for factor, _bound, value in cases:
        p = dict(centre)
        if factor != "central":
            p[factor] = value
        params.append(p)
    table = pd.DataFrame(params)
    demand, basis = sweep.demand_paths(sin, [end], table["productivity_growth"], table["reference_level_2060"], table["base_year"].astype(int))
    gap = (demand - basis)[:, 0]
    rows = []
    for (factor, bound, value), level, g in zip(cases, demand[:, 0], gap):
        rows.append(
            {
                "variable": "fte_demand",
                "segment": factor,
                "unit": "fte",
                "year": end,
                "value": float(level),
                "bound": bound,
                "parameter_value": float(value),
                "gap": float(g),
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
