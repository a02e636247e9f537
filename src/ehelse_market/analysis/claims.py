"""The claims register: every checkable published number, recomputed from *other* values.

``data/<version>/claims.csv`` holds one row per published claim: where it is (source id, locator,
short quote), the number as published with its unit, bound and tolerance, how it is checked
(``kind``), the data keys its recomputation reads (``inputs``), the *reproducer* that recomputes
it, the status the register expects, and an explanation in Norwegian and English.

Kinds (how a claim is checked):

* ``model`` -- through a projection or model of :mod:`ehelse_market.domain`;
* ``arithmetic`` -- a sum, share, ratio or difference of other published values;
* ``restatement`` -- the same number stated in another place of the same document, compared;
* ``external`` -- against a value published by another source in ``sources.csv``.

Expected statuses (``expected_status``) and what :func:`verify_claims` makes of them:

* ``reproduced`` -> *reproduced* when the recomputed number matches the published one (within
  the tolerance, read through the bound), else *not reproduced* (a defect; ``verify`` exits 1);
* ``inconsistent`` -> *inconsistent within the source*: two statements of the documents disagree.
  The row cites the other statement (``counter_source_id``, ``counter_locator``); the
  recomputation must *miss* the published number and, when ``explained_by`` names a second
  reproducer (the reading the number really follows from), that one must hit it;
* ``contradicted`` -> *contradicted by an external source*: the recomputation from the external
  source's values (``counter_source_id``, registered with its locator) misses the published number;
* ``not_checkable`` -> *not checkable*: no second value exists to recompute it from; the
  explanation says why. Nothing is recomputed.

A status that is claimed but not shown (an "inconsistency" whose numbers agree) is a failure,
so a status can never hide a defect. Bounds are read the same way in every table (docs/data-format
and data/README): ``lower`` for "mer enn", "over", "vel"; ``upper`` for "under", "i underkant av",
"nesten", "oppunder", "opp mot"; a bound claim matches every value on its side of the number
(plus the tolerance).

A reproducer is a small pure function ``(Inputs, keys) -> float`` registered in
:data:`REPRODUCERS`; ``keys`` are the claim's ``inputs``. Generic reproducers (``value``, ``sum``,
``ratio`` ...) read exactly those keys; model reproducers call the domain modules, and the
mutation test (tests/test_claims_mutation.py) proves that every declared input changes the
outcome. :func:`verify_claims` is pure; ``ehelse-market verify`` formats it and exits 1 when any
claim fails.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from ehelse_market.domain import contracts, gains, ict, market, workforce
from ehelse_market.domain.results import input_fraction
from ehelse_market.errors import UserError

if TYPE_CHECKING:
    from ehelse_market.inputs import Inputs

Reproducer = Callable[["Inputs", Sequence[str]], float]

#: Outcomes of one claim. The last three make ``verify`` exit 1.
REPRODUCED = "reproduced"
INCONSISTENT = "inconsistent within the source"
CONTRADICTED = "contradicted by an external source"
NOT_CHECKABLE = "not checkable"
NOT_REPRODUCED = "not reproduced"
UNCONFIRMED = "discrepancy not shown"
ERROR = "error"
STATUSES = (REPRODUCED, INCONSISTENT, CONTRADICTED, NOT_CHECKABLE, NOT_REPRODUCED, UNCONFIRMED, ERROR)
FAILING = (NOT_REPRODUCED, UNCONFIRMED, ERROR)

#: How a claim is checked (the ``kind`` column).
KINDS = ("model", "arithmetic", "restatement", "external")

#: ``expected_status`` values of claims.csv.
EXPECTED = ("reproduced", "inconsistent", "contradicted", "not_checkable")

REPRODUCERS: dict[str, Reproducer] = {}


def reproducer(name: str) -> Callable[[Reproducer], Reproducer]:
    """Register ``fn`` as the reproducer ``name``."""

    def deco(fn: Reproducer) -> Reproducer:
        if name in REPRODUCERS:
            raise ValueError(f"reproducer '{name}' registered twice")
        REPRODUCERS[name] = fn
        return fn

    return deco


def input_keys(text: object) -> tuple[str, ...]:
    """The data keys of an ``inputs`` cell (space-separated; empty for none)."""
    return tuple(str(text).split()) if isinstance(text, str) else ()


def _arity(keys: Sequence[str], n: int, name: str) -> Sequence[str]:
    if len(keys) != n:
        raise ValueError(f"reproducer '{name}' reads exactly {n} input(s), the claim lists {len(keys)}")
    return keys


# --------------------------------------------------------------------------- generic arithmetic


@reproducer("value")
def _value(inputs: Inputs, keys: Sequence[str]) -> float:
    """The one input's value: a restatement, or an external source's number compared as printed."""
    (key,) = _arity(keys, 1, "value")
    return inputs.value(key)


@reproducer("sum")
def _sum(inputs: Inputs, keys: Sequence[str]) -> float:
    """Sum of the inputs (same unit): parts against their stated total."""
    if len(keys) < 2:
        raise ValueError("reproducer 'sum' reads two or more inputs")
    return float(sum(inputs.value(k) for k in keys))


@reproducer("ratio")
def _ratio(inputs: Inputs, keys: Sequence[str]) -> float:
    """First input over the second (multiple): 'mer enn doblet', 'økt'."""
    a, b = _arity(keys, 2, "ratio")
    return inputs.value(a) / inputs.value(b)


@reproducer("change_percent")
def _change(inputs: Inputs, keys: Sequence[str]) -> float:
    """Percent change from the second input to the first: 'en økning på 6 %'."""
    a, b = _arity(keys, 2, "change_percent")
    return 100.0 * (inputs.value(a) / inputs.value(b) - 1.0)


@reproducer("share_percent")
def _share(inputs: Inputs, keys: Sequence[str]) -> float:
    """First input as a percentage of the second (same unit): a part of a whole."""
    part, whole = _arity(keys, 2, "share_percent")
    return 100.0 * inputs.value(part) / inputs.value(whole)


@reproducer("difference")
def _difference(inputs: Inputs, keys: Sequence[str]) -> float:
    """First input minus the second, in their unit: an increase between two points of a path."""
    a, b = _arity(keys, 2, "difference")
    return inputs.value(a) - inputs.value(b)


@reproducer("amount_over_share")
def _amount_over_share(inputs: Inputs, keys: Sequence[str]) -> float:
    """The whole implied by a part and its share (percent): 7.8 NOK bn at 30 % -> 26 NOK bn."""
    amount, share = _arity(keys, 2, "amount_over_share")
    return inputs.value(amount) / (inputs.value(share) / 100.0)


@reproducer("interpolate_from_change")
def _interpolate_from_change(inputs: Inputs, keys: Sequence[str]) -> float:
    """A count in the middle year of a published change: the start value is the end value over
    (1 + change), and the middle year's value lies half-way between them (linear).
    Inputs: the end-year count and its percent change over the period."""
    end, change = _arity(keys, 2, "interpolate_from_change")
    last = inputs.value(end)
    first = last / (1.0 + inputs.value(change) / 100.0)
    return (first + last) / 2.0


# --------------------------------------------------------------------------- market and contracts


@reproducer("market.national_actors_as_remainder")
def _national_remainder(inputs: Inputs, keys: Sequence[str]) -> float:
    """'de resterende 19 prosentene': 100 minus the specialist and primary care shares (percent)."""
    s = market.shares(inputs, market.CARE_LEVEL)
    return 100.0 - s["specialist_care"] - s["primary_care"]


@reproducer("contracts.relational_as_remainder")
def _relational_remainder(inputs: Inputs, keys: Sequence[str]) -> float:
    """Relational share as 100 minus the other three forms (percent): 'Kun 12 prosent'."""
    s = market.shares(inputs, contracts.CONTRACT_FORM)
    return 100.0 - sum(v for k, v in s.items() if k != contracts.RELATIONAL)


# --------------------------------------------------------------------------- ICT


def _ict_diff(year: int) -> Reproducer:
    def fn(inputs: Inputs, keys: Sequence[str]) -> float:
        df = ict.comparison(inputs, year)
        return float(df[df["variable"] == "difference"]["value"].iloc[0])

    fn.__doc__ = f"Norway's health regions minus Gartner's average, {year} (percentage points)."
    return fn


REPRODUCERS["ict.norway_minus_gartner.2019"] = _ict_diff(2019)
REPRODUCERS["ict.norway_minus_gartner.2020"] = _ict_diff(2020)


# --------------------------------------------------------------------------- workforce


def _comparison_year(inputs: Inputs) -> int:
    return int(inputs.value("assumption.workforce.extra_fte_year"))


@reproducer("workforce.extra_fte_no_growth")
def _extra_fte(inputs: Inputs, keys: Sequence[str]) -> float:
    """Demand with no productivity growth minus SSB's basis, in the comparison year (fte)."""
    year = _comparison_year(inputs)
    g = input_fraction(inputs, "assumption.workforce.no_gains_productivity_growth")
    return workforce.demand_at(inputs, g, year) - workforce.basis_at(inputs, year)


