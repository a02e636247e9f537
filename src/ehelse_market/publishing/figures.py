"""Figure register: every figure the reports show, by the id of the source figure it re-renders.

A :class:`Figure` names its source (``000-figur-8`` = seed 000, Figur 8), carries a Norwegian and
an English title and caption, its unit, the data keys its numbers come from, a *data* function
(``inputs, scenario -> tidy DataFrame``, calling the domain modules) and a *plot* function
(``data, axes, lang -> None``). The same register drives the notebooks (``Chapter.show``), the
``ehelse-market figures`` command (PNG + SVG + CSV without a kernel) and the provenance section.

Style: Okabe-Ito colours (safe for the common colour-vision deficiencies) and, on top, hatching,
markers and line styles, so every series can also be told apart in greyscale print. Output is
deterministic: a fixed dpi, ``svg.hashsalt``, no dates in the file metadata.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ehelse_market.publishing import labels
from ehelse_market.publishing.markup import PLOT_RC
from ehelse_market.errors import ParameterError

#: Okabe & Ito (2008) colour-blind-safe palette, without yellow (too light on white paper)
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000")
HATCHES = ("", "//", "..", "xx", "\\\\", "oo", "++")
MARKERS = ("o", "s", "^", "D", "v", "P", "X")
LINESTYLES = ("-", "--", ":", "-.", (0, (5, 1, 1, 1)), (0, (1, 3)), (0, (8, 2)))
DPI = 150
SIZE = (7.0, 4.2)  # inches
RC = {
    "svg.hashsalt": "ehelse-market",
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "hatch.linewidth": 0.8,
    "legend.frameon": False,
    "savefig.dpi": DPI,
    "figure.dpi": DPI,
    "path.simplify": False,
    **PLOT_RC,  # data text is drawn literally: no $...$ mathtext
}


@dataclass(frozen=True)
class Figure:
    """One registered figure: what it re-renders, in which words, from which data."""

    id: str
    chapter: str  # notebook stem it belongs to, e.g. "01_market"
    title: dict[str, str]
    caption: dict[str, str]
    unit: str  # unit vocabulary code of the plotted values
    inputs: tuple[str, ...]  # data keys (or key prefixes ending in ".") the numbers come from
    tables: tuple[str, ...]  # non-value tables the figure reads
    source: str  # where the source figure is: seed file:first-last line of its caption
    data: Callable[..., pd.DataFrame] = field(repr=False)
    plot: Callable[..., None] = field(repr=False)


FIGURES: dict[str, Figure] = {}


def register(**spec) -> Callable:
    """Decorator for a plot function: ``@register(id=..., data=..., ...)`` adds it to FIGURES."""

    def wrap(plot: Callable) -> Callable:
        spec.setdefault("tables", ())
        fig = Figure(plot=plot, **spec)
        if fig.id in FIGURES:
            raise ValueError(f"figure id {fig.id!r} registered twice")
        FIGURES[fig.id] = fig
        return plot

    return wrap


def get(fig_id: str) -> Figure:
    """The registered figure ``fig_id``; a ParameterError lists the known ids."""
    if fig_id not in FIGURES:
        raise ParameterError("figure", fig_id, "one of " + ", ".join(FIGURES))
    return FIGURES[fig_id]


def for_chapter(chapter: str) -> list[Figure]:
    """Figures of one notebook (by stem), in register order."""
    return [f for f in FIGURES.values() if f.chapter == chapter]


# --------------------------------------------------------------------------- text from data

#: ``{data.key}`` -> the value with its unit ("13,6 mrd. kr"); ``{data.key|n}`` -> the number alone
PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)(\|n)?\}")


def fill_text(text: str, inputs, lang: str, escape: Callable[[str], str] = str) -> str:
    """Replace ``{key}`` placeholders by the data value of ``key`` in the report's number format.

    Captions and narrative use them so that no number is typed into text: a new data version
    changes the words too. An unknown key raises (naming the key). ``escape`` turns each filled
    value into the target markup (``markup.md`` for Markdown narrative).
    """

    def sub(m: re.Match) -> str:
        row = inputs.row(m.group(1))
        if m.group(2):
            return escape(labels.value_text(row["value"], row["unit"], lang))
        return escape(labels.quantity(row["value"], row["unit"], None, lang))

    return PLACEHOLDER.sub(sub, text)


def caption(fig_id: str, inputs, lang: str) -> str:
    """The figure's caption in ``lang`` with its data placeholders filled in."""
    return fill_text(get(fig_id).caption[lang], inputs, lang)


# --------------------------------------------------------------------------- rendering


def figure_data(fig_id: str, inputs, scenario) -> pd.DataFrame:
    """The tidy numbers a figure plots (what the CSV export writes)."""
    return get(fig_id).data(inputs, scenario)


