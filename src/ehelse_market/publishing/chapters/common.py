"""Drawing helpers shared by the chapter modules: bars with value labels, tidy-frame selection."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ehelse_market.publishing import labels

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from numpy.typing import ArrayLike

    from ehelse_market.publishing.figures import Drawing


def values(data: pd.DataFrame, variable: str) -> pd.DataFrame:
    """The rows of one result variable, re-indexed from 0."""
    return data[data["variable"] == variable].reset_index(drop=True)


def bars(ax: Axes, d: Drawing, categories: Sequence[str], amounts: ArrayLike, unit: str, *,
         low: Sequence[float] | np.ndarray | None = None, high: Sequence[float] | np.ndarray | None = None,
         decimals: int | None = 1, notes: Sequence[str] | None = None, what: Sequence[str] | None = None) -> None:
    """Horizontal bars, one per category in its palette style, labelled with their value.

    ``low``/``high``: an interval per bar, drawn as whiskers and given in the tooltip; ``notes``:
    a short text after each value label; ``what``: the tooltip's name of each bar (default: the
    category's label).
    """
    amounts = np.asarray(amounts, dtype=float)
    y = np.arange(len(amounts))[::-1]
    names = [labels.label(c, d.lang) for c in categories]
    for i, (yy, v, cat) in enumerate(zip(y, amounts, categories)):
        s = d.style(cat)
        bar = ax.barh(yy, v, color=s.colour, hatch=s.hatch, edgecolor="black", linewidth=0.6)[0]
        tip = f"{(what or names)[i]}: {d.value(v, unit, decimals)}"
        if low is not None:
            tip += f" ({d.value(low[i], unit, decimals)}–{d.value(high[i], unit, decimals)})"  # type: ignore[index]  # given with low
        d.mark(bar, tip, category=cat)
    if low is not None:
        lo = amounts - np.asarray(low, dtype=float)
        hi = np.asarray(high, dtype=float) - amounts
        ax.errorbar(amounts, y, xerr=[lo, hi], fmt="none", ecolor="black", capsize=4, linewidth=1)
    ends = np.asarray(high, dtype=float) if high is not None else amounts
    top = float(max(ends.max(), amounts.max()))
    for i, (yy, v) in enumerate(zip(y, amounts)):
        text = labels.quantity(v, unit, decimals, d.lang)
        if notes is not None and notes[i]:
            text += f"  {notes[i]}"
        ax.text(ends[i] + top * 0.02, yy, text, va="center", fontsize=9)
    ax.set_yticks(y, names)
    ax.set_xlim(0, top * 1.45)
    ax.xaxis.set_major_formatter(labels.tick_formatter(d.lang))
    ax.set_xlabel(labels.unit(unit, d.lang))


def largest(data: pd.DataFrame) -> pd.Series:
    """The row with the largest value (first on ties)."""
    return data.loc[data["value"].idxmax()]
