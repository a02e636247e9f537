"""Scenario files: the shipped ones load, partial files are filled in from the baseline or from the
file they extend, and every entry point (project, sweep, papermill, a file) refuses a bad value
with the same words."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml

from ehelse_market import paths
from ehelse_market.cli import main
from ehelse_market.inputs.scenario import BOUNDS, FROM_DATA, KINDS, PARAMETERS, Scenario, ScenarioError, parameter_kind
from ehelse_market.publishing import notebook_params

SHIPPED = sorted(paths.SCENARIOS_DIR.glob("*.yaml"))
BASELINE = paths.SCENARIOS_DIR / "baseline.yaml"
#: the one refusal of productivity_growth 1.5, at every entry point
REFUSAL = "parameter 'productivity_growth' = 1.5: allowed a fraction per year from -0.05 to 0.1 (0.02 = 2 %/yr)"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_alternatives_are_shipped():
    names = {p.stem for p in SHIPPED}
    assert {"baseline", "no-productivity", "productivity-2pct", "relational-30pct"} <= names


def test_baseline_gives_every_required_key_and_nothing_that_the_data_gives():
    data = yaml.safe_load(BASELINE.read_text(encoding="utf-8"))
    required = {k for k, f in Scenario.model_fields.items() if f.is_required()}
    assert required - set(FROM_DATA) <= set(data)
    # values that mirror a data row are left out, so they are read from the data version
    assert not set(FROM_DATA) & set(data)
    for key in ("reference_level_2060", "growth_range", "reference_level_2060_swing", "base_year_range"):
        assert key not in data and getattr(Scenario.baseline(), key) is None


def test_values_left_out_are_the_data_rows_in_the_scenarios_units():
    """Percent rows become fractions, years stay whole years: the same numbers the models read."""
    from ehelse_market.domain import workforce
    from ehelse_market.domain.results import input_fraction
    from ehelse_market.inputs import load_inputs

    inputs, base = load_inputs(), Scenario.baseline()
    assert base.base_year == workforce.base_year(inputs) == 2017
    assert base.horizon == int(workforce.reference_points(inputs)[0][-1]) == 2060
    assert base.gain_rate == input_fraction(inputs, "gains.example_rate") == 0.01
    assert base.ict_target_ratio == input_fraction(inputs, "ict.gartner_average.2019") == 0.043
    assert base.relational_target_share == input_fraction(inputs, "assumption.contracts.relational_target_share") == 0.2
    assert base.share_rounding_halfwidth == inputs.value("assumption.share_rounding_halfwidth") == 0.5
    assert isinstance(base.base_year, int) and isinstance(base.horizon, int)


def _data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: dict[str, str]) -> Path:
    """A data root holding a copy of the newest version with some value rows' value cells changed."""
    import shutil

    src = max(p for p in paths.DATA_DIR.iterdir() if p.is_dir())
    root = tmp_path / "data"
    shutil.copytree(src, root / src.name)
    (root / "versions.csv").write_text(f"version,status,manifest_sha256,note\n{src.name},released,,\n", encoding="utf-8")
    for path in (root / src.name).glob("*.csv"):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        for i, line in enumerate(lines):
            key = line.split(",", 1)[0]
            if key in edit:
                cells = line.split(",")
                cells[4] = edit[key]  # key,variable,segment,year,value,unit,...
                lines[i] = ",".join(cells)
        path.write_text("".join(lines), encoding="utf-8")
    monkeypatch.setattr(paths, "DATA_DIR", root)
    return root


def test_a_new_data_version_changes_them_without_touching_yaml(tmp_path, monkeypatch):
    _data_copy(tmp_path, monkeypatch, {"assumption.workforce.base_year": "2019", "gains.example_rate": "2.5",
                                       "assumption.share_rounding_halfwidth": "1"})
    base = Scenario.baseline()
    assert (base.base_year, base.gain_rate, base.share_rounding_halfwidth) == (2019, 0.025, 1.0)
    # a file, with_updates (a flag, a notebook parameter) still override them
    what_if = Scenario.load(_write(tmp_path / "w.yaml", "name: w\ngain_rate: 0.05\n"))
    assert (what_if.gain_rate, what_if.base_year) == (0.05, 2019)
    assert base.with_updates(base_year=2018).base_year == 2018