def render(fig_id: str, inputs, scenario, lang: str | None = None):
    """Draw one figure; return ``(matplotlib Figure, plotted data)``. No pyplot state is touched."""
    import matplotlib
    from matplotlib.figure import Figure as MplFigure

    spec = get(fig_id)
    lang = labels.check_lang(lang or scenario.lang)
    data = spec.data(inputs, scenario)
    with matplotlib.rc_context(RC):
        fig = MplFigure(figsize=SIZE, layout="constrained")
        ax = fig.add_subplot()
        spec.plot(data, ax, lang)
        ax.set_title(spec.title[lang])
    return fig, data


def to_bytes(fig, fmt: str) -> bytes:
    """PNG or SVG bytes, identical for identical figures (no dates, salted SVG ids)."""
    import matplotlib

    buf = io.BytesIO()
    meta = {"Date": None} if fmt == "svg" else {"Software": None}
    with matplotlib.rc_context(RC):
        fig.savefig(buf, format=fmt, dpi=DPI, metadata=meta)
    return buf.getvalue()


def alt_text(fig_id: str, data: pd.DataFrame, lang: str) -> str:
    """A short text equivalent: title plus the plotted values (for screen readers and alt)."""
    spec = get(fig_id)
    parts = []
    for r in data.head(12).itertuples(index=False):
        seg = labels.label(r.segment, lang) if r.segment else r.variable
        year = f" {r.year}" if "year" in data.columns and not pd.isna(r.year) else ""
        parts.append(f"{seg}{year}: {labels.quantity(r.value, r.unit, lang=lang)}")
    more = "" if len(data) <= 12 else " …"
    return f"{spec.title[lang]}. " + "; ".join(parts) + more


def write_all(out_dir: Path, inputs, scenario, lang: str | None = None, ids: Iterable[str] | None = None) -> list[Path]:
    """Write every (or the given) figure as PNG, SVG and CSV of plotted numbers; return the paths.

    Files are written atomically (temporary file, then rename).
    """
    from ehelse_market.files import atomic_write

    lang = labels.check_lang(lang or scenario.lang)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for fig_id in ids or list(FIGURES):
        fig, data = render(fig_id, inputs, scenario, lang)
        for fmt in ("png", "svg"):
            written.append(atomic_write(out_dir / f"{fig_id}.{fmt}", to_bytes(fig, fmt)))
        csv = data.to_csv(index=False, lineterminator="\n", float_format="%.10g")
        written.append(atomic_write(out_dir / f"{fig_id}.csv", csv.encode("utf-8")))
    return written


# --------------------------------------------------------------------------- plot helpers


def _values(data: pd.DataFrame, variable: str) -> pd.DataFrame:
    return data[data["variable"] == variable].reset_index(drop=True)


def _bars(ax, names, values, unit: str, lang: str, *, err_low=None, err_high=None, decimals=1, notes=None):
    """Horizontal bars, one colour and hatch each, labelled with their value in the report language."""
    y = np.arange(len(values))[::-1]
    for i, (yy, v) in enumerate(zip(y, values)):
        ax.barh(yy, v, color=PALETTE[i % len(PALETTE)], hatch=HATCHES[i % len(HATCHES)], edgecolor="black", linewidth=0.6)
    if err_low is not None:
        lo = np.asarray(values) - np.asarray(err_low)
        hi = np.asarray(err_high) - np.asarray(values)
        ax.errorbar(values, y, xerr=[lo, hi], fmt="none", ecolor="black", capsize=4, linewidth=1)
    top = max(np.max(err_high) if err_high is not None else 0, max(values))
    for i, (yy, v) in enumerate(zip(y, values)):
        text = labels.quantity(v, unit, decimals, lang)
        if notes is not None and notes[i]:
            text += f"  {notes[i]}"
        ax.text((np.asarray(err_high)[i] if err_high is not None else v) + top * 0.02, yy, text, va="center", fontsize=9)
    ax.set_yticks(y, names)
    ax.set_xlim(0, top * 1.45)
    ax.xaxis.set_major_formatter(labels.tick_formatter(lang))
    ax.set_xlabel(labels.unit(unit, lang))


# --------------------------------------------------------------------------- chapter 1: market

SEED000 = "000_6c9a23277de9c53d.txt"
SEED004 = "004_ac44b77b82f6acfa.txt"


def _market_split(inputs, scenario):
    from ehelse_market.domain import market

    d = market.split(inputs, scenario)
    return d[d["segment"] != "total"].reset_index(drop=True)


