"""Workforce projection: demand for årsverk (fte) in publicly financed health and care under a
chosen annual labour-productivity growth ``g`` (seed 004, 1.1 and Figur 2; SSB Rapporter 2019/12).

SSB's reference path ``D_B(t)`` already assumes a labour-saving productivity growth ``p_B``
(0.5 %/yr). Demand with another growth rate ``g`` rescales the path by the cumulated difference::

    D_g(t) = D_B(t) * ((1 + p_B) / (1 + g)) ** (t - t0)

so ``g = p_B`` returns the basis exactly and demand falls as ``g`` rises. ``D_B`` is published
only for a few years (2017, 2035, 2060); between them it is interpolated **geometrically**
(constant annual growth rate between two published years), the natural shape of a path driven
by compound growth. Years outside the published range are refused rather than extrapolated.

Two layers: :func:`demand_matrix` is the vectorised array kernel (numpy broadcasting over many
growth rates at once, for scenario sweeps); :func:`project` is the tidy wrapper reading its
inputs from the data version.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from ehelse_market.domain.results import frame, input_fraction, scenario_name
from ehelse_market.errors import ParameterError
from ehelse_market.inputs.loader import Inputs
from ehelse_market.inputs.scenario import Scenario, check_array, check_value

REFERENCE_VARIABLE = "fte_demand_reference"
REFERENCE_PREFIX = "workforce.ssb_reference."
BASIS_GROWTH_KEY = "workforce.ssb_reference.productivity_growth"
BASE_YEAR_KEY = "assumption.workforce.base_year"
SHARE_OF_ALL_FTE_KEY = "workforce.ssb_reference.share_of_all_fte.2017"
EMPLOYMENT_GROWTH_KEY = "assumption.workforce.total_employment_growth"


# --------------------------------------------------------------------------- array kernel


def as_numbers(x: ArrayLike, name: str) -> np.ndarray:
    """``x`` (a number or a list of them) as a non-empty 1-d float array of finite values;
    a :class:`ParameterError` naming ``name`` otherwise."""
    try:
        arr = np.atleast_1d(np.asarray(x, dtype=float))
    except (TypeError, ValueError):
        raise ParameterError(name, x, "numbers (fractions for rates, e.g. 0.02)") from None
    if arr.ndim != 1 or arr.size == 0:
        raise ParameterError(name, x, "a non-empty list of numbers")
    if not np.isfinite(arr).all():
        raise ParameterError(name, x, "finite numbers")
    return arr


def check_growth_rates(growth_rates: ArrayLike) -> np.ndarray:
    """Growth rates (fractions/yr, 0.02 = 2 %/yr) as a float array within the Scenario's bounds."""
    as_numbers(growth_rates, "productivity_growth")  # text or nesting: the parameter named
    return check_array("productivity_growth", growth_rates)


def reference_path(years: ArrayLike, ref_years: ArrayLike, ref_values: ArrayLike) -> np.ndarray:
    """SSB's reference path at ``years``, geometrically interpolated between published years (fte)."""
    ry = np.asarray(ref_years, dtype=float)
    rv = np.asarray(ref_values, dtype=float)
    order = np.argsort(ry)
    ry, rv = ry[order], rv[order]
    if ry.size < 2 or np.any(np.diff(ry) <= 0) or np.any(rv <= 0):
        raise ValueError("the reference path needs two or more distinct years with positive values")
    t = as_numbers(years, "year")
    if t.min() < ry[0] or t.max() > ry[-1]:
        raise ParameterError("year", float(t.min() if t.min() < ry[0] else t.max()), f"{int(ry[0])}..{int(ry[-1])} (the published reference path)")
    # constant annual growth between neighbouring published years; published years come back exactly
    i = np.clip(np.searchsorted(ry, t, side="right") - 1, 0, ry.size - 2)
    frac = (t - ry[i]) / (ry[i + 1] - ry[i])
    out = rv[i] * (rv[i + 1] / rv[i]) ** frac
    return np.where(t == ry[i + 1], rv[i + 1], out)


