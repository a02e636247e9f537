"""Chapter 4, the workforce: demand for årsverk to 2060 (Figur 2 of Menon Economics 2022), its
Monte Carlo fan and the tornado of what moves 2060 demand most.

SSB's reference path is drawn in every scenario for comparison, with markers only on its
published points (2017, 2035, 2060); interpolated years carry none.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ehelse_market.publishing import labels
from ehelse_market.publishing.figures import Text, Word

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ehelse_market.inputs.loader import Inputs
    from ehelse_market.inputs.scenario import Scenario
    from ehelse_market.publishing.figures import Drawing, Fact

REFERENCE = "fte_demand_reference"


def _reference(inputs: Inputs, scenario: Scenario, years: Iterable[int]) -> pd.DataFrame:
    """SSB's reference path at ``years`` (at the scenario's 2060 level) with its published points:
    column ``published`` is true where the value is SSB's own number, ``source_id`` names it."""
    from ehelse_market.domain import workforce

    ry, rv = workforce.reference_points(inputs)
    rv = rv.astype(float).copy()
    level = getattr(scenario, "reference_level_2060", None)
    if level is not None:
        rv[-1] = float(level)
    years = np.asarray(years, dtype=int)
    rows = inputs.select(workforce.REFERENCE_PREFIX)
    rows = rows[rows["variable"] == REFERENCE]
    source = dict(zip(rows["year"].astype(int), rows["source_id"]))
    published = np.isin(years, ry)
    if level is not None:
        published &= years != ry[-1]  # the scenario's own 2060 level is not SSB's number
    return pd.DataFrame(
        {
            "scenario": scenario.name,
            "variable": REFERENCE,
            "segment": "publicly_financed_health_care",
            "unit": "fte",
            "year": pd.array(years, dtype="Int64"),
            "value": workforce.reference_path(years, ry, rv),
            "published": published,
            "source_id": [source[y] if p else "" for y, p in zip(years, published)],
        }
    )


def _draw_reference(ax: Axes, d: Drawing, ref: pd.DataFrame, name: str) -> None:
    """The reference path as a dashed line, a marker on each published point (with its tooltip)."""
    s = d.style(REFERENCE)
    years = ref["year"].astype(int).to_numpy()
    (line,) = ax.plot(years, ref["value"], color=s.colour, linestyle=s.linestyle, label=name)
    published = [s for s in ref["source_id"] if s]  # the path is SSB's: cite it, not the figure's document
    d.mark(line, d.word("path_tip").format(name=name, y0=years[0], v0=d.value(ref["value"].iloc[0], "fte", 0),
                                           y1=years[-1], v1=d.value(ref["value"].iloc[-1], "fte", 0)), category=REFERENCE,
           source=d.cite(published[0]) if published else None)
    for r in ref[ref["published"]].itertuples(index=False):
        (pt,) = ax.plot([int(r.year)], [r.value], linestyle="none", marker=s.marker, color=s.colour, markersize=5)
        d.mark(pt, f"{name} {int(r.year)}: {d.value(r.value, 'fte', 0)} ({d.word('published_point')})", category=REFERENCE,
               source=d.cite(r.source_id))


def demand(inputs: Inputs, scenario: Scenario) -> pd.DataFrame:
    """Demand per scenario growth rate and year, and SSB's reference path beside it."""
    from ehelse_market.domain import workforce

    d = workforce.project(inputs, params=scenario)
    d = d[d["variable"] == "fte_demand"].reset_index(drop=True)
    ref = _reference(inputs, scenario, sorted(d["year"].astype(int).unique()))
    return pd.concat([d, ref], ignore_index=True)


def plot_demand(data: pd.DataFrame, ax: Axes, d: Drawing) -> None:
    paths = data[data["variable"] == "fte_demand"]
    ref = data[data["variable"] == REFERENCE]
    basis = ref["value"].to_numpy()
    name = labels.word("productivity_growth", d.lang)
    ref_name = d.word("reference")
    for i, (g, p) in enumerate(paths.groupby("productivity_growth", sort=True)):
        rate = labels.quantity(g * 100, "percent", None, d.lang)
        if np.allclose(p["value"].to_numpy(), basis, rtol=1e-12):
            ref_name = f"{ref_name} ({rate})"  # the same path: drawn once, as SSB's
            continue
        s = d.style_series(i)
        years = p["year"].astype(int).to_numpy()
        (line,) = ax.plot(years, p["value"], color=s.colour, linestyle=s.linestyle, label=f"{name} {rate}")
        d.mark(line, d.word("path_tip").format(name=f"{name} {rate}", y0=years[0], v0=d.value(p["value"].iloc[0], "fte", 0),
                                               y1=years[-1], v1=d.value(p["value"].iloc[-1], "fte", 0)))
        _end_label(ax, d, years[-1], p["value"].iloc[-1])
    _draw_reference(ax, d, ref, ref_name)
    _end_label(ax, d, int(ref["year"].iloc[-1]), basis[-1], dx=6)
    _fte_axes(ax, d)