@register(
    id="000-figur-5",
    chapter="01_market",
    title={"nb": "E-helseutgifter etter omsorgsnivå", "en": "E-health spend by care level"},
    caption={
        "nb": "Menons anslag på {market.spend_total} fordelt med de avrundede andelene (ca. {market.care_level.specialist_care|n}/"
        "{market.care_level.primary_care|n}/{market.care_level.national_actors}). "
        "Strekene viser intervallet hvert beløp ligger i når hver andel bare er kjent til ± halvbredden.",
        "en": "Menon's estimate of {market.spend_total} split by the rounded shares (about {market.care_level.specialist_care|n}/"
        "{market.care_level.primary_care|n}/{market.care_level.national_actors}). "
        "The whiskers show the interval each amount lies in when each share is only known to ± the half-width.",
    },
    unit="NOK bn",
    inputs=("market.spend_total", "market.care_level.", "assumption.share_rounding_halfwidth"),
    source=f"{SEED000}:1566-1566",
    data=_market_split,
)
def plot_market_split(data, ax, lang):
    spend = _values(data, "spend")
    low = _values(data, "spend_low")["value"].to_numpy()
    high = _values(data, "spend_high")["value"].to_numpy()
    share = _values(data, "share")["value"].to_numpy()
    names = [labels.label(s, lang) for s in spend["segment"]]
    notes = [f"({labels.quantity(s, 'percent', 0, lang)})" for s in share]
    _bars(ax, names, spend["value"].to_numpy(), "NOK bn", lang, err_low=low, err_high=high, decimals=2, notes=notes)


# --------------------------------------------------------------------------- chapter 2: contracts


def _contract_amounts(inputs, scenario):
    from ehelse_market.domain import contracts

    d = contracts.amounts(inputs, scenario)
    return d[d["segment"] != "total"].reset_index(drop=True)


@register(
    id="000-figur-8",
    chapter="02_contracts",
    title={"nb": "E-helseutgifter etter kontraktsform", "en": "E-health spend by contract form"},
    caption={
        "nb": "Menons andeler ({market.contract_form.in_house|n}/{market.contract_form.project|n}/{market.contract_form.open_market|n}/"
        "{market.contract_form.relational}) lagt på samme totalbeløp, {market.spend_total}. Rapporten sier ikke at "
        "andelene gjelder det samme totalbeløpet; det er denne analysens lesning.",
        "en": "Menon's shares ({market.contract_form.in_house|n}/{market.contract_form.project|n}/{market.contract_form.open_market|n}/"
        "{market.contract_form.relational}) applied to the same total, {market.spend_total}. The report does not say the "
        "shares apply to that total; that is this analysis's reading.",
    },
    unit="NOK bn",
    inputs=("market.spend_total", "market.contract_form.", "assumption.share_rounding_halfwidth"),
    source=f"{SEED000}:1618-1619",
    data=_contract_amounts,
)
def plot_contract_amounts(data, ax, lang):
    plot_market_split(data, ax, lang)


def _reallocation(inputs, scenario):
    from ehelse_market.domain import contracts

    return contracts.reallocate(inputs, params=scenario)


@register(
    id="000-figur-8-omfordeling",
    chapter="02_contracts",
    title={"nb": "Omfordeling mot relasjonskontrakter", "en": "Re-allocation towards relational contracts"},
    caption={
        "nb": "Endring i mrd. kr per kontraktsform dersom relasjonskontraktenes andel løftes til scenarioets mål, "
        "tatt fra de andre formene i forhold til deres andeler. Målet er en antakelse; rapporten sier bare at "
        "{market.contract_form.relational} er for lite.",
        "en": "Change in NOK bn per contract form if the relational share is raised to the scenario's target, taken "
        "from the other forms in proportion to their shares. The target is an assumption; the report only says "
        "{market.contract_form.relational} is too low.",
    },
    unit="NOK bn",
    inputs=("market.spend_total", "market.contract_form."),
    source=f"{SEED000}:1618-1619",
    data=_reallocation,
)
def plot_reallocation(data, ax, lang):
    ch = _values(data, "spend_change")
    y = np.arange(len(ch))[::-1]
    for i, (yy, v) in enumerate(zip(y, ch["value"])):
        ax.barh(yy, v, color=PALETTE[i % len(PALETTE)], hatch=HATCHES[i % len(HATCHES)], edgecolor="black", linewidth=0.6)
        ax.text(v, yy, " " + labels.number(v, 2, lang) + " ", va="center", ha="left" if v >= 0 else "right", fontsize=9)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(y, [labels.label(s, lang) for s in ch["segment"]])
    span = float(np.max(np.abs(ch["value"]))) or 1.0
    ax.set_xlim(-span * 1.6, span * 1.6)
    ax.xaxis.set_major_formatter(labels.tick_formatter(lang))
    ax.set_xlabel(labels.unit("NOK bn", lang))


def _governance_costs(inputs, scenario):
    from ehelse_market.domain import contracts

    d = contracts.governance_costs(inputs)
    d = d[d["variable"] == "governance_cost"]
    sp = contracts.switch_points(inputs)
    points = pd.DataFrame(
        {"scenario": d["scenario"].iloc[0], "variable": "switch_point", "segment": ["k1", "k2"], "unit": "index",
         "year": pd.array([None, None], dtype="Int64"), "value": [sp["k1"], sp["k2"]]}
    )
    return pd.concat([d, points], ignore_index=True)


