"""Chapter 3, ICT spend: the health regions against Gartner's average, ICT use in other industries
(Figur 6) and the published ICT shares over time."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ehelse_market.publishing import labels
from ehelse_market.publishing.chapters.common import bars
from ehelse_market.publishing.figures import Text

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from ehelse_market.inputs.loader import Inputs
    from ehelse_market.inputs.scenario import Scenario
    from ehelse_market.publishing.figures import Drawing, Fact

SAME_MEASURE = "ict_share_of_operating_income"


def ict_comparison(inputs: Inputs, scenario: Scenario) -> pd.DataFrame:
    from ehelse_market.domain import ict

    d = ict.comparison(inputs, params=scenario)
    return d[d["variable"] == SAME_MEASURE].reset_index(drop=True)


def plot_comparison(data: pd.DataFrame, ax: Axes, d: Drawing) -> None:
    bars(ax, d, list(data["segment"]), data["value"].to_numpy(), "percent", decimals=1)


def facts_comparison(data: pd.DataFrame) -> dict[str, Fact]:
    v = data.set_index("segment")["value"]
    return {"norway": (v["norway_health_regions"], "percent", 1), "gartner": (v["gartner_average"], "percent", 1),
            "difference": (v["norway_health_regions"] - v["gartner_average"], "percentage points", 1)}


def ict_multiples(inputs: Inputs, scenario: Scenario) -> pd.DataFrame:
    from ehelse_market.domain import ict

    return ict.multiples(inputs)


def plot_multiples(data: pd.DataFrame, ax: Axes, d: Drawing) -> None:
    notes = [f"({labels.word('lower_bound', d.lang)})" if b == "lower" else "" for b in data["bound"]]
    bars(ax, d, list(data["segment"]), data["value"].to_numpy(), "multiple", decimals=0, notes=notes)
    health = d.style("health")
    line = ax.axvline(1, color=health.colour, linestyle=health.linestyle, linewidth=1)
    d.mark(line, d.word("health_line"), category="health")
    # the label sits under the bars, clear of the title and the value labels
    ax.set_ylim(-1.1, len(data) - 0.5)
    ax.text(1, -0.95, " " + d.word("health_line"), fontsize=8, va="bottom")


def facts_multiples(data: pd.DataFrame) -> dict[str, Fact]:
    v = data.set_index("segment")
    top = v["value"].idxmax()
    return {"top": top, "top_multiple": (v.loc[top, "value"], "multiple", 0),
            "others": (v.loc["other_industries", "value"], "multiple", 0)}


def ict_series(inputs: Inputs, scenario: Scenario) -> pd.DataFrame:
    from ehelse_market.domain import ict

    return ict.series(inputs)


def plot_series(data: pd.DataFrame, ax: Axes, d: Drawing) -> None:
    for seg, g in data.groupby("segment", sort=True):
        s = d.style(seg)
        same = g[g["variable"] == SAME_MEASURE]
        other = g[g["variable"] != SAME_MEASURE]
        name = labels.label(seg, d.lang)
        if len(same):
            ax.plot(same["year"].astype(int), same["value"], color=s.colour, linestyle=s.linestyle, marker=s.marker, label=name)
        if len(other):
            ax.plot(other["year"].astype(int), other["value"], color=s.colour, marker=s.marker, markerfacecolor="white",
                    linestyle="none", label=name + d.word("other_measure"))
        for r in g.itertuples(index=False):
            # one invisible point per published value, carrying its tooltip
            (pt,) = ax.plot([int(r.year)], [r.value], linestyle="none", marker=s.marker, color=s.colour, markersize=9, alpha=0)
            measure = "" if r.variable == SAME_MEASURE else d.word("other_measure")
            d.mark(pt, f"{name}{measure} {int(r.year)}: {d.value(r.value, 'percent', 1)}", category=seg, source=d.cite(r.source_id))
            ax.annotate(labels.number(r.value, 1, d.lang), (int(r.year), r.value), xytext=(5, 3), textcoords="offset points", fontsize=8)
    years = sorted(int(y) for y in data["year"].unique())
    ax.set_xticks(years, [str(y) for y in years])
    ax.set_xlim(years[0] - 0.5, years[-1] + 0.8)
    ax.set_ylim(0, float(data["value"].max()) * 1.3)
    ax.set_ylabel(labels.unit("percent", d.lang))
    ax.yaxis.set_major_formatter(labels.tick_formatter(d.lang))
    ax.legend(loc="lower left", fontsize=8)


def facts_series(data: pd.DataFrame) -> dict[str, Fact]:
    same = data[(data["variable"] == SAME_MEASURE) & data["segment"].isin(["rhf_share", "norway_health_regions"])].sort_values("year")
    first, last = same.iloc[0], same.iloc[-1]
    return {"first_year": int(first["year"]), "first": (first["value"], "percent", 1),
            "last_year": int(last["year"]), "last": (last["value"], "percent", 1), "n": Text(nb=str(len(data)), en=str(len(data)))}