def test_another_data_version_is_read_again_by_with_updates(tmp_path, monkeypatch):
    root = _data_copy(tmp_path, monkeypatch, {})
    new = root / "2099-01-01"
    new.mkdir()
    (new / "assumptions.csv").write_text(
        "key,variable,segment,year,value,unit\nassumption.workforce.base_year,base_year,,,2018,year\n"
        "assumption.contracts.relational_target_share,x,,,25,percent\nassumption.share_rounding_halfwidth,x,,,0.5,percentage points\n"
        "gains.example_rate,x,,,1,percent\nict.gartner_average.2019,x,,,4.2,percent\nworkforce.ssb_reference.2050,fte_demand_reference,,2050,1,fte\n",
        encoding="utf-8")
    moved = Scenario.baseline().with_updates(data_version="2099-01-01")
    assert (moved.base_year, moved.horizon, moved.relational_target_share, moved.ict_target_ratio) == (2018, 2050, 0.25, 0.042)


@pytest.mark.parametrize(
    "edit, expected",
    [
        ({"gains.example_rate": "150"}, "parameter 'gain_rate' = 1.5: allowed a fraction from 0 to 1"),
        ({"assumption.workforce.base_year": "2016"}, "parameter 'base_year' = 2016: allowed a whole year from 2017 to 2059"),
    ],
)
def test_a_data_row_out_of_bounds_is_refused_in_the_same_words(tmp_path, monkeypatch, edit, expected):
    _data_copy(tmp_path, monkeypatch, edit)
    with pytest.raises(ScenarioError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        Scenario.baseline()


def test_a_missing_row_or_a_row_in_another_unit_is_named(tmp_path, monkeypatch):
    root = _data_copy(tmp_path, monkeypatch, {})
    for path in root.glob("*/*.csv"):
        text = path.read_text(encoding="utf-8")
        text = "".join(line for line in text.splitlines(keepends=True) if not line.startswith("gains.example_rate,"))
        path.write_text(text.replace(",4.3,percent,", ",4.3,NOK bn,"), encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        Scenario.baseline()
    message = str(info.value)
    assert "parameter 'gain_rate' is left out, so it is read from data row gains.example_rate" in message
    assert "it has no row 'gains.example_rate'" in message
    assert "row 'ict.gartner_average.2019' is in 'NOK bn', not in percent or ratio" in message
    # a file that gives them needs no row
    assert Scenario.load(_write(tmp_path / "g.yaml", "name: g\ngain_rate: 0.01\nict_target_ratio: 0.05\n")).gain_rate == 0.01


def test_an_unknown_data_version_is_named(tmp_path):
    path = _write(tmp_path / "old.yaml", "name: old\ndata_version: '1999-01-01'\n")
    with pytest.raises(ScenarioError, match="data version '1999-01-01' not found in .* \\(known versions: 2026-11-22, 2026-11-28"):
        Scenario.load(path)
    # a date (YAML reads 1999-01-01 unquoted as one) is refused as such, in one line
    with pytest.raises(ScenarioError) as info:
        Scenario.load(_write(tmp_path / "date.yaml", "name: d\ndata_version: 1999-01-01\n"))
    assert info.value.problems == ["parameter 'data_version' = datetime.date(1999, 1, 1): allowed text"]


@pytest.mark.parametrize("path", [p for p in SHIPPED if p != BASELINE], ids=lambda p: p.name)
def test_shipped_alternative_gives_only_what_it_changes(path: Path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    scenario, base = Scenario.load(path), Scenario.baseline()
    assert scenario.name == path.stem  # the name picks the report folder (reports/<name>/)
    changed = set(data) - {"name", "description"}
    assert changed and all(getattr(scenario, k) != getattr(base, k) for k in changed), path.name
    same = set(Scenario.model_fields) - set(data)
    assert all(getattr(scenario, k) == getattr(base, k) for k in same)


def test_the_three_line_what_if_loads(tmp_path):
    path = _write(tmp_path / "what-if.yaml", "name: my-what-if\nproductivity_growth: [0.0175]\n")
    s = Scenario.load(path)
    assert (s.name, s.productivity_growth) == ("my-what-if", [0.0175])
    assert s.model_dump(exclude={"name", "productivity_growth", "description"}) == Scenario.baseline().model_dump(
        exclude={"name", "productivity_growth", "description"}
    )
    assert s.description == ""  # a description belongs to its own file: not inherited
    assert Scenario.load(_write(tmp_path / "unnamed.yaml", "gain_rate: 0.02\n")).name == "unnamed"


def test_extends_a_file_relative_to_itself(tmp_path):
    (tmp_path / "sub").mkdir()
    _write(tmp_path / "parent.yaml", "name: parent\ngain_rate: 0.03\nseed: 7\n")
    child = _write(tmp_path / "sub" / "child.yaml", "extends: ../parent.yaml\nseed: 8\n")
    s = Scenario.load(child)
    assert (s.name, s.gain_rate, s.seed, s.horizon) == ("child", 0.03, 8, Scenario.baseline().horizon)


def test_extends_cycle_is_refused_naming_the_files(tmp_path):
    a = _write(tmp_path / "a.yaml", "extends: b.yaml\n")
    _write(tmp_path / "b.yaml", "extends: a.yaml\n")
    with pytest.raises(ScenarioError) as info:
        Scenario.load(a)
    assert "form a cycle" in str(info.value) and "a.yaml" in str(info.value) and "b.yaml" in str(info.value)
    with pytest.raises(ScenarioError, match="cannot read scenario file"):
        Scenario.load(_write(tmp_path / "c.yaml", "extends: missing.yaml\n"))


def test_the_same_refusal_at_every_entry_point(tmp_path, capsys):
    """project, sweep, papermill parameters and a scenario file refuse 1.5 in the same words."""
    assert main(["project", "--productivity", "1.5"]) == 1
    assert capsys.readouterr().err == f"error: {REFUSAL}\n"
    assert main(["sweep", "--productivity", "1.5", "--out", str(tmp_path / "x.csv")]) == 1
    assert capsys.readouterr().err == f"error: {REFUSAL}\n"
    for given in (1.5, [1.5], (1.5,)):  # a scalar is a list of one, everywhere
        with pytest.raises(ScenarioError) as info:
            notebook_params.validate({"productivity_growth": given})
        assert str(info.value) == REFUSAL
        with pytest.raises(ScenarioError) as info:
            Scenario.baseline().with_updates(productivity_growth=given)
        assert str(info.value) == REFUSAL
    path = _write(tmp_path / "bad.yaml", "name: bad\nproductivity_growth: 1.5\n")
    with pytest.raises(ScenarioError) as info:
        Scenario.load(path)
    assert str(info.value) == f"scenario file {path} is not a valid scenario:\n  - {REFUSAL}"
    assert main(["build", "--out", str(tmp_path / "r"), "--scenario", str(path)]) == 1
    assert REFUSAL in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists() and not (tmp_path / "r" / "bad").exists()


@pytest.mark.parametrize("value", [1e308, float("nan"), float("inf"), -float("inf")])
def test_every_bound_is_finite_and_refuses_non_finite_values(value):
    for name, bound in BOUNDS.items():
        assert math.isfinite(bound.low) and bound.low < bound.high < 1e10, name
        assert not bound.holds(value), name


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({"productivity_grwth": [0.01]}, ["unknown key 'productivity_grwth'", "allowed are", "productivity_growth"]),
        ({"base_year": "2017"}, ["parameter 'base_year' = '2017': allowed a whole year from 2017 to 2059"]),
        ({"relational_target_share": "30%"}, ["parameter 'relational_target_share' = '30%': allowed a fraction"]),
        ({"relational_target_share": 30}, ["parameter 'relational_target_share' = 30: allowed a fraction of e-health spend from 0 to 1"]),
        ({"productivity_growth": [0.01, -1.5]}, ["parameter 'productivity_growth' = -1.5: allowed a fraction per year"]),
        ({"productivity_growth": "2%"}, ["parameter 'productivity_growth' = '2%': allowed a number", "not text"]),
        ({"horizon": 2100}, ["parameter 'horizon' = 2100: allowed a whole year from 2018 to 2060"]),
        ({"lang": "de"}, ["parameter 'lang' = 'de': allowed one of 'nb' or 'en'"]),
        ({"reference_level_2060": -5.0}, ["parameter 'reference_level_2060' = -5.0: allowed a level in fte"]),
        ({"growth_range": [0.02, 0.0]}, ["parameter 'growth_range' = [0.02, 0.0]: allowed a range [low, high] with low <= high"]),
        ({"base_year": 2040, "horizon": 2030}, ["parameter 'horizon' = 2030: allowed a year after base_year (2040)"]),
        ({"base_year_range": [2017, 2070]}, ["parameter 'base_year_range' = 2070: allowed a whole year from 2017 to 2059"]),
        ({"extends": 5}, ["parameter 'extends' = 5: allowed a scenario file name"]),
    ],
)
def test_bad_file_is_refused_naming_key_value_allowed(tmp_path, changes, expected):
    path = _write(tmp_path / "variant.yaml", yaml.safe_dump({"name": "variant", **changes}))
    with pytest.raises(ScenarioError) as info:
        Scenario.load(path)
    message = str(info.value)
    assert str(path) in message
    for part in expected:
        assert part in message, f"{part!r} not in:\n{message}"


def test_missing_key_in_the_baseline_is_named(tmp_path, monkeypatch):
    data = yaml.safe_load(BASELINE.read_text(encoding="utf-8"))
    del data["seed"]
    (tmp_path / "baseline.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    monkeypatch.setattr(paths, "SCENARIOS_DIR", tmp_path)
    with pytest.raises(ScenarioError, match="missing key 'seed'"):
        Scenario.baseline()


def test_bad_yaml_is_refused(tmp_path):
    path = _write(tmp_path / "broken.yaml", "name: broken\nproductivity_growth: [0.01, 0.02\n")
    with pytest.raises(ScenarioError, match="is not valid YAML"):
        Scenario.load(path)


def test_not_a_mapping_is_refused(tmp_path):
    with pytest.raises(ScenarioError, match="expected a mapping"):
        Scenario.load(_write(tmp_path / "list.yaml", "- 0.01\n- 0.02\n"))


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(ScenarioError, match="cannot read scenario file"):
        Scenario.load(tmp_path / "nope.yaml")


@pytest.mark.slow
def test_every_shipped_scenario_builds_into_its_own_folder(tmp_path):
    """``ehelse-market build --scenario scenarios/<name>.yaml`` (workforce chapter, to keep it short)."""
    for path in SHIPPED:
        assert main(["build", "--out", str(tmp_path), "--scenario", str(path), "--only", "04_workforce", "--jobs", "1"]) == 0, path.name
        html = (tmp_path / path.stem / "04_workforce.html").read_text(encoding="utf-8")
        assert 'id="fig-004-figur-2-vifte"' in html and 'id="fig-004-figur-2-tornado"' in html
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    for path in SHIPPED:
        assert f"{path.stem}/04_workforce.html" in index, path.stem


def test_every_scenario_key_has_reader_words_in_every_language():
    """The provenance and the scenario header show parameters in reader words: a new key needs them."""
    from ehelse_market.publishing import labels

    for key in PARAMETERS:
        for lang in labels.LANGS:
            assert labels.parameter(key, lang), (key, lang)
        # how its value reads comes from the model: the bound's kind (a number) or text
        assert parameter_kind(key) in KINDS, key
        assert (parameter_kind(key) == "text") == (key not in BOUNDS), key


def test_a_new_key_needs_the_model_and_the_words_only(monkeypatch):
    """docs/contributing.md, "A scenario key": its bound (with its kind) in the model and its words
    in the catalogues are all the reports need; no publishing module lists parameters by name."""
    from ehelse_market.inputs import scenario as model
    from ehelse_market.publishing import labels

    monkeypatch.setitem(model.BOUNDS, "demo_share", model.Bound(0.0, 1.0, "a fraction", kind="fraction"))
    for lang in labels.LANGS:
        monkeypatch.setitem(labels.catalogue(lang)["parameters"], "demo_share", f"Demo ({lang})")
    assert labels.parameter("demo_share", "en") == "Demo (en)"
    assert (labels.parameter_value("demo_share", 0.25, "nb"), labels.parameter_value("demo_share", 0.25, "en")) == ("25\u00a0%", "25%")
    for module in ("labels", "report", "notebook_params"):
        text = (Path(labels.__file__).parent / f"{module}.py").read_text(encoding="utf-8")
        assert not [k for k in BOUNDS if f'"{k}"' in text], module


@pytest.mark.parametrize(
    "flags, name",
    [
        (["-g", "0", "0.005", "0.02"], "baseline"),
        (["-g", "0.0175"], "baseline-productivity_growth-0.0175"),
        (["-g", "-0.01", "0.02"], "baseline-productivity_growth--0.01_0.02"),
        (["-g", "0.0175", "--name", "my-what-if"], "my-what-if"),
        (["-g", "0", "0.005", "0.02", "--name", "mine"], "mine"),
    ],
)
def test_project_rows_carry_a_scenario_name(flags, name, capsys):
    """'baseline' only for the baseline's own rates; flags that change it name what they change."""
    import pandas as pd

    assert main(["project", *flags, "--to", "2018", "--format", "csv"]) == 0
    df = pd.read_csv(pd.io.common.StringIO(capsys.readouterr().out))
    assert set(df["scenario"]) == {name}


def test_project_name_is_checked_by_the_model(capsys):
    assert main(["project", "-g", "0.01", "--name", "../x"]) == 1
    assert "parameter 'name' = '../x': allowed letters, digits" in capsys.readouterr().err


def test_a_derived_name_too_long_for_a_folder_names_the_parameters():
    base = Scenario.baseline()
    many = base.with_updates(productivity_growth=[i / 1000 for i in range(30)]).named_from(base)
    assert many.name == "baseline-productivity_growth"
    both = base.with_updates(gain_rate=0.02, horizon=2050).named_from(base)
    assert both.name == "baseline-horizon-2050-gain_rate-0.02"


def test_scenario_and_loader_resolve_versions_by_one_rule(tmp_path):
    """One rule (inputs.versions.resolve) and one wording, whether a scenario or the loader asks."""
    from ehelse_market.errors import UserError
    from ehelse_market.inputs import resolve_version_dir

    with pytest.raises(ScenarioError) as scenario:
        Scenario.load(_write(tmp_path / "old.yaml", "name: old\ndata_version: '1999-01-01'\n"))
    with pytest.raises(UserError) as loader:
        resolve_version_dir("1999-01-01")
    assert str(loader.value) in str(scenario.value)
    for bad, says in [("../data", "not a link or path"), ("x" * 5000, "not found"), ("a\0b", "not a link or path")]:
        with pytest.raises(UserError, match=says):
            resolve_version_dir(bad)
        with pytest.raises(ScenarioError, match=says):
            Scenario.from_mapping({"name": "x", "data_version": bad})