def _end_label(ax: Axes, d: Drawing, year: int, value: float, dx: int = 4) -> None:
    """The value at the end of a path, just right of it."""
    ax.annotate(labels.number(value, 0, d.lang), (int(year), value), xytext=(dx, 0), textcoords="offset points", va="center", fontsize=8)


def _fte_axes(ax: Axes, d: Drawing) -> None:
    """A y axis of årsverk from 0, the legend top left."""
    ax.set_ylabel(labels.unit("fte", d.lang))
    ax.yaxis.set_major_formatter(labels.tick_formatter(d.lang, 0))
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left")


def facts_demand(data: pd.DataFrame) -> dict[str, Fact]:
    paths = data[data["variable"] == "fte_demand"]
    end = int(paths["year"].max())
    last = paths[paths["year"] == end].sort_values("productivity_growth")
    ref = data[(data["variable"] == REFERENCE) & (data["year"] == end)]["value"].iloc[0]
    lo, hi = last.iloc[0], last.iloc[-1]
    return {
        "end": end, "reference": (ref, "fte", 0),
        "low_rate": (lo["productivity_growth"] * 100, "percent"), "low_demand": (lo["value"], "fte", 0),
        "high_rate": (hi["productivity_growth"] * 100, "percent"), "high_demand": (hi["value"], "fte", 0),
    }


def fan(inputs: Inputs, scenario: Scenario) -> pd.DataFrame:
    """Monte Carlo bands of demand, and SSB's reference path with its published points."""
    from ehelse_market.analysis import uncertainty

    d = uncertainty.fan_chart_data(inputs, scenario)
    bands = d[d["variable"] == "fte_demand"]
    ref = _reference(inputs, scenario, sorted(d[d["variable"] == REFERENCE]["year"].astype(int)))
    return pd.concat([bands, ref.assign(percentile=np.nan)], ignore_index=True)


