"""Notebook side of a report chapter: the API the chapter notebooks call.

A chapter notebook is thin::

    scenario = notebook_params.validate(globals())
    chapter = Chapter(scenario, number=4)
    chapter.scenario_header()
    chapter.main_points(nb=[...], en=[...])
    chapter.say(nb=f"... ({chapter.figure_ref('004-figur-2')}) ...", en=...)
    chapter.show("004-figur-2")
    chapter.table(frame, caption={"nb": "...", "en": "..."}, id="projection")
    chapter.sources()

Figures and tables are numbered per chapter in the order they are first named (by a reference or
by being shown): "Figur 4.1", "Tabell 4.2" ("Figure 4.1", "Table 4.2" in English), so the prose
can cite a number before the figure appears. Documents are named as readers cite them
through the one citation function, :func:`labels.cite`, from the data version's sources table:
"Direktoratet for e-helse (2021a)" in the prose (written ``@seed000`` or ``[@seed000, kapittel 4.5]``,
see :data:`labels.CITATION`), the figures' source lines and tooltips, the tables and the appendix
alike. Exact locators, quotes, parameters and input hashes go to the closing "Kilder og metode" /
"Sources and method" appendix.

Everything shown is HTML built here with every data-derived text escaped (a label holding
``<script>`` is shown as text). Figures are inline SVG (text as text) with alt text, caption,
source line and download links; the PNG, SVG and CSV travel in the display output (see
:data:`DOWNLOAD_META`) and the builder writes them beside the report. No random ids or times:
two runs give the same bytes.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Hashable, Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ehelse_market import __version__
from ehelse_market.inputs.scenario import PARAMETERS
from ehelse_market.publishing import figures, labels, markup

if TYPE_CHECKING:
    from ehelse_market.inputs.loader import Inputs
    from ehelse_market.inputs.scenario import Scenario

_VALUE_COLUMNS = ("key", "value", "unit", "year", "source_id", "locator", "quote")
#: display-output metadata key under which a figure's downloadable files travel to the builder
DOWNLOAD_META = "ehelse_market_downloads"
#: folder (beside the report pages) holding each figure's CSV, SVG and PNG
DOWNLOAD_DIR = "downloads"
#: display-output metadata key under which a chapter's key figures travel to the builder (the
#: front page's comparison of scenarios reads them from the manifest)
KEY_FIGURES_META = "ehelse_market_key_figures"


#: Escape any value for HTML text and attributes (the one escaping path, :mod:`markup`).
_e = markup.html


# --------------------------------------------------------------------------- citations


_ENGLISH = re.compile(r"\b(on|of|the|and|news|item|report)\b")


def _title(text: str) -> str:
    """A source's title as listed: a trailing remark in brackets in another language than the title
    (the registry's "(news item on …)") is left out."""
    text = str(text or "").strip()
    m = re.match(r"^(.*\S)\s*\(([^()]*)\)$", text)
    if m and quote_lang(m.group(1)) == "nb" and _ENGLISH.search(m.group(2)):
        return m.group(1)
    return text


_LOCATOR = figures._LOCATOR
_NORWEGIAN = re.compile(r"[æøåÆØÅ]|\b(og|ikke|som|er|av|til|på|det|ved|fra|har|vi|kan|mer)\b")


#: a word too long to wrap at a space (an identifier, a checksum): its cell may break it anywhere
_LONG_TOKEN = re.compile(r"[^\s]{30,}|\w[._/:]\w[^\s]{6,}")


def quote_lang(text: str) -> str:
    """The language of a verbatim quote: "nb" when it reads as Norwegian, else "en"."""
    return "nb" if _NORWEGIAN.search(str(text or "")) else "en"


#: Columns holding verbatim text from the source documents, which are Norwegian: their cells carry
#: ``lang="nb"`` (WCAG 3.1.2), so an English report marks them as quotations in Norwegian.
SOURCE_TEXT_COLUMNS = ("quote", "text_nb")


def html_table(
    df: pd.DataFrame,
    headers: dict[str, str] | None = None,
    cls: str = "data",
    caption: str | None = None,
    numeric: Iterable[str] | None = None,
    table_id: str | None = None,
    cell_lang: dict[str, str] | None = None,
    row_headers: int | None = None,
) -> str:
    """An escaped HTML table of ``df`` (columns renamed by ``headers``): header cells ``scope="col"``,
    an optional ``<caption>``, ``numeric`` columns (default ``df.attrs["numeric"]``) right-aligned, ``cell_lang`` {column: lang} marking
    cells in another language (default: source-text columns, :data:`SOURCE_TEXT_COLUMNS` or named in
    ``df.attrs["source_text"]``, are ``lang="nb"``). The first ``row_headers`` columns (default
    ``df.attrs["row_headers"]``, else none) are row headers, ``<th scope="row">``: the stub of a
    wide table. No styles; an id only if given."""
    stub = int(df.attrs.get("row_headers", 0) if row_headers is None else row_headers)
    headers = headers or {}
    numeric = set(df.attrs.get("numeric", ()) if numeric is None else numeric)
    quoted = set(SOURCE_TEXT_COLUMNS) | set(df.attrs.get("source_text", ()))
    cell_lang = {**{c: "nb" for c in df.columns if c in quoted}, **(cell_lang or {})}

    def cls_of(col: Hashable, text: str = "") -> str:
        if col in numeric:
            return ' class="num"'
        return ' class="long"' if _LONG_TOKEN.search(text) else ""

    head = "".join(f'<th scope="col"{cls_of(c, str(headers.get(c, c)))}>{_e(headers.get(c, c))}</th>' for c in df.columns)
    body = []
    for row in df.itertuples(index=False):
        cells = []
        for i, (col, v) in enumerate(zip(df.columns, row)):
            lang_attr = f' lang="{cell_lang[col]}"' if col in cell_lang and _e(v) else ""
            tag, scope = ("th", ' scope="row"') if i < stub else ("td", "")
            cells.append(f"<{tag}{scope}{cls_of(col, str(_e(v)))}{lang_attr}>{_e(v)}</{tag}>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    ident = f' id="{_e(table_id)}"' if table_id else ""
    cap = f"<caption>{caption}</caption>" if caption else ""
    return (f'<table class="{cls}"{ident}>{cap}<thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')


#: Columns holding annual growth rates as fractions (0.005) that readers know as "0,5 %/år".
PERCENT_COLUMNS = ("productivity_growth",)
#: Columns measured in the row's ``unit`` (the tornado's gap and swing are årsverk like its value):
#: each cell is formatted by that unit (:func:`labels.value_text`: årsverk whole, years without
#: separators) and the unit goes into the header when the table has one unit.
UNIT_COLUMNS = ("value", "gap", "swing", "p5", "p50", "p95")
#: Columns holding numbers (right-aligned) whatever their dtype after formatting.
_NUMERIC_COLUMNS = ("year", *UNIT_COLUMNS, *PERCENT_COLUMNS)


def unit_header(name: str, unit_code: str, lang: str) -> str:
    """A column header with its unit in brackets, the unit as a table heads it: "Andel (%)",
    "Produktivitetsvekst (%/år)", "Utgift (mrd. kr)"; no brackets without a unit."""
    code = str(unit_code or "").strip()
    if not code:
        return name
    short = {"percent": "%", "percent/yr": labels.word("percent_per_year", lang)}.get(code) or labels.unit(code, lang)
    return f"{name} ({short.replace(' ', chr(0xA0))})"  # "(mrd. kr)" wraps as one


def growth_text(fraction: float, lang: str) -> str:
    """An annual growth rate (a fraction) as a table cell: "0,5 %/år" ("0.5 %/yr")."""
    if fraction is None or pd.isna(fraction):
        return ""
    return f"{labels.number(100 * float(fraction), None, lang)}\u00a0{labels.word('percent_per_year', lang)}"


def parameter_text(parameter: str, value: Any, lang: str) -> str:
    """The value of a scenario parameter in a table cell, by that parameter's kind: a growth rate
    as "%/år", a level in årsverk, a year without separator; "" for a value of no parameter."""
    if value is None or pd.isna(value) or parameter not in PARAMETERS:
        return ""
    if parameter in PERCENT_COLUMNS:
        return growth_text(value, lang)
    return labels.parameter_value(parameter, value, lang)


def format_values(df: pd.DataFrame, lang: str, cite: Callable[[str], str] | None = None,
                  locate: Callable[[str, str], str] | None = None) -> pd.DataFrame:
    """A tidy result frame made readable: labels for codes, every number in the report's format by
    its own unit, a ``source_id`` as the reader cites the source (``cite(source_id)``; left out
    without one), a seed ``locator`` as a reader reads it (``locate(locator, source_id)``; left
    out without one: exact locators belong in the sources appendix).

    When every row has the same unit, the unit goes into the headers of the columns measured in it
    ("Verdi (årsverk)") and the unit column is left out. A ``parameter_value`` column (the
    sensitivity's factor values) is formatted by the row's parameter (``segment``). The returned
    frame's ``attrs["numeric"]`` names the columns that hold numbers (right-aligned in tables).
    """
    out = pd.DataFrame(index=df.index)
    numeric = []
    units = df["unit"] if "unit" in df.columns else pd.Series("", index=df.index)
    one_unit = "unit" in df.columns and units.nunique(dropna=False) == 1 and any(c in df.columns for c in UNIT_COLUMNS)
    sids = df["source_id"] if "source_id" in df.columns else pd.Series("", index=df.index)
    for col in df.columns:
        s = df[col]
        name = None
        if col == "source_id":
            if cite is None:
                continue
            name = labels.word("source", lang)
            out[name] = s.map(lambda v: cite(v) if isinstance(v, str) and v else "")
        elif col == "locator":
            if locate is None:
                continue
            name = labels.word("locator", lang)
            out[name] = [locate(loc, sid if isinstance(sid, str) else "") for loc, sid in zip(s, sids)]
        elif col == "segment":  # in a sensitivity table the segment is the factor varied
            name = labels.word("factor" if "parameter_value" in df.columns else "segment", lang)
            out[name] = s.map(lambda v: labels.label(v, lang) if isinstance(v, str) and v else "")
        elif col == "unit":
            if one_unit:
                continue
            name = labels.word("unit", lang)
            out[name] = s.map(lambda v: labels.unit(v, lang))
        elif col in UNIT_COLUMNS:
            name = labels.word(col, lang)
            if one_unit:
                name = unit_header(name, units.iloc[0], lang)
            out[name] = labels.value_texts(s, units, lang)
        elif col == "year":
            if s.isna().all():  # a number without a year (the documents give none): no empty column
                continue
            name = labels.word("year", lang)
            out[name] = s.map(lambda v: "" if pd.isna(v) else str(int(v)))
        elif col == "status":
            name = labels.word("status", lang)
            out[name] = s.map(lambda v: labels.label(v, lang) if isinstance(v, str) else "")
        elif col == "variable":
            name = labels.word("variable", lang)
            out[name] = s.map(lambda v: labels.label(v, lang))
        elif col in PERCENT_COLUMNS:
            name = unit_header(labels.header(col, lang), "percent/yr", lang)
            out[name] = labels.value_texts(100 * s, ["percent/yr"] * len(s), lang)
        elif col == "parameter_value" and "segment" in df.columns:
            name = labels.header(col, lang)
            out[name] = [parameter_text(p, v, lang) for p, v in zip(df["segment"], s)]
            numeric.append(name)
        elif col in ("scenario", "note"):
            # the scenario is named at the top of the page; notes are the data log's and the library's
            # English remarks for researchers (the narrative states the caveats in the report language)
            continue
        elif s.notna().any() and s.dropna().map(lambda v: isinstance(v, (bool, np.bool_))).all():  # yes / no
            name = labels.header(col, lang)
            out[name] = s.map(lambda v: "" if pd.isna(v) else labels.word("yes" if v else "no", lang))
        elif pd.api.types.is_integer_dtype(s):
            name = labels.header(col, lang)
            out[name] = s.map(lambda v: "" if pd.isna(v) else labels.number(v, 0, lang))
            numeric.append(name)
        elif pd.api.types.is_float_dtype(s):
            name = labels.header(col, lang)
            out[name] = [t or "\u2013" for t in labels.value_texts(s, [""] * len(s), lang)]
            numeric.append(name)
        else:
            name = labels.header(col, lang)
            out[name] = s.astype(object).where(s.notna(), "").map(lambda v: labels.label(v, lang) if isinstance(v, str) else v)
        if col in _NUMERIC_COLUMNS:
            numeric.append(name)
    out = out.reset_index(drop=True)
    out.attrs["numeric"] = numeric
    out.attrs["source_text"] = [labels.header(c, lang) for c in SOURCE_TEXT_COLUMNS if c in df.columns]
    return out


def wide_values(df: pd.DataFrame, lang: str, across: str = "variable", rows: Iterable[str] = ("segment",),
                stub: str | Iterable[str] | None = None) -> pd.DataFrame:
    """A tidy result frame (``variable``, ``segment``, ``unit``, ``year``, ``value``) turned wide, for
    reading across a row: one row per ``rows`` value, one column per ``across`` value, both in order
    of first appearance. Headers carry the unit ("Andel (%)", "Utgift (mrd. kr)"; across years
    "2019 (%)" when the table has one unit) and a year the whole table shares ("Eksport 2020
    (mrd. kr)"); each cell is formatted by its own unit; "–" where the frame has no number.
    ``stub``: the catalogue words heading the row columns, in order ("care_level": "Omsorgsnivå";
    default: the column's own header).

    The returned frame's ``attrs`` name its numeric columns and its ``row_headers`` (the stub).
    A (row, column) pair given twice, or a variable or year that is neither a row nor a column but
    differs between rows, raises ValueError: name more ``rows``.
    """
    rows = list(rows)
    stubs = [stub] if isinstance(stub, str) else list(stub or ())
    heads = [labels.word(stubs[i], lang) if i < len(stubs) else labels.header(r, lang) for i, r in enumerate(rows)]
    d = df.reset_index(drop=True)
    units = d["unit"].fillna("").astype(str) if "unit" in d.columns else pd.Series("", index=d.index)
    keys = [tuple(r) for r in d[rows].itertuples(index=False, name=None)]
    if len(set(zip(keys, d[across]))) != len(d):
        raise ValueError(f"wide_values: a ({', '.join(rows)}) x {across} cell is given twice; name more rows")
    years = d["year"].dropna().unique() if "year" in d.columns and "year" not in (*rows, across) else []
    one_year = f" {int(years[0])}" if len(years) == 1 and d["year"].notna().all() else ""
    for dim in ("variable", "year"):  # two measures or two years in one cell's place: say which
        if dim in d.columns and dim not in (*rows, across) and d[dim].nunique() > 1:
            raise ValueError(f"wide_values: the rows differ in {dim}; put {dim} in rows or across")

    def cell_name(v: Any) -> str:
        if across == "year":
            return str(int(v))
        return labels.label(v, lang) if isinstance(v, str) else str(v)

    columns: dict = {}
    for v in (sorted(set(d[across].dropna())) if across == "year" else dict.fromkeys(d[across])):
        its = set(units[d[across] == v]) if across != "year" else set(units)
        name = cell_name(v) + one_year
        columns[v] = unit_header(name, its.pop(), lang) if len(its) == 1 else name
    row_keys = list(dict.fromkeys(keys))
    cells: dict[tuple[tuple, Any], str] = {}  # (row, column) -> text, each column's numbers of one unit sharing their precision
    for c in columns:
        at = d[across] == c
        texts = labels.value_texts(d.loc[at, "value"], units[at], lang)
        cells.update(zip(((k, c) for k, a in zip(keys, at) if a), texts))
    out = pd.DataFrame({
        **{head: [labels.label(k[i], lang) if isinstance(k[i], str) else ("" if pd.isna(k[i]) else str(int(k[i]))) for k in row_keys]
           for i, head in enumerate(heads)},
        **{name: [cells.get((k, c), "\u2013") for k in row_keys] for c, name in columns.items()},
    })
    out.attrs["numeric"] = list(columns.values())
    out.attrs["row_headers"] = len(rows)
    out.attrs["source_text"] = []
    return out


_NUMBER_TEXT = re.compile(r"^[\u2212\-]?[\d\s\u00a0\u202f.,]*\d[\d\s\u00a0\u202f.,]*(\s?%)?$")


def _looks_numeric(column: pd.Series) -> bool:
    """True when every filled cell is a number written as text ("147 824,28", "−0,5"): right-aligned."""
    cells = [str(v) for v in column if str(v).strip() not in ("", "–")]
    return bool(cells) and all(_NUMBER_TEXT.match(c.strip()) for c in cells)


def _sentence(text: str) -> str:
    """``text`` ending with a full stop (a caption title runs on into the caption text)."""
    text = str(text).rstrip()
    return text if not text or text[-1] in ".!?:" else text + "."


def _display_html(markup: str, plain: str, data: dict | None = None, metadata: dict | None = None) -> None:
    from IPython.display import display

    display({"text/html": markup, "text/plain": plain, **(data or {})}, raw=True, metadata=metadata or {})


def _anchor(ident: str, lang: str) -> str:
    """A visible permalink after a heading (nbconvert's markdown headings carry the same)."""
    return f'<a class="anchor-link" href="#{_e(ident)}" aria-label="{_e(labels.word("permalink", lang))}">¶</a>'


def heading_html(level: int, ident: str, text: str, lang: str) -> str:
    """An ``<hN>`` with an id and a visible permalink; ``text`` is escaped."""
    return f'<h{level} id="{_e(ident)}">{_e(text)}{_anchor(ident, lang)}</h{level}>'


def _svg_inline(svg: bytes, prefix: str, label: str) -> str:
    """Matplotlib SVG made fit to sit in a page: no XML prolog, ids prefixed (several figures share
    one document), sized by CSS, announced as one image with ``label``."""
    text = svg.decode("utf-8")
    text = text[text.index("<svg"):]
    text = re.sub(r'(\bid="|xlink:href="#|href="#|url\(#)', lambda m: m.group(1) + prefix, text)
    text = re.sub(r'<svg\b[^>]*?\swidth="[^"]*"\s+height="[^"]*"', lambda m: re.sub(r'\s(width|height)="[^"]*"', "", m.group(0)), text, count=1)
    return text.replace("<svg", f'<svg role="img" aria-label="{_e(label)}"', 1)


class Chapter:
    """One chapter's run: the validated scenario, its data version, its number and what it showed."""

    def __init__(self, scenario: Scenario, inputs: Inputs | None = None, number: int | None = None) -> None:
        from ehelse_market.inputs import load_inputs

        self.scenario = scenario
        self.lang = labels.check_lang(scenario.lang)
        self.inputs = inputs if inputs is not None else load_inputs(version=scenario.data_version)
        self.chapter_number = number
        self.shown: list[str] = []  # figure ids, in order shown
        self.tables: list[dict] = []  # {"id", "caption", "source_ids"} of the tables shown
        self.cited: list[str] = []  # source ids named with :meth:`cite`
        self.key_figures: dict[str, dict] = {}  # for the front page, see :meth:`key_figure`
        self._numbers: dict[tuple[str, str], int] = {}
        self._citations: dict[str, str] | None = None

    # ------------------------------------------------------------------ words and numbers

    def w(self, key: str) -> str:
        return labels.word(key, self.lang)

    def pick(self, text: str | dict[str, str] | None) -> str:
        """A text in the report language: a plain string, or {"nb": ..., "en": ...}."""
        if text is None:
            return ""
        if isinstance(text, dict):
            return text.get(self.lang) or text.get("nb", "")
        return str(text)


    @property
    def citations(self) -> dict[str, str]:
        """Source id -> its one reader label on this page ("Direktoratet for e-helse (2021a)")."""
        if self._citations is None:
            self._citations = labels.citations(self.inputs.sources, self.lang)
        return self._citations

    def cite(self, source_id: str, where: str | dict[str, str] | None = None) -> str:
        """A registered source as running text cites it, "Menon Economics (2022)" or, with ``where``
        (text or {"nb": ..., "en": ...}), "Menon Economics (2022, figur 2)"; it is listed in the
        sources appendix. Prose can write ``@seed004 [figur 2]`` instead (:meth:`text`)."""
        text = labels.cite(self.inputs.sources, [(source_id, self.pick(where))], self.lang)
        if source_id not in self.cited:
            self.cited.append(source_id)
        return text

    # ------------------------------------------------------------------ numbering

    def _chapter_number(self, fig_id: str | None = None) -> str:
        if self.chapter_number is None and fig_id is not None:
            stem = figures.get(fig_id).chapter
            if stem[:2].isdigit():
                self.chapter_number = int(stem[:2])
        return "" if self.chapter_number is None else f"{self.chapter_number}."

    def _ref(self, kind: str, ident: str) -> str:
        key = (kind, ident)
        if key not in self._numbers:
            self._numbers[key] = 1 + sum(1 for k in self._numbers if k[0] == kind)
        prefix = self._chapter_number(ident if kind == "figure" else None)
        return f"{self.w(kind)} {prefix}{self._numbers[key]}"

    def figure_ref(self, fig_id: str) -> str:
        """The citable label of a figure, "Figur 4.1" ("Figure 4.1"); numbers follow first mention."""
        figures.get(fig_id)
        return self._ref("figure", fig_id)

    def table_ref(self, table_id: str) -> str:
        """The citable label of a table, "Tabell 4.2" ("Table 4.2"); numbers follow first mention."""
        return self._ref("table", table_id)

    @staticmethod
    def anchor_of(kind: str, ident: str) -> str:
        """The element id of a figure or table, for links ("#figur-004-figur-2")."""
        return f"{'fig' if kind == 'figure' else 'tab'}-{re.sub(r'[^A-Za-z0-9_-]', '-', ident)}"

    # ------------------------------------------------------------------ text, figures and tables

    def text(self, nb: str, en: str, escape: Callable[[str], str] = str, **results: str) -> str:
        """The text in the report language with its numbers and citations filled in: ``{data.key}``
        placeholders become the data value with its unit (``{data.key|n}``: the number alone),
        ``{name}`` fields the computed ``results`` (already formatted, e.g. by :meth:`number`) and
        ``@source_id`` / ``[@source_id, where]`` the document's citation (:func:`labels.cite_text`),
        so no number and no document label is typed into prose. ``escape`` turns each filled value
        into the target markup."""
        text = labels.cite_text(nb if self.lang == "nb" else en, self.inputs.sources, self.lang,
                                escape=escape, cited=self.cited)
        text = figures.fill_text(text, self.inputs, self.lang, escape=escape)
        return text.format_map({k: escape(v) for k, v in results.items()}) if results else text

    def say(self, nb: str, en: str, **results: str) -> None:
        """Display narrative (Markdown) in the report language, numbers filled in as in :meth:`text`.

        ``nb`` and ``en`` are Markdown the notebook author wrote (or :class:`markup.Markdown` built
        from data through :func:`markup.md`); the values filled in are escaped."""
        from IPython.display import display

        text = self.text(nb, en, escape=markup.md, **results)
        display({"text/markdown": text, "text/plain": text}, raw=True)

    def scenario_changes(self) -> list[tuple[str, str, str]]:
        """(parameter, baseline value, this scenario's value) in reader words for every parameter
        where this scenario differs from the baseline (name, description and language aside)."""
        from ehelse_market.inputs.scenario import Scenario

        base, mine = Scenario.baseline().canonical(), self.scenario.canonical()
        lang = self.lang
        return [
            (labels.parameter(k, lang), labels.parameter_value(k, base.get(k), lang), labels.parameter_value(k, v, lang))
            for k, v in mine.items()
            if k not in ("name", "description", "lang") and base.get(k) != v
        ]

    def scenario_html(self) -> str:
        """Which scenario the page shows and how it differs from the baseline (empty for the baseline)."""
        changes = self.scenario_changes()
        name = labels.label(self.scenario.name, self.lang)
        if self.scenario.name == "baseline" and not changes:
            return ""
        w = lambda k, **f: labels.lookup("words", k, self.lang, **f)  # noqa: E731
        described = self.description()
        parts = [
            '<section class="scenario-shown">',
            heading_html(2, "scenario", w("scenario_shown", name=name), self.lang),
            f"<p>{_e(described)}</p>" if described else "",
            f"<p>{_e(w('scenario_differs' if changes else 'scenario_same', name=name))}</p>",
        ]
        if changes:
            df = pd.DataFrame(changes, columns=[w("parameter"), w("baseline"), w("this_scenario")])
            parts.append(html_table(df, caption=_e(w("scenario_changes_caption"))))
        parts.append("</section>")
        return "".join(parts)

    def description(self) -> str:
        """The scenario's description in the report language, its documents cited as the prose cites
        them (``@seed004`` in a scenario file reads "Menon Economics (2022)", :func:`labels.cite_text`)
        and listed in the sources appendix; "" without one."""
        return labels.cite_text(self.scenario.description_in(self.lang), self.inputs.sources, self.lang, cited=self.cited)

    def main_points(self, nb: list[str], en: list[str], **results: str) -> None:
        """Open the chapter: the scenario shown (unless the baseline) and its 3-5 main points
        ("Hovedpunkter"), plain text with numbers filled in as in :meth:`text`."""
        points = nb if self.lang == "nb" else en
        if not 3 <= len(points) <= 5 or len(nb) != len(en):
            raise ValueError(f"main_points: give 3 to 5 points in each language (got {len(nb)} nb, {len(en)} en)")
        items = "".join(f"<li>{_e(self.text(a, b, str, **results))}</li>" for a, b in zip(nb, en))
        markup = (
            self.scenario_html()
            + f'<section class="main-points">{heading_html(2, "main-points", self.w("main_points"), self.lang)}'
            f"<ul>{items}</ul></section>"
        )
        _display_html(markup, labels.word("main_points", self.lang))

    def source_line(self, source_ids: Iterable[str]) -> str:
        """"Kilde: Menon Economics (2022); prosjektets antakelser" from the source ids of the numbers."""
        ids = [s for s in dict.fromkeys(source_ids) if s]
        return self._source_words(labels.cite(self.inputs.sources, ids, self.lang), len(ids))

    def _source_words(self, docs: str, n: int) -> str:
        """"Kilde: ..." / "Kilder: ..." (``n`` documents) before a list of cited documents ("" if none)."""
        return f"{self.w('sources') if n > 1 else self.w('source')}: {docs}" if docs else ""

    def number(self, value: float, unit: str, decimals: int | None = None) -> str:
        """A value with its unit as prose writes it ("13,6 mrd. kr", "NOK 13.6 billion")."""
        return labels.prose_quantity(value, unit, decimals, self.lang)

    def result(self, frame: pd.DataFrame, column: str = "value", decimals: int | None = None, **where: Any) -> str:
        """One computed number of a tidy result frame with its unit, for prose: the single row where
        every ``where`` column equals its value (``result(split, variable="spend",
        segment="specialist_care")`` -> "7,75 mrd. kr"). Whole units (årsverk, persons) without
        decimals unless ``decimals`` says otherwise."""
        row = self._row(frame, **where)
        unit = row["unit"]
        if decimals is None and unit in labels.WHOLE_UNITS:
            decimals = 0
        return labels.prose_quantity(float(row[column]), unit, decimals, self.lang)

    @staticmethod
    def _row(frame: pd.DataFrame, **where: Any) -> pd.Series:
        """The single row of ``frame`` where every ``where`` column equals its value."""
        rows = frame
        for col, value in where.items():
            rows = rows[rows[col] == value]
        if len(rows) != 1:
            raise ValueError(f"result: {len(rows)} rows match {where} (need exactly one)")
        return rows.iloc[0]

    def figure_source_line(self, fig_id: str) -> str:
        """The source line under a figure: the document whose figure it re-renders, with where in
        it ("Menon Economics (2022, figur 2)"), then the sources of the numbers it plots
        (:func:`figures.source_citation`)."""
        spec, ids = figures.get(fig_id), self.figure_source_ids(fig_id)
        n = len({self.locator_source(spec.source), spec.after, *ids} - {""})
        return self._source_words(figures.source_citation(fig_id, self.inputs, self.lang, ids), n)

    def figure_source_ids(self, fig_id: str) -> list[str]:
        """The registered sources of a figure's numbers, in registry order."""
        used = set(self.figure_sources(fig_id)["source_id"])
        return [s for s in self.inputs.sources["source_id"] if s in used]

    def figure_csv(self, fig_id: str, data: pd.DataFrame) -> str:
        """The plotted numbers with source columns (citation, title, URL of each row's source)."""
        table = self.citations
        src = self.inputs.sources.astype(object).where(self.inputs.sources.notna(), "").set_index("source_id")
        ids = self.figure_source_ids(fig_id)
        out = data.copy()
        if "source_id" not in out.columns:
            out["source_id"] = "; ".join(ids)
        out["source"] = out["source_id"].map(lambda s: "; ".join(table.get(x, x) for x in str(s).split("; ") if x))
        out["source_url"] = out["source_id"].map(
            lambda s: " ".join(src.loc[x, "url"] for x in str(s).split("; ") if x in src.index and src.loc[x, "url"]))
        out["source_figure"] = figures.get(fig_id).source
        return out.to_csv(index=False, lineterminator="\n", float_format="%.10g")

    def figure_html(self, fig_id: str, files: dict | None = None, numbers: str | None = None) -> str:
        """The ``<figure>`` of a registered figure: inline SVG with alt text, a numbered caption, the
        source line, download links and the plotted numbers folded away, or, when ``numbers`` names
        the chapter table that shows them, a link to that table (no table printed twice). ``files``
        (if a dict) gets the downloadable bytes by extension."""
        spec = figures.get(fig_id)
        fig, data = figures.render(fig_id, self.inputs, self.scenario, self.lang)
        lang = self.lang
        ref = self.figure_ref(fig_id)
        anchor = self.anchor_of("figure", fig_id)
        svg = figures.to_bytes(fig, "svg")  # text as text, a tooltip (value, unit, source) on every mark
        if files is not None:
            files["svg"] = svg
            files["png"] = figures.to_bytes(fig, "png")
            files["csv"] = self.figure_csv(fig_id, data).encode("utf-8")
        if numbers:
            link = f'<a href="#{self.anchor_of("table", numbers)}">{_e(self.table_ref(numbers))}</a>'
            where = str(_e(self.w("numbers_in_table"))).replace("{table}", link)
            plotted = f'<p class="plotted">{where}</p>'
        else:
            formatted = format_values(data, lang)
            plotted = (f'<details class="plotted"><summary>{_e(self.w("plotted_numbers"))}</summary>'
                       f'{html_table(formatted, caption=_e(f"{ref}: {spec.title[lang]}"))}</details>')
        links = " ".join(
            f'<a href="{DOWNLOAD_DIR}/{_e(fig_id)}.{ext}" download>{_e(self.w("download_" + ext))}</a>'
            for ext in ("csv", "svg", "png")
        )
        return (
            f'<figure class="register" id="{anchor}">'
            f"{_svg_inline(svg, anchor + '-', figures.alt_text(fig_id, data, lang))}"
            f"<figcaption><strong>{_e(ref)}: {_e(_sentence(spec.title[lang]))}</strong> "
            f"{_e(figures.caption(fig_id, self.inputs, lang))}"
            f'<span class="source">{_e(self.figure_source_line(fig_id))}</span>'
            f"<span class=\"scenario\">{_e(labels.word('scenario', lang))}: {_e(labels.label(self.scenario.name, lang))}</span>"
            f'<span class="downloads">{_e(self.w("download"))}: {links}</span></figcaption>'
            f"{plotted}</figure>"
        )

    def show(self, fig_id: str, numbers: str | None = None) -> None:
        """Display a registered figure (numbered, with downloads) and remember it for the appendix;
        ``numbers``: the id of the chapter table that shows the figure's numbers (linked instead of
        repeated under the figure)."""
        files: dict = {}
        markup = self.figure_html(fig_id, files, numbers)
        if fig_id not in self.shown:
            self.shown.append(fig_id)
        data = {"image/png": base64.b64encode(files["png"]).decode("ascii")}
        meta = {DOWNLOAD_META: {"id": fig_id, "dir": DOWNLOAD_DIR, "ref": self.figure_ref(fig_id),
                                "title": figures.get(fig_id).title[self.lang],
                                "svg": files["svg"].decode("utf-8"), "csv": files["csv"].decode("utf-8")}}
        _display_html(markup, f"[{self.figure_ref(fig_id)}] {figures.get(fig_id).title[self.lang]}", data, meta)

    def table_html(self, df: pd.DataFrame, caption: str | dict | None = None, id: str | None = None,
                   raw: bool = False, source: str | None = None, across: str | None = None,
                   rows: Iterable[str] = ("segment",), stub: str | Iterable[str] | None = None) -> str:
        """A numbered table with caption ("Tabell 4.2: ..."); labels and number format unless ``raw``;
        wide (:func:`wide_values`) when ``across`` names the column to spread ("variable", "year")."""
        ident = id or f"table-{len(self.tables) + 1}"
        ref = self.table_ref(ident)
        source_ids = list(dict.fromkeys(df["source_id"].dropna().astype(str))) if "source_id" in df.columns else []
        if not raw and "locator" in df.columns:  # seed lines as a reader reads them, not file names
            source_ids += [s for s in dict.fromkeys(map(self.locator_source, df["locator"])) if s and s not in source_ids]
        if raw:
            shown = df
        elif across:
            shown = wide_values(df, self.lang, across, rows, stub)
        else:
            shown = format_values(df, self.lang, cite=self.cite, locate=self.locator_text)
            if isinstance(stub, str) and labels.word("segment", self.lang) in shown.columns:
                shown = shown.rename(columns={labels.word("segment", self.lang): labels.word(stub, self.lang)})
        numeric = list(() if raw else shown.attrs["numeric"])
        numeric += [c for c in shown.columns if c not in numeric and _looks_numeric(shown[c])]
        text = self.pick(caption)
        cap = f"<strong>{_e(ref)}</strong>" + (f": {_e(_sentence(text))}" if text else "")
        line = source or self.source_line(source_ids)
        if line:
            cap += f' <span class="source">{_e(line)}</span>'
        cell_lang = {c: quote_lang(" ".join(map(str, shown[c]))) for c in shown.columns if c == labels.word("quote", self.lang)}
        cell_lang = {c: v for c, v in cell_lang.items() if v != self.lang}
        entry = {"id": ident, "ref": ref, "caption": text, "source_ids": source_ids}
        if all(t["id"] != ident for t in self.tables):
            self.tables.append(entry)
        return html_table(shown, caption=cap, numeric=numeric, table_id=self.anchor_of("table", ident),
                          cell_lang=cell_lang)

    def table(self, df: pd.DataFrame, caption: str | dict | None = None, id: str | None = None,
              raw: bool = False, source: str | None = None, across: str | None = None,
              rows: Iterable[str] = ("segment",), stub: str | Iterable[str] | None = None) -> None:
        """Display a result frame as a numbered, captioned, escaped table.

        ``caption``: text or {"nb": ..., "en": ...}; ``id``: a name for :meth:`table_ref`;
        ``source``: the source line (default: from a ``source_id`` column, if any); ``across``:
        spread a tidy frame wide, one column per value of that column and one row per ``rows``
        value (:func:`wide_values`); ``stub``: the catalogue word(s) heading the segment (row) column(s).
        """
        _display_html(self.table_html(df, caption, id, raw, source, across, rows, stub), f"table: {len(df)} rows")

    # ------------------------------------------------------------------ sources and method

    def figure_sources(self, fig_id: str) -> pd.DataFrame:
        """The data rows behind a figure: key, value, unit, year, source, locator, quote.

        Rows of a non-value table are keyed ``<table>.csv:<line>`` (line in the CSV file, header = 1);
        their quote is the table's ``quote`` or, failing that, ``text_nb`` column.
        """
        spec = figures.get(fig_id)
        v = self.inputs.values
        mask = pd.Series(False, index=v.index)
        for key in spec.inputs:
            mask |= v["key"].str.startswith(key) if key.endswith(".") else v["key"] == key
        rows = v.loc[mask, list(_VALUE_COLUMNS)].copy()
        rows["value"] = [labels.value_text(x, u, self.lang) for x, u in zip(rows["value"], rows["unit"])]
        rows["unit"] = rows["unit"].map(lambda u: "" if u == "year" else labels.unit(u, self.lang))  # "2017", not "2017 år"
        rows["year"] = rows["year"].map(lambda x: "" if pd.isna(x) else str(int(x)))
        parts = [rows]
        for name in spec.tables:
            t = self.inputs.table(name).reset_index(drop=True)
            quote = t["quote"] if "quote" in t.columns else t.get("text_nb", pd.Series([""] * len(t)))
            parts.append(
                pd.DataFrame(
                    {
                        "key": [f"{name}.csv:{i + 2}" for i in range(len(t))],
                        "value": "",
                        "unit": "",
                        "year": "",
                        "source_id": t.get("source_id", ""),
                        "locator": t.get("locator", ""),
                        "quote": quote,
                    }
                )
            )
        return pd.concat(parts, ignore_index=True).fillna("")

    def locator_text(self, locator: str, source_id: str = "") -> str:
        """A locator as a reader reads it: "linje 1566" / "lines 182–192" in the seed texts, led by the
        document's citation when it is not the row's own source (a project assumption's passage)."""
        m = _LOCATOR.match(str(locator or "").strip())
        if not m:
            return str(locator or "")
        first, last = m.group("first"), m.group("last") or m.group("first")
        where = f"{self.w('line')} {first}" if first == last else f"{self.w('lines')} {first}\u2013{last}"
        doc = self.locator_source(locator)
        if doc and doc != source_id:
            where = f"{self.citations[doc]}, {where}"
        return where

    def locator_source(self, locator: str) -> str:
        """The source id of the seed text a locator points into ("" if it names no seed file)."""
        return figures.locator_source(self.inputs.sources, locator)

    def values_table(self, rows: pd.DataFrame, caption: str) -> str:
        """Sources-appendix table of data rows: value, year, source, where in it, quote; a column no
        row fills (no year in any row, rows of a table without values) is left out."""
        table = self.citations
        percent = labels.unit("percent", self.lang)
        shown = pd.DataFrame(
            {
                "value": [f"{v}\u00a0{'%' if u == percent else u}".strip() if v else "" for v, u in zip(rows["value"], rows["unit"])],
                "year": rows["year"],
                "source": rows["source_id"].map(lambda s: table.get(s, s)),
                "locator": [self.locator_text(loc, sid) for loc, sid in zip(rows["locator"], rows["source_id"])],
                "quote": rows["quote"],
            }
        )
        shown = shown.loc[:, [c for c in shown.columns if shown[c].astype(str).str.strip().ne("").any()]]  # no empty column
        heads = {c: self.w(c) for c in shown.columns}
        cell_lang = {}
        if "quote" in shown.columns and quote_lang(" ".join(map(str, shown["quote"]))) != self.lang:
            cell_lang["quote"] = quote_lang(" ".join(map(str, shown["quote"])))
        return html_table(shown, heads, cls="data sources", caption=caption, numeric=("value", "year"),
                          cell_lang=cell_lang)

    def sources_used(self, source_ids: Iterable[str]) -> pd.DataFrame:
        """The source registry rows for ``source_ids``: id, title, publisher, year, url."""
        s = self.inputs.sources
        cols = [c for c in ("source_id", "title", "publisher", "year", "url") if c in s.columns]
        s = s[s["source_id"].isin(set(source_ids))][cols]
        return s.astype(object).where(s.notna(), "")

    def parameters_table(self) -> str:
        """The scenario's parameters in reader words, numbers as the report formats them: the scenario
        named as the page names it, the data version the one read (not "as in the data")."""
        values = {**self.scenario.canonical(), "data_version": self.inputs.version}
        rows = [(self.w("scenario"), labels.label(self.scenario.name, self.lang))]
        described = self.description()
        if described:
            rows.append((self.w("description"), described))
        rows += [(labels.parameter(k, self.lang), labels.parameter_value(k, values.get(k), self.lang)) for k in PARAMETERS]
        rows = pd.DataFrame(rows, columns=["p", "v"])
        return html_table(rows, {"p": self.w("parameter"), "v": self.w("value")}, caption=_e(self.w("parameters_caption")))

    def sources_html(self) -> str:
        """The closing appendix "Kilder og metode": the documents used, per figure and table the
        values with quote and locator, the parameters and, folded away, the input hashes."""
        w, lang = self.w, self.lang
        parts = ['<section class="sources-method">', heading_html(2, "sources-method", w("sources_method"), lang)]
        parameters = self.parameters_table()  # first: the scenario's description may cite a document
        used: list[str] = list(self.cited)
        blocks = []
        for fig_id in self.shown:
            rows = self.figure_sources(fig_id)
            used += list(rows["source_id"])
            if rows.empty:
                continue
            cap = f"{_e(self.figure_ref(fig_id))}: {_e(figures.get(fig_id).title[lang])}"
            blocks.append(self.values_table(rows, cap))
        for t in self.tables:
            used += t["source_ids"]
        registry = self.sources_used(set(used) - {""})
        if not registry.empty:
            table = self.citations
            parts.append(heading_html(3, "sources-list", w("sources_used"), lang))
            items = []
            for r in registry.itertuples(index=False):
                if r.source_id == labels.PROJECT_SOURCE:  # no document: the reader's words, not the row's title
                    items.append(f"<li><strong>{_e(table.get(r.source_id, r.source_id))}</strong>. "
                                 f"{_e(w('project_assumptions_about'))}</li>")
                    continue
                link = f' <a href="{_e(r.url)}">{_e(r.url)}</a>' if str(r.url).startswith(("https://", "http://")) else ""
                title = _title(r.title)
                title_lang = quote_lang(title)
                lang_attr = f' lang="{title_lang}"' if title_lang != lang else ""
                publisher = labels.publisher(r.publisher, lang)
                items.append(f"<li><strong>{_e(table.get(r.source_id, r.source_id))}</strong>. "
                             f"<cite{lang_attr}>{_e(title)}</cite>. {_e(publisher)}.{link}</li>")
            parts.append(f'<ul class="sources">{"".join(items)}</ul>')
        if blocks:
            parts.append(heading_html(3, "sources-values", w("figure_sources"), lang))
            parts.extend(blocks)
        parts.append(heading_html(3, "sources-parameters", w("parameters"), lang))
        parts.append(f"<p>{_e(w('data_version'))}: {_e(self.inputs.version)}. "
                     f"{_e(w('package_version'))}: ehelse-market {_e(__version__)}.</p>")
        parts.append(parameters)
        hashes = pd.DataFrame(sorted(self.inputs.file_hashes.items()), columns=["f", "h"])
        parts.append(f"<details><summary>{_e(w('input_hashes'))}</summary>"
                     f"{html_table(hashes, {'f': w('file'), 'h': 'SHA-256'}, cls='data hashes', caption=_e(w('input_hashes')))}</details>")
        parts.append("</section>")
        return "".join(parts)

    def label(self, code: str) -> str:
        """The reader's word for a data code in the report language ("Behov for årsverk")."""
        return labels.label(code, self.lang)

    def key_figure(self, key: str, value: float, unit: str, label: str, decimals: int | None = None) -> str:
        """Record one of the chapter's headline numbers for the front page's comparison of scenarios:
        ``key`` identifies its row across scenarios, ``label`` is the row's text in the report
        language. Returns the number as text ("765 824 årsverk")."""
        if decimals is None and unit in labels.WHOLE_UNITS:
            decimals = 0
        text = labels.quantity(value, unit, decimals, self.lang)
        order = self.key_figures.get(key, {}).get("order", len(self.key_figures))  # the manifest sorts keys
        self.key_figures[key] = {"label": label, "value": float(value), "unit": unit, "text": text,
                                 "decimals": decimals, "order": order}
        return text

    def key_result(self, key: str, frame: pd.DataFrame, label: str, decimals: int | None = None, **where: Any) -> None:
        """:meth:`key_figure` of one computed number: the single row of a tidy result ``frame``
        where every ``where`` column equals its value (as :meth:`result` picks it), with its unit.
        Returns nothing, so a notebook cell ending with it shows no output."""
        row = self._row(frame, **where)
        self.key_figure(key, float(row["value"]), str(row["unit"]), label, decimals)

    def sources(self) -> None:
        """Display the sources-and-method appendix (call it in the last cell); it carries the key
        figures to the builder."""
        meta = {KEY_FIGURES_META: self.key_figures} if self.key_figures else {}
        _display_html(self.sources_html(), f"sources and method: data {self.inputs.version}", metadata=meta)

    # the former names of the closing section
    provenance_html = sources_html
    provenance = sources
