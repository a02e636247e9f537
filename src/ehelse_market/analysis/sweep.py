"""Parameter sweeps: many scenarios at once, vectorised, in one process (issue 5).

A sweep varies four parameters (:data:`PARAMETERS`):

* ``productivity_growth`` -- labour-saving productivity growth g, fraction/yr;
* ``reference_level_2060`` -- the 2060 level of SSB's reference path D_B, fte (the published
  618 000 by default): the path between the last two published years is re-interpolated to it;
* ``base_year`` -- t0, the year the productivity difference starts compounding;
* ``share_rounding_halfwidth`` -- how far a "ca" share may lie from the printed whole percent,
  percentage points.

Per scenario it returns demand for årsverk ``fte_demand`` and the distance from the (same
scenario's) basis path ``fte_vs_basis`` for every year from t0 to the horizon, and the
interval each care-level and contract-form amount lies in (``spend_low`` / ``spend_high``,
NOK bn) under that rounding.

The workforce numbers come from :func:`ehelse_market.domain.workforce.demand_matrix` (called once per
distinct base year, over all growth rates of that group at once); a different 2060 level
multiplies row-wise by ``(L / L0) ** w(t)``, where ``w(t)`` is read from
:func:`ehelse_market.domain.workforce.reference_path` itself (exact for its log-linear interpolation;
``tests/test_sweep.py`` checks it against ``demand_matrix`` on a modified path). Nothing here
reads files, prints or plots; :func:`iter_sweep` yields tidy chunks so a sweep of any size runs
in bounded memory.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from ehelse_market.domain import contracts, market, workforce
from ehelse_market.domain.results import input_fraction
from ehelse_market.errors import ParameterError
from ehelse_market.inputs.loader import Inputs
from ehelse_market.inputs.scenario import Scenario, check_array

#: the swept parameters, in the column order of the parameter table and the output
PARAMETERS = ("productivity_growth", "reference_level_2060", "base_year", "share_rounding_halfwidth")
#: workforce segment label, as in :func:`ehelse_market.domain.workforce.project`
WORKFORCE_SEGMENT = "publicly_financed_health_care"
#: scenarios per chunk: about 40 MB of arrays per chunk for 44 years
DEFAULT_CHUNK_SIZE = 20_000

#: data rows behind the default ranges (see :func:`ranges_from_scenario`)
GROWTH_LOW_KEY = "assumption.workforce.no_gains_productivity_growth"
GROWTH_HIGH_KEY = "workforce.menon.no_resource_problem_growth"
LEVEL_SWING_KEY = "assumption.sensitivity.reference_2060_swing"
BASE_YEAR_HIGH_KEY = "assumption.sensitivity.base_year_high"


# --------------------------------------------------------------------------- inputs read once


@dataclass(frozen=True)
class SweepInputs:
    """The published numbers a sweep needs, read once from a data version.

    ref_years / ref_values: SSB's reference path (year, fte); basis_growth: p_B (fraction/yr);
    splits: split name -> (total NOK bn, segment -> share percent).
    """

    ref_years: np.ndarray
    ref_values: np.ndarray
    basis_growth: float
    splits: Mapping[str, tuple[float, Mapping[str, float]]]

    @classmethod
    def from_inputs(cls, inputs: Inputs) -> SweepInputs:
        ry, rv = workforce.reference_points(inputs)
        total = float(inputs.value(market.TOTAL_KEY))
        splits = {
            market.CARE_LEVEL: (total, market.check_shares(market.shares(inputs, market.CARE_LEVEL))),
            contracts.CONTRACT_FORM: (total, market.check_shares(market.shares(inputs, contracts.CONTRACT_FORM))),
        }
        return cls(ry.astype(float), rv.astype(float), workforce.basis_growth(inputs), splits)

    @property
    def published_level(self) -> float:
        """The published level of the path's last year (618 000 fte in 2060)."""
        return float(self.ref_values[-1])

    @property
    def last_year(self) -> int:
        return int(self.ref_years[-1])


# --------------------------------------------------------------------------- parameter tables


