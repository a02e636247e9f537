"""Market split (and the tidy-results helpers it is built on)."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ehelse_market.domain import market
from ehelse_market.domain.results import RESULT_COLUMNS, assert_results_equal, frame, to_fraction
from ehelse_market.errors import ParameterError


def spend(df, seg, var="spend"):
    return df[(df.variable == var) & (df.segment == seg)]["value"].iloc[0]


def test_published_split(inputs):
    df = market.split(inputs)
    assert list(df.columns[:6]) == list(RESULT_COLUMNS)
    assert spend(df, "specialist_care") == pytest.approx(7.752)
    assert spend(df, "primary_care") == pytest.approx(3.264)
    assert spend(df, "national_actors") == pytest.approx(2.584)
    assert spend(df, "total") == 13.6
    assert set(df[df.variable == "spend"]["unit"]) == {"NOK bn"}


def test_rounding_intervals(inputs):
    df = market.split(inputs)
    assert spend(df, "specialist_care", "spend_low") == pytest.approx(13.6 * 0.565)
    assert spend(df, "specialist_care", "spend_high") == pytest.approx(13.6 * 0.575)
    wide = market.split_amounts(13.6, {"a": 57, "b": 24, "c": 19}, 1.0)
    assert wide["amount_high"].iloc[0] == pytest.approx(13.6 * 0.58)


def test_user_total_and_split(inputs):
    df = market.split(inputs, total=20.0, shares_override={"x": 40, "y": 60}, intervals=False)
    assert spend(df, "x") == pytest.approx(8.0) and spend(df, "y") == pytest.approx(12.0)
    assert "spend_low" not in set(df.variable)


def test_scenario_halfwidth(inputs):
    from ehelse_market.inputs.scenario import Scenario

    sc = Scenario.baseline().with_updates(share_rounding_halfwidth=2.0)
    df = market.split(inputs, sc)
    assert spend(df, "primary_care", "share_low") == 22.0


@pytest.mark.parametrize(
    "kw, name",
    [
        ({"shares_override": {"a": 50, "b": 40}}, "shares"),
        ({"shares_override": {"a": 150, "b": -50}}, "shares[a]"),
        ({"total": -1.0}, "total"),
    ],
)
def test_invalid_parameters_named(inputs, kw, name):
    with pytest.raises(ParameterError) as exc:
        market.split(inputs, **kw)
    assert f"'{name}'" in str(exc.value) and "allowed" in str(exc.value)


def test_normalise_option():
    s = market.check_shares({"a": 33, "b": 33, "c": 33}, normalise=True)
    assert sum(s.values()) == pytest.approx(100)


shares_st = st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=8).filter(lambda xs: sum(xs) > 0)


@settings(max_examples=200, deadline=None)
@given(shares_st, st.floats(min_value=0, max_value=1e4, allow_nan=False), st.floats(min_value=0, max_value=5))
def test_amounts_sum_to_total_and_intervals_contain_point(raw, total, h):
    shares = market.check_shares({f"s{i}": v for i, v in enumerate(raw)}, normalise=True)
    df = market.split_amounts(total, shares, h)
    assert df["amount"].sum() == pytest.approx(total, rel=1e-9, abs=1e-9)
    assert (df["amount_low"] <= df["amount"] + 1e-12).all() and (df["amount"] <= df["amount_high"] + 1e-12).all()


# --------------------------------------------------------------------------- results helpers


def test_frame_fills_defaults():
    df = frame([{"variable": "v", "unit": "fte", "value": 1}], scenario="s")
    assert df.loc[0, "segment"] == "" and df.loc[0, "scenario"] == "s" and pd.isna(df.loc[0, "year"])
    assert str(df["year"].dtype) == "Int64" and df["value"].dtype == "float64"


def test_assert_results_equal_passes_and_reports_differences():
    a = frame([{"variable": "v", "segment": "x", "unit": "fte", "year": 2020, "value": 1.0}])
    assert_results_equal(a, a.copy())
    b = a.copy()
    b.loc[0, "value"] = 1.5
    with pytest.raises(AssertionError, match="value\\(s\\) differ"):
        assert_results_equal(b, a)
    c = a.copy()
    c.loc[0, "unit"] = "persons"
    with pytest.raises(AssertionError, match="missing from actual"):
        assert_results_equal(c, a)


def test_to_fraction_refuses_non_percent():
    assert to_fraction(5.2, "percent") == pytest.approx(0.052)
    with pytest.raises(ValueError):
        to_fraction(13.6, "NOK bn")
