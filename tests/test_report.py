"""Builder pieces that need no kernel: normalisation, cache keys, escaping, HTML page, provenance."""

from __future__ import annotations

import io
import json
import re
import shutil

import nbformat
import pandas as pd
import pytest

from ehelse_market import paths
from ehelse_market.inputs import load_inputs, resolve_version_dir
from ehelse_market.inputs.scenario import Scenario
from ehelse_market.publishing import chapter as chapter_mod
from ehelse_market.publishing import labels, report


def _executed_like():
    nb = nbformat.v4.new_notebook()
    nb.metadata["papermill"] = {"start_time": "2026-11-22T09:00:00", "duration": 1.2}
    a = nbformat.v4.new_code_cell("x = 1")
    a.id = "3f2a9c"
    a.execution_count = 17
    a.metadata["papermill"] = {"duration": 0.1}
    a.metadata["execution"] = {"iopub.status.busy": "2026-11-22T09:00:00"}
    a.outputs = [nbformat.v4.new_output("execute_result", data={"text/plain": "1"}, execution_count=17)]
    b = nbformat.v4.new_markdown_cell("# Title\n\ntext")
    b.id = "random-id"
    nb.cells = [b, a]
    return nb


def test_normalise_removes_run_metadata_and_random_ids():
    nb = report.normalise(_executed_like())
    assert "papermill" not in nb.metadata
    assert [c.id for c in nb.cells] == ["cell-0", "cell-1"]
    code = nb.cells[1]
    assert code.execution_count == 1 and code.outputs[0]["execution_count"] == 1
    assert "papermill" not in code.metadata and "execution" not in code.metadata
    text = nbformat.writes(nb)
    assert "2026-11-22T09" not in text


def test_title_of_reads_first_heading():
    assert report.title_of(_executed_like(), "fallback") == "Title"
    assert report.title_of(nbformat.v4.new_notebook(), "fallback") == "fallback"


def test_exported_page_is_offline_and_hides_code():
    nb = report.normalise(_executed_like())
    links = {"index": "../index.html", "html": "a.html", "html_code": "a.code.html", "notebook": "a.ipynb"}
    hidden = report.export_html(nb, title="T <b>", lang="nb", with_code=False, links=links)
    shown = report.export_html(nb, title="T", lang="nb", with_code=True, links=links)
    assert "<div class=\"input_area\">" not in hidden and "<div class=\"input_area\">" in shown and ">x</span>" in shown
    assert "<title>T &lt;b&gt;</title>" in hidden
    for page in (hidden, shown):
        assert "<script" not in page
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), "nothing loaded from the network"
        assert "<style>" in page and 'lang="nb"' in page


HOSTILE_CODE = [
    'x = "</pre><script>alert(1)</script>"  # <b>&amp; \'q\' </div>',
    "%%html\n<img src=x onerror=alert(1)>",
    "print('æøå & <> \u00a0 \u2264')",
]