@register(
    id="000-figur-3",
    chapter="02_contracts",
    title={"nb": "Styringskostnader og spesifisitet", "en": "Governance costs and asset specificity"},
    caption={
        "nb": "Williamsons kurver M(k), X(k) og H(k) for marked, hybrid og hierarki. Skjæringspunktene k1 og k2 er "
        "regnet ut fra kurveparametrene, som er illustrative antakelser (rapportens figur har ingen tall).",
        "en": "Williamson's curves M(k), X(k) and H(k) for market, hybrid and hierarchy. The switch points k1 and k2 "
        "are computed from the curve parameters, which are illustrative assumptions (the report's figure has no numbers).",
    },
    unit="index",
    inputs=("assumption.governance.",),
    source=f"{SEED000}:602-603",
    data=_governance_costs,
)
def plot_governance_costs(data, ax, lang):
    points = _values(data, "switch_point")
    data = _values(data, "governance_cost")
    k_all = data["asset_specificity"].to_numpy()
    for i, (form, d) in enumerate(data.groupby("segment", sort=False)):
        k = d["asset_specificity"].to_numpy()
        ax.plot(k, d["value"], color=PALETTE[i], linestyle=LINESTYLES[i], marker=MARKERS[i], markevery=10,
                label=f"{'MXH'[i]}(k): {labels.label(form, lang)}")
    for name, k in zip(points["segment"], points["value"]):
        if 0 <= k <= k_all.max():
            ax.axvline(k, color="grey", linewidth=0.8, linestyle=":")
            ax.text(k, ax.get_ylim()[1], f" {name} = {labels.number(k, 2, lang)}", va="top", fontsize=9)
    ax.set_xlabel({"nb": "Spesifisitet k", "en": "Asset specificity k"}[lang])
    ax.set_ylabel({"nb": "Styringskostnad (indeks)", "en": "Governance cost (index)"}[lang])
    ax.xaxis.set_major_formatter(labels.tick_formatter(lang))
    ax.yaxis.set_major_formatter(labels.tick_formatter(lang))
    ax.legend(loc="lower right")


def _grid(inputs, scenario):
    from ehelse_market.domain import contracts

    g = contracts.optimal_form_grid(inputs)
    return pd.DataFrame(
        {
            "scenario": scenario.name,
            "variable": "optimal_form",
            "segment": g["form"].astype(str),
            "unit": "index",
            "year": pd.array([None] * len(g), dtype="Int64"),
            "value": g["form"].map({f: i for i, f in enumerate(FORM_ORDER)}).astype(float),
            "frequency": g["frequency"].astype(str),
            "adaptation": g["adaptation"].astype(str),
            "status": g["status"].astype(str),
        }
    )


FORM_ORDER = ("market", "open_market", "project", "relational", "hybrid", "in_house", "hierarchy", "not_covered")


@register(
    id="000-figur-7",
    chapter="02_contracts",
    title={"nb": "Optimal kontraktsform", "en": "Optimal contract form"},
    caption={
        "nb": "Kontraktsform etter innkjøpsfrekvens og tilpasningsbehov, slik rapporten beskriver Figur 7. "
        "Celler merket * er antakelser der teksten ikke gir cellen.",
        "en": "Contract form by purchase frequency and adaptation need, as the report describes Figur 7. "
        "Cells marked * are assumptions where the text does not give the cell.",
    },
    unit="index",
    inputs=(),
    tables=("figure7_grid",),
    source=f"{SEED000}:1581-1582",
    data=_grid,
)
def plot_grid(data, ax, lang):
    freqs = list(dict.fromkeys(data["frequency"]))
    adapts = list(dict.fromkeys(data["adaptation"]))
    forms = [f for f in FORM_ORDER if f in set(data["segment"])]
    for r in data.itertuples(index=False):
        x, y = adapts.index(r.adaptation), freqs.index(r.frequency)
        i = forms.index(r.segment)
        ax.add_patch(__import__("matplotlib.patches", fromlist=["Rectangle"]).Rectangle(
            (x, y), 1, 1, facecolor=PALETTE[i % len(PALETTE)], hatch=HATCHES[i % len(HATCHES)], edgecolor="black", alpha=0.85))
        star = "*" if r.status == "assumption" else ""
        ax.text(x + 0.5, y + 0.5, labels.label(r.segment, lang) + star, ha="center", va="center", fontsize=10,
                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.9, "pad": 2})
    ax.set_xlim(0, len(adapts))
    ax.set_ylim(0, len(freqs))
    ax.set_xticks(np.arange(len(adapts)) + 0.5, [labels.label(a, lang) for a in adapts])
    ax.set_yticks(np.arange(len(freqs)) + 0.5, [labels.label(f, lang) for f in freqs])
    ax.set_xlabel({"nb": "Tilpasningsbehov", "en": "Adaptation need"}[lang])
    ax.set_ylabel({"nb": "Innkjøpsfrekvens", "en": "Purchase frequency"}[lang])
    ax.tick_params(length=0)


def _attributes(inputs, scenario):
    from ehelse_market.domain import contracts

    return contracts.attributes(inputs)