@reproducer("workforce.basis_multiple_2060")
def _basis_multiple(inputs: Inputs, keys: Sequence[str]) -> float:
    """SSB's basis demand in 2060 over its base-year level (multiple): 'en dobling'."""
    ry, _ = workforce.reference_points(inputs)
    return workforce.basis_at(inputs, int(ry[-1])) / workforce.basis_at(inputs, workforce.base_year(inputs))


@reproducer("workforce.growth_for_flat_demand_2060")
def _flat_growth(inputs: Inputs, keys: Sequence[str]) -> float:
    """Productivity growth (percent/yr) that keeps 2060 demand at the level of the first year of
    SSB's published path (2017), the level the claim's explanation names; the project's base-year
    assumption is not read (it is the same year today)."""
    ry, _ = workforce.reference_points(inputs)
    return 100.0 * workforce.growth_for_flat_demand(inputs, base_year_override=int(ry[0]))


def _share_2060(growth_key: str | None) -> Reproducer:
    def fn(inputs: Inputs, keys: Sequence[str]) -> float:
        ry, _ = workforce.reference_points(inputs)
        year = int(ry[-1])
        g = workforce.basis_growth(inputs) if growth_key is None else input_fraction(inputs, growth_key)
        total = workforce.total_employment_path(inputs, [year])
        return 100.0 * workforce.demand_at(inputs, g, year) / float(total.iloc[0])

    fn.__doc__ = "Health and care's share of all årsverk in 2060 (percent), " + (
        "on SSB's basis path." if growth_key is None else f"with productivity growth '{growth_key}'."
    )
    return fn