def test_highlighted_code_needs_no_sanitizer():
    """The page exporter skips bleach on the code cells' highlighted HTML because bleach changes
    nothing there: pinned on every chapter's code and on hostile code."""
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.strings import clean_html

    highlight = Highlight2HTML(pygments_lexer="ipython3")
    sources = [c.source for path in report.notebooks() for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    assert len(sources) > 50
    for source in sources + HOSTILE_CODE:
        html = highlight(source)
        assert clean_html(html) == html, source


def test_hostile_code_is_text_on_the_code_page():
    nb = report.normalise(_executed_like())
    nb.cells += [nbformat.v4.new_code_cell(source) for source in HOSTILE_CODE]
    links = {"index": "../index.html", "html": "a.html", "html_code": "a.code.html", "notebook": "a.ipynb"}
    shown = report.export_html(nb, title="T", lang="nb", with_code=True, links=links)
    assert "<script" not in shown and "<img" not in shown and "</b>" not in shown
    assert "&lt;script&gt;" in shown and "onerror" in shown


def test_cache_key_changes_with_each_input(tmp_path):
    nb = tmp_path / "01_x.ipynb"
    nb.write_text("{}", encoding="utf-8")
    params = Scenario.baseline().canonical()
    base = report.cache_key(nb, params, "data", "code")
    assert report.cache_key(nb, params, "data", "code") == base
    assert report.cache_key(nb, {**params, "gain_rate": 0.02}, "data", "code") != base
    assert report.cache_key(nb, params, "data2", "code") != base
    assert report.cache_key(nb, params, "data", "code2") != base
    nb.write_text('{"changed": 1}', encoding="utf-8")
    assert report.cache_key(nb, params, "data", "code") != base


def test_data_fingerprint_follows_file_contents(tmp_path):
    (tmp_path / "v1").mkdir()
    f = tmp_path / "v1" / "market.csv"
    f.write_text("a\n1\n", encoding="utf-8")
    before = report.data_fingerprint(tmp_path)
    f.write_text("a\n2\n", encoding="utf-8")
    assert report.data_fingerprint(tmp_path) != before


def test_data_fingerprint_follows_case_files(tmp_path):
    """Chapter 07 reads cases/*.yaml: editing a case must rebuild, as editing data does."""
    (tmp_path / "data").mkdir()
    cases = tmp_path / "cases"
    cases.mkdir()
    case = cases / "c.yaml"
    case.write_text("fart: anskaffe\n", encoding="utf-8")
    before = report.data_fingerprint(tmp_path / "data", cases)
    case.write_text("fart: utvikle\n", encoding="utf-8")
    assert report.data_fingerprint(tmp_path / "data", cases) != before


def test_atomic_write_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "sub" / "x.html"
    report.atomic_write(target, "<p>ok</p>")
    assert target.read_text() == "<p>ok</p>"
    assert [p.name for p in target.parent.iterdir()] == ["x.html"]


def test_scenario_folder_names_language():
    s = Scenario.baseline()
    assert report.scenario_folder(s) == "baseline"
    assert report.scenario_folder(s.with_updates(lang="en")) == "baseline-en"


def test_html_table_escapes_data_text():
    df = pd.DataFrame({"segment": ["<script>alert(1)</script>"], "quote": ['"13,6" & <b>']})
    html = chapter_mod.html_table(df)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&quot;13,6&quot; &amp; &lt;b&gt;" in html


@pytest.fixture(scope="module")
def chapter():
    return chapter_mod.Chapter(Scenario.baseline(), inputs=load_inputs())


def test_figure_html_is_inline_svg_with_label_numbered_caption_source_and_downloads(chapter):
    files = {}
    html = chapter.figure_html("000-figur-5", files)
    assert html.startswith('<figure class="register" id="fig-000-figur-5"><svg role="img" aria-label="Av 13,6')  # the figure's message
    assert "<?xml" not in html and "<text" in html, "text as text"
    assert "<figcaption><strong>Figur 1.1: " in html
    assert "Kilder: Direktoratet for e-helse (2021a, figur 5); prosjektets antakelser" in html and ".txt" not in html
    assert all(f'href="downloads/000-figur-5.{ext}"' in html for ext in ("csv", "svg", "png"))
    assert files["png"].startswith(b"\x89PNG") and files["svg"].lstrip().startswith(b"<?xml")
    csv = pd.read_csv(io.BytesIO(files["csv"]))
    assert {"value", "unit", "source", "source_url"} <= set(csv.columns)
    assert csv["source"].str.startswith("Direktoratet for e-helse").all()
    assert "7,75" in html  # the plotted numbers, Norwegian format


def test_sources_appendix_lists_documents_values_parameters_and_folded_hashes(chapter):
    chapter.shown[:] = ["000-figur-5", "000-figur-7"]
    html = chapter.sources_html()
    inputs = chapter.inputs
    assert html.count("<h2") == 1 and "Kilder og metode" in html
    assert inputs.version in html
    details = html[html.index("<details>"):]
    for name, sha in inputs.file_hashes.items():
        assert name in details and sha in details, "hashes folded away"
    assert "Årlig produktivitetsvekst</td><td>0\u00a0%, 0,5\u00a0% og 2\u00a0%</td>" in html and "productivity_growth" not in html
    assert '<a href="https://www.ehelse.no/publikasjoner/' in html
    assert "linje 1532" in html and "Prosjektets antakelse</td><td>Direktoratet for e-helse (2021a), linje 1604–1607" in html
    assert ".txt:" not in html and "market.spend_total" not in html
    assert re.search(r"<h3[^>]*>[^<]*<a[^>]*>¶</a></h3>(<ul|<table|<p)", html), "no empty headings"
    heads = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', chapter.values_table(chapter.figure_sources("000-figur-5"), "x"))
    assert heads == ["Verdi", "Kilde", "Sted i kilden", "Sitat"], "no year in any row: no year column"
    heads = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', chapter.values_table(chapter.figure_sources("000-tabell-1"), "x"))
    assert "Verdi" not in heads and "Sitat" in heads, "rows of a table without values: no value column"
    src = chapter.figure_sources("000-figur-5")
    assert set(src["key"]) >= {"market.spend_total", "market.care_level.specialist_care"}
    assert src["locator"].str.contains(r"\.txt:\d+-\d+").all()


def test_parameters_table_names_the_scenario_and_data_version_as_the_page_does():
    inputs = load_inputs()
    scenario = Scenario.load(paths.SCENARIOS_DIR / "no-productivity.yaml")
    html = chapter_mod.Chapter(scenario, inputs=inputs, number=4).parameters_table()
    assert "<td>Scenario</td><td>Ingen produktivitetsvekst</td>" in html and "no-productivity" not in html
    assert f"<td>Dataversjon</td><td>{inputs.version}</td>" in html, "the version read, not \"som i dataene\""
    for lang in labels.LANGS:  # the column of the baseline's values is headed by the baseline's name
        box = chapter_mod.Chapter(scenario.with_updates(lang=lang), inputs=inputs, number=4).scenario_html()
        assert f'<th scope="col">{labels.label("baseline", lang)}</th>' in box
    base = chapter_mod.Chapter(Scenario.baseline().with_updates(lang="en"), inputs=inputs, number=1).parameters_table()
    assert f"<td>Scenario</td><td>{labels.label('baseline', 'en')}</td>" in base


def test_citations_as_readers_cite_them():
    inputs = load_inputs()
    cites = labels.citations(inputs.sources, "nb")
    assert cites["seed004"] == "Menon Economics (2022)"
    assert cites["ssb_rapporter_2019_12"] == "Statistisk sentralbyrå (2019)"
    # two publications of one publisher and year are told apart by letters, in registry order
    assert (cites["seed000"], cites["ehelse_ressursbruk_2020"]) == ("Direktoratet for e-helse (2021a)", "Direktoratet for e-helse (2021b)")
    assert cites["ssb_gledesbarn"] in ("Statistisk sentralbyrå (u.å.)", "Statistisk sentralbyrå (u.å.-a)")
    assert labels.citations(inputs.sources, "en")["ssb_gledesbarn"].startswith("Statistics Norway (n.d.")  # named in English
    two = pd.DataFrame({"source_id": ["a", "b"], "publisher": ["SSB", "SSB"], "year": [None, None], "title": ["x", "y"]})
    assert labels.citations(two, "nb") == {"a": "SSB (u.å.-a)", "b": "SSB (u.å.-b)"}


def test_figures_and_tables_are_numbered_per_chapter_in_order_of_first_mention():
    ch = chapter_mod.Chapter(Scenario.baseline().with_updates(lang="en"), inputs=load_inputs(), number=4)
    assert ch.figure_ref("004-figur-2-vifte") == "Figure 4.1"
    assert ch.table_ref("projection") == "Table 4.1"
    assert ch.figure_ref("004-figur-2") == "Figure 4.2"
    assert ch.figure_ref("004-figur-2-vifte") == "Figure 4.1", "a number is kept once given"
    html = ch.table_html(pd.DataFrame({"year": [2017], "value": [310000.4], "unit": ["fte"]}), caption={"nb": "x", "en": "Demand"}, id="projection")
    assert "<caption><strong>Table 4.1</strong>: Demand.</caption>" in html
    assert '<th scope="col" class="num">Value (FTEs)</th>' in html or '<th scope="col" class="num">Value (' in html
    assert '<td class="num">2017</td>' in html and '<td class="num">310,000</td>' in html


def test_manifest_and_index_from_written_manifests(tmp_path):
    folder = tmp_path / "baseline"
    folder.mkdir()
    manifest = {"lang": "nb", "data_version": "v", "package_version": "0", "parameters": {"description": "<i>d</i>"},
                "reports": {"01_a": {"title": "A <script>", "html": "01_a.html", "html_code": "01_a.code.html", "notebook": "01_a.ipynb"}}}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert report.write_index(tmp_path)
    index = (tmp_path / "index.html").read_text()
    assert 'href="baseline/01_a.html"' in index and "A &lt;script&gt;" in index and "&lt;i&gt;d&lt;/i&gt;" in index
    assert not report.write_index(tmp_path), "unchanged index is not rewritten"


def test_front_pages_one_per_language_link_each_other(tmp_path):
    for folder, lang in (("baseline", "nb"), ("baseline-en", "en")):
        (tmp_path / folder).mkdir()
        manifest = {"lang": lang, "parameters": {"name": "baseline", "description": {"nb": "Norsk tekst", "en": "English text"}},
                    "reports": {"01_a": {"title": "A", "html": "01_a.html", "html_code": "01_a.code.html", "notebook": "01_a.ipynb"}}}
        (tmp_path / folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    report.write_index(tmp_path)
    nb_page, en_page = (tmp_path / "index.html").read_text(), (tmp_path / "index-en.html").read_text()
    assert '<html lang="nb">' in nb_page and "Norsk tekst" in nb_page and "English text" not in nb_page
    assert '<html lang="en">' in en_page and "English text" in en_page and "Norsk tekst" not in en_page
    assert 'href="index-en.html" lang="en"' in nb_page and 'href="index.html" lang="nb"' in en_page
    assert 'href="baseline/01_a.html"' in nb_page and 'href="baseline-en/01_a.html"' in en_page
    assert 'href="baseline/manifest.json"' in nb_page


def test_front_page_tells_each_chapter_and_compares_scenarios(tmp_path):
    def manifest(name, growth, demand):
        return {"lang": "nb", "data_version": "2026-11-22",
                "parameters": {"name": name, "productivity_growth": growth, "horizon": 2060},
                "reports": {"04_w": {"title": "4 Arbeidskraft", "html": "04_w.html", "html_code": "04_w.code.html",
                                     "notebook": "04_w.ipynb", "lead": "Gjengir en figur.", "main_finding": "Gapet er stort.",
                                     "figures": [{"ref": "Figur 4.1", "title": "T", "files": {e: f"downloads/x.{e}" for e in ("csv", "svg", "png")}}],
                                     "key_figures": demand},
                            "05_g": {"title": "5 Gevinster", "html": "05_g.html", "html_code": "05_g.code.html", "notebook": "05_g.ipynb",
                                     "key_figures": {"gain_total": {"label": "Samlet gevinst", "value": 17.9, "unit": "NOK bn"}}}}}
    baseline = {"fte_demand:0.0": {"label": "Behov 2060, 0 % vekst", "value": 765824.28, "unit": "fte", "decimals": 0}}
    for name, growth, demand in (("baseline", [0.0, 0.005], baseline), ("what-if", [0.0175], {})):
        (tmp_path / name).mkdir()
        (tmp_path / name / "manifest.json").write_text(json.dumps(manifest(name, growth, demand)), encoding="utf-8")
    report.write_index(tmp_path)
    page = (tmp_path / "index.html").read_text()
    assert "Dataversjon 2026-11-22" in page or "2026-11-22" in page
    assert "Gjengir en figur." in page and "Hovedfunn:</strong> Gapet er stort." in page
    assert 'href="baseline/downloads/x.csv" download>CSV</a>' in page and "Figur 4.1" in page
    assert "For forskere" in page and 'href="what-if/04_w.code.html"' in page
    table = page[page.index('<table class="data comparison">'):page.index("</table>")]
    assert "<caption>" in table and "Behov 2060, 0 % vekst (årsverk)</th>" in table, "the unit in the row header"
    assert '<td class="num">765\u00a0824</td><td class="num">–</td>' in table, "numbers in the page's format"
    assert '<th scope="colgroup" colspan="3">4 Arbeidskraft</th>' in table, "rows grouped by chapter"
    assert "Samlet gevinst" not in table and "5 Gevinster" not in table, "a chapter whose key figures agree is left out"
    assert "Årlig produktivitetsvekst" in table and "1,75\u00a0%" in table, "differing parameters in reader words"
    assert table.index("baseline") < table.index("what-if"), "the baseline first"
    assert not (tmp_path / "index-en.html").exists()


@pytest.mark.parametrize(
    "source, lang, expected",
    [
        ("# Tittel\n\nTekst.\n\n<!-- en -->\n# Title\n\nText.", "nb", "# Tittel\n\nTekst."),
        ("# Tittel\n\nTekst.\n\n<!-- en -->\n# Title\n\nText.", "en", "# Title\n\nText."),
        ("# Bare norsk", "en", "# Bare norsk"),
        ("# Tittel\n<!-- en -->\n# Title", "xx", "# Tittel"),
        ("<!-- nb -->\n# Tittel\n<!-- en -->\n# Title", "nb", "# Tittel"),
        ("Inline <!-- en --> is not a marker", "nb", "Inline <!-- en --> is not a marker"),
    ],
)
def test_localise_markdown_keeps_the_report_language(source, lang, expected):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(source), nbformat.v4.new_code_cell("# <!-- en -->")])
    out = report.localise_markdown(nb, lang)
    assert out.cells[0].source == expected
    assert out.cells[1].source == "# <!-- en -->", "code cells are never touched"


