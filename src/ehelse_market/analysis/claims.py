"""The claims register: every published number the package checks, recomputed from the inputs.

``data/<version>/claims.csv`` holds one row per published claim: where it is (source id, seed
file and lines, short quote), the number as published with its unit, bound and tolerance, the
*reproducer* that recomputes it, and the status the register expects:

* ``reproduced`` -- the recomputed number must match the published one within the tolerance;
* ``inconsistent`` -- the source contradicts itself (or its stated basis). The row carries an
  ``explanation`` and the recomputation must *show* the discrepancy: the reproducer must miss
  the published number, and, when ``explained_by`` names a second reproducer (the reading the
  source's number really follows from), that one must hit it. A claim marked inconsistent
  whose numbers agree fails, so the status can never hide a defect.

A reproducer is a small pure function ``Inputs -> float`` registered in :data:`REPRODUCERS`
under a dotted id; it calls the domain modules and returns the number in the claim's unit.
:func:`verify_claims` is pure and returns the verification table; ``ehelse-market verify``
formats it and exits 1 when any claim is not reproduced.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd

from ehelse_market.domain import contracts, gains, ict, market, workforce
from ehelse_market.domain.results import input_fraction

Reproducer = Callable[[object], float]

#: Outcomes of one claim. The last three make ``verify`` exit 1.
REPRODUCED = "reproduced"
INCONSISTENT = "inconsistent in the source"
NOT_REPRODUCED = "not reproduced"
UNCONFIRMED = "inconsistency not shown"
ERROR = "error"
FAILING = (NOT_REPRODUCED, UNCONFIRMED, ERROR)

REPRODUCERS: dict[str, Reproducer] = {}


def reproducer(name: str) -> Callable[[Reproducer], Reproducer]:
    """Register ``fn`` as the reproducer ``name``."""

    def deco(fn: Reproducer) -> Reproducer:
        if name in REPRODUCERS:
            raise ValueError(f"reproducer '{name}' registered twice")
        REPRODUCERS[name] = fn
        return fn

    return deco


# --------------------------------------------------------------------------- market and contracts


@reproducer("market.total_from_care_level_amounts")
def _market_total(inputs) -> float:
    """Sum of the care-level amounts (NOK bn): equals the total only if the shares sum to 100."""
    df = market.split(inputs, intervals=False)
    return float(df[(df["variable"] == "spend") & (df["segment"] != "total")]["value"].sum())


@reproducer("market.national_actors_as_remainder")
def _national_remainder(inputs) -> float:
    """'de resterende 19 prosentene': 100 minus the specialist and primary care shares (percent)."""
    s = market.shares(inputs, market.CARE_LEVEL)
    return 100.0 - s["specialist_care"] - s["primary_care"]


@reproducer("contracts.in_house_share_of_split")
def _in_house_share(inputs) -> float:
    """In-house share of the sum of the four contract-form shares (percent): 'Halvparten'."""
    s = market.shares(inputs, contracts.CONTRACT_FORM)
    return 100.0 * s["in_house"] / sum(s.values())


@reproducer("contracts.relational_as_remainder")
def _relational_remainder(inputs) -> float:
    """Relational share as 100 minus the other three forms (percent): 'Kun 12 prosent'."""
    s = market.shares(inputs, contracts.CONTRACT_FORM)
    return 100.0 - sum(v for k, v in s.items() if k != contracts.RELATIONAL)


@reproducer("contracts.figure3_switch_count")
def _switch_count(inputs) -> float:
    """Number of form changes along the lowest-cost envelope of the assumed curves (Figur 3: k1, k2)."""
    df = contracts.governance_costs(inputs, num=2001)
    best = df[df["variable"] == "lowest_cost"]["segment"].tolist()
    return float(sum(1 for a, b in zip(best, best[1:]) if a != b))


@reproducer("contracts.figure7_form_count")
def _fig7_forms(inputs) -> float:
    """Distinct contract forms in the Figur 7 grid ('De fire generiske kontraktsformene')."""
    return float(contracts.optimal_form_grid(inputs)["form"].nunique())


# --------------------------------------------------------------------------- ICT


def _ict_diff(year: int) -> Reproducer:
    def fn(inputs) -> float:
        df = ict.comparison(inputs, year)
        return float(df[df["variable"] == "difference"]["value"].iloc[0])

    fn.__doc__ = f"Norway's health regions minus Gartner's average, {year} (percentage points)."
    return fn


REPRODUCERS["ict.norway_minus_gartner.2019"] = _ict_diff(2019)
REPRODUCERS["ict.norway_minus_gartner.2020"] = _ict_diff(2020)


@reproducer("ict.gartner_average.2019")
def _gartner(inputs) -> float:
    """Gartner's 2019 average (percent), to compare with OECD's 'under fem prosent'."""
    return float(ict.comparison(inputs, 2019).query("segment == 'gartner_average'")["value"].iloc[0])


# --------------------------------------------------------------------------- workforce


def _comparison_year(inputs) -> int:
    return int(inputs.value("assumption.workforce.extra_fte_year"))


@reproducer("workforce.extra_fte_no_growth")
def _extra_fte(inputs) -> float:
    """Demand with no productivity growth minus SSB's basis, in the comparison year (fte)."""
    year = _comparison_year(inputs)
    g = input_fraction(inputs, "assumption.workforce.no_gains_productivity_growth")
    return workforce.demand_at(inputs, g, year) - workforce.basis_at(inputs, year)


