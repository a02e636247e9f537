"""Notebook conventions and parameter validation (fast: no kernel)."""

from __future__ import annotations

import ast

import nbformat
import pytest

from ehelse_market import paths
from ehelse_market.errors import ParameterError
from ehelse_market.inputs.scenario import Scenario
from ehelse_market.publishing import notebook_params, report

NOTEBOOKS = report.notebooks(paths.NOTEBOOKS_DIR)


def test_there_is_one_notebook_per_chapter_in_reading_order():
    stems = [p.stem for p in NOTEBOOKS]
    assert stems == sorted(stems)
    for expected in ("01_market", "02_contracts", "03_ict", "04_workforce", "05_gains", "06_claims"):
        assert expected in stems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_has_parameters_cell_then_validation(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    tagged = [i for i, c in enumerate(code) if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters'"
    params_cell, first_after = code[tagged[0]], code[tagged[0] + 1]
    assert "notebook_params.validate(globals())" in first_after.source
    # every name the parameters cell assigns is a notebook parameter with a None default
    tree = ast.parse(params_cell.source)
    for node in tree.body:
        assert isinstance(node, ast.Assign), "the parameters cell only assigns values"
        name = node.targets[0].id
        assert name in notebook_params.parameter_names(), name
        assert isinstance(node.value, ast.Constant) and node.value.value is None, f"{name} defaults to None (= scenario's value)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_clean(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    ids = [cell.get("id") for cell in nb.cells]
    assert all(ids) and len(set(ids)) == len(ids), "unique cell ids (the builder renumbers them cell-{i})"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, "no outputs in the committed notebook"
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_title_cell_has_a_heading_in_each_language(path):
    """The builder keeps one language of the title cell (report.localise_markdown): both must be there."""
    from ehelse_market.publishing.report import localise_markdown

    nb = nbformat.read(path, as_version=4)
    titles = {}
    for lang in ("nb", "en"):
        cell = localise_markdown(nbformat.read(path, as_version=4), lang).cells[0]
        assert cell.source.startswith("# "), lang
        assert "<!--" not in cell.source
        titles[lang] = cell.source.splitlines()[0]
    assert titles["nb"] != titles["en"], "the English part is missing"
    assert nb.cells[0].source.count("<!-- en -->") == 1


def test_validate_defaults_to_baseline():
    assert notebook_params.validate({}) == Scenario.baseline()


def test_validate_applies_overrides_and_wraps_a_single_rate():
    s = notebook_params.validate({"productivity_growth": 0.01, "lang": "en", "horizon": None})
    assert s.productivity_growth == [0.01] and s.lang == "en" and s.horizon == Scenario.baseline().horizon


def test_validate_ignores_modules_functions_and_objects():
    import math

    s = notebook_params.validate({"math": math, "f": len, "scenario": Scenario.baseline(), "_x": 1, "In": [], "Out": {}})
    assert s == Scenario.baseline()


@pytest.mark.parametrize(
    "namespace, name, fragment",
    [
        ({"productivity_growth": "0.02"}, "productivity_growth", "not text"),
        ({"productivity_growth": [0.0, "0.02"]}, "productivity_growth", "not text"),
        ({"productivity_growth": -1.5}, "productivity_growth", "from -0.05 to 0.1"),
        ({"productivity_growth": float("inf")}, "productivity_growth", "from -0.05 to 0.1"),
        ({"typo_param": 5}, "typo_param", "only the parameters"),
        ({"horizon": 2100}, "horizon", "a whole year from 2018 to 2060"),
        ({"base_year": 2017.5}, "base_year", "a whole year"),
        ({"lang": "de"}, "lang", "'nb'"),
        ({"scenario_path": 3}, "scenario_path", "path"),
        ({"relational_target_share": 12}, "relational_target_share", "from 0 to 1"),
    ],
)
def test_validate_refuses_with_one_clear_message(namespace, name, fragment):
    with pytest.raises(ParameterError) as info:
        notebook_params.validate(namespace)
    assert info.value.name == name
    assert f"parameter '{name}'" in str(info.value)
    assert fragment in str(info.value)


def test_validate_reads_a_scenario_file(tmp_path):
    data = Scenario.baseline().model_dump()
    data.update(name="alt", gain_rate=0.02)
    import yaml

    path = tmp_path / "alt.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    s = notebook_params.validate({"scenario_path": str(path), "lang": "en"})
    assert (s.name, s.gain_rate, s.lang) == ("alt", 0.02, "en")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_narrative_placeholders_name_existing_data_keys(path):
    from ehelse_market.inputs import load_inputs
    from ehelse_market.publishing import figures

    inputs = load_inputs()
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        for key, _ in figures.PLACEHOLDER.findall(cell.source):
            assert len(inputs.values[inputs.values["key"] == key]) == 1, f"{path.name}: unknown data key {key}"