def test_notebook_without_parameters_cell_fails_before_a_kernel_starts(tmp_path, monkeypatch):
    def no_kernel(self):
        raise AssertionError("kernel started")

    monkeypatch.setattr(report.SharedKernel, "manager", no_kernel)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    path = tmp_path / "01_x.ipynb"
    nbformat.write(nb, path)
    outcome = report.run_task(report.Task("01_x", str(path), "baseline", str(tmp_path / "out"), {}, "nb", "k"))
    assert outcome.status == "failed" and "no cell tagged 'parameters'" in outcome.message


def test_invalid_data_stops_the_build_before_a_kernel_starts(tmp_path, monkeypatch):
    """An unquoted decimal comma in a data file: one DataError naming file and line, nothing written."""
    from ehelse_market.errors import UserError
    from ehelse_market.inputs.scenario import Scenario

    def no_kernel(self):
        raise AssertionError("kernel started")

    monkeypatch.setattr(report.SharedKernel, "manager", no_kernel)
    data = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, data)
    market = resolve_version_dir(None, data) / "market.csv"  # the version a build loads
    market.write_text(market.read_text(encoding="utf-8").replace(",13.6,", ",13,6,"), encoding="utf-8")
    out = tmp_path / "reports"
    with pytest.raises(UserError) as exc:
        report.build(out, Scenario.baseline(), data_dir=data, progress=lambda _line: None)
    message = str(exc.value)
    assert "market.csv, line 2" in message and "write 13.6, not 13,6" in message
    assert not (out / "baseline" / "manifest.json").exists()


