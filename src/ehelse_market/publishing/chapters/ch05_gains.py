"""Chapter 5, gains: the 1 % worked example (Figur 3 of Menon Economics 2022) and the health
industry's exports."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ehelse_market.publishing import labels
from ehelse_market.publishing.chapters.common import bars, values

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from ehelse_market.inputs.loader import Inputs
    from ehelse_market.inputs.scenario import Scenario
    from ehelse_market.publishing.figures import Drawing, Fact


def gains(inputs: Inputs, scenario: Scenario) -> pd.DataFrame:
    from ehelse_market.domain import gains as model

    d = model.example(inputs, params=scenario)
    return d[(d["variable"] == "gain") & (d["segment"] != "total")].reset_index(drop=True)


def plot_gains(data: pd.DataFrame, ax: Axes, d: Drawing) -> None:
    bars(ax, d, list(data["segment"]), data["value"].to_numpy(), "NOK bn", decimals=1)


def facts_gains(data: pd.DataFrame) -> dict[str, Fact]:
    v = data.set_index("segment")["value"]
    return {"top": v.idxmax(), "top_amount": (v.max(), "NOK bn", 1), "low": v.idxmin(), "low_amount": (v.min(), "NOK bn", 1)}


def exports(inputs: Inputs, scenario: Scenario) -> pd.DataFrame:
    from ehelse_market.domain import gains as model

    d = model.exports(inputs)
    keep = d["variable"].isin(["exports", "share_published"]) & (d["segment"] != "total")
    return d[keep].reset_index(drop=True)


#: the export branch whose published share a residual amount carries
SHARE_OF = {"pharma_residual": "pharma"}


def plot_exports(data: pd.DataFrame, ax: Axes, d: Drawing) -> None:
    amounts = values(data, "exports")
    shares = values(data, "share_published").set_index("segment")["value"]
    notes = [f"({labels.quantity(shares.get(SHARE_OF.get(s, s), float('nan')), 'percent', None, d.lang)})" for s in amounts["segment"]]
    bars(ax, d, list(amounts["segment"]), amounts["value"].to_numpy(), "NOK bn", decimals=2, notes=notes)


def facts_exports(data: pd.DataFrame) -> dict[str, Fact]:
    amounts = values(data, "exports").set_index("segment")["value"]
    shares = values(data, "share_published").set_index("segment")["value"]
    top = amounts.idxmax()
    return {"total": (amounts.sum(), "NOK bn", 1), "top": top, "top_amount": (amounts[top], "NOK bn", 1),
            "top_share": (shares.get(SHARE_OF.get(top, top), float("nan")), "percent")}
