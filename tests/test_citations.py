"""One document, one label on a page: the prose, figure source lines, tooltips and tables of every
built chapter cite each document as its sources appendix lists it.

Labels come from one function (``labels.citations`` / ``labels.cite``) driven by the data version's
sources table; this test reads the built pages, so a label typed by hand anywhere ("Direktoratet
for e-helse (2021)" beside an appendix entry "(2021a)") fails it.
"""

from __future__ import annotations

import html
import re

import pytest

from ehelse_market.inputs import load_inputs
from ehelse_market.publishing import labels

#: a year label as documents are cited: "2021", "2021a", "u.å.", "u.å.-b", "n.d.-a"
TOKEN = r"(?:\d{4}[a-z]?|u\.å\.(?:-[a-z])?|n\.d\.(?:-[a-z])?)"
_APPENDIX = re.compile(r'<section class="sources-method">.*?</section>', re.S)
_LISTED = re.compile(r'<ul class="sources">(.*?)</ul>', re.S)
_ENTRY = re.compile(r"<li><strong>(.*?)</strong>", re.S)
_TAG = re.compile(r"<[^>]+>")


def _text(markup: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", markup)).split())


def listed(page: str) -> dict[str, set[str]]:
    """Publisher -> the year labels the page's sources appendix lists for it."""
    out: dict[str, set[str]] = {}
    for block in _LISTED.findall(page):
        for entry in _ENTRY.findall(block):
            m = re.match(rf"^(.*) \(({TOKEN})\)$", _text(entry))
            if m is None:  # the project's own assumptions: not a document with a year
                continue
            out.setdefault(m.group(1), set()).add(m.group(2))
    return out


def disagreements(page: str, publishers) -> list[str]:
    """Citations outside the sources appendix whose year label the appendix does not list for that
    publisher (or whose publisher it does not list at all). ``publishers``: every publisher of the
    data version in the page's language. A citation of a document the registry lacks, given as
    "X, gjengitt i ..." / "as cited in", carries no year after the publisher and is not checked."""
    appendix = listed(page)
    body = _text(_APPENDIX.sub(" ", page))
    found = []
    for pub in sorted(publishers, key=len, reverse=True):
        for m in re.finditer(rf"{re.escape(pub)}(?: \(|, )(?={TOKEN}\b)([^()]*)", body):
            tokens = re.findall(rf"(?:^|[,;] ){TOKEN}(?=[,;]|$)", m.group(1))
            for token in (t.lstrip(",; ") for t in tokens):
                if token not in appendix.get(pub, set()):
                    found.append(f"{pub} {token!r} ({body[max(0, m.start() - 40):m.end() + 10]!r}); appendix lists {sorted(appendix.get(pub, []))}")
    return found


def test_the_check_finds_a_label_the_appendix_does_not_give():
    page = ('<p>Som Direktoratet for e-helse (2021, kapittel 4.4) skriver, og (Menon Economics, 2022, figur 2).</p>'
            '<section class="sources-method"><ul class="sources"><li><strong>Direktoratet for e-helse (2021a)</strong>. '
            '<cite>T</cite>.</li><li><strong>Menon Economics (2022)</strong>.</li></ul></section>')
    found = disagreements(page, ["Direktoratet for e-helse", "Menon Economics"])
    assert len(found) == 1 and "'2021'" in found[0]
    assert not disagreements(page.replace("(2021,", "(2021a,"), ["Direktoratet for e-helse", "Menon Economics"])
    # a document cited in the prose but missing from the appendix
    assert disagreements('<p>Health2B (2026)</p><section class="sources-method"></section>', ["Health2B"])


@pytest.mark.slow
@pytest.mark.parametrize("lang", labels.LANGS)
def test_prose_figures_and_appendix_give_each_document_one_label(reader_builds, lang):
    publishers = {pub for pub, _ in labels.citation_keys(load_inputs().sources, lang).values()}
    pages = sorted(p for p in reader_builds[lang].glob("[0-9][0-9]_*.html") if not p.name.endswith(".code.html"))
    assert len(pages) >= 7
    problems, cited = [], 0
    for path in pages:
        page = path.read_text(encoding="utf-8")
        problems += [f"{path.name}: {p}" for p in disagreements(page, publishers)]
        cited += sum(len(v) for v in listed(page).values())
    assert not problems, "\n".join(problems)
    assert cited >= 7, "every chapter lists the documents it cites"


def test_a_scenario_description_cites_documents_through_the_one_citation_function():
    """Scenario files cite as the notebooks do (``@seed004``): the chapter's scenario box, its
    parameters table and the front page print the appendix's label, and the appendix lists it."""
    from ehelse_market import paths
    from ehelse_market.inputs.scenario import Scenario
    from ehelse_market.publishing import chapter as chapter_mod
    from ehelse_market.publishing import report

    inputs = load_inputs()
    scenario = Scenario.load(paths.SCENARIOS_DIR / "no-productivity.yaml")
    for lang, said in (("nb", "Menon Economics (2022) skriver"), ("en", "Menon Economics (2022) warns")):
        ch = chapter_mod.Chapter(scenario.with_updates(lang=lang), inputs=inputs, number=4)
        assert said in _text(ch.scenario_html()) and "@seed004" not in ch.scenario_html()
        appendix = ch.sources_html()
        assert said in _text(appendix) and listed(appendix)["Menon Economics"] == {"2022"}
        manifest = {"parameters": {"name": scenario.name, "description": scenario.description}, "data_version": inputs.version}
        assert said in report._front_scenario("no-productivity", manifest, lang)["description"]
    base = chapter_mod.Chapter(Scenario.baseline(), inputs=inputs, number=1)
    assert "som ifølge Menon Economics (2022) gir «150 000 årsverk mer»" in _text(base.sources_html())


def test_scenario_files_cite_documents_by_source_id_not_by_typed_label():
    """A typed "Menon Economics (2022)" would not follow the sources table (a second 2022 document
    makes it "2022a"); every ``@id`` a scenario file cites is in the newest data version."""
    import yaml

    from ehelse_market import paths

    sources = load_inputs().sources
    files = sorted(paths.SCENARIOS_DIR.glob("*.yaml"))
    assert len(files) >= 4
    for path in files:
        description = yaml.safe_load(path.read_text(encoding="utf-8")).get("description") or {}
        for lang, text in (description.items() if isinstance(description, dict) else [("nb", description)]):
            assert not re.search(rf"\({TOKEN}[,)]", text), f"{path.name} ({lang}): a citation typed by hand"
            labels.cite_text(text, sources, lang)  # an unknown source id raises, naming it
