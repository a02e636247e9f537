"""Contract forms: amounts, re-allocation, Williamson's Tabell 1 / Figur 3 / Figur 7 and the report's rule."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ehelse_market.domain import contracts
from ehelse_market.errors import ParameterError
from ehelse_market.inputs import load_inputs


def val(df, var, seg):
    return df[(df.variable == var) & (df.segment == seg)]["value"].iloc[0]


def test_amounts_on_menon_total_with_caveat(inputs):
    df = contracts.amounts(inputs)
    assert val(df, "spend", "in_house") == pytest.approx(6.8)
    assert val(df, "spend", "project") == pytest.approx(2.72)
    assert val(df, "spend", "open_market") == pytest.approx(2.448)
    assert val(df, "spend", "relational") == pytest.approx(1.632)
    nok = df[df.unit == "NOK bn"]
    assert nok["note"].str.contains("does not say so").all()


def test_reallocate_to_20_percent(inputs):
    df = contracts.reallocate(inputs, 0.20)
    assert val(df, "spend_moved", "relational") == pytest.approx(13.6 * 0.08)
    assert val(df, "share_after", "relational") == pytest.approx(20.0)
    # taken in proportion: in-house 50/88 of the 8 points
    assert val(df, "share_after", "in_house") == pytest.approx(50 - 8 * 50 / 88)
    changes = df[df.variable == "spend_change"]["value"]
    assert changes.sum() == pytest.approx(0.0, abs=1e-12)


def test_reallocate_from_named_forms(inputs):
    df = contracts.reallocate(inputs, 0.30, from_forms=["in_house"])
    assert val(df, "share_after", "in_house") == pytest.approx(32.0)
    assert val(df, "share_after", "project") == pytest.approx(20.0)


def test_reallocate_uses_scenario(inputs):
    from ehelse_market.inputs.scenario import Scenario

    sc = Scenario.baseline().with_updates(relational_target_share=0.25)
    assert val(contracts.reallocate(inputs, params=sc), "share_after", "relational") == pytest.approx(25.0)


@pytest.mark.parametrize(
    "kw, name",
    [
        ({"target_share": 1.2}, "relational_target_share"),
        ({"target_share": 25}, "relational_target_share"),
        ({"target_share": 0.9, "from_forms": ["project"]}, "relational_target_share"),
        ({"target_share": 0.2, "from_forms": ["bogus"]}, "from_forms"),
    ],
)
def test_reallocate_invalid(inputs, kw, name):
    with pytest.raises(ParameterError) as exc:
        contracts.reallocate(inputs, **kw)
    assert f"'{name}'" in str(exc.value) and "allowed" in str(exc.value)


@settings(max_examples=150, deadline=None)
@given(st.floats(min_value=0, max_value=1), st.floats(min_value=0.1, max_value=1000))
def test_reallocation_conserves_total(target, total):
    inputs = load_inputs()
    df = contracts.reallocate(inputs, target, total=total)
    before = df[df.variable == "spend_before"]["value"].sum()
    after = df[df.variable == "spend_after"]["value"].sum()
    assert after == pytest.approx(before, rel=1e-9) and before == pytest.approx(total)
    assert (df[df.variable == "share_after"]["value"] >= -1e-9).all()


def test_tabell1_ratings(inputs):
    df = contracts.attributes(inputs)
    r = df.set_index(["attribute", "segment"])["value"]
    assert r[("incentive_intensity", "market")] == 2 and r[("incentive_intensity", "hierarchy")] == 0
    assert r[("administrative_control", "hierarchy")] == 2
    assert (df[df.segment == "hybrid"]["value"] == 1).all()


def test_switch_points_from_data(inputs):
    sp = contracts.switch_points(inputs)
    assert sp["k1"] == pytest.approx(2 / 3) and sp["k2"] == pytest.approx(2.0)
    assert sp["hybrid_optimal"] is True
    forms = contracts.optimal_form(inputs, [0.0, 0.5, 1.0, 1.9, 2.5, 10.0])
    assert list(forms) == ["market", "market", "hybrid", "hybrid", "hierarchy", "hierarchy"]


def test_governance_costs_frame(inputs):
    df = contracts.governance_costs(inputs, [0.0, 1.0])
    assert set(df.segment[df.variable == "governance_cost"]) == set(contracts.FORMS)
    low = df[df.variable == "lowest_cost"]
    assert low["segment"].tolist() == ["market", "hybrid"] and low["value"].tolist() == [1.0, 3.5]


def test_switch_points_depend_on_parameters():
    sp = contracts.switch_points_from({"market": (0, 4), "hybrid": (1, 2), "hierarchy": (3, 1)})
    assert sp["k1"] == 0.5 and sp["k2"] == 2.0


def test_orderings_enforced():
    with pytest.raises(ParameterError, match="slopes"):
        contracts.switch_points_from({"market": (1, 1), "hybrid": (2, 1.5), "hierarchy": (4, 0.5)})
    with pytest.raises(ParameterError, match="intercepts"):
        contracts.switch_points_from({"market": (3, 3), "hybrid": (2, 1.5), "hierarchy": (4, 0.5)})


ordered = st.tuples(
    st.lists(st.floats(min_value=0, max_value=100), min_size=3, max_size=3, unique=True),
    st.lists(st.floats(min_value=0.01, max_value=100), min_size=3, max_size=3, unique=True),
)


@settings(max_examples=300, deadline=None)
@given(ordered)
def test_switch_points_match_envelope(params):
    """With Williamson's orderings: k1 < k2 exactly when the hybrid is cheapest somewhere, and the
    computed switch points are where the lowest-cost form changes."""
    (i0, i1, i2), (s0, s1, s2) = sorted(params[0]), sorted(params[1], reverse=True)
    assume(i1 - i0 > 1e-3 and i2 - i1 > 1e-3 and s0 - s1 > 1e-3 and s1 - s2 > 1e-3)
    curves = {"market": (i0, s0), "hybrid": (i1, s1), "hierarchy": (i2, s2)}
    sp = contracts.switch_points_from(curves)
    eps = 1e-6 * (1 + max(abs(sp["k1"]), abs(sp["k2"]), abs(sp["k_star"])))
    if sp["hybrid_optimal"]:
        assert sp["k1"] < sp["k2"]
        f = contracts.optimal_form_from([sp["k1"] - eps, (sp["k1"] + sp["k2"]) / 2, sp["k2"] + eps], curves)
        assert list(f) == ["market", "hybrid", "hierarchy"]
    else:
        k = np.linspace(0, 3 * sp["k_star"] + 1, 2001)
        assert "hybrid" not in set(contracts.optimal_form_from(k, curves))
        f = contracts.optimal_form_from([sp["k_star"] - eps, sp["k_star"] + eps], curves)
        assert list(f) == ["market", "hierarchy"]


def test_k1_less_than_k2_is_not_implied_by_orderings_alone():
    """A documented limit: ordered parameters where the hybrid is dominated (k1 > k2)."""
    sp = contracts.switch_points_from({"market": (0, 10), "hybrid": (10, 1), "hierarchy": (10.1, 0.9)})
    assert sp["k1"] > sp["k2"] and sp["hybrid_optimal"] is False


def test_figure7_grid(inputs):
    g = contracts.optimal_form_grid(inputs).set_index(["frequency", "adaptation"])["form"]
    assert g[("recurrent", "very_high")] == "in_house"
    assert g[("one_off", "medium_high")] == "project"
    assert g[("recurrent", "medium_high")] == "relational"
    assert set(g) == {"market", "project", "relational", "in_house"}


@pytest.mark.parametrize(
    "risk, res, form, covered",
    [
        ("high", True, "in_house", True),
        ("high", False, "not_covered", False),
        ("medium", True, "not_covered", False),
        ("medium", False, "relational", True),
        ("low", True, "market", True),
        ("low", False, "market", True),
    ],
)
def test_governance_rule(inputs, risk, res, form, covered):
    r = contracts.governance_rule(inputs, risk, res)
    assert r["form"] == form and r["covered"] is covered
    assert r["locator"].startswith("000_6c9a23277de9c53d.txt:")
    assert set(r) >= {"form", "covered", "locator", "quote"}


@pytest.mark.parametrize("risk, res, name", [("extreme", True, "contract_risk"), ("high", "yes", "in_house_resources")])
def test_governance_rule_invalid(inputs, risk, res, name):
    with pytest.raises(ParameterError, match=name):
        contracts.governance_rule(inputs, risk, res)