def test_result_tables_read_in_the_report_language():
    """Codes become words, fractions percent, årsverk whole numbers; notes and scenario are left out."""
    df = pd.DataFrame(
        {
            "scenario": ["baseline"] * 2,
            "variable": ["fte_demand", "share"],
            "segment": ["publicly_financed_health_care", "specialist_care"],
            "unit": ["fte", "percent"],
            "year": pd.array([2035, pd.NA], dtype="Int64"),
            "value": [453980.51, 57.0],
            "productivity_growth": [0.015, float("nan")],
            "note": ["an English remark", ""],
        }
    )
    nb = chapter_mod.format_values(df, "nb")
    assert list(nb.columns) == ["Variabel", "Segment", "Enhet", "År", "Verdi", "Produktivitetsvekst (%/år)"]
    assert nb.iloc[0].tolist() == ["Behov for årsverk", "Offentlig finansiert helse og omsorg", "årsverk", "2035",
                                   "453\u00a0981", "1,5"]
    assert nb.iloc[1].tolist() == ["Andel", "Spesialisthelsetjenesten", "prosent", "", "57", ""]
    en = chapter_mod.format_values(df, "en")
    assert en.iloc[0].tolist()[:1] == ["Demand for FTEs"] and en.iloc[0, 4] == "453,981"


