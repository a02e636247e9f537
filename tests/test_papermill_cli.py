"""A real client: the papermill command line runs the workforce notebook with a researcher's
parameter, and refuses text where a number belongs with one clear message (issue 5, item 5)."""

from __future__ import annotations

import subprocess
import sys

import nbformat
import pytest

from ehelse_market import paths

pytestmark = pytest.mark.slow

NOTEBOOK = paths.NOTEBOOKS_DIR / "04_workforce.ipynb"
EXPECTED = "parameter 'productivity_growth' = 'abc': allowed a number (fraction per year, e.g. 0.02) or a list of numbers, not text"
#: the words project, sweep and a scenario file use too (tests/test_scenario_files.py)
OUT_OF_RANGE = "parameter 'productivity_growth' = 1.5: allowed a fraction per year from -0.05 to 0.1 (0.02 = 2 %/yr)"


def papermill(tmp_path, out: str, *params: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "papermill", str(NOTEBOOK), str(tmp_path / out), *params],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _outputs(nb) -> str:
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            parts.append(str(data.get("text/html", "")) + str(data.get("text/plain", "")) + str(out.get("text", "")))
    return "\n".join(parts)


def test_papermill_runs_the_workforce_notebook_with_a_growth_rate(tmp_path):
    result = papermill(tmp_path, "out.ipynb", "-p", "productivity_growth", "0.015")
    assert result.returncode == 0, result.stderr[-3000:]
    nb = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and "productivity_growth = 0.015" in injected[0].source
    html = _outputs(nb)
    # the chapter ran with the injected rate: its sources-and-method appendix lists the validated parameter ...
    assert "Årlig produktivitetsvekst</td><td>1,5\u00a0%</td>" in html
    # ... and the chapter shows its figures, the issue-5 fan chart and tornado included
    for fig_id in ("004-figur-2", "004-figur-2-vifte", "004-figur-2-tornado"):
        assert f'id="fig-{fig_id}"' in html, fig_id
    assert not any(out.get("output_type") == "error" for c in nb.cells for out in c.get("outputs", []))


@pytest.mark.parametrize("given, expected", [("abc", EXPECTED), ("1.5", OUT_OF_RANGE)])
def test_papermill_refuses_a_bad_growth_rate_with_one_clear_message(tmp_path, given, expected):
    result = papermill(tmp_path, "bad.ipynb", "-p", "productivity_growth", given)
    assert result.returncode != 0
    # papermill prints its own traceback around it; the message itself appears once, whole
    assert result.stderr.count(f"ScenarioError: {expected}") == 1, result.stderr[-3000:]
    nb = nbformat.read(tmp_path / "bad.ipynb", as_version=4)
    errors = [out for c in nb.cells for out in c.get("outputs", []) if out.get("output_type") == "error"]
    assert len(errors) == 1
    assert errors[0]["ename"] == "ScenarioError" and errors[0]["evalue"] == expected
    # it failed in the validation cell, before anything was computed or plotted
    assert "fig-004-figur-2" not in _outputs(nb)
