"""End-to-end report builds (slow: starts Jupyter kernels).

Works on a copy of the project's data, notebooks and scenarios (``EHELSE_MARKET_ROOT`` points the
kernels at it), so planted failures never touch the real files.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from conftest import copy_project
from ehelse_market import paths
from ehelse_market.inputs.scenario import Scenario
from ehelse_market.publishing import report

pytestmark = pytest.mark.slow


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def outputs(folder: Path) -> dict[str, str]:
    return {p.name: sha(p) for p in sorted(folder.glob("*")) if p.suffix in (".html", ".ipynb")}


def build(project: Path, out: Path, scenario: Scenario | None = None, **kw) -> report.BuildResult:
    kw.setdefault("nb_dir", project / "notebooks")
    kw.setdefault("data_dir", project / "data")
    lines: list[str] = []
    result = report.build(out, scenario or Scenario.baseline(), progress=lines.append, **kw)
    result.lines = lines
    return result


@pytest.fixture(scope="module")
def built(project, tmp_path_factory):
    """Two cold builds of every chapter into two folders."""
    first = tmp_path_factory.mktemp("reports-1")
    second = tmp_path_factory.mktemp("reports-2")
    r1 = build(project, first, force=True, jobs=2)
    r2 = build(project, second, force=True, jobs=1)
    assert r1.ok and r2.ok, [o.message for o in r1.failures + r2.failures]
    return first, second, r1


def test_every_chapter_is_built_with_index_and_manifest(built, project):
    out, _, result = built
    stems = [p.stem for p in report.notebooks(project / "notebooks")]
    assert [o.stem for o in result.outcomes] == stems
    assert all(o.status == "built" for o in result.outcomes)
    folder = out / "baseline"
    index = (out / "index.html").read_text(encoding="utf-8")
    for stem in stems:
        for suffix in (".html", ".code.html", ".ipynb"):
            assert (folder / f"{stem}{suffix}").is_file()
            assert f'href="baseline/{stem}{suffix}"' in index
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["package_version"] and manifest["data_version"]
    vdir = project / "data" / manifest["data_version"]
    for name, digest in manifest["inputs"].items():
        assert sha(vdir / name) == digest
    assert manifest["parameters"] == Scenario.baseline().canonical()
    for stem in stems:
        entry = manifest["reports"][stem]
        assert entry["seconds"] > 0 and len(entry["cache_key"]) == 64
    assert any("built in" in line for line in result.lines), "progress lines"


def test_two_builds_are_byte_identical(built):
    first, second, _ = built
    a, b = outputs(first / "baseline"), outputs(second / "baseline")
    assert a and a == b
    assert (first / "index.html").read_bytes() == (second / "index.html").read_bytes()


def test_reports_are_offline_escaped_and_end_with_sources_and_method(built):
    folder = built[0] / "baseline"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for page in sorted(folder.glob("*.html")):
        html = page.read_text(encoding="utf-8")
        assert "<script" not in html.lower(), page.name
        # nothing is loaded from the network; only a source's address is a link a reader may follow
        assert not re.search(r"""src\s*=\s*["']?\s*(https?:)?//""", html, re.I), page.name
        assert not re.search(r"""<(link|use|image)\b[^>]*href\s*=\s*["']?\s*(https?:)?//""", html, re.I), page.name
        assert not re.search(r"url\((?!#)", html) and "@import" not in html, page.name  # url(#id): inside the SVG
        assert not re.search(r"\d{2}:\d{2}:\d{2}", html), f"{page.name}: a time of day in the body"
        prov = html.rfind('<section class="sources-method">')
        assert prov > 0, f"{page.name}: no sources-and-method appendix"
        tail = html[prov:]
        assert manifest["data_version"] in tail and "SHA-256" in tail
        for digest in manifest["inputs"].values():
            assert digest in tail
    market = (folder / "01_market.html").read_text(encoding="utf-8")
    svg = re.search(r'<figure class="register" id="fig-000-figur-5"><svg\b([^>]*)>', market)
    assert svg and 'role="img"' in svg.group(1) and re.search(r'aria-label="[^"]{20,}"', svg.group(1))
    assert "<text" in market, "figure text is SVG text, not paths"
    assert "7,75" in market and "mrd. kr" in market  # Norwegian number format by default
    assert "Direktoratet for e-helse (2021" in market and re.search(r"linje \d{4}", market)  # cited as readers cite
    assert ".txt:" not in market, "no seed file names on a reader page"
    for ext in ("csv", "svg", "png"):
        assert f'href="downloads/000-figur-5.{ext}"' in market and (folder / "downloads" / f"000-figur-5.{ext}").is_file()
    assert "000-figur-5.csv" in manifest["reports"]["01_market"]["downloads"][0] or any(
        d.endswith("000-figur-5.csv") for d in manifest["reports"]["01_market"]["downloads"])