def test_each_table_value_is_formatted_by_its_own_unit():
    """The tornado's numbers: the factor's value by its parameter (growth "%/år", a level in årsverk,
    a year without separator), gap and swing in whole årsverk; no seed locator without ``locate``."""
    from ehelse_market.analysis import sensitivity
    from ehelse_market.publishing import figures

    inputs, scenario = load_inputs(), Scenario.baseline()
    tornado = sensitivity.tornado(inputs, scenario)
    nb = chapter_mod.format_values(tornado, "nb").set_index("Faktor")
    factor = nb["Verdi av faktoren"]
    assert list(factor["Produktivitetsvekst"]) == ["0\u00a0%/år", "2\u00a0%/år"]
    assert list(factor["SSBs nivå i 2060"]) == ["556\u00a0200\u00a0årsverk", "679\u00a0800\u00a0årsverk"]
    assert list(factor["Basisår"]) == ["2017", "2020"] and factor["Sentral verdi"] == ""
    assert list(nb.loc["Produktivitetsvekst", "Avvik fra referansebanen (årsverk)"]) == ["147\u00a0824", "\u2212291\u00a0170"]
    assert "Utslag (årsverk)" in nb.columns and not nb["Utslag (årsverk)"].str.contains(",").any()
    en = chapter_mod.format_values(tornado, "en")
    assert {"0\u00a0%/yr", "2\u00a0%/yr", "2017", "556,200\u00a0FTE"} <= set(en["Value of the factor"])
    ratings = figures.get("000-tabell-1").data(inputs, scenario)
    shown = chapter_mod.format_values(ratings, "nb")
    assert "Sted i kilden" not in shown.columns and "År" not in shown.columns, "no locator, no empty year column"
    located = chapter_mod.format_values(ratings, "nb", locate=lambda loc, sid: "linje 1")
    assert set(located["Sted i kilden"]) == {"linje 1"}


