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
from ehelse_market.inputs.scenario import BOUNDS, Scenario, ScenarioError
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
    assert required <= set(data)
    # values that mirror a data row are left out, so they are read from the data version
    for key in ("reference_level_2060", "growth_range", "reference_level_2060_swing", "base_year_range"):
        assert key not in data and getattr(Scenario.baseline(), key) is None


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

    for key in set(Scenario.model_fields) - {"name", "description", "lang"}:
        for lang in labels.LANGS:
            assert labels.parameter(key, lang), (key, lang)
        if key in BOUNDS:
            assert key in labels.PARAMETER_KINDS, f"{key}: no number format in labels.PARAMETER_KINDS"