def demand_matrix(
    years: ArrayLike,
    growth_rates: ArrayLike,
    ref_years: ArrayLike,
    ref_values: ArrayLike,
    basis_growth: float,
    base_year: int,
) -> np.ndarray:
    """Demand for fte, shape ``(len(growth_rates), len(years))``: ``D_B(t) * ((1+p_B)/(1+g))**(t-t0)``.

    ``basis_growth`` (p_B) and ``growth_rates`` are fractions per year; ``base_year`` is t0.
    Years must lie in ``[t0, last published year]``.
    """
    g = check_growth_rates(growth_rates)
    t = as_numbers(years, "year")
    if t.min() < base_year:
        raise ParameterError("year", float(t.min()), f"years from the base year {base_year} on")
    if not basis_growth > -1:
        raise ParameterError("basis_growth", basis_growth, "a fraction > -1")
    d_b = reference_path(t, ref_years, ref_values)
    ratio = (1.0 + basis_growth) / (1.0 + g)  # (n_g,)
    return d_b[None, :] * ratio[:, None] ** (t - base_year)[None, :]


# --------------------------------------------------------------------------- inputs


def reference_points(inputs: Inputs) -> tuple[np.ndarray, np.ndarray]:
    """Published years and values of SSB's reference path (fte), from the data version."""
    rows = inputs.select(REFERENCE_PREFIX)
    rows = rows[rows["variable"] == REFERENCE_VARIABLE].sort_values("year")
    if len(rows) < 2 or rows["year"].isna().any():
        raise ValueError(f"the data version needs two or more '{REFERENCE_VARIABLE}' rows with a year")
    return rows["year"].astype(int).to_numpy(), rows["value"].astype(float).to_numpy()


def basis_growth(inputs: Inputs) -> float:
    """p_B: SSB's reference-path productivity growth, as a fraction per year."""
    return input_fraction(inputs, BASIS_GROWTH_KEY)


def base_year(inputs: Inputs) -> int:
    """t0: the year the productivity difference starts compounding (assumption row)."""
    return int(inputs.value(BASE_YEAR_KEY))


def total_employment_path(inputs: Inputs, years: ArrayLike, growth: float | None = None) -> pd.Series:
    """Total årsverk in the whole economy by year (fte), for the share of health and care.

    Level: SSB's base-year health-and-care årsverk divided by their published share of all
    årsverk (13 % in 2017); growth: ``growth`` (fraction/yr) or the data's assumption (0 %/yr:
    held at the 2017 level). The seeds give no total-employment projection.
    """
    share_row = inputs.row(SHARE_OF_ALL_FTE_KEY)
    share_year = int(share_row["year"])
    ry, rv = reference_points(inputs)
    level = float(reference_path([share_year], ry, rv)[0]) / input_fraction(inputs, SHARE_OF_ALL_FTE_KEY)
    g = input_fraction(inputs, EMPLOYMENT_GROWTH_KEY) if growth is None else float(growth)
    if not g > -1:
        raise ParameterError("employment_growth", g, "a fraction > -1")
    t = as_numbers(years, "year")
    return pd.Series(level * (1.0 + g) ** (t - share_year), index=t.astype(int), name="total_fte")


# --------------------------------------------------------------------------- tidy projection


def _params_growth(params: Scenario | None) -> list[float] | None:
    return None if params is None else list(params.productivity_growth)


