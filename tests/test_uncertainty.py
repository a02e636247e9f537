"""Monte Carlo bands: seeded, ordered, inside the hard bounds, honest about the sum constraint."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ehelse_market.analysis import sweep, uncertainty
from ehelse_market.domain import market, workforce
from ehelse_market.domain.results import RESULT_COLUMNS
from ehelse_market.errors import ParameterError
from ehelse_market.inputs.scenario import Scenario


@pytest.fixture(scope="module")
def baseline():
    return Scenario.baseline().with_updates(mc_samples=4000)


def test_same_seed_same_numbers_other_seed_other_numbers(inputs, baseline):
    a = uncertainty.demand_bands(inputs, baseline)
    b = uncertainty.demand_bands(inputs, baseline)
    c = uncertainty.demand_bands(inputs, baseline.with_updates(seed=baseline.seed + 1))
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a["value"], c["value"])


def test_fan_chart_layout_and_order(inputs, baseline):
    bands = uncertainty.demand_bands(inputs, baseline)
    assert list(bands.columns[:6]) == list(RESULT_COLUMNS)
    assert set(bands["percentile"]) == set(uncertainty.PERCENTILES)
    assert set(bands["year"]) == set(range(2017, 2061))
    wide = bands.pivot(index="year", columns="percentile", values="value")
    assert (wide.diff(axis=1).iloc[:, 1:] >= -1e-9).all().all()  # p5 <= p25 <= ... <= p95 every year
    # every draw starts from SSB's 2017 level, so the fan opens from one point
    assert wide.loc[2017].to_numpy() == pytest.approx([310_000] * 5)
    assert wide.loc[2060, 95.0] - wide.loc[2060, 5.0] > wide.loc[2035, 95.0] - wide.loc[2035, 5.0] > 0


def test_fan_lies_within_the_corners_of_the_ranges(inputs, baseline):
    bands = uncertainty.demand_bands(inputs, baseline, percentiles=(0, 100))
    sin = sweep.SweepInputs.from_inputs(inputs)
    r = sweep.ranges_from_scenario(inputs, baseline)
    (g_lo, g_hi), (l_lo, l_hi) = r["productivity_growth"], r["reference_level_2060"]
    corners, _ = sweep.demand_paths(sin, [2060], [g_hi, g_lo], [l_lo, l_hi], [2017, 2017])
    lo, hi = bands[bands["year"] == 2060].sort_values("percentile")["value"]
    assert corners[0, 0] <= lo < hi <= corners[1, 0]


def test_degenerate_ranges_give_the_single_path(inputs, baseline):
    fixed = baseline.with_updates(growth_range=[0.0, 0.0], reference_level_2060_swing=0.0, mc_samples=10)
    bands = uncertainty.demand_bands(inputs, fixed)
    path = workforce.project(inputs, [0.0], params=fixed)
    path = path[path["variable"] == "fte_demand"].set_index("year")["value"]
    for _, band in bands.groupby("percentile"):
        np.testing.assert_allclose(band.set_index("year")["value"].loc[path.index], path, rtol=1e-12)


def test_share_draws_respect_rounding_and_sum(inputs):
    shares = market.shares(inputs, market.CARE_LEVEL)
    draws = uncertainty.share_draws(shares, 0.5, 5000, np.random.default_rng(3))
    published = np.array(list(shares.values()))
    assert draws.shape == (5000, 3)
    np.testing.assert_allclose(draws.sum(axis=1), 100.0, atol=1e-9)
    assert (np.abs(draws - published) <= 0.5 + 1e-9).all()
    # uniform on the constrained set: centred on the published shares, and it uses the whole interval
    np.testing.assert_allclose(draws.mean(axis=0), published, atol=0.02)
    assert (np.abs(draws - published).max(axis=0) > 0.45).all()
    exact = uncertainty.share_draws(shares, 0.0, 4, np.random.default_rng(3))
    np.testing.assert_array_equal(exact, np.tile(published, (4, 1)))


def test_share_draws_refuse_bad_halfwidth(inputs):
    with pytest.raises(ParameterError, match="share_rounding_halfwidth"):
        uncertainty.share_draws(market.shares(inputs, market.CARE_LEVEL), -1, 5, np.random.default_rng(0))


def test_market_bands_inside_hard_bounds_and_centred(inputs, baseline):
    bands = uncertainty.market_bands(inputs, baseline)
    table = uncertainty.intervals_table(bands).set_index("segment")
    hard = market.split(inputs, baseline)
    for seg, row in table.iterrows():
        low = hard[(hard["variable"] == "spend_low") & (hard["segment"] == seg)]["value"].item()
        high = hard[(hard["variable"] == "spend_high") & (hard["segment"] == seg)]["value"].item()
        mid = hard[(hard["variable"] == "spend") & (hard["segment"] == seg)]["value"].item()
        assert low <= row["p5"] < row["p50"] < row["p95"] <= high
        assert row["p50"] == pytest.approx(mid, abs=0.01)
    # 7.75 bn NOK for specialist care (seed 000 l.1532-1533: 57 % of 13.6)
    assert table.loc["specialist_care", "p50"] == pytest.approx(7.75, abs=0.01)
    assert list(table.index) == ["specialist_care", "primary_care", "national_actors"]


def test_contract_bands_carry_the_same_total_note(inputs, baseline):
    bands = uncertainty.contract_bands(inputs, baseline)
    assert set(bands["segment"]) == {"in_house", "project", "open_market", "relational"}
    spend = bands[bands["unit"] == "NOK bn"]
    assert spend["note"].str.contains("does not say so").all()
    assert (bands[bands["unit"] != "NOK bn"]["note"] == "").all()


def test_wider_rounding_gives_wider_intervals(inputs, baseline):
    narrow = uncertainty.intervals_table(uncertainty.market_bands(inputs, baseline))
    wide = uncertainty.intervals_table(uncertainty.market_bands(inputs, baseline.with_updates(share_rounding_halfwidth=2.0)))
    assert ((wide["p95"] - wide["p5"]) > (narrow["p95"] - narrow["p5"])).all()


def test_bad_percentiles_are_refused(inputs, baseline):
    with pytest.raises(ParameterError, match="percentiles"):
        uncertainty.demand_bands(inputs, baseline, percentiles=(5, 150))
