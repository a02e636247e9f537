"""Tornado data: the documents' gap in the centre, each factor swung over its documented range."""

from __future__ import annotations

import pytest

from ehelse_market.analysis import sensitivity
from ehelse_market.domain import workforce
from ehelse_market.errors import ParameterError
from ehelse_market.inputs import load_inputs
from ehelse_market.inputs.scenario import Scenario


@pytest.fixture(scope="module")
def inputs():
    return load_inputs()


@pytest.fixture(scope="module")
def baseline():
    return Scenario.baseline()


def _gap(t, factor, bound):
    return t[(t["segment"] == factor) & (t["bound"] == bound)]["value"].item()


def test_central_gap_is_menons_150000(inputs, baseline):
    t = sensitivity.tornado(inputs, baseline)
    expected = workforce.demand_at(inputs, 0.0, 2060) - workforce.basis_at(inputs, 2060)
    assert _gap(t, "central", "central") == pytest.approx(expected, rel=1e-12)
    assert _gap(t, "central", "central") == pytest.approx(147_824, abs=1)


def test_each_factor_swung_over_its_range(inputs, baseline):
    t = sensitivity.tornado(inputs, baseline)
    values = t.set_index(["segment", "bound"])["parameter_value"]
    assert values[("productivity_growth", "low")] == 0.0 and values[("productivity_growth", "high")] == 0.02
    assert values[("reference_level_2060", "low")] == pytest.approx(556_200)
    assert values[("reference_level_2060", "high")] == pytest.approx(679_800)
    assert values[("base_year", "low")] == 2017 and values[("base_year", "high")] == 2020
    # productivity dominates; the 2060 level scales the gap (+/-10 % of it); a later t0 shortens compounding
    assert list(t.drop_duplicates("segment")["segment"]) == ["central", "productivity_growth", "reference_level_2060", "base_year"]
    central = _gap(t, "central", "central")
    assert _gap(t, "reference_level_2060", "high") - _gap(t, "reference_level_2060", "low") == pytest.approx(0.2 * central, rel=1e-9)
    assert _gap(t, "base_year", "high") < _gap(t, "base_year", "low")
    assert _gap(t, "productivity_growth", "high") < 0 < _gap(t, "productivity_growth", "low")
    swings = t.drop_duplicates("segment").set_index("segment")["swing"].dropna()
    assert swings.is_monotonic_decreasing


def test_central_growth_equal_to_basis_gives_no_gap(inputs, baseline):
    t = sensitivity.tornado(inputs, baseline.with_updates(productivity_growth=[0.005]))
    for factor in ("reference_level_2060", "base_year"):
        assert _gap(t, factor, "low") == pytest.approx(0, abs=1e-6)
        assert _gap(t, factor, "high") == pytest.approx(0, abs=1e-6)


def test_scenario_ranges_override_the_data(inputs, baseline):
    own = baseline.with_updates(growth_range=[0.0, 0.01], base_year_range=[2017, 2019], reference_level_2060_swing=0.2)
    t = sensitivity.tornado(inputs, own).set_index(["segment", "bound"])["parameter_value"]
    assert t[("productivity_growth", "high")] == 0.01
    assert t[("base_year", "high")] == 2019
    assert t[("reference_level_2060", "high")] == pytest.approx(618_000 * 1.2)


def test_year_outside_the_projection_is_refused(inputs, baseline):
    with pytest.raises(ParameterError, match="parameter 'year' = 2061"):
        sensitivity.tornado(inputs, baseline, year=2061)


def test_base_year_range_is_cut_before_the_gap_year(inputs, baseline):
    t = sensitivity.tornado(inputs, baseline.with_updates(horizon=2019))
    assert t.set_index(["segment", "bound"]).loc[("base_year", "high"), "parameter_value"] == 2018
    with pytest.raises(ParameterError, match="base_year_range"):
        sensitivity.tornado(inputs, baseline.with_updates(base_year=2030, base_year_range=[2035, 2040], horizon=2034))