def test_every_table_column_shares_its_precision_and_a_data_row_keeps_its_own():
    """One rule for every table (labels.value_texts): numbers of one unit in a column share the
    decimals the most precise of them needs; a value below 1 keeps three significant digits; a
    number alone (a data row in the sources appendix) shows the decimals its source writes."""
    assert labels.value_texts([7.752, 3.196, 3.332, 13.6, None], ["NOK bn"] * 5, "en") == ["7.75", "3.20", "3.33", "13.60", ""]
    assert labels.value_texts([0.0, 0.005 * 100, 2.0], ["percent/yr"] * 3, "nb") == ["0,0", "0,5", "2,0"]
    assert labels.value_texts([26, 7.8, 0.115], ["NOK bn"] * 3, "nb") == ["26,00", "7,80", "0,115"]
    assert labels.value_texts([57, 33.333, 310000.4, 2017], ["percent", "percent", "fte", "year"], "nb") == ["57,00", "33,33", "310\u00a0000", "2017"]
    assert [labels.value_text(v, "percent", "nb") for v in (57, 33.33, 0.4)] == ["57", "33,33", "0,4"]
    bands = chapter_mod.format_values(pd.DataFrame({"segment": ["a", "b"], "unit": ["NOK bn"] * 2, "p5": [3.196, 3.332]}), "en")
    assert bands.iloc[:, 1].tolist() == ["3.20", "3.33"]


