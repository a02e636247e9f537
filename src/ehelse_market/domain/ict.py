"""ICT spend ratios of the health regions (seed 000, 4.4; Direktoratet for e-helse, Ressursbruk på IKT).

* :func:`comparison` -- Norway's health regions (ICT spend as a share of operating income, 5.2 %
  in the 2019 report) against Gartner's international average (4.3 %): difference in percentage
  points and ratio.
* :func:`implied_operating_income` -- operating income implied by spend / share (NOK bn).
* :func:`spend_at_target` -- the ICT spend the regions would have at a target share.
* :func:`series` -- the published shares by year, with the note saying which measure each is.
* :func:`chain_multiple` -- the report's industry multiples (other industries > 4x, banking and
  finance ~10x, media ~7x) come from OECD/WHO/World Bank figures on a *different measure* than
  the 5.2 % (seed000-facts §5 item 6). Multiplying them onto 5.2 % is refused unless the caller
  accepts the mismatch, and the result then carries the caveat in its ``note``.
"""

from __future__ import annotations

import pandas as pd

from ehelse_market.domain.results import frame, input_fraction, scenario_name
from ehelse_market.errors import ParameterError, UserError
from ehelse_market.inputs.loader import Inputs
from ehelse_market.inputs.scenario import Scenario, check_value

NORWAY = "ict.rhf_share"
GARTNER = "ict.gartner_average"
SPEND = "ict.rhf_spend"
MULTIPLE_PREFIX = "ict.multiple."
MULTIPLE_CAVEAT = (
    "the report's industry multiples are on a different measure (OECD/WHO/World Bank ICT or intangible "
    "investment by industry) than the health regions' ICT share of operating income; the product is "
    "not a comparable ICT share and the report itself says such figures cannot be compared directly "
    "(seed 000 l.3444)"
)


class MeasureMismatchError(UserError):
    """Two numbers on different measures were about to be combined without acknowledging it."""


def _year_key(prefix: str, year: int) -> str:
    return f"{prefix}.{int(year)}"


def _available_years(inputs: Inputs, prefix: str) -> list[int]:
    rows = inputs.select(prefix + ".")
    return sorted(int(y) for y in rows["year"].dropna())


def _check_year(inputs: Inputs, year: int, *prefixes: str) -> int:
    common = sorted(set.intersection(*(set(_available_years(inputs, p)) for p in prefixes)))
    if year not in common:
        raise ParameterError("year", year, f"one of {common} (years with published {', '.join(prefixes)})")
    return int(year)


def comparison(inputs: Inputs, year: int = 2019, params: Scenario | None = None) -> pd.DataFrame:
    """Norway's health regions vs Gartner's average in ``year``: shares (percent), difference
    (percentage points, Norway minus Gartner) and ratio (Norway / Gartner)."""
    year = _check_year(inputs, year, NORWAY, GARTNER)
    n = inputs.value(_year_key(NORWAY, year))
    g = inputs.value(_year_key(GARTNER, year))
    rows = [
        {"variable": "ict_share_of_operating_income", "segment": "norway_health_regions", "unit": "percent", "value": n},
        {"variable": "ict_share_of_operating_income", "segment": "gartner_average", "unit": "percent", "value": g},
        {"variable": "difference", "segment": "norway_minus_gartner", "unit": "percentage points", "value": n - g},
        {"variable": "ratio", "segment": "norway_over_gartner", "unit": "ratio", "value": n / g},
    ]
    out = frame(rows, scenario=scenario_name(params))
    out["year"] = pd.array([year] * len(out), dtype="Int64")
    return out


def implied_operating_income(inputs: Inputs, year: int = 2019) -> float:
    """Operating income (NOK bn) implied by the regions' ICT spend (NOK bn) / ICT share."""
    year = _check_year(inputs, year, NORWAY, SPEND)
    return inputs.value(_year_key(SPEND, year)) / input_fraction(inputs, _year_key(NORWAY, year))


