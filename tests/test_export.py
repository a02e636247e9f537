"""One tidy shape and the formats other tools read: project and sweep as CSV, Parquet and IAMC;
the sweep's Monte Carlo and the fan chart draw the same numbers from the same seed."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
import yaml

from ehelse_market.analysis import export, sweep, uncertainty
from ehelse_market.cli import main
from ehelse_market.domain import workforce
from ehelse_market.domain.results import RESULT_COLUMNS
from ehelse_market.errors import ParameterError
from ehelse_market.inputs import load_inputs
from ehelse_market.inputs.scenario import Scenario

SWEEP = ["sweep", "--productivity", "0", "0.01", "0.02", "--level-2060", "600000", "650000", "--halfwidth", "0.5", "1"]


@pytest.fixture(scope="module")
def inputs():
    return load_inputs()


def project_csv(argv, capsys) -> pd.DataFrame:
    assert main(["project", *argv]) == 0
    return pd.read_csv(io.StringIO(capsys.readouterr().out), keep_default_na=False)


def test_project_csv_is_the_tidy_shape_of_the_library_and_the_sweep(inputs, capsys):
    df = project_csv(["-g", "0.02", "0", "--format", "csv"], capsys)
    assert list(df.columns) == list(RESULT_COLUMNS) + ["productivity_growth"]
    assert df["year"].dtype == "int64"
    assert list(dict.fromkeys(df["productivity_growth"])) == [0.02, 0.0], "growth rates in the order given"
    lib = workforce.project(inputs, [0.02, 0.0])
    assert list(lib.columns) == list(df.columns)
    paths, _ = sweep.sweep(inputs, sweep.grid(productivity_growth=[0.0, 0.02], inputs=inputs))
    assert list(paths.columns[: len(df.columns)]) == list(df.columns)
    merged = df.merge(paths, on=["variable", "segment", "unit", "year", "productivity_growth"], suffixes=("", "_sweep"))
    assert len(merged) == len(df)
    np.testing.assert_allclose(merged["value"], merged["value_sweep"], rtol=1e-9)


def test_project_iamc_has_the_seven_columns_and_no_duplicates(capsys):
    assert main(["project", "-g", "0", "0.005", "0.02", "--format", "iamc"]) == 0
    df = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert tuple(df.columns) == export.IAMC_COLUMNS
    assert not df.duplicated(list(export.IAMC_COLUMNS[:-1])).any()
    assert df["scenario"].nunique() == 3 and df["year"].dtype == "int64"
    assert set(df["variable"]) == {"fte_demand|publicly_financed_health_care", "fte_vs_basis|publicly_financed_health_care"}


def test_project_parquet_needs_a_file_and_reads_back(tmp_path, capsys):
    assert main(["project", "-g", "0.01", "--format", "parquet"]) == 1
    assert "--out" in capsys.readouterr().err
    out = tmp_path / "p.parquet"
    assert main(["project", "-g", "0.01", "--format", "parquet", "--out", str(out)]) == 0
    df = export.read(out)
    assert df["year"].dtype == "int64" and list(df.columns) == list(RESULT_COLUMNS) + ["productivity_growth"]


def test_sweep_parquet_reads_back_with_integer_years_and_same_numbers_as_csv(tmp_path):
    assert main([*SWEEP, "--format", "parquet", "--chunk-size", "5", "--out", str(tmp_path / "s.parquet")]) == 0
    assert main([*SWEEP, "--format", "csv", "--out", str(tmp_path / "s.csv")]) == 0
    pq = pd.read_parquet(tmp_path / "s.parquet")
    assert pq["year"].dtype == "int64"
    assert list(pq.columns) == list(RESULT_COLUMNS) + list(sweep.PARAMETERS)
    csv = export.read(tmp_path / "s.csv")
    np.testing.assert_allclose(pq["value"].to_numpy(), csv["value"].to_numpy(), rtol=1e-9)
    assert (pq["scenario"].astype(str).to_numpy() == csv["scenario"].to_numpy()).all()
    amounts = pd.read_parquet(tmp_path / "s-amounts.parquet")
    assert "year" not in amounts.columns and len(amounts) == 12 * 14


def test_parquet_is_deterministic(tmp_path):
    for name in ("a", "b"):
        assert main([*SWEEP, "--format", "parquet", "--out", str(tmp_path / f"{name}.parquet")]) == 0
    assert (tmp_path / "a.parquet").read_bytes() == (tmp_path / "b.parquet").read_bytes()


def test_sweep_iamc_columns_uniqueness_and_meta(tmp_path):
    out = tmp_path / "s.csv"
    assert main([*SWEEP, "--format", "iamc", "--out", str(out)]) == 0
    df = pd.read_csv(out)
    assert tuple(df.columns) == export.IAMC_COLUMNS
    assert not df.duplicated(list(export.IAMC_COLUMNS[:-1])).any()
    meta = pd.read_csv(tmp_path / "s-meta.csv")
    assert list(meta.columns) == ["model", "scenario", *sweep.PARAMETERS]
    assert set(meta["scenario"]) == set(df["scenario"]) and len(meta) == 12


def test_yearly_and_year_less_rows_never_share_a_file(tmp_path, inputs):
    yearless = pd.DataFrame({"scenario": ["x"], "variable": ["spend"], "segment": [""], "unit": ["NOK bn"], "year": [pd.NA], "value": [1.0]})
    mixed = pd.concat([workforce.project(inputs, [0.01]), yearless])
    with pytest.raises(ParameterError, match="one kind per file"):
        export.write(mixed, tmp_path / "x.csv")
    with pytest.raises(ParameterError, match="IAMC data needs a year"):
        export.to_iamc(mixed)
    yearly, yearless = export.split_by_year(mixed)
    assert yearly["year"].dtype == "int64" and "year" not in yearless.columns and len(yearless) == 1
    assert not (tmp_path / "x.csv").exists()


def test_sweep_monte_carlo_and_fan_chart_same_seed_same_numbers(tmp_path, inputs):
    """The sweep's random mode with the scenario's seed, base year held, gives the fan chart's bands."""
    scenario = Scenario.baseline().with_updates(mc_samples=300, seed=7)
    path = tmp_path / "mc.yaml"
    path.write_text(yaml.safe_dump(scenario.model_dump(mode="json")), encoding="utf-8")
    out = tmp_path / "mc.parquet"
    t0 = str(scenario.base_year)
    argv = ["sweep", "--scenario", str(path), "--samples", "300", "--base-year", t0, t0, "--format", "parquet", "--out", str(out)]
    assert main(argv) == 0
    runs = pd.read_parquet(out)
    demand = runs[runs["variable"] == "fte_demand"].pivot(index="scenario", columns="year", values="value")
    bands = uncertainty.demand_bands(inputs, scenario)
    for p in uncertainty.PERCENTILES:
        mine = np.percentile(demand.to_numpy(), p, axis=0)
        theirs = bands[bands["percentile"] == p].sort_values("year")["value"].to_numpy()
        np.testing.assert_allclose(mine, theirs, rtol=1e-12)
    _, _, draws = uncertainty.demand_draws(inputs, scenario)
    params = runs.drop_duplicates("scenario")
    np.testing.assert_array_equal(params["productivity_growth"].to_numpy(), draws["productivity_growth"].to_numpy())


def test_sweep_replaces_only_files_it_wrote_in_every_format(tmp_path, capsys):
    """A file of the user's own at the yearly or the companion path is refused before any work."""
    out = tmp_path / "s.parquet"
    assert main([*SWEEP, "--format", "parquet", "--out", str(out)]) == 0
    assert main([*SWEEP, "--format", "parquet", "--out", str(out)]) == 0, "a Parquet file this tool wrote is replaced"
    mine = tmp_path / "t-amounts.csv"
    mine.write_text("my notes\n")
    capsys.readouterr()
    assert main([*SWEEP, "--format", "csv", "--out", str(tmp_path / "t.csv")]) == 1
    assert "was not written by this tool" in capsys.readouterr().err
    assert mine.read_text() == "my notes\n" and not (tmp_path / "t.csv").exists()
