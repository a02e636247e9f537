"""Contract forms: Menon's spend shares, a re-allocation scenario and Williamson's governance model
(seed 000, 3.1.2, 4.5, 4.6 and 6.2).

* :func:`amounts` -- the contract-form shares (in-house 50, project 20, open market 18,
  relational 12 %) applied to a total. The report never says these shares apply to the same
  13.6 bn NOK as the care-level split; using that total is this package's reading (rated in the
  data log), and every amount row says so in its ``note``.
* :func:`reallocate` -- the NOK that moves, and from which forms, if relational contracts rise
  (or fall) to a target share. By default the change is taken from the other forms in
  proportion to their shares; the total is conserved.
* :func:`attributes` -- Tabell 1 (Williamson 1991): ratings of market / hybrid / hierarchy.
* :func:`governance_costs`, :func:`switch_points`, :func:`optimal_form` -- Figur 3: linear
  governance-cost curves ``M(k) = a0 + a1 k``, ``X(k) = b0 + b1 k``, ``H(k) = c0 + c1 k`` over
  asset specificity ``k``; the switch points are computed from the curve parameters
  (``k1 = (b0 - a0) / (a1 - b1)``, ``k2 = (c0 - b0) / (b1 - c1)``). The parameters are
  illustrative assumptions (data, status=assumption): the report's figure has no numbers.
* :func:`optimal_form_grid` -- Figur 7: optimal form by purchase frequency x adaptation need.
* :func:`governance_rule` -- the report's rule (contract risk x in-house resources -> form);
  combinations the report leaves open come back as ``not_covered``, never as a guess.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from ehelse_market.domain import market
from ehelse_market.domain.results import frame, scenario_name
from ehelse_market.errors import ParameterError
from ehelse_market.inputs.codes import CONTRACT_RISKS
from ehelse_market.inputs.loader import Inputs
from ehelse_market.inputs.scenario import Scenario, check_value

CONTRACT_FORM = "contract_form_share"
RELATIONAL = "relational"
FORMS = ("market", "hybrid", "hierarchy")  # Williamson's three governance structures
RISK_LEVELS = CONTRACT_RISKS  # seed 000 lines 3844-3848
SAME_TOTAL_NOTE = (
    "assumes the contract-form shares apply to the same total as the care-level split; "
    "the report does not say so (seed 000 l.1604-1607 vs l.1531-1534)"
)


# --------------------------------------------------------------------------- shares -> NOK


def amounts(inputs: Inputs, params: Scenario | None = None, *, total: float | None = None, intervals: bool = True) -> pd.DataFrame:
    """Contract-form shares -> NOK bn on ``total`` (default: Menon's 13.6 bn NOK, see module note)."""
    out = market.split(inputs, params, total=total, variable=CONTRACT_FORM, intervals=intervals)
    out["note"] = np.where(out["unit"] == "NOK bn", SAME_TOTAL_NOTE, "")
    return out


def reallocate(
    inputs: Inputs,
    target_share: float | None = None,
    params: Scenario | None = None,
    *,
    total: float | None = None,
    from_forms: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Move spend so relational contracts reach ``target_share`` (a fraction, 0.25 = 25 %).

    The change (percentage points) is taken from ``from_forms`` (default: every other form) in
    proportion to their current shares; a target below today's share moves spend back the same
    way. Variables per form: ``share_before`` / ``share_after`` (percent), ``spend_before`` /
    ``spend_after`` / ``spend_change`` (NOK bn); plus ``spend_moved`` (NOK bn, segment relational).
    """
    if target_share is None:
        target_share = getattr(params, "relational_target_share", None)
    target_share = check_value("relational_target_share", target_share)
    before = market.check_shares(market.shares(inputs, CONTRACT_FORM))
    if RELATIONAL not in before:
        raise ValueError(f"the contract-form split has no '{RELATIONAL}' segment")
    donors = [f for f in before if f != RELATIONAL] if from_forms is None else list(from_forms)
    for f in donors:
        if f not in before or f == RELATIONAL:
            allowed = ", ".join(k for k in before if k != RELATIONAL)
            raise ParameterError("from_forms", f, f"contract forms other than relational: {allowed}")
    if not donors:
        raise ParameterError("from_forms", donors, "one or more contract forms")
    delta = float(target_share) * 100.0 - before[RELATIONAL]  # percentage points moved to relational
    pool = sum(before[f] for f in donors)
    if delta > pool + 1e-12:
        raise ParameterError(
            "relational_target_share", target_share,
            f"at most {(before[RELATIONAL] + pool) / 100:g} when moving spend from {', '.join(donors)}",
        )
    after = dict(before)
    after[RELATIONAL] = before[RELATIONAL] + delta
    for f in donors:
        after[f] = before[f] - delta * (before[f] / pool if pool > 0 else 1.0 / len(donors))
    t = float(inputs.value(market.TOTAL_KEY)) if total is None else float(total)
    rows = []
    for f in before:
        rows += [
            {"variable": "share_before", "segment": f, "unit": "percent", "value": before[f]},
            {"variable": "share_after", "segment": f, "unit": "percent", "value": after[f]},
            {"variable": "spend_before", "segment": f, "unit": "NOK bn", "value": t * before[f] / 100.0},
            {"variable": "spend_after", "segment": f, "unit": "NOK bn", "value": t * after[f] / 100.0},
            {"variable": "spend_change", "segment": f, "unit": "NOK bn", "value": t * (after[f] - before[f]) / 100.0},
        ]
    rows.append({"variable": "spend_moved", "segment": RELATIONAL, "unit": "NOK bn", "value": t * delta / 100.0})
    out = frame(rows, scenario=scenario_name(params))
    out["note"] = np.where(out["unit"] == "NOK bn", SAME_TOTAL_NOTE, "")
    return out


# --------------------------------------------------------------------------- Tabell 1


def attributes(inputs: Inputs) -> pd.DataFrame:
    """Tabell 1 as a tidy frame: ``rating`` (0 weak, 1 semi-strong, 2 strong; unit index) by form,
    with the ``attribute``, Williamson's ``symbol`` and the seed's wording ``text_nb``."""
    t = inputs.table("williamson_attributes")
    df = pd.DataFrame(
        {
            "variable": "attribute_rating",
            "segment": t["form"].astype(str),
            "unit": "index",
            "value": t["rating"].astype(float),
            "attribute": t["attribute"].astype(str),
            "symbol": t["symbol"].astype(str),
            "text_nb": t["text_nb"].astype(str),
            "locator": t["locator"].astype(str),
        }
    )
    return frame(df)


# --------------------------------------------------------------------------- Figur 3


def curve_parameters(inputs: Inputs) -> dict[str, tuple[float, float]]:
    """(intercept, slope) of each governance-cost curve, from the data's assumption rows (index units)."""
    return {
        f: (inputs.value(f"assumption.governance.{f}_intercept"), inputs.value(f"assumption.governance.{f}_slope"))
        for f in FORMS
    }


def check_orderings(curves: Mapping[str, tuple[float, float]]) -> None:
    """Williamson's orderings: intercepts market < hybrid < hierarchy, slopes market > hybrid > hierarchy > 0."""
    missing = [f for f in FORMS if f not in curves]
    if missing:
        raise ParameterError("curves", sorted(curves), f"one (intercept, slope) for each of {', '.join(FORMS)}")
    (a0, a1), (b0, b1), (c0, c1) = (tuple(map(float, curves[f])) for f in FORMS)
    if not (a0 < b0 < c0):
        raise ParameterError("curves.intercepts", (a0, b0, c0), "market < hybrid < hierarchy (Williamson 1991)")
    if not (a1 > b1 > c1 > 0):
        raise ParameterError("curves.slopes", (a1, b1, c1), "market > hybrid > hierarchy > 0 (Williamson 1991)")


def switch_points_from(curves: Mapping[str, tuple[float, float]]) -> dict[str, float | bool]:
    """Switch points of the lower envelope of three ordered linear cost curves.

    Returns ``k1`` (market -> hybrid), ``k2`` (hybrid -> hierarchy), ``k_star`` (market ->
    hierarchy, ignoring the hybrid) and ``hybrid_optimal`` (True when ``k1 < k2``, i.e. the
    hybrid is cheapest on ``(k1, k2)``). Williamson's orderings alone do not guarantee
    ``k1 < k2``: when the hybrid is dominated the envelope switches once, at ``k_star``.
    """
    check_orderings(curves)
    (a0, a1), (b0, b1), (c0, c1) = (tuple(map(float, curves[f])) for f in FORMS)
    k1 = (b0 - a0) / (a1 - b1)
    k2 = (c0 - b0) / (b1 - c1)
    k_star = (c0 - a0) / (a1 - c1)
    return {"k1": k1, "k2": k2, "k_star": k_star, "hybrid_optimal": bool(k1 < k2)}


def switch_points(inputs: Inputs) -> dict[str, float | bool]:
    """Switch points k1 < k2 (asset specificity, index units) from the data's curve parameters."""
    return switch_points_from(curve_parameters(inputs))


def optimal_form_from(k: ArrayLike, curves: Mapping[str, tuple[float, float]]) -> np.ndarray:
    """The cheapest form at each ``k`` (array of 'market' / 'hybrid' / 'hierarchy').

    Ties (exactly at a switch point) go to the form earlier in market, hybrid, hierarchy.
    """
    check_orderings(curves)
    k = np.atleast_1d(np.asarray(k, dtype=float))
    costs = np.vstack([curves[f][0] + curves[f][1] * k for f in FORMS])
    return np.asarray(FORMS, dtype=object)[np.argmin(costs, axis=0)]


def optimal_form(inputs: Inputs, k: ArrayLike) -> np.ndarray:
    """The cheapest governance form at asset specificity ``k`` (scalar or array)."""
    return optimal_form_from(k, curve_parameters(inputs))


def governance_costs(inputs: Inputs, k: ArrayLike | None = None, *, num: int = 101) -> pd.DataFrame:
    """Figur 3 as a tidy frame: ``governance_cost`` (index) of each form at each ``k``
    (column ``asset_specificity``), plus ``lowest_cost`` whose segment is the cheapest form.

    Default ``k``: ``num`` points from 0 to 1.5 x the larger switch point.
    """
    curves = curve_parameters(inputs)
    sp = switch_points_from(curves)
    if k is None:
        if num < 2:
            raise ParameterError("num", num, "an integer >= 2")
        k = np.linspace(0.0, 1.5 * max(sp["k1"], sp["k2"], sp["k_star"]), num)
    k = np.atleast_1d(np.asarray(k, dtype=float))
    if not np.isfinite(k).all() or (k < 0).any():
        raise ParameterError("k", k.tolist(), "finite values >= 0 (asset specificity)")
    parts = []
    for f in FORMS:
        a, b = curves[f]
        parts.append(pd.DataFrame({"variable": "governance_cost", "segment": f, "unit": "index", "value": a + b * k, "asset_specificity": k}))
    best = optimal_form_from(k, curves)
    low = np.min(np.vstack([curves[f][0] + curves[f][1] * k for f in FORMS]), axis=0)
    parts.append(pd.DataFrame({"variable": "lowest_cost", "segment": best, "unit": "index", "value": low, "asset_specificity": k}))
    return frame(pd.concat(parts, ignore_index=True))


# --------------------------------------------------------------------------- Figur 7 and the rule


def optimal_form_grid(inputs: Inputs) -> pd.DataFrame:
    """Figur 7: optimal contract form by purchase ``frequency`` x ``adaptation`` need, with the
    condition the text attaches, whether the cell is published or an assumption, and its source."""
    return inputs.table("figure7_grid").reset_index(drop=True).copy()


def _as_bool(value: Any, name: str) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise ParameterError(name, value, "true or false")


def governance_rule(inputs: Inputs, contract_risk: str, in_house_resources: bool) -> dict:
    """The report's rule (seed 000 l.3844-3848): contract risk x in-house resources -> form.

    Returns ``{"form", "covered", "contract_risk", "in_house_resources", "locator", "quote",
    "note", "source_id"}``. Where the report leaves the combination open, ``form`` is
    ``"not_covered"`` and ``covered`` is False: the report's text does not decide it.
    """
    if contract_risk not in RISK_LEVELS:
        raise ParameterError("contract_risk", contract_risk, " | ".join(RISK_LEVELS))
    resources = _as_bool(in_house_resources, "in_house_resources")
    t = inputs.table("contract_rule")
    hit = t[(t["contract_risk"] == contract_risk) & (t["in_house_resources"].astype(bool) == resources)]
    if len(hit) != 1:
        raise ValueError(f"contract_rule.csv has {len(hit)} rows for ({contract_risk}, {resources}); expected exactly one")
    r = hit.iloc[0]

    def text(col: str) -> str:
        v = r.get(col)
        return "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)

    covered = bool(r["covered"])
    return {
        "form": str(r["form"]) if covered else "not_covered",
        "covered": covered,
        "contract_risk": contract_risk,
        "in_house_resources": resources,
        "locator": text("locator"),
        "quote": text("quote"),
        "note": text("note"),
        "source_id": text("source_id"),
    }


def governance_rule_table(inputs: Inputs) -> pd.DataFrame:
    """Every (contract risk, in-house resources) combination through :func:`governance_rule`."""
    rows = [governance_rule(inputs, risk, res) for risk in RISK_LEVELS for res in (True, False)]
    return pd.DataFrame(rows)