def spend_at_target(inputs: Inputs, target_ratio: float | None = None, year: int = 2019, params: Scenario | None = None) -> pd.DataFrame:
    """ICT spend (NOK bn) at ``target_ratio`` (a fraction of operating income, default the
    scenario's ``ict_target_ratio``, else Gartner's average that year) and the change from the
    published spend. Operating income is the one implied by spend / share."""
    year = _check_year(inputs, year, NORWAY, SPEND)
    if target_ratio is None:
        target_ratio = getattr(params, "ict_target_ratio", None)
    if target_ratio is None:
        target_ratio = input_fraction(inputs, _year_key(GARTNER, year))
    target_ratio = check_value("ict_target_ratio", target_ratio)
    income = implied_operating_income(inputs, year)
    spend = inputs.value(_year_key(SPEND, year))
    target = income * float(target_ratio)
    rows = [
        {"variable": "operating_income_implied", "segment": "norway_health_regions", "unit": "NOK bn", "value": income},
        {"variable": "ict_spend", "segment": "published", "unit": "NOK bn", "value": spend},
        {"variable": "ict_spend", "segment": "at_target", "unit": "NOK bn", "value": target},
        {"variable": "ict_spend_change", "segment": "at_target", "unit": "NOK bn", "value": target - spend},
        {"variable": "target_share", "segment": "at_target", "unit": "percent", "value": float(target_ratio) * 100.0},
    ]
    out = frame(rows, scenario=scenario_name(params))
    out["year"] = pd.array([year] * len(out), dtype="Int64")
    return out


def series(inputs: Inputs) -> pd.DataFrame:
    """Every published ICT share with a year (percent), one row each; ``segment`` is the series
    (the key without its year) and ``note`` says what it measures (2017 is a different measure)."""
    rows = inputs.select("ict.")
    rows = rows[rows["year"].notna() & (rows["unit"] == "percent")]
    df = pd.DataFrame(
        {
            "variable": rows["variable"].astype(str),
            "segment": rows["key"].str.rsplit(".", n=1).str[0].str.removeprefix("ict."),
            "unit": rows["unit"],
            "year": rows["year"],
            "value": rows["value"],
            "source_id": rows["source_id"],
            "note": rows["note"].fillna(""),
        }
    )
    return frame(df.sort_values(["segment", "year"], kind="stable"))


def multiples(inputs: Inputs) -> pd.DataFrame:
    """The report's industry multiples (x health's ICT share) with their bounds and notes."""
    rows = inputs.select(MULTIPLE_PREFIX)
    df = pd.DataFrame(
        {
            "variable": "ict_multiple_vs_health",
            "segment": rows["key"].str.removeprefix(MULTIPLE_PREFIX),
            "unit": rows["unit"],
            "value": rows["value"],
            "bound": rows["bound"],
            "note": rows["note"].fillna(""),
        }
    )
    return frame(df)


def chain_multiple(inputs: Inputs, industry: str, year: int = 2019, *, accept_different_measure: bool = False) -> pd.DataFrame:
    """``health share x industry multiple`` -- refused unless ``accept_different_measure=True``.

    The multiples are on a different measure from the 5.2 % (see module note); with the flag the
    product is returned as ``share_if_same_measure`` (percent) and its ``note`` states the caveat.
    """
    available = sorted(multiples(inputs)["segment"])
    if industry not in available:
        raise ParameterError("industry", industry, " | ".join(available))
    if accept_different_measure is not True:
        raise MeasureMismatchError(
            f"refused: multiplying the {year} ICT share by the '{industry}' multiple mixes two measures: "
            + MULTIPLE_CAVEAT
            + ". Pass accept_different_measure=True to compute it anyway, with this caveat attached."
        )
    year = _check_year(inputs, year, NORWAY)
    share = inputs.value(_year_key(NORWAY, year))
    row = inputs.row(MULTIPLE_PREFIX + industry)
    out = frame(
        [
            {
                "variable": "share_if_same_measure",
                "segment": industry,
                "unit": "percent",
                "year": year,
                "value": share * float(row["value"]),
                "bound": row["bound"],
                "note": "NOT COMPARABLE: " + MULTIPLE_CAVEAT,
            }
        ]
    )
    return out
