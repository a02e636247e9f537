"""Workforce projection: published reproductions, the array kernel, and invariants (hypothesis)."""

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ehelse_market.domain import workforce
from ehelse_market.errors import ParameterError
from ehelse_market.inputs import load_inputs

REF_YEARS = [2017, 2035, 2060]
REF_VALUES = [310_000.0, 415_000.0, 618_000.0]


@pytest.fixture(scope="module")
def inputs():
    return load_inputs()


def test_no_growth_gives_about_150000_more_in_2060(inputs):
    extra = workforce.demand_at(inputs, 0.0, 2060) - workforce.basis_at(inputs, 2060)
    assert extra == pytest.approx(147_824, abs=1)  # 618 000 * (1.005**43 - 1)


def test_two_percent_keeps_2060_near_2017(inputs):
    d = workforce.demand_at(inputs, 0.02, 2060)
    assert d == pytest.approx(326_830, abs=1)
    assert abs(d / workforce.basis_at(inputs, 2017) - 1) < 0.06


def test_growth_for_flat_demand(inputs):
    g = workforce.growth_for_flat_demand(inputs)
    assert g == pytest.approx(1.005 * (618 / 310) ** (1 / 43) - 1)
    assert workforce.demand_at(inputs, g, 2060) == pytest.approx(310_000)


def test_reference_path_hits_published_points_and_interpolates_geometrically():
    path = workforce.reference_path([2017, 2026, 2035, 2060], REF_YEARS, REF_VALUES)
    assert path[[0, 2, 3]] == pytest.approx(REF_VALUES[:1] + REF_VALUES[1:])
    assert path[1] == pytest.approx(np.sqrt(310_000 * 415_000))  # midpoint = geometric mean


def test_project_tidy_columns_and_values(inputs):
    df = workforce.project(inputs, [0.0, 0.005, 0.02], [2017, 2035, 2060])
    assert list(df.columns[:6]) == ["scenario", "variable", "segment", "unit", "year", "value"]
    assert "productivity_growth" in df.columns
    assert len(df) == 3 * 3 * 2
    basis = df[(df.productivity_growth == 0.005) & (df.variable == "fte_demand")]
    assert basis["value"].tolist() == pytest.approx(REF_VALUES)
    assert (df[(df.productivity_growth == 0.005) & (df.variable == "fte_vs_basis")]["value"] == 0).all()
    assert set(df["unit"]) == {"fte"}


def test_project_uses_scenario(inputs):
    from ehelse_market.inputs.scenario import Scenario

    sc = Scenario.baseline().with_updates(productivity_growth=[0.01], horizon=2030, name="s1")
    df = workforce.project(inputs, params=sc)
    assert set(df["productivity_growth"]) == {0.01}
    assert df["year"].min() == 2017 and df["year"].max() == 2030
    assert set(df["scenario"]) == {"s1"}


def test_share_of_employment_with_flat_total(inputs):
    years = [2017, 2060]
    total = workforce.total_employment_path(inputs, years)
    assert total.loc[2017] == pytest.approx(310_000 / 0.13)
    assert total.loc[2060] == pytest.approx(total.loc[2017])  # assumption: 0 %/yr
    df = workforce.project(inputs, [0.0, 0.005], years, total_employment=total)
    share = df[df.variable == "share_of_employment"].set_index(["productivity_growth", "year"])["value"]
    assert share.loc[(0.005, 2017)] == pytest.approx(13.0)
    assert share.loc[(0.005, 2060)] == pytest.approx(25.9, abs=0.05)
    assert share.loc[(0.0, 2060)] == pytest.approx(32.1, abs=0.05)


def test_total_employment_missing_year_is_refused(inputs):
    with pytest.raises(ParameterError, match="total_employment"):
        workforce.project(inputs, [0.0], [2017, 2018], total_employment=pd.Series({2017: 1.0}))


@pytest.mark.parametrize("bad", [-1.0, -2.0, float("nan")])
def test_invalid_growth_names_parameter(inputs, bad):
    with pytest.raises(ParameterError) as exc:
        workforce.project(inputs, [bad], [2017])
    assert "productivity_growth" in str(exc.value) and "allowed" in str(exc.value)