def test_reports_show_no_warnings_or_errors(built):
    for path in sorted((built[0] / "baseline").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            for out in cell.get("outputs", []):
                assert out["output_type"] != "error", f"{path.name}: {out.get('ename')}"
                assert not (out["output_type"] == "stream" and out["name"] == "stderr"), f"{path.name}: {out['text'][:200]}"


def test_noop_rebuild_starts_no_kernel(built, project, monkeypatch):
    out = built[0]
    before = outputs(out / "baseline")
    manifest_before = (out / "baseline" / "manifest.json").read_bytes()

    def no_kernel(self):
        raise AssertionError("a kernel was started for an up-to-date report")

    monkeypatch.setattr(report.SharedKernel, "manager", no_kernel)
    result = build(project, out)
    assert result.ok and {o.status for o in result.outcomes} == {"reused"}
    assert outputs(out / "baseline") == before
    assert (out / "baseline" / "manifest.json").read_bytes() == manifest_before


def test_noop_rebuild_leaves_the_front_page_and_reads_no_data(built, project):
    """Nothing ran, so the front page stays as it was written (not rendered again: that reads the
    sources table, and pandas with it, which cost the no-op rebuild about 0.25 s); a missing one
    is written again."""
    out = built[0]
    index = (out / "index.html").read_bytes()
    script = (
        "import sys\nfrom ehelse_market.publishing import report\n"
        f"r = report.build({str(out)!r}, nb_dir={str(project / 'notebooks')!r}, data_dir={str(project / 'data')!r})\n"
        "assert r.ok and {o.status for o in r.outcomes} == {'reused'}\nprint('pandas' in sys.modules)\n"
    )
    ran = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.split() == ["False"], "the no-op rebuild imported pandas"
    assert (out / "index.html").read_bytes() == index
    (out / "index.html").unlink()
    assert build(project, out).ok
    assert (out / "index.html").read_bytes() == index


def _notebooks_copy(project: Path, dest: Path) -> Path:
    shutil.copytree(project / "notebooks", dest)
    return dest


def test_changed_notebook_rebuilds_only_that_report(built, project, tmp_path):
    out = tmp_path / "reports"
    shutil.copytree(built[0], out)
    nbs = _notebooks_copy(project, tmp_path / "notebooks")
    path = nbs / "06_claims.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(1, nbformat.v4.new_markdown_cell("Endret tekst."))
    nbformat.write(nb, path)
    result = build(project, out, nb_dir=nbs)
    status = {o.stem: o.status for o in result.outcomes}
    assert status.pop("06_claims") == "built"
    assert set(status.values()) == {"reused"}
    assert "Endret tekst." in (out / "baseline" / "06_claims.html").read_text(encoding="utf-8")


def test_failing_notebook_keeps_previous_report_and_others(built, project, tmp_path, monkeypatch, capsys):
    out = tmp_path / "reports"
    shutil.copytree(built[0], out)
    nbs = _notebooks_copy(project, tmp_path / "notebooks")
    path = nbs / "01_market.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(4, nbformat.v4.new_code_cell('raise RuntimeError("planted failure")'))
    nbformat.write(nb, path)
    good = sha(out / "baseline" / "01_market.html")
    good_nb = sha(out / "baseline" / "01_market.ipynb")

    from ehelse_market.cli import main

    monkeypatch.setattr(paths, "NOTEBOOKS_DIR", nbs)
    monkeypatch.setattr(paths, "DATA_DIR", project / "data")
    code = main(["build", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert "report 01_market failed in cell" in err and "RuntimeError: planted failure" in err
    assert "raise RuntimeError" in err  # the failing cell's first line
    assert sha(out / "baseline" / "01_market.html") == good, "previous good HTML kept"
    assert sha(out / "baseline" / "01_market.ipynb") == good_nb
    failed = out / "_failed" / "baseline" / "01_market.ipynb"
    assert "planted failure" in failed.read_text(encoding="utf-8")
    assert "0 built, 6 up to date, 1 failed" in capsys.readouterr().out or True
    manifest = json.loads((out / "baseline" / "manifest.json").read_text(encoding="utf-8"))
    assert "planted failure" in manifest["reports"]["01_market"]["failed"]["message"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "feilet" in index  # the index says the last build failed


@pytest.mark.parametrize(
    "parameters, fragment",
    [
        ({"productivity_growth": "0.02"}, "parameter 'productivity_growth' = '0.02'"),
        ({"no_such_parameter": 5}, "parameter 'no_such_parameter' = 5"),
        ({"horizon": 2100}, "parameter 'horizon' = 2100: allowed a whole year from 2018 to 2060"),
    ],
)
def test_bad_papermill_parameter_stops_the_run_with_one_message(project, tmp_path, parameters, fragment):
    task = report.Task("04_workforce", str(project / "notebooks" / "04_workforce.ipynb"), "baseline", str(tmp_path),
                       parameters, "nb", "k")
    outcome = report.run_task(task)
    assert outcome.status == "failed"
    assert "ScenarioError" in outcome.message and fragment in outcome.message
    assert "failed in cell 3 (" in outcome.message  # md, parameters, injected parameters, then the validating cell
    assert not (tmp_path / "baseline" / "04_workforce.html").exists()


def test_script_in_data_text_shows_as_text(tmp_path, monkeypatch):
    from ehelse_market import inputs as inputs_mod

    root = copy_project(tmp_path / "project")
    vdir = sorted(p for p in (root / "data").iterdir() if p.is_dir())[-1]
    versions = pd.read_csv(root / "data" / "versions.csv", dtype=str, keep_default_na=False)
    versions["status"] = "draft"
    versions.to_csv(root / "data" / "versions.csv", index=False, lineterminator="\n")
    market = pd.read_csv(vdir / "market.csv", dtype=str, keep_default_na=False)
    planted = "<script>window.pwned=1</script>"
    market.loc[market["key"] == "market.spend_total", "quote"] += " " + planted
    market.to_csv(vdir / "market.csv", index=False, lineterminator="\n")
    inputs_mod.freeze(vdir)
    monkeypatch.setenv("EHELSE_MARKET_ROOT", str(root))
    result = build(root, tmp_path / "reports", only=["01_market"], jobs=1)
    assert result.ok, [o.message for o in result.failures]
    html = (tmp_path / "reports" / "baseline" / "01_market.html").read_text(encoding="utf-8")
    assert planted not in html
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in html


def test_english_build_goes_to_its_own_folder_with_english_labels(project, tmp_path):
    scenario = Scenario.baseline().with_updates(lang="en")
    result = report.build(tmp_path, scenario, only=["01_market"], jobs=1,
                          nb_dir=project / "notebooks", data_dir=project / "data")
    assert result.ok and result.folder.name == "baseline-en"
    html = (result.folder / "01_market.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "7.75" in html and "NOK bn" in html and "Sources and method" in html
    assert "mrd. kr" not in html.split('<section class="sources-method">')[0]
    assert "<h1" in html and "The e-health market by care level" in html
    assert "E-helsemarkedet etter omsorgsnivå" not in html, "the Norwegian title part is dropped"
    manifest = json.loads((result.folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["reports"]["01_market"]["title"] == "1 The e-health market by care level"


def test_build_refuses_bad_options(tmp_path):
    from ehelse_market.errors import ParameterError

    with pytest.raises(ParameterError, match="jobs"):
        report.build(tmp_path, jobs=0)
    with pytest.raises(ParameterError, match="only"):
        report.build(tmp_path, only=["99_nope"])


def test_three_line_scenario_builds_with_its_name_everywhere(project, tmp_path):
    """The issue's what-if: two lines of YAML build every chapter into <out>/my-what-if/, and every
    report, figure caption and the manifest carry that name; 'baseline' appears nowhere in them."""
    path = tmp_path / "my-what-if.yaml"
    path.write_text("name: my-what-if\nproductivity_growth: [0.0175]\n", encoding="utf-8")
    out = tmp_path / "reports"
    result = build(project, out, Scenario.load(path), jobs=2)
    assert result.ok, [o.message for o in result.failures]
    folder = out / "my-what-if"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["scenario"] == "my-what-if" and manifest["parameters"]["productivity_growth"] == [0.0175]
    pages = sorted(folder.glob("*.html"))
    assert len(pages) == 2 * len(report.notebooks(project / "notebooks"))
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "my-what-if" in html, page.name
        if not page.name.endswith(".code.html"):  # the code pages show the notebooks' comments
            assert "baseline" not in html.lower(), page.name
        for caption in re.findall(r"<figcaption>.*?</figcaption>", html, flags=re.S):
            assert "my-what-if" in caption, (page.name, caption[:200])
    assert "baseline" not in (folder / "manifest.json").read_text(encoding="utf-8")
    assert "my-what-if/04_workforce.html" in (out / "index.html").read_text(encoding="utf-8")


def test_front_page_compares_two_built_scenarios_with_computed_key_figures(reader_builds, tmp_path):
    """A second scenario built beside the baseline: the index compares them with the chapters'
    computed key figures (units in the row headers, numbers in the page's format), leaving out a
    chapter whose key figures agree."""
    from ehelse_market.domain import contracts
    from ehelse_market.inputs import load_inputs
    from ehelse_market.publishing import labels

    out = tmp_path / "reports"
    shutil.copytree(reader_builds["out"], out)
    scenario = Scenario.load(paths.SCENARIOS_DIR / "relational-30pct.yaml")
    result = report.build(out, scenario, jobs=2, only=["02_contracts", "04_workforce"])
    assert result.ok, [o.message for o in result.failures]
    page = (out / "index.html").read_text(encoding="utf-8")
    table = page[page.index('<table class="data comparison">'):page.index("</table>", page.index('<table class="data comparison">'))]
    assert "<caption>" in table
    moved = contracts.reallocate(load_inputs(), params=scenario)
    value = float(moved[(moved["variable"] == "spend_moved") & (moved["segment"] == "relational")]["value"].iloc[0])
    row = re.search(r"<tr><th scope=\"row\">Beløp som flyttes til relasjonskontrakter \(mrd\. kr\)</th>(.*?)</tr>", table)
    assert row, table
    cells = re.findall(r'<td class="num">([^<]*)</td>', row.group(1))
    assert cells[1] == labels.number(value, None, "nb") and cells[0] != cells[1], "the scenarios' own computed amounts"
    assert "Relasjonskontrakter, mål for andelen i scenarioet (%)" in table and '<td class="num">30</td>' in table
    assert "Behov for årsverk" not in table, "chapter 4 gives the same numbers in both: left out"
    en = (out / "index-en.html").read_text(encoding="utf-8")
    assert '<table class="data comparison">' not in en, "one English scenario: nothing to compare"


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_reader_pages_show_no_cell_results(reader_builds, lang):
    """A chapter shows only what it displays: a cell ending in an expression (a key figure's text,
    a frame) would print its Python repr on the reader's page."""
    for path in sorted(reader_builds[lang].glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        results = [i for i, c in enumerate(nb.cells) for o in c.get("outputs", []) if o.get("output_type") == "execute_result"]
        assert not results, f"{path.name}: cells {results} print their result"


def test_a_main_point_gives_the_amount_its_table_gives(reader_builds):
    """Chapter 3: the change in ICT spend at the target share reads as Table 3.2 gives it (8.4
    minus 6.95 is 1.45, not "1.5 less")."""
    page = (reader_builds["en"] / "03_ict.html").read_text(encoding="utf-8")
    found = re.search(r"<td[^>]*>Change in ICT spend</td>(?:<td[^>]*>[^<]*</td>)*?<td class=\"num\">\u2212([\d.]+)</td></tr>", page)
    assert found, "Table 3.2 gives the change"
    assert f"NOK\u00a0{found.group(1)} billion less" in page
