"""Notebook side of a report chapter: show registered figures and tables, end with provenance.

A chapter notebook is thin::

    scenario = notebook_params.validate(globals())
    chapter = Chapter(scenario)
    chapter.show("000-figur-5")
    chapter.table(market.split(chapter.inputs, scenario))
    ...
    chapter.provenance()

Everything shown is HTML built here with every data-derived text escaped (a label holding
``<script>`` is shown as text), figures embedded as PNG (``data:`` URIs, so the report works
offline and from disk) with alt text and a caption, and no random ids or times, so two runs
give the same bytes.
"""

from __future__ import annotations

import base64

import numpy as np
import pandas as pd

from ehelse_market import __version__
from ehelse_market.publishing import figures, labels, markup

_VALUE_COLUMNS = ("key", "value", "unit", "year", "source_id", "locator", "quote")


#: Escape any value for HTML text and attributes (the one escaping path, :mod:`markup`).
_e = markup.html


#: Columns holding verbatim text from the source documents, which are Norwegian: their cells carry
#: ``lang="nb"`` (WCAG 3.1.2), so an English report marks them as quotations in Norwegian.
SOURCE_TEXT_COLUMNS = ("quote", "text_nb")


def html_table(df: pd.DataFrame, headers: dict[str, str] | None = None, cls: str = "data") -> str:
    """A plain, escaped HTML table of ``df`` (columns renamed by ``headers``); no ids, no styles.
    Cells of source-text columns (:data:`SOURCE_TEXT_COLUMNS`, or named in ``df.attrs["source_text"]``
    by :func:`format_values`) carry ``lang="nb"``."""
    headers = headers or {}
    quoted = set(SOURCE_TEXT_COLUMNS) | set(df.attrs.get("source_text", ()))
    opening = ['<td lang="nb">' if c in quoted else "<td>" for c in df.columns]
    head = "".join(f"<th>{_e(headers.get(c, c))}</th>" for c in df.columns)
    body = []
    for row in df.itertuples(index=False):
        cells = "".join(f"{td}{_e(v)}</td>" for td, v in zip(opening, row))
        body.append(f"<tr>{cells}</tr>")
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


#: Columns holding fractions (0.005) that readers know as percentages (0,5 %).
PERCENT_COLUMNS = ("productivity_growth",)


def format_values(df: pd.DataFrame, lang: str, cite=None) -> pd.DataFrame:
    """A tidy result frame made readable: labels for codes, numbers in the report's format, a
    ``source_id`` as the reader cites the source (``cite(source_id)``; left out without one)."""
    out = pd.DataFrame()
    for col in df.columns:
        s = df[col]
        if col == "source_id":
            if cite is not None:
                out[labels.word("source", lang)] = s.map(lambda v: cite(v) if isinstance(v, str) and v else "")
        elif col == "segment":
            out[labels.word("segment", lang)] = s.map(lambda v: labels.label(v, lang) if v else "")
        elif col == "unit":
            out[labels.word("unit", lang)] = s.map(lambda v: labels.unit(v, lang))
        elif col == "value":
            units = df["unit"] if "unit" in df.columns else pd.Series("", index=df.index)
            out[labels.word("value", lang)] = [labels.value_text(v, u, lang) for v, u in zip(s, units)]
        elif col == "year":
            out[labels.word("year", lang)] = s.map(lambda v: "" if pd.isna(v) else str(int(v)))
        elif col == "status":
            out[labels.word("status", lang)] = s.map(lambda v: labels.label(v, lang) if isinstance(v, str) else "")
        elif col == "variable":
            out[labels.word("variable", lang)] = s.map(lambda v: labels.label(v, lang))
        elif col in PERCENT_COLUMNS:
            out[labels.header(col, lang)] = s.map(lambda v: "" if pd.isna(v) else labels.quantity(100 * v, "percent", None, lang))
        elif col in ("scenario", "note"):
            # the scenario is in the provenance section; notes are the data log's and the library's
            # English remarks for researchers (the narrative states the caveats in the report language)
            continue
        elif s.notna().any() and s.dropna().map(lambda v: isinstance(v, (bool, np.bool_))).all():  # yes / no
            out[labels.header(col, lang)] = s.map(lambda v: "" if pd.isna(v) else labels.word("yes" if v else "no", lang))
        elif pd.api.types.is_float_dtype(s):
            out[labels.header(col, lang)] = s.map(lambda v: labels.number(v, None, lang))
        else:
            out[labels.header(col, lang)] = s.astype(object).where(s.notna(), "")
    out.attrs["source_text"] = [labels.header(c, lang) for c in SOURCE_TEXT_COLUMNS if c in df.columns]
    return out


