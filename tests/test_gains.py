"""Gains and ambitions (seed 004)."""

import pytest

from ehelse_market.domain import gains
from ehelse_market.errors import ParameterError


def val(df, var, seg):
    return df[(df.variable == var) & (df.segment == seg)]["value"].iloc[0]


def test_one_percent_example(inputs):
    df = gains.example(inputs)
    assert val(df, "gain", "disease_burden") == pytest.approx(14.0)
    assert val(df, "gain", "health_budget") == pytest.approx(3.4)
    assert val(df, "gain", "value_added") == pytest.approx(0.5)
    assert val(df, "gain", "total") == pytest.approx(17.9)


def test_example_other_rate(inputs):
    df = gains.example(inputs, rate=0.02)
    assert val(df, "gain", "total") == pytest.approx(35.8)


@pytest.mark.parametrize("bad", [-0.1, 1.5, "1%"])
def test_invalid_rate(inputs, bad):
    with pytest.raises(ParameterError, match="gain_rate"):
        gains.example(inputs, rate=bad)


def test_ambition_two_bases(inputs):
    a = gains.ambition(inputs)
    assert val(a, "annual_saving", "societal_cost") == pytest.approx(20.0)  # segment: the data row's, a reader word
    assert a[a.variable == "annual_saving"]["year"].iloc[0] == 2030
    b = gains.ambition(inputs, base_key="gains.base.disease_burden")
    assert val(b, "annual_saving", "disease_burden") == pytest.approx(14.0)


def test_doubling_growth(inputs):
    g = gains.doubling_growth(inputs)
    assert g == pytest.approx(0.0905, abs=5e-5)
    assert (1 + g) ** 8 == pytest.approx(2.0)


def test_required_growth_validates():
    with pytest.raises(ParameterError, match="end_year"):
        gains.required_growth(2, 2030, 2022)
    with pytest.raises(ParameterError, match="multiple"):
        gains.required_growth(0, 2022, 2030)


def test_exports_split(inputs):
    df = gains.exports(inputs)
    assert val(df, "share_computed", "medical_equipment") == pytest.approx(30.0)
    assert val(df, "share_computed", "digital_health") == pytest.approx(0.4423, abs=1e-4)
    assert val(df, "share_computed", "pharma") == pytest.approx(69.56, abs=0.01)
    computed = df[df.variable == "share_computed"]["value"].sum()
    assert computed == pytest.approx(100.0)
    assert val(df, "share_published", "total") == pytest.approx(100.4)