REPRODUCERS["workforce.share_of_employment_2060.basis"] = _share_2060(None)
REPRODUCERS["workforce.share_of_employment_2060.no_growth"] = _share_2060("assumption.workforce.no_gains_productivity_growth")


@reproducer("workforce.record_cohort_turns_80")
def _cohort_80(inputs: Inputs, keys: Sequence[str]) -> float:
    """Year the largest birth cohort on record (SSB: 1946) turns 80."""
    return float(workforce.year_record_cohort_reaches(inputs, 80))


@reproducer("workforce.ssb_basis_productivity_growth")
def _ssb_pb(inputs: Inputs, keys: Sequence[str]) -> float:
    """SSB's reference-path productivity growth (percent/yr), as SSB publishes it."""
    return 100.0 * workforce.basis_growth(inputs)


# --------------------------------------------------------------------------- gains and exports


def _gain(segment: str) -> Reproducer:
    def fn(inputs: Inputs, keys: Sequence[str]) -> float:
        df = gains.example(inputs)
        return float(df[(df["variable"] == "gain") & (df["segment"] == segment)]["value"].iloc[0])

    fn.__doc__ = f"The 1 % example's gain on the '{segment}' base (NOK bn)."
    return fn


for _seg in gains.BASES:
    REPRODUCERS[f"gains.example.{_seg}"] = _gain(_seg)


def _ambition(base_key: str | None) -> Reproducer:
    def fn(inputs: Inputs, keys: Sequence[str]) -> float:
        df = gains.ambition(inputs, base_key=base_key)
        return float(df[df["variable"] == "annual_saving"]["value"].iloc[0])

    fn.__doc__ = "The 2030 ambition's annual saving (NOK bn) on " + (base_key or "the ~2000 NOK bn societal costs")
    return fn


REPRODUCERS["gains.ambition.on_total_societal_costs"] = _ambition(None)
REPRODUCERS["gains.ambition.on_disease_burden"] = _ambition("gains.base.disease_burden")


def _export_share(segment: str) -> Reproducer:
    def fn(inputs: Inputs, keys: Sequence[str]) -> float:
        df = gains.exports(inputs)
        return float(df[(df["variable"] == "share_computed") & (df["segment"] == segment)]["value"].iloc[0])

    fn.__doc__ = f"Export share of '{segment}' recomputed from the amounts (percent)."
    return fn


for _seg in ("pharma", "medical_equipment", "digital_health"):
    REPRODUCERS[f"exports.share_computed.{_seg}"] = _export_share(_seg)


# --------------------------------------------------------------------------- verification


def matches(recomputed: float | None, published: float, tolerance: float, bound: str) -> bool:
    """Does the recomputed number bear out the published one?

    ``eq``: within ``tolerance``. ``lower`` ('mer enn', 'over'): at or above the number, less the
    tolerance. ``upper`` ('under', 'nesten', 'opp mot'): at or below it, plus the tolerance."""
    if recomputed is None or not math.isfinite(recomputed):
        return False
    if bound == "lower":
        return recomputed >= published - tolerance
    if bound == "upper":
        return recomputed <= published + tolerance
    return abs(recomputed - published) <= tolerance


def _run(name: str, inputs: Inputs, keys: Sequence[str]) -> tuple[float | None, str]:
    fn = REPRODUCERS.get(name)
    if fn is None:
        return None, f"unknown reproducer '{name}'"
    missing = [k for k in keys if (inputs.values["key"] != k).all()]
    if missing:
        return None, f"input key(s) not in the data: {', '.join(missing)}"
    try:
        return float(fn(inputs, keys)), ""
    except Exception as exc:  # a reproducer that cannot run is reported as an error row, not a crash
        return None, f"{type(exc).__name__}: {exc}"