def project(
    inputs: Inputs,
    growth_rates: ArrayLike | None = None,
    years: Iterable[int] | None = None,
    *,
    params: Scenario | None = None,
    base_year_override: int | None = None,
    total_employment: pd.Series | Mapping[int, float] | None = None,
    reference_level_2060: float | None = None,
) -> pd.DataFrame:
    """Tidy projection: one row per growth rate, year and variable.

    Variables: ``fte_demand`` (fte), ``fte_vs_basis`` (fte above SSB's reference path) and,
    when ``total_employment`` (fte by year) is given, ``share_of_employment`` (percent).
    Growth rates default to ``params.productivity_growth``, else the basis rate; years default
    to every year from t0 to ``params.horizon`` (else the last published year).
    ``reference_level_2060`` (fte; default ``params.reference_level_2060``, else the published
    level) replaces the last published point of the basis path, which is re-interpolated to it.
    The column ``productivity_growth`` (fraction/yr) tells the paths apart.
    """
    ry, rv = reference_points(inputs)
    if reference_level_2060 is None and params is not None:
        reference_level_2060 = getattr(params, "reference_level_2060", None)
    if reference_level_2060 is not None:
        level = check_value("reference_level_2060", reference_level_2060)
        rv = rv.astype(float).copy()
        rv[-1] = level
    p_b = basis_growth(inputs)
    t0 = int(base_year_override) if base_year_override is not None else (
        int(params.base_year) if params is not None else base_year(inputs)
    )
    if growth_rates is None:
        growth_rates = _params_growth(params) or [p_b]
    g = check_growth_rates(growth_rates)
    if years is None:
        end = int(params.horizon) if params is not None else int(ry[-1])
        years = range(t0, end + 1)
    t = as_numbers(list(years), "year").astype(int)
    demand = demand_matrix(t, g, ry, rv, p_b, t0)
    basis = reference_path(t, ry, rv)
    n_g, n_t = demand.shape
    g_col = np.repeat(g, n_t)
    y_col = np.tile(t, n_g)
    parts = [
        pd.DataFrame({"variable": "fte_demand", "unit": "fte", "year": y_col, "value": demand.ravel(), "productivity_growth": g_col}),
        pd.DataFrame({"variable": "fte_vs_basis", "unit": "fte", "year": y_col, "value": (demand - basis[None, :]).ravel(), "productivity_growth": g_col}),
    ]
    if total_employment is not None:
        total = pd.Series(total_employment, dtype=float)
        missing = [int(y) for y in t if int(y) not in total.index]
        if missing:
            raise ParameterError("total_employment", f"no value for {missing[:3]}", "a value (fte) for every projected year")
        share = demand / total.loc[t].to_numpy()[None, :] * 100.0
        parts.append(pd.DataFrame({"variable": "share_of_employment", "unit": "percent", "year": y_col, "value": share.ravel(), "productivity_growth": g_col}))
    df = pd.concat(parts, ignore_index=True)
    df["segment"] = "publicly_financed_health_care"
    df = df.sort_values(["productivity_growth", "year", "variable"], kind="stable")
    return frame(df, scenario=scenario_name(params))


def demand_at(inputs: Inputs, growth: float, year: int, base_year_override: int | None = None) -> float:
    """Scalar demand (fte) for one growth rate and year; convenience for claims and notebooks."""
    ry, rv = reference_points(inputs)
    t0 = base_year(inputs) if base_year_override is None else int(base_year_override)
    return float(demand_matrix([year], [growth], ry, rv, basis_growth(inputs), t0)[0, 0])


def basis_at(inputs: Inputs, year: int) -> float:
    """SSB's reference path (fte) in ``year``, interpolated as documented above."""
    ry, rv = reference_points(inputs)
    return float(reference_path([year], ry, rv)[0])


def growth_for_flat_demand(inputs: Inputs, year: int | None = None, base_year_override: int | None = None) -> float:
    """Productivity growth (fraction/yr) at which demand in ``year`` (default: the last published
    year) equals the base-year level: ``(1 + p_B) * (D_B(T) / D_B(t0)) ** (1 / (T - t0)) - 1``."""
    ry, rv = reference_points(inputs)
    t0 = base_year(inputs) if base_year_override is None else int(base_year_override)
    end = int(ry[-1]) if year is None else int(year)
    if end <= t0:
        raise ParameterError("year", end, f"a year after the base year {t0}")
    d0, d1 = reference_path([t0, end], ry, rv)
    return (1.0 + basis_growth(inputs)) * (d1 / d0) ** (1.0 / (end - t0)) - 1.0


def year_record_cohort_reaches(inputs: Inputs, age: int) -> int:
    """Calendar year in which the largest birth cohort on record reaches ``age`` (years).

    The cohort is the one row under ``workforce.ssb.record_birth_cohort`` (SSB: 1946, 70 727 live
    births). Seed 004 (l.1564) dates the turn of the elderly wave by it ("fyller 80 år i 2027").
    """
    if isinstance(age, bool) or not isinstance(age, (int, np.integer)) or not 0 <= age <= 130:
        raise ParameterError("age", age, "a whole number of years, 0..130")
    rows = inputs.select("workforce.ssb.record_birth_cohort.")
    if len(rows) != 1:
        raise ParameterError("record_birth_cohort", len(rows), "exactly one data row 'workforce.ssb.record_birth_cohort.<year>'")
    return int(rows.iloc[0]["year"]) + int(age)