@register(
    id="000-tabell-1",
    chapter="02_contracts",
    title={"nb": "Egenskaper ved de tre kontraktsformene", "en": "Attributes of the three governance forms"},
    caption={
        "nb": "Williamsons (1991) vurderinger: ++ sterk, + middels, 0 svak. Tallkodingen (2/1/0) følger Williamson 1991, tabell 1.",
        "en": "Williamson's (1991) ratings: ++ strong, + semi-strong, 0 weak. The numeric coding (2/1/0) follows Williamson 1991, Table 1.",
    },
    unit="index",
    inputs=(),
    tables=("williamson_attributes",),
    source=f"{SEED000}:564-564",
    data=_attributes,
)
def plot_attributes(data, ax, lang):
    attrs = list(dict.fromkeys(data["attribute"]))
    forms = [f for f in ("market", "hybrid", "hierarchy") if f in set(data["segment"])]
    shades = {0.0: "#FFFFFF", 1.0: "#BFD7EA", 2.0: "#0072B2"}
    for r in data.itertuples(index=False):
        x, y = forms.index(r.segment), len(attrs) - 1 - attrs.index(r.attribute)
        ax.add_patch(__import__("matplotlib.patches", fromlist=["Rectangle"]).Rectangle(
            (x, y), 1, 1, facecolor=shades.get(float(r.value), "#DDDDDD"), edgecolor="black"))
        ax.text(x + 0.5, y + 0.5, r.symbol, ha="center", va="center", fontsize=13, fontweight="bold",
                color="white" if float(r.value) == 2.0 else "black")
    ax.set_xlim(0, len(forms))
    ax.set_ylim(0, len(attrs))
    ax.set_xticks(np.arange(len(forms)) + 0.5, [labels.label(f, lang) for f in forms])
    ax.set_yticks(np.arange(len(attrs)) + 0.5, [labels.label(a, lang) for a in attrs[::-1]])
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    for s in ax.spines.values():
        s.set_visible(False)


# --------------------------------------------------------------------------- chapter 4: workforce


def _workforce(inputs, scenario):
    from ehelse_market.domain import workforce

    d = workforce.project(inputs, params=scenario)
    return d[d["variable"] == "fte_demand"].reset_index(drop=True)


@register(
    id="004-figur-2",
    chapter="04_workforce",
    title={"nb": "Behov for årsverk mot 2060", "en": "Demand for full-time equivalents to 2060"},
    caption={
        "nb": "Etterspørsel etter årsverk i offentlig finansiert helse og omsorg ved ulike årlige produktivitetsvekstrater. "
        "SSBs referansebane ({workforce.ssb_reference.productivity_growth}) er interpolert geometrisk mellom de publiserte årene.",
        "en": "Demand for full-time equivalents in publicly financed health and care under different annual productivity "
        "growth rates. SSB's reference path ({workforce.ssb_reference.productivity_growth}) is interpolated geometrically between "
        "the published years.",
    },
    unit="fte",
    inputs=("workforce.ssb_reference.", "assumption.workforce.base_year"),
    source=f"{SEED004}:177-178",
    data=_workforce,
)
def plot_workforce(data, ax, lang):
    for i, (g, d) in enumerate(data.groupby("productivity_growth", sort=True)):
        name = {"nb": "Produktivitetsvekst", "en": "Productivity growth"}[lang]
        ax.plot(d["year"].astype(int), d["value"], color=PALETTE[i % len(PALETTE)], linestyle=LINESTYLES[i % len(LINESTYLES)],
                marker=MARKERS[i % len(MARKERS)], markevery=5,
                label=f"{name} {labels.quantity(g * 100, 'percent', lang=lang)}")
        last = d.iloc[-1]
        ax.annotate(labels.number(last["value"], 0, lang), (int(last["year"]), last["value"]), xytext=(4, 0),
                    textcoords="offset points", va="center", fontsize=8)
    ax.set_ylabel(labels.unit("fte", lang))
    ax.yaxis.set_major_formatter(labels.tick_formatter(lang, 0))
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left")


# --------------------------------------------------------------------------- chapter 4: uncertainty and sensitivity (issue 5)


def _fan_chart(inputs, scenario):
    from ehelse_market.analysis import uncertainty

    return uncertainty.fan_chart_data(inputs, scenario)