def check_parameters(params: pd.DataFrame, sin: SweepInputs, horizon: int | None = None) -> pd.DataFrame:
    """Validate a parameter table (columns :data:`PARAMETERS`); ParameterError names the first bad value."""
    missing = [c for c in PARAMETERS if c not in params.columns]
    if missing:
        raise ParameterError("parameters", sorted(params.columns), f"columns {', '.join(PARAMETERS)} (missing {', '.join(missing)})")
    if len(params) == 0:
        raise ParameterError("parameters", "an empty table", "one or more scenarios")
    # the Scenario's bounds, vectorised: a sweep refuses what a scenario file refuses, in the same words
    g = check_array("productivity_growth", params["productivity_growth"])
    lv = check_array("reference_level_2060", params["reference_level_2060"])
    h = check_array("share_rounding_halfwidth", params["share_rounding_halfwidth"])
    t0 = check_array("base_year", params["base_year"])
    last = sin.last_year if horizon is None else int(horizon)
    first = int(sin.ref_years[0])
    bad = (t0 < first) | (t0 >= last)
    if bad.any():
        raise ParameterError("base_year", int(t0[bad][0]), f"a whole year from {first} to {last - 1} (before the horizon {last})")
    out = pd.DataFrame({"productivity_growth": g, "reference_level_2060": lv, "base_year": t0.astype(int), "share_rounding_halfwidth": h})
    out.insert(0, "scenario", params["scenario"].astype(str).to_numpy() if "scenario" in params else scenario_ids("sweep", len(out)))
    dup = out["scenario"][out["scenario"].duplicated()]
    if len(dup):
        raise ParameterError("scenario", dup.iloc[0], "a unique id per scenario")
    return out


def scenario_ids(prefix: str, n: int, start: int = 0) -> np.ndarray:
    """Stable ids ``<prefix>-000001`` ... (zero-padded so they sort in order)."""
    width = max(6, len(str(start + n)))
    return np.array([f"{prefix}-{i:0{width}d}" for i in range(start + 1, start + n + 1)], dtype=object)


def grid(
    productivity_growth: Sequence[float] | None = None,
    reference_level_2060: Sequence[float] | None = None,
    base_year: Sequence[int] | None = None,
    share_rounding_halfwidth: Sequence[float] | None = None,
    prefix: str | None = None,
    *,
    inputs: Inputs | None = None,
    scenario: Scenario | None = None,
) -> pd.DataFrame:
    """Every combination of the given values (cartesian product), one row per scenario.

    A parameter left at None takes the scenario's value (default: the baseline scenario and the
    newest data), as ``ehelse-market sweep`` does; ids are ``<prefix>-000001`` ... with the
    scenario's name as the default prefix.
    """
    given: tuple[Any, ...] = (productivity_growth, reference_level_2060, base_year, share_rounding_halfwidth)
    if any(v is None for v in given) or prefix is None:
        inputs, scenario = _defaults(inputs, scenario)
        own = {
            "productivity_growth": list(scenario.productivity_growth),
            "reference_level_2060": [level_2060(inputs, scenario)],
            "base_year": [scenario.base_year],
            "share_rounding_halfwidth": [scenario.share_rounding_halfwidth],
        }
        given = tuple(own[name] if v is None else v for name, v in zip(PARAMETERS, given))
        prefix = scenario.name if prefix is None else prefix
    axes = [list(np.atleast_1d(v)) for v in given]
    for name, ax in zip(PARAMETERS, axes):
        if not ax:
            raise ParameterError(name, [], "one or more values")
    rows = list(itertools.product(*axes))
    df = pd.DataFrame(rows, columns=list(PARAMETERS))
    df.insert(0, "scenario", scenario_ids(prefix, len(df)))
    return df