def plot_fan(data: pd.DataFrame, ax: Axes, d: Drawing) -> None:
    bands = data[data["variable"] == "fte_demand"]
    wide = bands.pivot(index="year", columns="percentile", values="value").sort_index()
    years = wide.index.astype(int)
    pct = sorted(wide.columns)
    s = d.style("fte_demand")
    for (lo, hi), alpha, hatch in (((pct[0], pct[-1]), 0.25, s.hatch), ((pct[1], pct[-2]), 0.5, "")):
        band_name = d.word("band").format(lo=labels.number(lo, 0, d.lang), hi=labels.number(hi, 0, d.lang))
        band = ax.fill_between(years, wide[lo], wide[hi], color=s.colour, alpha=alpha, hatch=hatch, linewidth=0, label=band_name)
        d.mark(band, f"{band_name} {int(years[-1])}: {d.value(wide[lo].iloc[-1], 'fte', 0)}–{d.value(wide[hi].iloc[-1], 'fte', 0)}",
               category="fte_demand")
    mid = pct[len(pct) // 2]
    (median,) = ax.plot(years, wide[mid], color=s.colour, linestyle=s.linestyle, label=d.word("median"))
    d.mark(median, f"{d.word('median')} {int(years[-1])}: {d.value(wide[mid].iloc[-1], 'fte', 0)}", category="fte_demand")
    _draw_reference(ax, d, data[data["variable"] == REFERENCE], d.word("reference"))
    for p in (pct[0], mid, pct[-1]):
        _end_label(ax, d, int(years[-1]), wide[p].iloc[-1])
    _fte_axes(ax, d)


def facts_fan(data: pd.DataFrame) -> dict[str, Fact]:
    bands = data[data["variable"] == "fte_demand"]
    end = int(bands["year"].max())
    last = bands[bands["year"] == end].set_index("percentile")["value"].sort_index()
    return {"end": end, "low": (last.iloc[0], "fte", 0), "high": (last.iloc[-1], "fte", 0),
            "median": (last.iloc[len(last) // 2], "fte", 0), "lo_pct": Text(nb=labels.number(last.index[0], 0, "nb"), en=labels.number(last.index[0], 0, "en")),
            "hi_pct": Text(nb=labels.number(last.index[-1], 0, "nb"), en=labels.number(last.index[-1], 0, "en"))}


def tornado(inputs: Inputs, scenario: Scenario) -> pd.DataFrame:
    from ehelse_market.analysis import sensitivity

    return sensitivity.tornado(inputs, scenario)


def _parameter_text(factor: str, value: float, lang: str) -> str:
    if factor == "productivity_growth":
        return labels.quantity(value * 100, "percent", None, lang)
    if factor == "reference_level_2060":
        return labels.quantity(value, "fte", 0, lang)
    return labels.value_text(value, "year", lang)


def plot_tornado(data: pd.DataFrame, ax: Axes, d: Drawing) -> None:
    """Bars from the central case to each end of each factor's range, both ends labelled."""
    central = data[data["bound"] == "central"].iloc[0]
    centre = float(central["value"])
    factors = [f for f in dict.fromkeys(data.sort_values("rank")["segment"]) if f != "central"]
    y = np.arange(len(factors))[::-1]
    lo_all, hi_all = float(data["value"].min()), float(data["value"].max())
    nudge = (hi_all - lo_all) * 0.01
    for yy, f in zip(y, factors):
        rows = data[data["segment"] == f].set_index("bound")
        factor_name = d.word(f"factor_{f}")
        for bound in ("low", "high"):
            v = float(rows.loc[bound, "value"])
            s = d.style(f"end_{bound}")
            bar = ax.barh(yy, v - centre, left=centre, height=0.6, color=s.colour, hatch=s.hatch, edgecolor="black", linewidth=0.6,
                          label=d.word(f"end_{bound}") if yy == y[0] else None)[0]
            param = _parameter_text(f, float(rows.loc[bound, "parameter_value"]), d.lang)
            d.mark(bar, d.word("bar_tip").format(factor=factor_name, param=param, value=d.value(v, "fte", 0),
                                                 change=labels.number(v - centre, 0, d.lang), year=int(central["year"])), category=f"end_{bound}")
            # each end labelled with its parameter value, outside its bar; an end at the centre
            # goes to the side its partner does not use
            other = float(rows.loc["high" if bound == "low" else "low", "value"])
            right = v > centre or (v == centre and other < centre) or (v == centre == other and bound == "high")
            ax.text(v + (nudge if right else -nudge), yy, param, va="center", ha="left" if right else "right", fontsize=8)
    ax.axvline(centre, color="black", linewidth=0.8)
    ax.text(centre, len(factors) - 0.35, d.word("centre").format(rate=_parameter_text("productivity_growth", central["parameter_value"], d.lang),
                                                              value=labels.number(centre, 0, d.lang)),
            va="bottom", ha="center", fontsize=8, bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})
    ax.set_yticks(y, [d.word(f"factor_{f}") for f in factors])
    ax.set_ylim(-0.6, len(factors) + 0.1)
    pad = (hi_all - lo_all) * 0.22 or 1.0
    ax.set_xlim(lo_all - pad, hi_all + pad)
    ax.xaxis.set_major_formatter(labels.tick_formatter(d.lang, 0))
    ax.set_xlabel(d.word("x_axis").format(year=int(central["year"])))
    # below the axes: inside, some scenario's bars or labels would sit under it
    ax.figure.legend(loc="outside lower center", ncols=2, fontsize=8)


def facts_tornado(data: pd.DataFrame) -> dict[str, Fact]:
    central = data[data["bound"] == "central"].iloc[0]
    top = data[data["rank"] == 1].set_index("bound")
    f = top.index.size and str(top["segment"].iloc[0])
    return {
        "year": int(central["year"]), "centre": (central["value"], "fte", 0),
        "centre_rate": (central["parameter_value"] * 100, "percent"), "factor": Word(f"factor_{f}"),
        "low_param": Text(nb=_parameter_text(f, top.loc["low", "parameter_value"], "nb"), en=_parameter_text(f, top.loc["low", "parameter_value"], "en")),
        "high_param": Text(nb=_parameter_text(f, top.loc["high", "parameter_value"], "nb"), en=_parameter_text(f, top.loc["high", "parameter_value"], "en")),
        "low_value": (top.loc["low", "value"], "fte", 0), "high_value": (top.loc["high", "value"], "fte", 0),
    }