@register(
    id="004-figur-2-vifte",
    chapter="04_workforce",
    title={"nb": "Usikkerhet i behovet for årsverk mot 2060", "en": "Uncertainty in demand for full-time equivalents to 2060"},
    caption={
        "nb": "Monte Carlo-trekk (antall og frø fra scenarioet) av produktivitetsvekst, jevnt fordelt over scenarioets intervall "
        "(standard 0–2 % per år), og av nivået på SSBs referansebane i 2060 (standard ± 10 %). Mørkt bånd: 25.–75. persentil, "
        "lyst bånd: 5.–95. persentil, heltrukken linje: median, stiplet linje: SSBs referansebane. Fordelingene er antakelser: "
        "dokumentene gir intervaller, ikke sannsynligheter.",
        "en": "Monte Carlo draws (number and seed from the scenario) of productivity growth, uniform over the scenario's range "
        "(default 0–2 % a year), and of the 2060 level of SSB's reference path (default ± 10 %). Dark band: 25th–75th percentile, "
        "light band: 5th–95th percentile, solid line: median, dashed line: SSB's reference path. The distributions are "
        "assumptions: the documents give ranges, not probabilities.",
    },
    unit="fte",
    inputs=(
        "workforce.ssb_reference.",
        "assumption.workforce.no_gains_productivity_growth",
        "workforce.menon.no_resource_problem_growth",
        "assumption.sensitivity.reference_2060_swing",
    ),
    source=f"{SEED004}:177-178",
    data=_fan_chart,
)
def plot_fan_chart(data, ax, lang):
    bands = data[data["variable"] == "fte_demand"]
    wide = bands.pivot(index="year", columns="percentile", values="value").sort_index()
    years = wide.index.astype(int)
    pct = sorted(wide.columns)
    name = {"nb": "persentil", "en": "percentile"}[lang]
    for (lo, hi), alpha, hatch in (((pct[0], pct[-1]), 0.25, "//"), ((pct[1], pct[-2]), 0.5, "")):
        ax.fill_between(years, wide[lo], wide[hi], color=PALETTE[0], alpha=alpha, hatch=hatch, linewidth=0,
                        label=f"{labels.number(lo, 0, lang)}.–{labels.number(hi, 0, lang)}. {name}")
    mid = pct[len(pct) // 2]
    ax.plot(years, wide[mid], color=PALETTE[0], linestyle=LINESTYLES[0], label={"nb": "Median", "en": "Median"}[lang])
    ref = data[data["variable"] == "fte_demand_reference"]
    ax.plot(ref["year"].astype(int), ref["value"], color=PALETTE[6], linestyle=LINESTYLES[1], marker=MARKERS[1], markevery=5,
            label={"nb": "SSBs referansebane", "en": "SSB's reference path"}[lang])
    for p in (pct[0], mid, pct[-1]):
        ax.annotate(labels.number(wide[p].iloc[-1], 0, lang), (int(years[-1]), wide[p].iloc[-1]), xytext=(4, 0),
                    textcoords="offset points", va="center", fontsize=8)
    ax.set_ylabel(labels.unit("fte", lang))
    ax.yaxis.set_major_formatter(labels.tick_formatter(lang, 0))
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left")


def _tornado(inputs, scenario):
    from ehelse_market.analysis import sensitivity

    return sensitivity.tornado(inputs, scenario)


TORNADO_FACTORS = {
    "productivity_growth": {"nb": "Produktivitetsvekst", "en": "Productivity growth"},
    "reference_level_2060": {"nb": "SSBs nivå i 2060", "en": "SSB's 2060 level"},
    "base_year": {"nb": "Basisår", "en": "Base year"},
}


@register(
    id="004-figur-2-tornado",
    chapter="04_workforce",
    title={"nb": "Hva flytter gapet i 2060 mest?", "en": "What moves the 2060 gap most?"},
    caption={
        "nb": "Årsverk over SSBs referansebane i 2060 (Menons «150 000 årsverk mer») når én faktor om gangen settes til "
        "endene av intervallet sitt og de andre holdes i midtpunktet (scenarioets første vekstrate, basisår og 2060-nivå): "
        "produktivitetsvekst (standard 0–2 % per år), SSBs 2060-nivå (standard ± 10 %) og basisåret (standard 2017–2020). "
        "Intervallene står i dataene som antakelser.",
        "en": "Full-time equivalents above SSB's reference path in 2060 (Menon's \"150,000 more\") when one factor at a time is "
        "set to the ends of its range and the others are held at the centre (the scenario's first growth rate, base year and "
        "2060 level): productivity growth (default 0–2 % a year), SSB's 2060 level (default ± 10 %) and the base year "
        "(default 2017–2020). The ranges are assumptions recorded in the data.",
    },
    unit="fte",
    inputs=(
        "workforce.ssb_reference.",
        "assumption.workforce.base_year",
        "assumption.workforce.no_gains_productivity_growth",
        "workforce.menon.no_resource_problem_growth",
        "assumption.sensitivity.",
    ),
    source=f"{SEED004}:186-188",
    data=_tornado,
)
def plot_tornado(data, ax, lang):
    centre = float(data[data["bound"] == "central"]["value"].iloc[0])
    factors = [f for f in dict.fromkeys(data.sort_values("rank")["segment"]) if f != "central"]
    y = np.arange(len(factors))[::-1]
    fmt = {
        "productivity_growth": lambda v: labels.quantity(v * 100, "percent", 1, lang),
        "reference_level_2060": lambda v: labels.number(v, 0, lang),
        "base_year": lambda v: str(int(v)),
    }
    for yy, f in zip(y, factors):
        d = data[data["segment"] == f].set_index("bound")
        for j, bound in enumerate(("low", "high")):
            v = float(d.loc[bound, "value"])
            ax.barh(yy, v - centre, left=centre, color=PALETTE[j], hatch=HATCHES[j + 1], edgecolor="black", linewidth=0.6,
                    label={"low": {"nb": "Lav ende", "en": "Low end"}, "high": {"nb": "Høy ende", "en": "High end"}}[bound][lang] if yy == y[0] else None)
            ax.text(v, yy, f" {fmt[f](d.loc[bound, 'parameter_value'])} ", va="center", ha="left" if v >= centre else "right", fontsize=8)
    ax.axvline(centre, color="black", linewidth=0.8)
    ax.text(centre, len(factors) - 0.45, f" {({'nb': 'Midtpunkt', 'en': 'Centre'})[lang]}: {labels.number(centre, 0, lang)}",
            va="bottom", ha="left", fontsize=8)
    ax.set_yticks(y, [TORNADO_FACTORS.get(f, {}).get(lang, f) for f in factors])
    ax.set_ylim(-0.6, len(factors) - 0.1)
    lo, hi = float(data["value"].min()), float(data["value"].max())
    pad = (hi - lo) * 0.25 or 1.0
    ax.set_xlim(lo - pad, hi + pad)
    ax.xaxis.set_major_formatter(labels.tick_formatter(lang, 0))
    ax.set_xlabel({"nb": "Årsverk over referansebanen i 2060", "en": "Full-time equivalents above the reference path in 2060"}[lang])
    ax.legend(loc="lower left")


# --------------------------------------------------------------------------- chapter 3: ICT


def _ict_comparison(inputs, scenario):
    from ehelse_market.domain import ict

    d = ict.comparison(inputs, params=scenario)
    return d[d["variable"] == "ict_share_of_operating_income"].reset_index(drop=True)


@register(
    id="000-ikt-andel",
    chapter="03_ict",
    title={"nb": "IKT-utgifter som andel av driftsinntekter, 2019", "en": "ICT spend as a share of operating income, 2019"},
    caption={
        "nb": "Helseregionenes IKT-utgifter mot Gartners internasjonale gjennomsnitt, slik rapporten gjengir Direktoratet for e-helse (2020).",
        "en": "The health regions' ICT spend against Gartner's international average, as the report quotes the Directorate of eHealth (2020).",
    },
    unit="percent",
    inputs=("ict.rhf_share.2019", "ict.gartner_average.2019"),
    source=f"{SEED000}:1536-1537",
    data=_ict_comparison,
)
def plot_ict_comparison(data, ax, lang):
    names = [labels.label(s, lang) for s in data["segment"]]
    _bars(ax, names, data["value"].to_numpy(), "percent", lang, decimals=1)


def _ict_multiples(inputs, scenario):
    from ehelse_market.domain import ict

    return ict.multiples(inputs)


@register(
    id="000-figur-6",
    chapter="03_ict",
    title={"nb": "IKT-bruk i andre næringer, ganger helse", "en": "ICT use in other industries, times health"},
    caption={
        "nb": "Rapportens multiplikatorer (mer enn {ict.multiple.other_industries|n}, omtrent {ict.multiple.banking_finance|n} og "
        "{ict.multiple.media} helse). Figur 6 i rapporten viser OECD-tall som ikke er gjengitt i teksten; multiplikatorene "
        "gjelder et annet mål enn andelen på {ict.rhf_share.2019} og kan ikke ganges med den.",
        "en": "The report's multiples (more than {ict.multiple.other_industries|n}, about {ict.multiple.banking_finance|n} and "
        "{ict.multiple.media} health). The report's Figur 6 shows OECD numbers not given in the text; the multiples are on a "
        "different measure from the {ict.rhf_share.2019} share and cannot be multiplied with it.",
    },
    unit="multiple",
    inputs=("ict.multiple.",),
    source=f"{SEED000}:1564-1564",
    data=_ict_multiples,
)
def plot_ict_multiples(data, ax, lang):
    names = [labels.label(s, lang) for s in data["segment"]]
    notes = [f"({labels.word('lower_bound', lang)})" if b == "lower" else "" for b in data["bound"]]
    _bars(ax, names, data["value"].to_numpy(), "multiple", lang, decimals=0, notes=notes)
    ax.axvline(1, color="black", linestyle=":", linewidth=1)
    ax.text(1, len(data) - 0.45, " " + {"nb": "helse = 1", "en": "health = 1"}[lang], fontsize=8, va="bottom")


def _ict_series(inputs, scenario):
    from ehelse_market.domain import ict

    return ict.series(inputs)


@register(
    id="ext-ikt-serie",
    chapter="03_ict",
    title={"nb": "Publiserte IKT-andeler over tid", "en": "Published ICT shares over time"},
    caption={
        "nb": "Helseregionenes IKT-andel og sammenligningstallene slik Direktoratet for e-helse har publisert dem. Tallene for 2017 "
        "er et annet mål (IKT-driftskostnader som andel av totale kostnader) og er tegnet med åpne symboler.",
        "en": "The health regions' ICT share and the comparison figures as published by the Directorate of eHealth. The 2017 figures "
        "are a different measure (ICT operating cost as a share of total cost) and are drawn with open symbols.",
    },
    unit="percent",
    inputs=("ict.rhf_share.", "ict.gartner_average.", "ict.global_average."),
    source=f"{SEED000}:1536-1537",
    data=_ict_series,
)
def plot_ict_series(data, ax, lang):
    for i, (seg, d) in enumerate(data.groupby("segment", sort=True)):
        same = d[d["variable"] == "ict_share_of_operating_income"]
        other = d[d["variable"] != "ict_share_of_operating_income"]
        c, m = PALETTE[i % len(PALETTE)], MARKERS[i % len(MARKERS)]
        if len(same):
            ax.plot(same["year"].astype(int), same["value"], color=c, marker=m, linestyle=LINESTYLES[i % len(LINESTYLES)],
                    label=labels.label(seg, lang))
        if len(other):
            ax.plot(other["year"].astype(int), other["value"], color=c, marker=m, markerfacecolor="white", linestyle="none",
                    label=labels.label(seg, lang) + {"nb": " (annet mål)", "en": " (other measure)"}[lang])
        for r in d.itertuples(index=False):
            ax.annotate(labels.number(r.value, 1, lang), (int(r.year), r.value), xytext=(5, 3), textcoords="offset points", fontsize=8)
    years = sorted(int(y) for y in data["year"].unique())
    ax.set_xticks(years, [str(y) for y in years])
    ax.set_xlim(years[0] - 0.5, years[-1] + 0.8)
    ax.set_ylim(0, float(data["value"].max()) * 1.3)
    ax.set_ylabel(labels.unit("percent", lang))
    ax.yaxis.set_major_formatter(labels.tick_formatter(lang))
    ax.legend(loc="lower left", fontsize=8)


# --------------------------------------------------------------------------- chapter 5: gains


def _gains(inputs, scenario):
    from ehelse_market.domain import gains

    d = gains.example(inputs, params=scenario)
    return d[(d["variable"] == "gain") & (d["segment"] != "total")].reset_index(drop=True)


@register(
    id="004-figur-3",
    chapter="05_gains",
    title={"nb": "Mulighetsrommet: gevinst av 1 prosent", "en": "The opportunity: the gain from 1 per cent"},
    caption={
        "nb": "Regneeksempelet: scenarioets gevinstrate ({gains.example_rate} i notatet) av sykdomsbyrden ({gains.base.disease_burden}), "
        "helsebudsjettet ({gains.base.health_budget}) og verdiskapingen i helsenæringen ({gains.base.value_added}).",
        "en": "The worked example: the scenario's gain rate ({gains.example_rate} in the note) of the disease burden "
        "({gains.base.disease_burden}), the health budget ({gains.base.health_budget}) and the health industry's value added "
        "({gains.base.value_added}).",
    },
    unit="NOK bn",
    inputs=("gains.base.", "gains.example_rate"),
    source=f"{SEED004}:614-614",
    data=_gains,
)
def plot_gains(data, ax, lang):
    names = [labels.label(s, lang) for s in data["segment"]]
    _bars(ax, names, data["value"].to_numpy(), "NOK bn", lang, decimals=1)


def _exports(inputs, scenario):
    from ehelse_market.domain import gains

    d = gains.exports(inputs)
    keep = d["variable"].isin(["exports", "share_published"]) & (d["segment"] != "total")
    return d[keep].reset_index(drop=True)


@register(
    id="004-eksport",
    chapter="05_gains",
    title={"nb": "Helseindustriens eksport 2020", "en": "Health-industry exports 2020"},
    caption={
        "nb": "Eksport i mrd. kr: medisinsk utstyr og digital helse som publisert, legemidler som resten av totalen (oppunder "
        "{exports.total.2020}). "
        "Prosentene er notatets avrundede andeler.",
        "en": "Exports in NOK bn: medical equipment and digital health as published, pharmaceuticals as the rest of the total (just "
        "under {exports.total.2020}). The percentages are the note's rounded shares.",
    },
    unit="NOK bn",
    inputs=("exports.",),
    source=f"{SEED004}:928-934",
    data=_exports,
)
def plot_exports(data, ax, lang):
    amounts = _values(data, "exports")
    shares = _values(data, "share_published").set_index("segment")["value"]
    seg_share = {"pharma_residual": "pharma"}
    names = [labels.label(s, lang) for s in amounts["segment"]]
    notes = [f"({labels.quantity(shares.get(seg_share.get(s, s), float('nan')), 'percent', None, lang)})" for s in amounts["segment"]]
    _bars(ax, names, amounts["value"].to_numpy(), "NOK bn", lang, decimals=2, notes=notes)