def _text(v: object) -> str:
    return "" if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA else str(v)


def register(inputs: Inputs) -> pd.DataFrame:
    """The claims table of a data version. A register from before kinds and inputs (data
    2026-11-22) still loads but cannot be verified by this code: a UserError says which version to use."""
    claims = inputs.table("claims")
    if "kind" not in claims.columns:
        raise UserError(
            f"the claims register of data version {inputs.version} predates kinds and inputs (issue 14) and cannot be "
            "verified by this version of the package; verify data version 2026-11-28 or later"
        )
    return claims


def verify_claim(c: Any, inputs: Inputs) -> dict[str, Any]:
    """Recompute one claim (a row of claims.csv as a namedtuple) and give it its status."""
    published = float(c.published_value)
    tol = float(c.tolerance)
    bound = _text(c.bound) or "eq"
    keys = input_keys(c.inputs)
    expected = _text(c.expected_status)
    explained_by = _text(c.explained_by)
    problem = ""
    value = alt_value = None
    if expected == "not_checkable":
        status = NOT_CHECKABLE
    else:
        value, err = _run(_text(c.reproducer), inputs, keys)
        alt_err = ""
        if explained_by:
            alt_value, alt_err = _run(explained_by, inputs, keys)
        hit = matches(value, published, tol, bound)
        if err or alt_err:
            status, problem = ERROR, "; ".join(x for x in (err, alt_err) if x)
        elif expected == "reproduced":
            status = REPRODUCED if hit else NOT_REPRODUCED
        elif hit:
            status, problem = UNCONFIRMED, f"marked {expected}, but the recomputation matches the published number"
        elif explained_by and not matches(alt_value, published, tol, bound):
            status, problem = UNCONFIRMED, f"the stated reading ({explained_by}) does not give the published number either"
        elif expected == "contradicted":
            status = _contradiction(c, inputs, keys)
            problem = "" if status == CONTRADICTED else status
            status = CONTRADICTED if status == CONTRADICTED else UNCONFIRMED
        else:
            status = INCONSISTENT
    explanation_en = _text(c.explanation_en)
    return {
        "claim_id": c.claim_id,
        "topic": c.topic,
        "kind": _text(c.kind),
        "source_id": c.source_id,
        "locator": c.locator,
        "quote": _text(c.quote),
        "published": published,
        "unit": c.unit,
        "bound": bound,
        "tolerance": tol,
        "recomputed": value,
        "difference": None if value is None else value - published,
        "inputs": " ".join(keys),
        "reproducer": _text(c.reproducer),
        "explained_by": explained_by,
        "explained_value": alt_value,
        "counter_source_id": _text(c.counter_source_id),
        "counter_locator": _text(c.counter_locator),
        "status": status,
        "explanation": f"{problem}. {explanation_en}".strip() if problem else explanation_en,
        "explanation_nb": _text(c.explanation_nb),
        "explanation_en": explanation_en,
    }


def _contradiction(c: Any, inputs: Inputs, keys: Sequence[str]) -> str:
    """CONTRADICTED when the counter source is an external source in the registry and one of the
    claim's inputs comes from it; otherwise the reason the contradiction is not shown."""
    sid = _text(c.counter_source_id)
    hit = inputs.sources[inputs.sources["source_id"] == sid]
    if hit.empty:
        return f"the contradicting source '{sid}' is not in sources.csv"
    if sid == c.source_id or str(hit["kind"].iloc[0]) != "external":
        return f"the contradicting source '{sid}' is not an external source"
    used = set(inputs.values[inputs.values["key"].isin(keys)]["source_id"])
    if sid not in used:
        return f"no input of the recomputation comes from the contradicting source '{sid}'"
    return CONTRADICTED


def verify_claims(inputs: Inputs) -> pd.DataFrame:
    """Recompute every claim in the inputs' ``claims`` table and compare (pure).

    Columns: claim_id, topic, kind, source_id, locator, quote, published, unit, bound, tolerance,
    recomputed, difference, inputs, reproducer, explained_by, explained_value, counter_source_id,
    counter_locator, status, explanation (English, with the reason of a failure),
    explanation_nb, explanation_en. ``status`` is one of :data:`STATUSES`.
    """
    return pd.DataFrame([verify_claim(c, inputs) for c in register(inputs).itertuples(index=False)])


def failing(table: pd.DataFrame) -> pd.DataFrame:
    """Rows of a :func:`verify_claims` table that make verification fail."""
    return table[table["status"].isin(FAILING)]