def test_wide_tables_read_across_with_units_in_headers_and_row_headers():
    from ehelse_market.domain import ict, market

    inputs, scenario = load_inputs(), Scenario.baseline()
    split = chapter_mod.wide_values(market.split(inputs, scenario), "nb", stub="care_level")
    assert list(split.columns)[:3] == ["Omsorgsnivå", "Andel (%)", "Utgift (mrd.\u00a0kr)"]
    assert split.iloc[0, :3].tolist() == ["Spesialisthelsetjenesten", "57", "7,75"]
    assert split.iloc[-1].tolist()[:3] == ["Totalt", "\u2013", "13,60"], "no number: a dash; the column's precision"
    low = split.set_index("Omsorgsnivå")["Utgift, nedre (mrd.\u00a0kr)"]
    assert low.tolist() == ["7,68", "3,20", "2,52", "\u2013"], "one precision per column: 3,20 beside 3,33, not 3,2"
    assert split.attrs["row_headers"] == 1 and "Andel (%)" in split.attrs["numeric"]
    series = chapter_mod.wide_values(ict.series(inputs), "en", across="year", rows=("variable", "segment"), stub=("measure", "actor"))
    assert list(series.columns) == ["Measure", "Actor", "2017 (%)", "2019 (%)", "2020 (%)"], "years in order, unit in header"
    html = chapter_mod.html_table(series)
    assert '<th scope="row">ICT share of operating income</th>' in html and '<th scope="col" class="num">2019 (%)</th>' in html
    with pytest.raises(ValueError, match="differ in variable"):
        chapter_mod.wide_values(ict.series(inputs), "nb", across="year")
    with pytest.raises(ValueError, match="given twice"):
        chapter_mod.wide_values(pd.concat([market.split(inputs, scenario)] * 2), "nb")


def test_a_figure_whose_numbers_are_a_table_links_to_it_instead_of_repeating_them():
    ch = chapter_mod.Chapter(Scenario.baseline(), inputs=load_inputs(), number=1)
    html = ch.figure_html("000-figur-5", numbers="split")
    assert '<p class="plotted">Tallene i figuren står i <a href="#tab-split">Tabell 1.1</a>.</p>' in html
    assert "<table" not in html and "<details" not in html
    assert 'id="tab-split"' in ch.table_html(pd.DataFrame({"segment": ["total"], "unit": ["NOK bn"], "value": [13.6], "variable": ["spend"]}),
                                             id="split", across="variable")


def test_a_description_citing_an_unknown_document_stops_the_build_before_a_kernel_starts(tmp_path, monkeypatch):
    """A scenario description citing a source id the data version lacks: one error naming the
    scenario and the id, before any kernel starts (every chapter would fail on it)."""
    from ehelse_market.errors import UserError
    from ehelse_market.inputs.scenario import Scenario

    def no_kernel(self):
        raise AssertionError("kernel started")

    monkeypatch.setattr(report.SharedKernel, "manager", no_kernel)
    scenario = Scenario.baseline().with_updates(name="cited", productivity_growth=[0.0175],
                                                description={"nb": "Se @nosuchsource.", "en": "See @nosuchsource."})
    with pytest.raises(UserError, match="scenario 'cited': its description \\(nb\\) cites .*'nosuchsource'"):
        report.build(tmp_path / "reports", scenario, progress=lambda _line: None)
    assert not (tmp_path / "reports" / "cited" / "manifest.json").exists()