@reproducer("workforce.basis_multiple_2060")
def _basis_multiple(inputs) -> float:
    """SSB's basis demand in 2060 over its base-year level (multiple): 'en dobling'."""
    ry, _ = workforce.reference_points(inputs)
    return workforce.basis_at(inputs, int(ry[-1])) / workforce.basis_at(inputs, workforce.base_year(inputs))


@reproducer("workforce.growth_for_flat_demand_2060")
def _flat_growth(inputs) -> float:
    """Productivity growth (percent/yr) that keeps 2060 demand at the base-year level."""
    return 100.0 * workforce.growth_for_flat_demand(inputs)


def _share_2060(growth_key: str | None) -> Reproducer:
    def fn(inputs) -> float:
        ry, _ = workforce.reference_points(inputs)
        year = int(ry[-1])
        g = workforce.basis_growth(inputs) if growth_key is None else input_fraction(inputs, growth_key)
        total = workforce.total_employment_path(inputs, [year])
        return 100.0 * workforce.demand_at(inputs, g, year) / float(total.iloc[0])

    return fn


REPRODUCERS["workforce.share_of_employment_2060.basis"] = _share_2060(None)
REPRODUCERS["workforce.share_of_employment_2060.no_growth"] = _share_2060("assumption.workforce.no_gains_productivity_growth")


@reproducer("workforce.record_cohort_turns_80")
def _cohort_80(inputs) -> float:
    """Year the largest birth cohort on record (SSB: 1946) turns 80."""
    return float(workforce.year_record_cohort_reaches(inputs, 80))


@reproducer("workforce.ssb_basis_productivity_growth")
def _ssb_pb(inputs) -> float:
    """SSB's reference-path productivity growth (percent/yr), as SSB publishes it."""
    return 100.0 * workforce.basis_growth(inputs)


# --------------------------------------------------------------------------- gains and exports


def _gain(segment: str) -> Reproducer:
    def fn(inputs) -> float:
        df = gains.example(inputs)
        return float(df[(df["variable"] == "gain") & (df["segment"] == segment)]["value"].iloc[0])

    return fn


for _seg in gains.BASES:
    REPRODUCERS[f"gains.example.{_seg}"] = _gain(_seg)


def _ambition(base_key: str | None) -> Reproducer:
    def fn(inputs) -> float:
        df = gains.ambition(inputs, base_key=base_key)
        return float(df[df["variable"] == "annual_saving"]["value"].iloc[0])

    return fn


REPRODUCERS["gains.ambition.on_total_societal_costs"] = _ambition(None)
REPRODUCERS["gains.ambition.on_disease_burden"] = _ambition("gains.base.disease_burden")


def _export_share(segment: str) -> Reproducer:
    def fn(inputs) -> float:
        df = gains.exports(inputs)
        return float(df[(df["variable"] == "share_computed") & (df["segment"] == segment)]["value"].iloc[0])

    return fn


for _seg in ("pharma", "medical_equipment", "digital_health"):
    REPRODUCERS[f"exports.share_computed.{_seg}"] = _export_share(_seg)


# --------------------------------------------------------------------------- digital use and informants


