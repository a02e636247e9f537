"""ICT spend ratios."""

import pytest

from ehelse_market.domain import ict
from ehelse_market.errors import ParameterError


def val(df, var, seg=None):
    d = df[df.variable == var]
    if seg is not None:
        d = d[d.segment == seg]
    return d["value"].iloc[0]


def test_comparison_2019(inputs):
    df = ict.comparison(inputs)
    assert val(df, "difference") == pytest.approx(0.9)
    assert val(df, "ratio") == pytest.approx(5.2 / 4.3)
    assert set(df["year"]) == {2019}


def test_comparison_2020(inputs):
    assert val(ict.comparison(inputs, 2020), "difference") == pytest.approx(1.2)


def test_comparison_unknown_year(inputs):
    with pytest.raises(ParameterError, match="year"):
        ict.comparison(inputs, 2017)  # 2017 is a different measure: no comparable pair


def test_implied_operating_income(inputs):
    assert ict.implied_operating_income(inputs, 2019) == pytest.approx(8.4 / 0.052)
    assert ict.implied_operating_income(inputs, 2020) == pytest.approx(8.9 / 0.054)


def test_spend_at_target(inputs):
    df = ict.spend_at_target(inputs, 0.043, 2019)
    assert val(df, "ict_spend", "at_target") == pytest.approx(8.4 / 0.052 * 0.043)
    assert val(df, "ict_spend_change", "at_target") == pytest.approx(8.4 / 0.052 * 0.043 - 8.4)
    default = ict.spend_at_target(inputs, year=2019)  # Gartner's average that year
    assert val(default, "ict_spend", "at_target") == pytest.approx(val(df, "ict_spend", "at_target"))
    with pytest.raises(ParameterError, match="ict_target_ratio"):
        ict.spend_at_target(inputs, 5.0)


def test_series_marks_2017_as_different_measure(inputs):
    s = ict.series(inputs)
    assert {2017, 2019, 2020} <= set(s["year"].dropna())
    assert s[s.year == 2017]["variable"].ne("ict_share_of_operating_income").all()


def test_chaining_multiples_is_refused_without_acknowledgement(inputs):
    with pytest.raises(ict.MeasureMismatchError, match="different measure"):
        ict.chain_multiple(inputs, "banking_finance")
    df = ict.chain_multiple(inputs, "banking_finance", accept_different_measure=True)
    assert df["value"].iloc[0] == pytest.approx(52.0)
    assert df["note"].iloc[0].startswith("NOT COMPARABLE")
    with pytest.raises(ParameterError, match="industry"):
        ict.chain_multiple(inputs, "retail", accept_different_measure=True)
