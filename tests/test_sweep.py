"""Sweeps: agree with the workforce and market models, deterministic, chunk-invariant, refuse bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ehelse_market.analysis import sweep
from ehelse_market.cli import main
from ehelse_market.domain import market, workforce
from ehelse_market.domain.results import RESULT_COLUMNS, assert_results_equal
from ehelse_market.errors import ParameterError


@pytest.fixture(scope="module")
def sin(inputs):
    return sweep.SweepInputs.from_inputs(inputs)


def test_grid_reproduces_workforce_project(inputs, baseline):
    params = sweep.grid_from_scenario(inputs, baseline)
    mine = sweep.sweep(inputs, params).paths
    theirs = workforce.project(inputs, params=baseline)
    ids = dict(zip(params["productivity_growth"], params["scenario"]))
    theirs = theirs.assign(scenario=theirs["productivity_growth"].map(ids))[list(RESULT_COLUMNS) + ["productivity_growth"]]
    assert_results_equal(mine[list(RESULT_COLUMNS) + ["productivity_growth"]].reset_index(drop=True), theirs, rtol=1e-12)


def test_no_productivity_gap_is_the_published_150000(inputs, baseline):
    params = sweep.grid_from_scenario(inputs, baseline, productivity_growth=[0.0])
    out = sweep.sweep(inputs, params).paths
    gap = out[(out["variable"] == "fte_vs_basis") & (out["year"] == 2060)]["value"].item()
    assert gap == pytest.approx(147_824, abs=1)


def test_level_override_equals_demand_matrix_on_the_modified_path(inputs, sin):
    level = 680_000.0
    ry, rv = sin.ref_years, sin.ref_values.copy()
    rv[-1] = level
    years = np.arange(2020, 2061)
    g = np.array([0.0, 0.005, 0.013, 0.02])
    expected = workforce.demand_matrix(years, g, ry, rv, sin.basis_growth, 2020)
    demand, basis = sweep.demand_paths(sin, years, g, np.full(4, level), np.full(4, 2020))
    np.testing.assert_allclose(demand, expected, rtol=1e-12)
    np.testing.assert_allclose(basis[0], workforce.reference_path(years, ry, rv), rtol=1e-12)


def test_mixed_base_years_leave_earlier_years_out(inputs, sin):
    params = pd.DataFrame(
        {
            "scenario": ["a", "b"],
            "productivity_growth": [0.01, 0.01],
            "reference_level_2060": [618_000.0] * 2,
            "base_year": [2017, 2025],
            "share_rounding_halfwidth": [0.5, 0.5],
        }
    )
    out = sweep.sweep(inputs, params).paths
    years_b = out[out["scenario"] == "b"]["year"]
    assert years_b.min() == 2025 and years_b.max() == 2060
    b2060 = out[(out["scenario"] == "b") & (out["variable"] == "fte_demand") & (out["year"] == 2060)]["value"].item()
    expected = workforce.demand_matrix([2060], [0.01], sin.ref_years, sin.ref_values, sin.basis_growth, 2025)[0, 0]
    assert b2060 == pytest.approx(expected, rel=1e-12)


def test_basis_growth_gives_zero_gap(inputs, sin):
    demand, basis = sweep.demand_paths(sin, np.arange(2017, 2061), [sin.basis_growth] * 3, [500_000.0, 618_000.0, 700_000.0], [2017, 2017, 2030])
    gap = demand - basis
    np.testing.assert_allclose(gap[~np.isnan(gap)], 0.0, atol=1e-6)


@pytest.mark.parametrize("halfwidth", [0.0, 0.5, 2.0, 5.0])
def test_share_bounds_match_market_split_amounts(inputs, sin, halfwidth):
    for total, shares in sin.splits.values():
        low, high = sweep.share_bounds(total, shares, [halfwidth])
        ref = market.split_amounts(total, shares, halfwidth)
        np.testing.assert_allclose(low[0], ref["amount_low"], rtol=1e-12)
        np.testing.assert_allclose(high[0], ref["amount_high"], rtol=1e-12)


def test_output_is_tidy_and_unique(inputs, baseline):
    params = sweep.grid_from_scenario(inputs, baseline, share_rounding_halfwidth=[0.5, 1.0])
    paths, amounts = sweep.sweep(inputs, params)
    assert list(paths.columns) == list(RESULT_COLUMNS) + list(sweep.PARAMETERS)
    assert list(amounts.columns) == [c for c in RESULT_COLUMNS if c != "year"] + list(sweep.PARAMETERS)
    assert paths["year"].dtype == "int64", "yearly rows have an integer year"
    assert not paths.duplicated(["scenario", "variable", "segment", "year"]).any()
    assert not amounts.duplicated(["scenario", "variable", "segment"]).any()
    n_years = 2060 - 2017 + 1
    assert len(paths) == len(params) * 2 * n_years
    assert len(amounts) == len(params) * 2 * (3 + 4)  # low/high of 3 care levels and 4 contract forms
    wider = amounts[(amounts["variable"] == "spend_high") & (amounts["segment"] == "specialist_care")].groupby("share_rounding_halfwidth")["value"].first()
    assert wider[1.0] > wider[0.5]


def test_library_defaults_are_the_command_lines(inputs, baseline):
    """grid(), random_sample() and sweep() without arguments use the baseline scenario and the newest data."""
    pd.testing.assert_frame_equal(sweep.grid(), sweep.grid_from_scenario(inputs, baseline))
    pd.testing.assert_frame_equal(sweep.grid(productivity_growth=[0.01]), sweep.grid_from_scenario(inputs, baseline, productivity_growth=[0.01]))
    ranges = sweep.ranges_from_scenario(inputs, baseline)
    pd.testing.assert_frame_equal(sweep.random_sample(20), sweep.random_sample(20, baseline.seed, ranges))
    with pytest.raises(ParameterError, match="ranges"):
        sweep.random_sample(5, 1, {"productivity_grwth": (0, 1)})
    paths, _ = sweep.sweep()
    assert paths["scenario"].nunique() == len(baseline.productivity_growth)


def test_chunking_does_not_change_the_result(inputs, baseline):
    params = sweep.random_sample(37, 7, sweep.ranges_from_scenario(inputs, baseline))
    whole = sweep.sweep(inputs, params, chunk_size=1000)
    chunked = sweep.sweep(inputs, params, chunk_size=5)
    pd.testing.assert_frame_equal(whole.paths, chunked.paths)
    pd.testing.assert_frame_equal(whole.amounts, chunked.amounts)


def test_random_sample_is_reproducible_and_in_range(inputs, baseline):
    ranges = sweep.ranges_from_scenario(inputs, baseline)
    a = sweep.random_sample(500, 11, ranges)
    b = sweep.random_sample(500, 11, ranges)
    c = sweep.random_sample(500, 12, ranges)
    pd.testing.assert_frame_equal(a, b)
    assert not a["productivity_growth"].equals(c["productivity_growth"])
    for name, (lo, hi) in ranges.items():
        assert a[name].between(lo, hi).all(), name
    assert set(a["base_year"]) == set(range(ranges["base_year"][0], ranges["base_year"][1] + 1))


def test_default_ranges_come_from_data_and_scenario(inputs, baseline):
    r = sweep.ranges_from_scenario(inputs, baseline)
    assert r["productivity_growth"] == (0.0, 0.02)
    assert r["reference_level_2060"] == pytest.approx((618_000 * 0.9, 618_000 * 1.1))
    assert r["base_year"] == (2017, 2020)
    own = baseline.with_updates(growth_range=[0.001, 0.01], reference_level_2060=600_000.0, reference_level_2060_swing=0.05, base_year_range=[2018, 2019])
    r = sweep.ranges_from_scenario(inputs, own)
    assert r["productivity_growth"] == (0.001, 0.01)
    assert r["reference_level_2060"] == pytest.approx((570_000, 630_000))
    assert r["base_year"] == (2018, 2019)


@pytest.mark.parametrize(
    "column, value, message",
    [
        ("productivity_growth", -1.0, "parameter 'productivity_growth' = -1.0"),
        ("reference_level_2060", 0.0, "parameter 'reference_level_2060' = 0.0"),
        ("base_year", 2060, "parameter 'base_year' = 2060: allowed a whole year from 2017 to 2059"),
        ("base_year", 2016, "parameter 'base_year' = 2016"),
        ("share_rounding_halfwidth", -0.5, "parameter 'share_rounding_halfwidth' = -0.5"),
        ("productivity_growth", np.nan, "parameter 'productivity_growth' = nan: allowed a fraction per year from -0.05 to 0.1"),
        ("productivity_growth", 1e308, "parameter 'productivity_growth' = 1e+308: allowed"),
    ],
)
def test_bad_parameters_are_refused(inputs, baseline, column, value, message):
    params = sweep.grid_from_scenario(inputs, baseline)
    params[column] = params[column].astype(float)
    params.loc[1, column] = value
    with pytest.raises(ParameterError) as info:
        sweep.sweep(inputs, params)
    assert message in str(info.value)


def test_duplicate_ids_and_bad_chunk_size_are_refused(inputs, baseline):
    params = sweep.grid_from_scenario(inputs, baseline)
    with pytest.raises(ParameterError, match="chunk_size"):
        sweep.sweep(inputs, params, chunk_size=0)
    params["scenario"] = "same"
    with pytest.raises(ParameterError, match="unique id"):
        sweep.sweep(inputs, params)


@settings(max_examples=40, deadline=None)
@given(
    g=st.lists(st.integers(-500, 1000).map(lambda x: x / 10_000), min_size=2, max_size=6, unique=True),
    level=st.floats(300_000, 1_000_000),
    t0=st.integers(2017, 2059),
)
def test_demand_falls_as_growth_rises(sin, g, level, t0):
    g = np.sort(np.array(g))
    demand, _ = sweep.demand_paths(sin, [2060], g, np.full(g.size, level), np.full(g.size, t0))
    assert np.all(np.diff(demand[:, 0]) < 0)


# --------------------------------------------------------------------------- command line


def test_cli_grid_writes_deterministic_csv(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "sub" / "b.csv"
    argv = ["sweep", "--productivity", "0", "0.005", "0.02", "--level-2060", "618000", "650000", "--halfwidth", "0.5", "1"]
    assert main(argv + ["--out", str(a)]) == 0
    assert main(argv + ["--out", str(b)]) == 0
    assert a.read_bytes() == b.read_bytes()
    assert (tmp_path / "a-amounts.csv").read_bytes() == (tmp_path / "sub" / "b-amounts.csv").read_bytes()
    df = pd.read_csv(a)
    assert df["scenario"].nunique() == 3 * 2 * 2
    assert list(df.columns) == list(RESULT_COLUMNS) + list(sweep.PARAMETERS)
    assert df["year"].dtype == "int64", "no year-less rows in the yearly file, so year reads as integers"
    amounts = pd.read_csv(tmp_path / "a-amounts.csv")
    assert "year" not in amounts.columns and set(amounts["variable"]) == {"spend_low", "spend_high"}


def test_cli_random_is_seeded(tmp_path):
    base = ["sweep", "--samples", "50", "--productivity", "0", "0.03"]
    assert main(base + ["--seed", "1", "--out", str(tmp_path / "a.csv")]) == 0
    assert main(base + ["--seed", "1", "--chunk-size", "7", "--out", str(tmp_path / "b.csv")]) == 0
    assert main(base + ["--seed", "2", "--out", str(tmp_path / "c.csv")]) == 0
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert (tmp_path / "a.csv").read_bytes() != (tmp_path / "c.csv").read_bytes()
    df = pd.read_csv(tmp_path / "a.csv")
    assert df["productivity_growth"].between(0, 0.03).all()


def test_cli_failure_keeps_the_previous_file(tmp_path, capsys):
    out = tmp_path / "sweep.csv"
    out.write_text("scenario,previous good result\n")  # a sweep CSV (the tool replaces only its own files)
    assert main(["sweep", "--base-year", "2060", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "parameter 'base_year' = 2060: allowed a whole year from 2017 to 2059" in err and "Traceback" not in err
    assert out.read_text() == "scenario,previous good result\n"
    assert [p.name for p in tmp_path.iterdir()] == ["sweep.csv"]  # no temporary file left, no companion


def test_cli_random_needs_low_high(tmp_path, capsys):
    assert main(["sweep", "--samples", "5", "--productivity", "0.01", "--out", str(tmp_path / "x.csv")]) == 1
    assert "--productivity takes two values LOW HIGH" in capsys.readouterr().err


def test_cli_refuses_text_for_a_number(tmp_path, capsys):
    with pytest.raises(SystemExit) as info:
        main(["sweep", "--productivity", "2%", "--out", str(tmp_path / "x.csv")])
    assert info.value.code == 2
    assert "argument --productivity: '2%' is not a number; write e.g. 0.02" in capsys.readouterr().err
