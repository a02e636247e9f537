"""The chapter's words for readers: main points, the scenario header, parameters in reader words."""

from __future__ import annotations

import pytest

from ehelse_market.errors import ParameterError
from ehelse_market.inputs import load_inputs
from ehelse_market.inputs.scenario import KINDS, PARAMETERS, Scenario, parameter_kind
from ehelse_market.publishing import labels
from ehelse_market.publishing.chapter import Chapter


def test_every_scenario_parameter_has_a_kind_and_a_name_in_both_languages():
    fields = set(Scenario.model_fields) - {"name", "description", "lang"}
    assert fields == set(PARAMETERS), "the report lists every scenario parameter but name, description and lang"
    for lang in labels.LANGS:
        for name in fields:
            assert parameter_kind(name) in KINDS
            assert labels.parameter(name, lang).strip()


@pytest.mark.parametrize(
    ("name", "value", "nb", "en"),
    [
        ("productivity_growth", [0.0, 0.005, 0.02], "0\u00a0%, 0,5\u00a0% og 2\u00a0%", "0%, 0.5% and 2%"),
        ("growth_range", [0.0, 0.02], "0\u20132\u00a0%", "0\u20132%"),
        ("base_year_range", [2017, 2020], "2017\u20132020", "2017\u20132020"),
        ("mc_samples", 2000, "2\u00a0000", "2,000"),
        ("seed", 20211001, "20211001", "20211001"),
        ("reference_level_2060", 618000.0, "618\u00a0000\u00a0årsverk", "618,000\u00a0FTE"),
        ("reference_level_2060", None, "som i dataene", "as in the data"),
    ],
)
def test_parameter_values_read_as_the_report_writes_numbers(name, value, nb, en):
    assert labels.parameter_value(name, value, "nb") == nb
    assert labels.parameter_value(name, value, "en") == en


def test_the_baseline_shows_no_scenario_header():
    assert Chapter(Scenario.baseline()).scenario_html() == ""


@pytest.mark.parametrize("lang", labels.LANGS)
def test_a_scenario_page_names_its_scenario_and_what_it_changes(lang):
    scenario = Scenario.baseline().with_updates(name="what-if", productivity_growth=[0.0], lang=lang)
    html = Chapter(scenario).scenario_html()
    assert "what-if" in html
    assert labels.parameter("productivity_growth", lang) in html
    assert labels.parameter_value("productivity_growth", [0.0], lang) in html  # this scenario
    assert labels.parameter_value("productivity_growth", Scenario.baseline().productivity_growth, lang) in html
    assert labels.parameter("horizon", lang) not in html, "only the parameters that differ"


def test_main_points_fill_numbers_and_refuse_a_wrong_count(monkeypatch):
    shown = []
    monkeypatch.setattr("ehelse_market.publishing.chapter._display_html", lambda markup, plain: shown.append(markup))
    chapter = Chapter(Scenario.baseline())
    points = ["Totalt {market.spend_total}.", "Gapet er {gap}.", "Tredje <punkt>."]
    chapter.main_points(nb=points, en=["a", "b", "c"], gap="42")
    assert "<h2 id=\"main-points\">Hovedpunkter<a class=\"anchor-link\"" in shown[0]
    assert "Totalt 13,6\u00a0mrd. kr." in shown[0] and "Gapet er 42." in shown[0]
    assert "&lt;punkt&gt;" in shown[0]
    with pytest.raises(ValueError, match="3 to 5"):
        chapter.main_points(nb=["a", "b"], en=["a", "b"])


@pytest.mark.parametrize(
    ("name", "lang", "expected"),
    [
        ("Direktoratet for e-helse", "nb", "Direktoratet for e-helse"),
        ("Direktoratet for e-helse", "en", "Norwegian Directorate of eHealth"),
        ("Statistisk sentralbyrå (Hjemås, Holmøy & Haugstveit)", "en", "Statistics Norway"),
        ("Menon Economics", "nb", "Menon Economics"),
    ],
)
def test_publishers_are_named_as_readers_name_them(name, lang, expected):
    assert labels.publisher(name, lang) == expected


def test_one_citation_function_serves_prose_source_lines_and_brackets():
    sources = load_inputs().sources
    assert labels.cite(sources, [("seed004", "figur 2"), "ssb_rapporter_2019_12", "project"], "nb") == (
        "Menon Economics (2022, figur 2); Statistisk sentralbyrå (2019); prosjektets antakelser")
    # one publisher's documents are grouped, each by its one label (letters as in the appendix)
    assert labels.cite(sources, ["ehelse_ressursbruk_2020", "seed000", "ehelse_nyhet_ressursbruk_2017"], "en") == (
        "Norwegian Directorate of eHealth (2019, 2021a, 2021b)")
    text = "Som @seed004 [kapittel 1.1] skriver [@seed000, kapittel 6.2.4; @seed001], og [Menon, gjengitt i @seed000]; a@b.no."
    cited: list[str] = []
    assert labels.cite_text(text, sources, "nb", cited=cited) == (
        "Som Menon Economics (2022, kapittel 1.1) skriver (Direktoratet for e-helse, 2021a, kapittel 6.2.4; 2022), "
        "og (Menon, gjengitt i Direktoratet for e-helse, 2021a); a@b.no.")
    assert cited == ["seed004", "seed000", "seed001"]
    assert labels.cite_text("[@williamson_1991; rapportens tabell 1]", sources, "en") == "(Williamson, 1991; rapportens tabell 1)"
    with pytest.raises(ParameterError, match="source_id"):
        labels.cite_text("@seed999", sources, "nb")


@pytest.mark.parametrize("lang", labels.LANGS)
def test_result_tables_cite_sources_and_computed_numbers_read_as_prose(lang):
    from ehelse_market.domain import ict, market
    from ehelse_market.publishing.chapter import format_values

    chapter = Chapter(Scenario.baseline().with_updates(lang=lang))
    shown = format_values(ict.series(chapter.inputs), lang, cite=chapter.cite)
    assert "seed000" not in shown.to_string() and labels.citations(chapter.inputs.sources, lang)["seed000"] in shown.to_string()  # "(2021a)"
    split = market.split(chapter.inputs, chapter.scenario)
    assert chapter.result(split, variable="spend", segment="specialist_care") == {"nb": "7,75\u00a0mrd. kr", "en": "NOK\u00a07.75 billion"}[lang]
    with pytest.raises(ValueError, match="need exactly one"):
        chapter.result(split, variable="spend")


@pytest.mark.parametrize("lang", labels.LANGS)
def test_verbatim_source_text_is_marked_norwegian(lang):
    """Quotes stay as published (Norwegian) and say so: lang="nb" on their cells (WCAG 3.1.2)."""
    import pandas as pd

    from ehelse_market.publishing.chapter import format_values, html_table

    df = pd.DataFrame({"key": ["k"], "quote": ["ca 57 prosent"], "value": [57.0], "unit": ["percent"]})
    html = html_table(format_values(df, lang))
    assert '<td lang="nb">ca 57 prosent</td>' in html
    assert html.count('lang="nb"') == 1, "only the quotation is marked"
    assert '<td lang="nb">ca 57 prosent</td>' in html_table(df)  # raw tables (the provenance) too