@pytest.mark.parametrize("year", [2016, 2061])
def test_years_outside_path_refused(inputs, year):
    with pytest.raises(ParameterError, match="year"):
        workforce.project(inputs, [0.0], [year])


def test_demand_matrix_shape_and_broadcast():
    g = np.linspace(-0.02, 0.05, 1000)
    years = np.arange(2017, 2061)
    m = workforce.demand_matrix(years, g, REF_YEARS, REF_VALUES, 0.005, 2017)
    assert m.shape == (1000, 44)
    row = workforce.demand_matrix(years, [g[500]], REF_YEARS, REF_VALUES, 0.005, 2017)[0]
    assert np.array_equal(m[500], row)


def test_projection_depends_on_data(inputs):
    """Change the 2060 reference level in the inputs: the projection must follow."""
    values = inputs.values.copy()
    values.loc[values.key == "workforce.ssb_reference.2060", "value"] = 700_000.0
    other = dataclasses.replace(inputs, values=values)
    assert workforce.basis_at(other, 2060) == 700_000.0
    assert workforce.demand_at(other, 0.0, 2060) != workforce.demand_at(inputs, 0.0, 2060)


growths = st.floats(min_value=-0.05, max_value=0.1, allow_nan=False)  # the Scenario's bounds
years = st.integers(min_value=2017, max_value=2060)


@settings(max_examples=200, deadline=None)
@given(years)
def test_basis_growth_returns_basis_exactly(year):
    m = workforce.demand_matrix([year], [0.005], REF_YEARS, REF_VALUES, 0.005, 2017)
    assert m[0, 0] == workforce.reference_path([year], REF_YEARS, REF_VALUES)[0]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(-500, 1000).map(lambda x: x / 10_000), min_size=2, max_size=10, unique=True), st.integers(min_value=2018, max_value=2060))
def test_demand_falls_as_growth_rises(gs, year):
    gs = sorted(gs)
    d = workforce.demand_matrix([year], gs, REF_YEARS, REF_VALUES, 0.005, 2017)[:, 0]
    assert np.all(np.diff(d) < 0)


@settings(max_examples=100, deadline=None)
@given(growths, years)
def test_base_year_demand_is_basis_for_any_growth(g, year):
    m = workforce.demand_matrix([2017], [g], REF_YEARS, REF_VALUES, 0.005, 2017)
    assert m[0, 0] == pytest.approx(310_000.0)


def test_reference_level_override(inputs):
    from ehelse_market.inputs.scenario import Scenario

    sc = Scenario.baseline().with_updates(reference_level_2060=650_000.0)
    df = workforce.project(inputs, [0.005, 0.0], [2035, 2060], params=sc)
    d = df[df.variable == "fte_demand"].set_index(["productivity_growth", "year"])["value"]
    assert d.loc[(0.005, 2060)] == 650_000.0 and d.loc[(0.005, 2035)] == pytest.approx(415_000)
    assert d.loc[(0.0, 2060)] == pytest.approx(650_000 * 1.005**43)
    with pytest.raises(ParameterError, match="reference_level_2060"):
        workforce.project(inputs, [0.0], [2060], reference_level_2060=-5)


def test_record_cohort_turns_80_in_2026_not_the_notes_2027(inputs):
    """SSB's record birth cohort (1946) turns 80 in 2026; seed 004 l.1564 says 2027."""
    assert workforce.year_record_cohort_reaches(inputs, 80) == 2026
    assert workforce.year_record_cohort_reaches(inputs, 0) == 1946


@pytest.mark.parametrize("age", [-1, 131, 80.5, "80", True])
def test_record_cohort_refuses_a_bad_age(inputs, age):
    with pytest.raises(ParameterError, match="'age'"):
        workforce.year_record_cohort_reaches(inputs, age)


@pytest.mark.parametrize("bad", [["abc"], [], [float("nan")], [[0.01, 0.02]], "2%"])
def test_as_numbers_names_the_parameter(bad):
    with pytest.raises(ParameterError, match="'productivity_growth'"):
        workforce.as_numbers(bad, "productivity_growth")