@reproducer("digital.helsenorge_logins_ratio")
def _logins_ratio(inputs) -> float:
    """helsenorge.no logins 2020 / 2019 (multiple): 'mer enn doblet'."""
    return inputs.value("digital.helsenorge_logins.2020") / inputs.value("digital.helsenorge_logins.2019")


def _informant_sum(variant: str) -> Reproducer:
    def fn(inputs) -> float:
        rows = inputs.values[(inputs.values["variable"] == f"informants_{variant}") & (inputs.values["segment"] != "total")]
        return float(rows["value"].sum())

    return fn


def _informant(variant: str, segment: str) -> Reproducer:
    def fn(inputs) -> float:
        return inputs.value(f"informants.{variant}.{segment}")

    return fn


for _v in ("forord", "method", "summary"):
    REPRODUCERS[f"informants.{_v}.sum_of_parts"] = _informant_sum(_v)
    for _s in ("research", "interest_orgs"):
        REPRODUCERS[f"informants.{_v}.{_s}"] = _informant(_v, _s)


# --------------------------------------------------------------------------- verification


def _matches(recomputed: float, published: float, tolerance: float, bound: str) -> bool:
    """Within tolerance of the published number; for a ``lower`` bound ('mer enn') anything above
    also matches, for an ``upper`` bound ('under', 'oppunder') anything below."""
    if recomputed is None or not math.isfinite(recomputed):
        return False
    if bound == "lower":
        return recomputed >= published - tolerance
    if bound == "upper":
        return recomputed <= published + tolerance
    return abs(recomputed - published) <= tolerance


def _run(name, inputs) -> tuple[float | None, str]:
    fn = REPRODUCERS.get(name)
    if fn is None:
        return None, f"unknown reproducer '{name}'"
    try:
        return float(fn(inputs)), ""
    except Exception as exc:  # a reproducer that cannot run is reported as an error row, not a crash
        return None, f"{type(exc).__name__}: {exc}"


def _text(v) -> str:
    return "" if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA else str(v)


def verify_claims(inputs) -> pd.DataFrame:
    """Recompute every claim in the inputs' ``claims`` table and compare (pure).

    Columns: claim_id, topic, locator, quote, published, unit, bound, tolerance, recomputed,
    difference, reproducer, explained_by, explained_value, status, explanation.
    ``status`` is one of reproduced / inconsistent in the source / not reproduced /
    inconsistency not shown / error.
    """
    claims = inputs.table("claims")
    out = []
    for c in claims.itertuples(index=False):
        published = float(c.published_value)
        tol = float(c.tolerance)
        bound = _text(c.bound) or "eq"
        value, err = _run(c.reproducer, inputs)
        explained_by = _text(c.explained_by)
        explanation = _text(c.explanation)
        alt_value, alt_err = (None, "")
        if explained_by:
            alt_value, alt_err = _run(explained_by, inputs)
        if err or alt_err:
            status, explanation = ERROR, "; ".join(x for x in (err, alt_err) if x)
        elif c.expected_status == "reproduced":
            status = REPRODUCED if _matches(value, published, tol, bound) else NOT_REPRODUCED
        else:  # expected inconsistent: the discrepancy must show, and the stated reading must hold
            hit = _matches(value, published, tol, bound)
            alt_ok = True if not explained_by else _matches(alt_value, published, tol, bound)
            if not explanation:
                status, explanation = UNCONFIRMED, "marked inconsistent without an explanation"
            elif hit:
                status = UNCONFIRMED
                explanation = f"marked inconsistent, but the recomputation matches the published number. {explanation}"
            elif not alt_ok:
                status = UNCONFIRMED
                explanation = f"the stated reading ({explained_by}) does not give the published number either. {explanation}"
            else:
                status = INCONSISTENT
        out.append(
            {
                "claim_id": c.claim_id,
                "topic": c.topic,
                "locator": c.locator,
                "quote": _text(c.quote),
                "published": published,
                "unit": c.unit,
                "bound": bound,
                "tolerance": tol,
                "recomputed": value,
                "difference": None if value is None else value - published,
                "reproducer": c.reproducer,
                "explained_by": explained_by,
                "explained_value": alt_value,
                "status": status,
                "explanation": explanation,
            }
        )
    return pd.DataFrame(out)


def failing(table: pd.DataFrame) -> pd.DataFrame:
    """Rows of a :func:`verify_claims` table that make verification fail."""
    return table[table["status"].isin(FAILING)]
