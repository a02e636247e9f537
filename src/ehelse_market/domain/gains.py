"""Gains and ambitions (seed 004, 2, 2.3 and 4.2).

* :func:`example` -- the 1 % example (Figur 3): 1 % of the disease burden (1400 bn NOK), of the
  health and care budget (340 bn) and of the health industry's value added (50 bn) ->
  14 / 3.4 / 0.5 bn NOK; their sum (17.9 bn) is this package's, the note never states it, and it
  adds a welfare value to a budget saving and to value added.
* :func:`ambition` -- 20 bn NOK a year from 2030 as 1 % of "ca. 2000 mrd." societal costs. The
  note's chapter 2 uses 1400 bn for the disease burden; the two bases are recorded, not merged.
* :func:`required_growth` / :func:`doubling_growth` -- the constant annual growth that doubles
  value creation from 2022 to 2030: ``2 ** (1 / 8) - 1`` (about 9.05 %/yr).
* :func:`exports` -- the health-industry export split (2020) recomputed from the amounts, and
  the sum of the published shares (a consistency check).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ehelse_market.domain.results import frame, input_fraction, scenario_name, to_fraction
from ehelse_market.errors import ParameterError
from ehelse_market.inputs.loader import Inputs
from ehelse_market.inputs.scenario import Scenario, check_value

BASES = ("disease_burden", "health_budget", "value_added")
EXAMPLE_RATE_KEY = "gains.example_rate"
AMBITION_KEYS = {
    "saving": "gains.ambition.annual_saving",
    "base": "gains.ambition.societal_cost_base",
    "rate": "gains.ambition.saving_rate",
}
DOUBLING_KEYS = {
    "start": "gains.ambition.doubling_start_year",
    "end": "gains.ambition.doubling_end_year",
    "multiple": "gains.ambition.doubling_multiple",
}


def _rate(rate: float | None, params: Scenario | None, default_key: str, inputs: Inputs) -> float:
    if rate is None:
        rate = getattr(params, "gain_rate", None)
    if rate is None:
        return input_fraction(inputs, default_key)
    return check_value("gain_rate", rate)


def example(inputs: Inputs, rate: float | None = None, params: Scenario | None = None) -> pd.DataFrame:
    """Gains (NOK bn/yr) of ``rate`` (fraction; default the scenario's ``gain_rate``, else the
    note's 1 %) on each base, and their ``total`` (a sum the note does not state)."""
    r = _rate(rate, params, EXAMPLE_RATE_KEY, inputs)
    rows: list[dict[str, Any]] = []
    for b in BASES:
        row = inputs.row(f"gains.base.{b}")
        if row["unit"] != "NOK bn":
            raise ValueError(f"gains.base.{b} must be in NOK bn, is {row['unit']}")
        rows.append({"variable": "base", "segment": b, "unit": "NOK bn", "value": float(row["value"])})
        rows.append({"variable": "gain", "segment": b, "unit": "NOK bn", "value": float(row["value"]) * r})
    total = sum(x["value"] for x in rows if x["variable"] == "gain")
    rows.append({"variable": "gain", "segment": "total", "unit": "NOK bn", "value": total})
    rows.append({"variable": "gain_rate", "segment": "", "unit": "percent", "value": r * 100.0})
    return frame(rows, scenario=scenario_name(params))


def ambition(inputs: Inputs, rate: float | None = None, params: Scenario | None = None, *, base_key: str | None = None) -> pd.DataFrame:
    """The 2030 ambition: ``rate`` (default the note's 1 %) x societal costs (default the note's
    ca. 2000 bn NOK; pass ``base_key='gains.base.disease_burden'`` for chapter 2's 1400 bn)."""
    r = _rate(rate, params, AMBITION_KEYS["rate"], inputs)
    key = base_key or AMBITION_KEYS["base"]
    base = inputs.row(key)
    year = inputs.row(AMBITION_KEYS["saving"])["year"]
    rows = [
        {"variable": "societal_cost_base", "segment": base["segment"], "unit": "NOK bn", "value": float(base["value"])},
        {"variable": "annual_saving", "segment": base["segment"], "unit": "NOK bn", "value": float(base["value"]) * r, "year": year},
    ]
    return frame(rows, scenario=scenario_name(params))


def required_growth(multiple: float, start_year: int, end_year: int) -> float:
    """Constant annual growth (fraction/yr) that multiplies a level by ``multiple`` over the years."""
    if not multiple > 0:
        raise ParameterError("multiple", multiple, "a number > 0")
    if not end_year > start_year:
        raise ParameterError("end_year", end_year, f"a year after start_year {start_year}")
    return multiple ** (1.0 / (end_year - start_year)) - 1.0


def doubling_growth(inputs: Inputs) -> float:
    """Annual growth (fraction/yr) for the note's doubling of value creation 2022 -> 2030."""
    return required_growth(
        inputs.value(DOUBLING_KEYS["multiple"]),
        int(inputs.value(DOUBLING_KEYS["start"])),
        int(inputs.value(DOUBLING_KEYS["end"])),
    )


def _nok_bn(row: pd.Series) -> float:
    unit = row["unit"]
    if unit == "NOK bn":
        return float(row["value"])
    if unit == "NOK m":
        return float(row["value"]) / 1000.0
    raise ValueError(f"{row['key']}: expected NOK bn or NOK m, got {unit}")


def exports(inputs: Inputs, year: int = 2020) -> pd.DataFrame:
    """Health-industry exports in ``year``: amounts (NOK bn), shares recomputed from the amounts
    (``share_computed``; pharma is the residual, which the note does not give as an amount),
    the published shares (``share_published``) and their sum (segment ``total``; rounded, 100.4)."""
    total = _nok_bn(inputs.row(f"exports.total.{year}"))
    med = _nok_bn(inputs.row(f"exports.medical_equipment.{year}"))
    dig = _nok_bn(inputs.row(f"exports.digital_health.{year}"))
    pharma = total - med - dig
    published = {
        "pharma": inputs.row(f"exports.pharma_share.{year}"),
        "medical_equipment": inputs.row(f"exports.medical_equipment_share.{year}"),
        "digital_health": inputs.row(f"exports.digital_health_share.{year}"),
    }
    rows = [
        {"variable": "exports", "segment": "total", "unit": "NOK bn", "value": total},
        {"variable": "exports", "segment": "medical_equipment", "unit": "NOK bn", "value": med},
        {"variable": "exports", "segment": "digital_health", "unit": "NOK bn", "value": dig},
        {"variable": "exports", "segment": "pharma_residual", "unit": "NOK bn", "value": pharma},
    ]
    for seg, amount in (("pharma", pharma), ("medical_equipment", med), ("digital_health", dig)):
        rows.append({"variable": "share_computed", "segment": seg, "unit": "percent", "value": amount / total * 100.0})
        share = to_fraction(published[seg]["value"], published[seg]["unit"]) * 100.0
        rows.append({"variable": "share_published", "segment": seg, "unit": "percent", "value": share})
    total_published = sum(to_fraction(r["value"], r["unit"]) * 100.0 for r in published.values())
    rows.append({"variable": "share_published", "segment": "total", "unit": "percent", "value": total_published})
    out = frame(rows)
    out["year"] = pd.array([year] * len(out), dtype="Int64")
    return out
