"""The palette register: one style per category, so a category looks the same in every figure.

A category is a data code a figure colours: a segment (``specialist_care``), a contract or
governance form (``relational``, ``hybrid``), a result variable (``fte_demand_reference``) or a
drawing role (``end_low``). Each has one :class:`Style`: an Okabe & Ito (2008) colour (safe for
the common colour-vision deficiencies; yellow left out as too light on white paper) plus a hatch,
a marker and a line style, so that series also part in greyscale print.

Categories that never share a figure may share a colour; those that do share one differ (the
figure tests check both rules against the figures' metadata). Ordered series without a code of
their own (a scenario's growth rates) take :func:`series` in order.
"""

from __future__ import annotations

from dataclasses import dataclass

from ehelse_market.errors import ParameterError

BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY, BLACK = (
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000",
)
GREY = "#999999"
DOTDASH = (0, (5, 1, 1, 1))


@dataclass(frozen=True)
class Style:
    """How one category is drawn: fill/line colour, bar hatch, point marker, line style."""

    colour: str
    hatch: str = ""
    marker: str = "o"
    linestyle: str | tuple = "-"


#: category code -> style. Grouped by the figures that show the categories side by side.
STYLES: dict[str, Style] = {
    # care levels (Figur 5)
    "specialist_care": Style(BLUE, "", "o", "-"),
    "primary_care": Style(ORANGE, "//", "s", "--"),
    "national_actors": Style(GREEN, "..", "^", ":"),
    # contract forms (Figur 8) and governance forms (Figur 3, Figur 7)
    "in_house": Style(VERMILLION, "xx", "D", "-."),
    "project": Style(PURPLE, "\\\\", "v", DOTDASH),
    "open_market": Style(SKY, "oo", "P", (0, (1, 3))),
    "relational": Style(GREEN, "..", "X", (0, (8, 2))),
    "market": Style(ORANGE, "//", "s", "--"),
    "hybrid": Style(BLUE, "", "o", "-"),
    "hierarchy": Style(BLACK, "++", "^", ":"),
    "not_covered": Style("#FFFFFF", "||", "", "-"),
    # ICT comparisons (the health regions against the averages; other industries against health)
    "norway_health_regions": Style(BLUE, "", "o", "-"),
    "rhf_share": Style(BLUE, "", "o", "-"),  # the same category under the data's key
    "gartner_average": Style(ORANGE, "//", "s", "--"),
    "global_average": Style(GREEN, "..", "^", ":"),
    "other_industries": Style(VERMILLION, "xx", "D", "-."),
    "banking_finance": Style(PURPLE, "\\\\", "v", DOTDASH),
    "media": Style(SKY, "oo", "P", (0, (1, 3))),
    "health": Style(BLACK, "", "", ":"),
    # the 1 % example: where the gain falls
    "disease_burden": Style(BLUE, "", "o", "-"),
    "health_budget": Style(ORANGE, "//", "s", "--"),
    "value_added": Style(GREEN, "..", "^", ":"),
    # exports by branch
    "pharma_residual": Style(VERMILLION, "xx", "D", "-."),
    "medical_equipment": Style(PURPLE, "\\\\", "v", DOTDASH),
    "digital_health": Style(SKY, "oo", "P", (0, (1, 3))),
    # workforce: SSB's reference path, the Monte Carlo median and bands, the tornado's two ends
    "fte_demand_reference": Style(BLACK, "", "o", "--"),
    "fte_demand": Style(BLUE, "//", "", "-"),
    "end_low": Style(SKY, "..", "<", "-"),
    "end_high": Style(VERMILLION, "xx", ">", "-"),
}

#: styles for ordered series without a category code of their own (a scenario's growth rates);
#: black is kept for the reference path drawn beside them
SERIES: tuple[Style, ...] = (
    Style(BLUE, "", "o", "-"),
    Style(ORANGE, "//", "s", DOTDASH),
    Style(GREEN, "..", "^", "-."),
    Style(VERMILLION, "xx", "D", (0, (1, 1))),
    Style(PURPLE, "\\\\", "v", (0, (8, 2))),
    Style(SKY, "oo", "P", (0, (3, 1, 1, 1, 1, 1))),
)


def style(category: str) -> Style:
    """The style of ``category``; a ParameterError names an unknown one (add it to STYLES)."""
    try:
        return STYLES[category]
    except KeyError:
        raise ParameterError("category", category, "a category in publishing/palette.py STYLES") from None


def series(i: int) -> Style:
    """The ``i``-th style of an ordered series (cycles after six)."""
    return SERIES[i % len(SERIES)]
