"""Tornado data: the documents' gap in the centre, each factor swung over its documented range."""

from __future__ import annotations

import pytest

from ehelse_market.analysis import sensitivity
from ehelse_market.domain import workforce
from ehelse_market.errors import ParameterError


def _value(t, factor, bound, column="value"):
    return t[(t["segment"] == factor) & (t["bound"] == bound)][column].item()


def test_centre_is_the_scenarios_central_growth_rate(inputs, baseline):
    """Baseline rates 0 / 0.5 / 2 %: the centre is SSB's own 0.5 %, whose 2060 demand is SSB's level."""
    assert sensitivity.central_growth(baseline) == 0.005
    t = sensitivity.tornado(inputs, baseline)
    assert _value(t, "central", "central", "parameter_value") == 0.005
    assert _value(t, "central", "central") == pytest.approx(618_000, rel=1e-12)
    assert _value(t, "central", "central", "gap") == pytest.approx(0, abs=1e-6)
    assert sensitivity.central_growth(baseline.with_updates(productivity_growth=[0.02, 0.0])) == 0.0  # lower middle
    assert sensitivity.central_growth(baseline.with_updates(productivity_growth=[0.015])) == 0.015


def test_menons_150000_is_the_zero_growth_end(inputs, baseline):
    t = sensitivity.tornado(inputs, baseline)
    expected = workforce.demand_at(inputs, 0.0, 2060) - workforce.basis_at(inputs, 2060)
    assert _value(t, "productivity_growth", "low", "gap") == pytest.approx(expected, rel=1e-12)
    assert _value(t, "productivity_growth", "low", "gap") == pytest.approx(147_824, abs=1)
    no_growth = sensitivity.tornado(inputs, baseline.with_updates(productivity_growth=[0.0]))
    assert _value(no_growth, "central", "central", "gap") == pytest.approx(147_824, abs=1)


def test_each_factor_swung_over_its_range(inputs, baseline):
    t = sensitivity.tornado(inputs, baseline)
    values = t.set_index(["segment", "bound"])["parameter_value"]
    assert values[("productivity_growth", "low")] == 0.0 and values[("productivity_growth", "high")] == 0.02
    assert values[("reference_level_2060", "low")] == pytest.approx(556_200)
    assert values[("reference_level_2060", "high")] == pytest.approx(679_800)
    assert values[("base_year", "low")] == 2017 and values[("base_year", "high")] == 2020
    assert list(t.drop_duplicates("segment")["segment"]) == ["central", "productivity_growth", "reference_level_2060", "base_year"]
    central = _value(t, "central", "central")
    # growth moves demand both ways from the centre; at SSB's own rate demand is the (swung) basis path
    assert _value(t, "productivity_growth", "high") < central < _value(t, "productivity_growth", "low")
    assert _value(t, "reference_level_2060", "low") == pytest.approx(556_200)
    assert _value(t, "reference_level_2060", "high") == pytest.approx(679_800)
    swings = t.drop_duplicates("segment").set_index("segment")["swing"].dropna()
    assert swings.is_monotonic_decreasing


def test_base_year_matters_away_from_the_basis_rate(inputs, baseline):
    """At SSB's rate demand is the basis path whatever t0; at 0 % a later t0 shortens compounding."""
    t = sensitivity.tornado(inputs, baseline)
    assert _value(t, "base_year", "low") == pytest.approx(_value(t, "base_year", "high"), rel=1e-12)
    t = sensitivity.tornado(inputs, baseline.with_updates(productivity_growth=[0.0]))
    assert _value(t, "base_year", "high") < _value(t, "base_year", "low")
    for factor in ("reference_level_2060", "base_year"):
        assert _value(t, factor, "low", "gap") != pytest.approx(0, abs=1)


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