def random_sample(
    n: int,
    seed: int | None = None,
    ranges: Mapping[str, tuple[float, float]] | None = None,
    prefix: str = "sweep",
    *,
    inputs: Inputs | None = None,
    scenario: Scenario | None = None,
) -> pd.DataFrame:
    """``n`` scenarios drawn uniformly from ``ranges`` (parameter -> (low, high)), reproducibly from ``seed``.

    Continuous parameters are uniform on [low, high]; ``base_year`` is a whole year, uniform on
    low..high inclusive. A parameter with low == high is held fixed. As ``ehelse-market sweep
    --samples``: the seed defaults to the scenario's (default: the baseline), and a parameter
    missing from ``ranges`` takes the scenario's range (:func:`ranges_from_scenario`). The
    draws come from ``numpy.random.default_rng(seed)`` in the order of :data:`PARAMETERS`, so
    the same seed gives the same scenarios here, in the command line and in the fan chart
    (:func:`ehelse_market.analysis.uncertainty.demand_draws`).
    """
    if seed is None or ranges is None or any(name not in ranges for name in PARAMETERS):
        inputs, scenario = _defaults(inputs, scenario)
        seed = scenario.seed if seed is None else seed
        ranges = {**ranges_from_scenario(inputs, scenario), **(ranges or {})}
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ParameterError("samples", n, "a whole number >= 1")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ParameterError("seed", seed, "a whole number >= 0")
    rng = np.random.default_rng(seed)
    cols: dict[str, np.ndarray] = {}
    unknown = sorted(set(ranges) - set(PARAMETERS))
    if unknown:
        raise ParameterError("ranges", unknown, f"ranges of {', '.join(PARAMETERS)}")
    for name in PARAMETERS:  # fixed order: the same seed gives the same draws
        lo, hi = (float(x) for x in ranges[name])
        if not lo <= hi:
            raise ParameterError(name, [lo, hi], "a range [low, high] with low <= high")
        if name == "base_year":
            cols[name] = rng.integers(int(lo), int(hi), size=n, endpoint=True)
        else:
            cols[name] = rng.uniform(lo, hi, size=n)
    df = pd.DataFrame(cols)
    df.insert(0, "scenario", scenario_ids(prefix, n))
    return df


# --------------------------------------------------------------------------- array kernels


def level_weights(sin: SweepInputs, years: ArrayLike) -> np.ndarray:
    """w(t): elasticity of the interpolated basis path at ``years`` to its last published level.

    ``D_B(t; L) = D_B(t; L0) * (L / L0) ** w(t)``; w = 0 up to the second-last published year
    and rises to 1 at the last. Read off :func:`workforce.reference_path`, not re-derived.
    """
    hi = sin.ref_values.copy()
    hi[-1] *= np.e
    return np.log(workforce.reference_path(years, sin.ref_years, hi) / workforce.reference_path(years, sin.ref_years, sin.ref_values))


def demand_paths(
    sin: SweepInputs, years: ArrayLike, growth: ArrayLike, level_2060: ArrayLike, base_year: ArrayLike
) -> tuple[np.ndarray, np.ndarray]:
    """Demand and basis paths (fte), each of shape ``(n_scenarios, n_years)``; NaN before a scenario's t0.

    Row i uses growth[i] (fraction/yr), level_2060[i] (fte) and base_year[i]; ``years`` are
    whole years within the published path.
    """
    t = np.asarray(years, dtype=int)
    g = np.asarray(growth, dtype=float)
    lv = np.asarray(level_2060, dtype=float)
    t0 = np.asarray(base_year, dtype=int)
    n = g.size
    groups = np.unique(t0)
    if groups.size == 1 and groups[0] <= t[0]:  # one base year: a single call, no copy
        demand = workforce.demand_matrix(t, g, sin.ref_years, sin.ref_values, sin.basis_growth, int(groups[0]))
    else:
        demand = np.full((n, t.size), np.nan)
        for y0 in groups:
            rows = np.flatnonzero(t0 == y0)
            cols = np.flatnonzero(t >= y0)
            demand[np.ix_(rows, cols)] = workforce.demand_matrix(t[cols], g[rows], sin.ref_years, sin.ref_values, sin.basis_growth, int(y0))
    ref = workforce.reference_path(t, sin.ref_years, sin.ref_values)
    if np.any(lv != sin.published_level):
        # in place, to keep the peak at about three (n, n_years) arrays
        basis = np.multiply.outer(np.log(lv / sin.published_level), level_weights(sin, t))
        np.exp(basis, out=basis)  # the level factor (L / L0) ** w(t)
        demand *= basis
        basis *= ref[None, :]
    else:
        basis = np.tile(ref, (n, 1))
    if (t0 > t[0]).any():
        basis[t[None, :] < t0[:, None]] = np.nan
    return demand, basis


