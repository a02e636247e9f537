"""Chapter 1, the market: e-health spend by care level (Figur 5 of Direktoratet for e-helse 2021)."""

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


def market_split(inputs: Inputs, scenario: Scenario) -> pd.DataFrame:
    from ehelse_market.domain import market

    d = market.split(inputs, scenario)
    return d[d["segment"] != "total"].reset_index(drop=True)


def plot_split(data: pd.DataFrame, ax: Axes, d: Drawing) -> None:
    """Spend per segment with the interval from the rounded shares; the share after the value."""
    spend = values(data, "spend")
    share = values(data, "share")["value"].to_numpy()
    notes = [f"({labels.quantity(s, 'percent', 0, d.lang)})" for s in share]
    bars(ax, d, list(spend["segment"]), spend["value"].to_numpy(), "NOK bn",
         low=values(data, "spend_low")["value"].to_numpy(), high=values(data, "spend_high")["value"].to_numpy(),
         decimals=2, notes=notes)


def facts_split(data: pd.DataFrame) -> dict[str, Fact]:
    """The largest and smallest segment with amount and share, and the total."""
    spend = values(data, "spend").sort_values("value", ascending=False, kind="stable")
    share = values(data, "share").set_index("segment")["value"]
    top, low = spend.iloc[0], spend.iloc[-1]
    return {
        "top": top["segment"], "top_amount": (top["value"], "NOK bn", 2), "top_share": (share[top["segment"]], "percent", 0),
        "low": low["segment"], "low_amount": (low["value"], "NOK bn", 2), "low_share": (share[low["segment"]], "percent", 0),
        "total": (spend["value"].sum(), "NOK bn", 1),
    }
