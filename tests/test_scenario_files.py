"""Every shipped scenario file loads; bad files are refused naming key, value and what is allowed."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ehelse_market import paths
from ehelse_market.inputs.scenario import Scenario, ScenarioError

SHIPPED = sorted(paths.SCENARIOS_DIR.glob("*.yaml"))


def test_alternatives_are_shipped():
    names = {p.stem for p in SHIPPED}
    assert {"baseline", "no-productivity", "productivity-2pct", "relational-30pct"} <= names


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_file_is_complete_and_valid(path: Path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    # complete: every field written out, so a reader sees the whole parameter set in one file
    assert set(data) == set(Scenario.model_fields), f"{path.name}: missing {set(Scenario.model_fields) - set(data)}"
    scenario = Scenario.load(path)
    # the name picks the report folder (reports/<name>/): it must match the file
    assert scenario.name == path.stem


def test_alternatives_differ_from_baseline_where_named():
    base = Scenario.baseline()
    assert Scenario.load(paths.SCENARIOS_DIR / "no-productivity.yaml").productivity_growth == [0.0]
    assert Scenario.load(paths.SCENARIOS_DIR / "productivity-2pct.yaml").productivity_growth == [0.02]
    rel = Scenario.load(paths.SCENARIOS_DIR / "relational-30pct.yaml")
    assert rel.relational_target_share == 0.30 != base.relational_target_share


def _write_variant(tmp_path: Path, **changes) -> Path:
    data = yaml.safe_load((paths.SCENARIOS_DIR / "baseline.yaml").read_text(encoding="utf-8"))
    data.update(changes)
    path = tmp_path / "variant.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({"productivity_grwth": [0.01]}, ["unknown key 'productivity_grwth'", "allowed keys are", "productivity_growth"]),
        ({"base_year": "2017"}, ["'base_year' = '2017'", "must be a whole number"]),
        ({"relational_target_share": "30%"}, ["'relational_target_share' = '30%'", "must be a number (not text)"]),
        ({"relational_target_share": 30}, ["'relational_target_share' = 30", "must be <= 1"]),
        ({"productivity_growth": [0.01, -1.5]}, ["'productivity_growth.1' = -1.5", "must be > -1"]),
        ({"horizon": 2100}, ["'horizon' = 2100", "must be <= 2060"]),
        ({"lang": "de"}, ["'lang' = 'de'", "must be one of 'nb' or 'en'"]),
        ({"reference_level_2060": -5.0}, ["'reference_level_2060' = -5.0", "must be > 0"]),
        ({"growth_range": [0.02, 0.0]}, ["'growth_range' = [0.02, 0.0]: must be [low, high] with low <= high"]),
        ({"base_year": 2040, "horizon": 2030}, ["  - horizon (2030) must be after base_year (2040)"]),
        ({"base_year_range": [2017, 2070]}, ["'base_year_range.1' = 2070", "must be <= 2059"]),
    ],
)
def test_bad_file_is_refused_naming_key_value_allowed(tmp_path, changes, expected):
    path = _write_variant(tmp_path, **changes)
    with pytest.raises(ScenarioError) as info:
        Scenario.load(path)
    message = str(info.value)
    assert str(path) in message
    for part in expected:
        assert part in message, f"{part!r} not in:\n{message}"


def test_missing_key_is_named(tmp_path):
    data = yaml.safe_load((paths.SCENARIOS_DIR / "baseline.yaml").read_text(encoding="utf-8"))
    del data["seed"]
    path = tmp_path / "no-seed.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ScenarioError, match="missing key 'seed'"):
        Scenario.load(path)


def test_bad_yaml_is_refused(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("name: broken\nproductivity_growth: [0.01, 0.02\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="is not valid YAML"):
        Scenario.load(path)


def test_not_a_mapping_is_refused(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- 0.01\n- 0.02\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="expected a mapping"):
        Scenario.load(path)


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(ScenarioError, match="cannot read scenario file"):
        Scenario.load(tmp_path / "nope.yaml")


@pytest.mark.slow
def test_every_shipped_scenario_builds_into_its_own_folder(tmp_path):
    """``ehelse-market build --scenario scenarios/<name>.yaml`` (workforce chapter, to keep it short)."""
    from ehelse_market.cli import main

    for path in SHIPPED:
        assert main(["build", "--out", str(tmp_path), "--scenario", str(path), "--only", "04_workforce", "--jobs", "1"]) == 0, path.name
        html = (tmp_path / path.stem / "04_workforce.html").read_text(encoding="utf-8")
        assert 'id="fig-004-figur-2-vifte"' in html and 'id="fig-004-figur-2-tornado"' in html
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    for path in SHIPPED:
        assert f"{path.stem}/04_workforce.html" in index, path.stem