def share_bounds(total: float, shares: Mapping[str, float], halfwidth: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Amount intervals (in ``total``'s unit), shape ``(n_halfwidths, n_segments)``.

    Each share (percent) widened by +/- halfwidth points and clipped to 0..100, exactly as
    :func:`ehelse_market.domain.market.split_amounts`; vectorised over many half-widths.
    """
    s = np.asarray(list(shares.values()), dtype=float)[None, :]
    h = np.asarray(halfwidth, dtype=float)[:, None]
    low = total * np.clip(s - h, 0.0, None) / 100.0
    high = total * np.clip(s + h, None, 100.0) / 100.0
    return low, high


# --------------------------------------------------------------------------- tidy output


class SweepTables(NamedTuple):
    """A sweep's results as two tidy tables: yearly and year-less rows never share one.

    ``paths``: ``fte_demand`` and ``fte_vs_basis`` (fte) per scenario and year, columns
    ``scenario, variable, segment, unit, year, value`` (``year`` int64) then :data:`PARAMETERS`:
    the shape of ``workforce.project`` and ``ehelse-market project``.
    ``amounts``: ``spend_low`` / ``spend_high`` (NOK bn) per scenario and segment, the same
    columns without ``year``.
    """

    paths: pd.DataFrame
    amounts: pd.DataFrame


def _layout(sin: SweepInputs, years: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Variable, segment, unit (and year) of each value column of one scenario's block."""
    paths = pd.concat(
        [pd.DataFrame({"variable": name, "segment": WORKFORCE_SEGMENT, "unit": "fte", "year": years}) for name in ("fte_demand", "fte_vs_basis")],
        ignore_index=True,
    )
    amounts = [
        pd.DataFrame({"variable": var, "segment": list(shares), "unit": "NOK bn"})
        for _total, shares in sin.splits.values()
        for var in ("spend_low", "spend_high")
    ]
    return paths, pd.concat(amounts, ignore_index=True)


def _long(values: np.ndarray, layout: pd.DataFrame, params: pd.DataFrame) -> pd.DataFrame:
    """(scenarios, columns) values as tidy rows, scenario-major; NaN cells (before t0) left out."""
    n, m = values.shape
    keep = ~np.isnan(values.ravel())
    idx = np.repeat(np.arange(n), m)[keep]
    col = np.tile(np.arange(m), n)[keep]

    def cat(labels: ArrayLike, positions: np.ndarray) -> pd.Categorical:  # categorical built from codes: no per-row strings
        c = pd.Categorical(labels)
        return pd.Categorical.from_codes(c.codes[positions], categories=c.categories)

    out = {"scenario": cat(params["scenario"].to_numpy(), idx)}
    for name in ("variable", "segment", "unit"):
        out[name] = cat(layout[name], col)
    if "year" in layout:
        out["year"] = layout["year"].to_numpy(dtype="int64")[col]
    out["value"] = values.ravel()[keep]
    df = pd.DataFrame(out)
    for name in PARAMETERS:
        df[name] = params[name].to_numpy()[idx]
    return df


def _tidy_chunk(sin: SweepInputs, params: pd.DataFrame, years: np.ndarray) -> SweepTables:
    demand, basis = demand_paths(sin, years, params["productivity_growth"], params["reference_level_2060"], params["base_year"])
    h = params["share_rounding_halfwidth"].to_numpy()
    blocks = []
    for _, (total, shares) in sin.splits.items():
        low, high = share_bounds(total, shares, h)
        blocks += [low, high]
    path_layout, amount_layout = _layout(sin, years)
    return SweepTables(
        _long(np.concatenate([demand, demand - basis], axis=1), path_layout, params),
        _long(np.concatenate(blocks, axis=1), amount_layout, params),
    )


def default_years(params: pd.DataFrame, sin: SweepInputs, horizon: int | None = None) -> np.ndarray:
    """Every year from the earliest base year to the horizon (default: the path's last year)."""
    end = sin.last_year if horizon is None else int(horizon)
    if end > sin.last_year:
        raise ParameterError("horizon", end, f"a year <= {sin.last_year} (the published reference path)")
    return np.arange(int(params["base_year"].min()), end + 1)


def iter_sweep(
    sin: SweepInputs,
    params: pd.DataFrame,
    horizon: int | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> Iterator[SweepTables]:
    """:class:`SweepTables` chunks of at most ``chunk_size`` scenarios each, in parameter-table order.

    Text columns are categorical to save memory. One row per scenario, variable, segment (and
    year in ``paths``).
    """
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, (int, np.integer)) or chunk_size < 1:
        raise ParameterError("chunk_size", chunk_size, "a whole number >= 1")
    params = check_parameters(params, sin, horizon)
    years = default_years(params, sin, horizon)
    for start in range(0, len(params), chunk_size):
        yield _tidy_chunk(sin, params.iloc[start : start + chunk_size], years)


def sweep(
    inputs: Inputs | None = None,
    params: pd.DataFrame | None = None,
    horizon: int | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> SweepTables:
    """The whole sweep as two tidy frames (see :class:`SweepTables`; :func:`iter_sweep` for large ones).

    Defaults as ``ehelse-market sweep``: the newest data version and the baseline scenario's
    own grid (:func:`grid_from_scenario`).
    """
    inputs, scenario = _defaults(inputs)
    params = grid_from_scenario(inputs, scenario) if params is None else params
    sin = SweepInputs.from_inputs(inputs)
    chunks = list(iter_sweep(sin, params, horizon, chunk_size))

    def whole(frames: list[pd.DataFrame]) -> pd.DataFrame:
        out = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        for c in ("scenario", "variable", "segment", "unit"):
            out[c] = out[c].astype(str)
        return out

    return SweepTables(whole([c.paths for c in chunks]), whole([c.amounts for c in chunks]))


def _defaults(inputs: Inputs | None = None, scenario: Scenario | None = None) -> tuple[Inputs, Scenario]:
    """(inputs, scenario) with the command line's defaults: the newest data, the baseline scenario."""
    from ehelse_market.inputs import load_inputs
    from ehelse_market.inputs.scenario import Scenario

    scenario = Scenario.baseline() if scenario is None else scenario
    inputs = load_inputs(scenario.data_version) if inputs is None else inputs
    return inputs, scenario


# --------------------------------------------------------------------------- defaults from a Scenario


def level_2060(inputs_or_sin: Inputs | SweepInputs, scenario: Scenario) -> float:
    """The scenario's 2060 level of the basis path (fte), else the published one."""
    sin = inputs_or_sin if isinstance(inputs_or_sin, SweepInputs) else SweepInputs.from_inputs(inputs_or_sin)
    lv = getattr(scenario, "reference_level_2060", None)
    return sin.published_level if lv is None else float(lv)


def grid_from_scenario(inputs: Inputs, scenario: Scenario, **overrides: Any) -> pd.DataFrame:
    """A grid over the scenario's own values, with any parameter replaced by a list in ``overrides``."""
    for k, v in overrides.items():
        if k not in PARAMETERS:
            raise ParameterError(k, v, f"one of {', '.join(PARAMETERS)}")
    return grid(**overrides, prefix=scenario.name, inputs=inputs, scenario=scenario)


def ranges_from_scenario(inputs: Inputs, scenario: Scenario) -> dict[str, tuple[float, float]]:
    """[low, high] of each swept parameter: the scenario's fields, else the data version's rows.

    * productivity_growth: ``scenario.growth_range``, else 0 %/yr (no gains,
      assumption.workforce.no_gains_productivity_growth) to 2 %/yr (Menon's "no resource
      problem", workforce.menon.no_resource_problem_growth);
    * reference_level_2060: the scenario's (or published) level L0 times 1 -/+ the swing
      (``scenario.reference_level_2060_swing``, else assumption.sensitivity.reference_2060_swing);
    * base_year: ``scenario.base_year_range``, else assumption.workforce.base_year to
      assumption.sensitivity.base_year_high;
    * share_rounding_halfwidth: held at the scenario's value.
    """
    g = getattr(scenario, "growth_range", None)
    if g is None:
        g = (input_fraction(inputs, GROWTH_LOW_KEY), input_fraction(inputs, GROWTH_HIGH_KEY))
    swing = getattr(scenario, "reference_level_2060_swing", None)
    if swing is None:
        swing = input_fraction(inputs, LEVEL_SWING_KEY)
    lv = level_2060(inputs, scenario)
    by = getattr(scenario, "base_year_range", None)
    if by is None:
        by = (workforce.base_year(inputs), int(inputs.value(BASE_YEAR_HIGH_KEY)))
    h = float(scenario.share_rounding_halfwidth)
    return {
        "productivity_growth": (float(g[0]), float(g[1])),
        "reference_level_2060": (lv * (1.0 - swing), lv * (1.0 + swing)),
        "base_year": (int(by[0]), int(by[1])),
        "share_rounding_halfwidth": (h, h),
    }
