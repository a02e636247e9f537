"""Chapter 2, contract forms: spend by contract form (Figur 8), a re-allocation towards relational
contracts, Williamson's governance costs (Figur 3), the optimal-form grid (Figur 7) and the
attributes of the three forms (Tabell 1)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ehelse_market.publishing import labels
from ehelse_market.publishing.chapters.ch01_market import facts_split, plot_split
from ehelse_market.publishing.chapters.common import values

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ehelse_market.inputs.loader import Inputs
    from ehelse_market.inputs.scenario import Scenario
    from ehelse_market.publishing.figures import Drawing, Fact, Text

#: order of the forms in the Figur 7 grid (codes of the palette)
FORM_ORDER = ("market", "open_market", "project", "relational", "hybrid", "in_house", "hierarchy", "not_covered")


def contract_amounts(inputs: Inputs, scenario: Scenario) -> pd.DataFrame:
    from ehelse_market.domain import contracts

    d = contracts.amounts(inputs, scenario)
    return d[d["segment"] != "total"].reset_index(drop=True)


# Figur 8 is drawn like Figur 5: the same bars with the interval from the rounded shares
plot_amounts = plot_split
facts_amounts = facts_split


def reallocation(inputs: Inputs, scenario: Scenario) -> pd.DataFrame:
    from ehelse_market.domain import contracts

    return contracts.reallocate(inputs, params=scenario)


def plot_reallocation(data: pd.DataFrame, ax: Axes, d: Drawing) -> None:
    ch = values(data, "spend_change")
    y = np.arange(len(ch))[::-1]
    for yy, v, cat in zip(y, ch["value"], ch["segment"]):
        s = d.style(cat)
        bar = ax.barh(yy, v, color=s.colour, hatch=s.hatch, edgecolor="black", linewidth=0.6)[0]
        d.mark(bar, f"{labels.label(cat, d.lang)}: {d.value(v, 'NOK bn', 2)}", category=cat)
        ax.text(v, yy, " " + labels.number(v, 2, d.lang) + " ", va="center", ha="left" if v >= 0 else "right", fontsize=9)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(y, [labels.label(s, d.lang) for s in ch["segment"]])
    span = float(np.max(np.abs(ch["value"]))) or 1.0
    ax.set_xlim(-span * 1.6, span * 1.6)
    ax.xaxis.set_major_formatter(labels.tick_formatter(d.lang))
    ax.set_xlabel(labels.unit("NOK bn", d.lang))


def facts_reallocation(data: pd.DataFrame) -> dict[str, Fact]:
    ch = values(data, "spend_change").set_index("segment")["value"]
    after = values(data, "share_after").set_index("segment")["value"]
    before = values(data, "share_before").set_index("segment")["value"]
    return {
        "before": (before["relational"], "percent", 0), "after": (after["relational"], "percent", 0),
        "gain": (ch["relational"], "NOK bn", 2), "loser": ch.drop("relational").idxmin(),
        "loss": (-ch.drop("relational").min(), "NOK bn", 2),
    }


def governance_costs(inputs: Inputs, scenario: Scenario) -> pd.DataFrame:
    from ehelse_market.domain import contracts

    d = contracts.governance_costs(inputs)
    d = d[d["variable"] == "governance_cost"]
    sp = contracts.switch_points(inputs)
    points = pd.DataFrame(
        {"scenario": d["scenario"].iloc[0], "variable": "switch_point", "segment": ["k1", "k2"], "unit": "index",
         "year": pd.array([None, None], dtype="Int64"), "value": [sp["k1"], sp["k2"]]}
    )
    return pd.concat([d, points], ignore_index=True)


def plot_governance_costs(data: pd.DataFrame, ax: Axes, d: Drawing) -> None:
    points = values(data, "switch_point")
    curves = values(data, "governance_cost")
    k_all = curves["asset_specificity"].to_numpy()
    for i, (form, c) in enumerate(curves.groupby("segment", sort=False)):
        s = d.style(form)
        (line,) = ax.plot(c["asset_specificity"], c["value"], color=s.colour, linestyle=s.linestyle,
                          label=f"{'MXH'[i]}(k): {labels.label(form, d.lang)}")
        first, last = c.iloc[0], c.iloc[-1]
        v0, k0, v1, k1 = (labels.number(v, 2, d.lang) for v in (first["value"], first["asset_specificity"], last["value"], last["asset_specificity"]))
        d.mark(line, d.word("curve_tip").format(form=labels.label(form, d.lang), v0=v0, k0=k0, v1=v1, k1=k1), category=form)
    top = float(curves["value"].max())
    ax.set_ylim(top=top * 1.12)
    for name, k in zip(points["segment"], points["value"]):
        if 0 <= k <= k_all.max():
            vline = ax.axvline(k, color="grey", linewidth=0.8, linestyle=":")
            d.mark(vline, f"{name} = {labels.number(k, 2, d.lang)}")
            ax.text(k, top * 1.11, f" {name} = {labels.number(k, 2, d.lang)}", va="top", fontsize=9)
    ax.set_xlabel(d.word("x_axis"))
    ax.set_ylabel(d.word("y_axis"))
    ax.xaxis.set_major_formatter(labels.tick_formatter(d.lang))
    ax.yaxis.set_major_formatter(labels.tick_formatter(d.lang))
    ax.legend(loc="lower right")


def facts_governance_costs(data: pd.DataFrame) -> dict[str, Fact]:
    k = values(data, "switch_point").set_index("segment")["value"]
    return {"k1": (k["k1"], None, 2), "k2": (k["k2"], None, 2)}


def optimal_form_grid(inputs: Inputs, scenario: Scenario) -> pd.DataFrame:
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


def plot_grid(data: pd.DataFrame, ax: Axes, d: Drawing) -> None:
    from matplotlib.patches import Rectangle

    freqs = list(dict.fromkeys(data["frequency"]))
    adapts = list(dict.fromkeys(data["adaptation"]))
    for r in data.itertuples(index=False):
        x, y = adapts.index(r.adaptation), freqs.index(r.frequency)
        s = d.style(r.segment)
        cell = ax.add_patch(Rectangle((x, y), 1, 1, facecolor=s.colour, hatch=s.hatch, edgecolor="black", alpha=0.85))
        star = "*" if r.status == "assumption" else ""
        name = labels.label(r.segment, d.lang)
        tip = f"{labels.label(r.frequency, d.lang)}, {labels.label(r.adaptation, d.lang)}: {name}"
        if star:
            tip += f" ({labels.word('assumption', d.lang)})"
        d.mark(cell, tip, category=r.segment)
        ax.text(x + 0.5, y + 0.5, name + star, ha="center", va="center", fontsize=10,
                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.9, "pad": 2})
    ax.set_xlim(0, len(adapts))
    ax.set_ylim(0, len(freqs))
    ax.set_xticks(np.arange(len(adapts)) + 0.5, [labels.label(a, d.lang) for a in adapts])
    ax.set_yticks(np.arange(len(freqs)) + 0.5, [labels.label(f, d.lang) for f in freqs])
    ax.set_xlabel(d.word("x_axis"))
    ax.set_ylabel(d.word("y_axis"))
    ax.tick_params(length=0)


def facts_grid(data: pd.DataFrame) -> dict[str, Fact]:
    recurrent = data[data["frequency"] == data["frequency"].iloc[-1]]
    return {
        "low_form": data.iloc[0]["segment"], "high_form": recurrent.iloc[-1]["segment"],
        "low_freq": data.iloc[0]["frequency"], "low_adapt": data.iloc[0]["adaptation"],
        "high_freq": recurrent.iloc[-1]["frequency"], "high_adapt": recurrent.iloc[-1]["adaptation"],
    }


def _n(n: int) -> Text:
    from ehelse_market.publishing.figures import Text

    return Text(nb=str(n), en=str(n))


def attributes(inputs: Inputs, scenario: Scenario) -> pd.DataFrame:
    from ehelse_market.domain import contracts

    return contracts.attributes(inputs)


#: fill of a Tabell 1 cell by rating (0 weak, 1 semi-strong, 2 strong): a light-to-dark ramp
SHADES = {0.0: "#FFFFFF", 1.0: "#BFD7EA", 2.0: "#0072B2"}


def plot_attributes(data: pd.DataFrame, ax: Axes, d: Drawing) -> None:
    from matplotlib.patches import Rectangle

    attrs = list(dict.fromkeys(data["attribute"]))
    forms = [f for f in ("market", "hybrid", "hierarchy") if f in set(data["segment"])]
    for r in data.itertuples(index=False):
        x, y = forms.index(r.segment), len(attrs) - 1 - attrs.index(r.attribute)
        cell = ax.add_patch(Rectangle((x, y), 1, 1, facecolor=SHADES.get(float(r.value), "#DDDDDD"), edgecolor="black"))
        d.mark(cell, f"{labels.label(r.segment, d.lang)}, {labels.label(r.attribute, d.lang)}: {r.symbol}")
        ax.text(x + 0.5, y + 0.5, r.symbol, ha="center", va="center", fontsize=13, fontweight="bold",
                color="white" if float(r.value) == 2.0 else "black")
    ax.set_xlim(0, len(forms))
    ax.set_ylim(0, len(attrs))
    ax.set_xticks(np.arange(len(forms)) + 0.5, [labels.label(f, d.lang) for f in forms])
    ax.set_yticks(np.arange(len(attrs)) + 0.5, [labels.label(a, d.lang) for a in attrs[::-1]])
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    for s in ax.spines.values():
        s.set_visible(False)


def facts_attributes(data: pd.DataFrame) -> dict[str, Fact]:
    """How many attributes each form is strong (++) on; the hybrid is semi-strong (+) on all."""
    strong = data[data["value"] == 2.0].groupby("segment")["attribute"].count()
    return {"attributes": _n(data["attribute"].nunique()), "market_strong": _n(int(strong.get("market", 0))),
            "hierarchy_strong": _n(int(strong.get("hierarchy", 0)))}