def _display_html(markup: str, plain: str) -> None:
    from IPython.display import display

    display({"text/html": markup, "text/plain": plain}, raw=True)


class Chapter:
    """One chapter's run: the validated scenario, its data version and the figures shown so far."""

    def __init__(self, scenario, inputs=None):
        from ehelse_market.inputs import load_inputs

        self.scenario = scenario
        self.lang = labels.check_lang(scenario.lang)
        self.inputs = inputs if inputs is not None else load_inputs(version=scenario.data_version)
        self.shown: list[str] = []

    # ------------------------------------------------------------------ text, figures and tables

    def text(self, nb: str, en: str, escape=str, **results: str) -> str:
        """The text in the report language with its numbers filled in: ``{data.key}`` placeholders
        become the data value with its unit (``{data.key|n}``: the number alone) and ``{name}``
        fields the computed ``results`` (already formatted, e.g. by :meth:`number`), so no number
        is typed into prose. ``escape`` turns each filled value into the target markup."""
        text = figures.fill_text(nb if self.lang == "nb" else en, self.inputs, self.lang, escape=escape)
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
        described = self.scenario.description_in(self.lang)
        parts = [
            '<section class="scenario-shown">',
            f"<h2 id=\"scenario\">{_e(w('scenario_shown', name=name))}</h2>",
            f"<p>{_e(described)}</p>" if described else "",
            f"<p>{_e(w('scenario_differs' if changes else 'scenario_same', name=name))}</p>",
        ]
        if changes:
            df = pd.DataFrame(changes, columns=[w("parameter"), w("baseline"), w("this_scenario")])
            parts.append(html_table(df))
        parts.append("</section>")
        return "".join(parts)

    def main_points(self, nb: list[str], en: list[str], **results: str) -> None:
        """Open the chapter: the scenario shown (unless the baseline) and its 3-5 main points
        ("Hovedpunkter"), plain text with numbers filled in as in :meth:`text`."""
        points = nb if self.lang == "nb" else en
        if not 3 <= len(points) <= 5 or len(nb) != len(en):
            raise ValueError(f"main_points: give 3 to 5 points in each language (got {len(nb)} nb, {len(en)} en)")
        items = "".join(f"<li>{_e(self.text(a, b, **results))}</li>" for a, b in zip(nb, en))
        markup = (
            self.scenario_html()
            + f'<section class="main-points"><h2 id="main-points">{_e(labels.word("main_points", self.lang))}</h2>'
            f"<ul>{items}</ul></section>"
        )
        _display_html(markup, labels.word("main_points", self.lang))

    def number(self, value: float, unit: str, decimals: int | None = None) -> str:
        """A value with its unit as prose writes it ("13,6 mrd. kr", "NOK 13.6 billion")."""
        return labels.prose_quantity(value, unit, decimals, self.lang)

    def result(self, frame: pd.DataFrame, column: str = "value", decimals: int | None = None, **where) -> str:
        """One computed number of a tidy result frame with its unit, for prose: the single row where
        every ``where`` column equals its value (``result(split, variable="spend",
        segment="specialist_care")`` -> "7,75 mrd. kr"). Whole units (årsverk, persons) without
        decimals unless ``decimals`` says otherwise."""
        rows = frame
        for col, value in where.items():
            rows = rows[rows[col] == value]
        if len(rows) != 1:
            raise ValueError(f"result: {len(rows)} rows match {where} (need exactly one)")
        row = rows.iloc[0]
        unit = row["unit"]
        if decimals is None and unit in labels.WHOLE_UNITS:
            decimals = 0
        return labels.prose_quantity(float(row[column]), unit, decimals, self.lang)

    def figure_html(self, fig_id: str) -> str:
        """The ``<figure>`` element of a registered figure: PNG, alt text, caption, plotted numbers."""
        spec = figures.get(fig_id)
        fig, data = figures.render(fig_id, self.inputs, self.scenario, self.lang)
        png = base64.b64encode(figures.to_bytes(fig, "png")).decode("ascii")
        lang = self.lang
        numbers = html_table(format_values(data, lang))
        return (
            f'<figure class="register" id="fig-{_e(fig_id)}">'
            f'<img src="data:image/png;base64,{png}" alt="{_e(figures.alt_text(fig_id, data, lang))}">'
            f"<figcaption><strong>{_e(labels.word('figure', lang))} {_e(fig_id)}: {_e(spec.title[lang])}.</strong> "
            f"{_e(figures.caption(fig_id, self.inputs, lang))} "
            f"<span class=\"source\">{_e(labels.word('source', lang))}: {_e(spec.citation[lang])}.</span> "
            f"<span class=\"scenario\">{_e(labels.word('scenario', lang))}: {_e(labels.label(self.scenario.name, lang))}</span></figcaption>"
            f"<details><summary>{_e(labels.word('plotted_numbers', lang))}</summary>{numbers}</details>"
            "</figure>"
        )

    def show(self, fig_id: str) -> None:
        """Display a registered figure and remember it for the provenance section."""
        markup = self.figure_html(fig_id)
        if fig_id not in self.shown:
            self.shown.append(fig_id)
        _display_html(markup, f"[{fig_id}] {figures.get(fig_id).title[self.lang]}")

    def cite(self, source_id: str) -> str:
        """A source of the data as a reader cites it: "Direktoratet for e-helse (2021)"."""
        row = self.inputs.source(source_id)
        return labels.citation(row.get("publisher"), row.get("year"), self.lang)

    def table(self, df: pd.DataFrame, raw: bool = False) -> None:
        """Display a result frame as an escaped table (labels and number format unless ``raw``)."""
        shown = df if raw else format_values(df, self.lang, cite=self.cite)
        _display_html(html_table(shown), f"table: {len(df)} rows")

    # ------------------------------------------------------------------ provenance

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
        rows["unit"] = rows["unit"].map(lambda u: labels.unit(u, self.lang))
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

    def sources_used(self, source_ids) -> pd.DataFrame:
        """The source registry rows for ``source_ids``: id, title, publisher, year, url."""
        s = self.inputs.sources
        cols = [c for c in ("source_id", "title", "publisher", "year", "url") if c in s.columns]
        return s[s["source_id"].isin(set(source_ids))][cols].fillna("")

    def provenance_html(self) -> str:
        """The closing section: data version, input hashes, parameters, and each figure's sources."""
        lang, w = self.lang, (lambda k: labels.word(k, self.lang))
        hashes = pd.DataFrame(sorted(self.inputs.file_hashes.items()), columns=[w("file"), "sha256"])
        shown = {**self.scenario.canonical(), "description": self.scenario.description_in(lang)}
        params = pd.DataFrame(
            [(k, repr(v) if not isinstance(v, str) else v) for k, v in shown.items()],
            columns=[w("parameter"), w("value")],
        )
        head = {c: w(c) for c in ("key", "value", "unit", "year", "locator", "quote")}
        head.update({"source_id": w("source"), "title": w("title"),
                     "publisher": w("publisher"), "url": w("url")})
        parts = [
            f'<section class="provenance"><h2 id="provenance">{_e(w("provenance"))}</h2>',
            f"<p>{_e(w('data_version'))}: <code>{_e(self.inputs.version)}</code>. "
            f"{_e(w('package_version'))}: <code>{_e(__version__)}</code>.</p>",
            f"<h3>{_e(w('parameters'))}</h3>",
            html_table(params),
            f"<h3>{_e(w('input_hashes'))}</h3>",
            html_table(hashes),
            f"<h3>{_e(w('figure_sources'))}</h3>",
        ]
        used: set[str] = set()
        for fig_id in self.shown:
            spec = figures.get(fig_id)
            rows = self.figure_sources(fig_id)
            used |= set(rows["source_id"])
            parts.append(f"<h4>{_e(fig_id)}: {_e(spec.title[lang])}</h4>")
            parts.append(f"<p>{_e(labels.word('source', lang))}: <code>{_e(spec.source)}</code></p>")
            parts.append(html_table(rows, head))
        if used:
            parts.append(f"<h3>{_e({'nb': 'Kilderegister', 'en': 'Source register'}[lang])}</h3>")
            parts.append(html_table(self.sources_used(used), head))
        parts.append("</section>")
        return "".join(parts)

    def provenance(self) -> None:
        """Display the provenance section (call it in the last cell)."""
        _display_html(self.provenance_html(), f"provenance: data {self.inputs.version}")
