"""Mutation proof of the claims register: no claim is reproduced by construction.

For every claim the register expects to reproduce, each data key it lists under ``inputs`` is
perturbed in a copy of the data version held in memory (the Inputs value table with one value
changed; nothing is written) and the claim is verified again:

* a claim that still reproduces under every perturbation of every input is circular: it reads
  nothing that could make it fail. The test fails and names it;
* each listed input is read: perturbing it moves the recomputed number (not every input can flip
  the verdict: a larger digital-health export only lowers the pharma share that must be "nesten
  70", and the base year moves the growth that keeps demand flat by less than its tolerance);
* the list is complete: for a claim recomputed through the domain modules, halving or doubling
  any value it does not list leaves the recomputed number unchanged (generic reproducers read
  exactly their inputs);
* the published number is never an input: no input row transcribes the claim's own statement.
"""

import dataclasses
import math
import re

import pytest

from ehelse_market.analysis import claims
from ehelse_market.inputs import load_inputs

INPUTS = load_inputs()
REGISTER = claims.register(INPUTS)
CHECKED = [c for c in REGISTER.itertuples(index=False) if c.expected_status == "reproduced"]

FACTORS = (0.5, 1.5, 2.0, 0.1, 10.0)
STEPS = (-1.0, 1.0, -3.0, 3.0)  # years and small counts


def perturbations(value: float) -> list[float]:
    """Candidate replacement values for one input: relative changes, then small absolute steps."""
    if value == 0:
        return [1.0, -1.0, 0.01, -0.01]
    return [value * f for f in FACTORS] + [value + s for s in STEPS]


def with_value(inputs, key: str, value: float):
    values = inputs.values.copy()
    values.loc[values["key"] == key, "value"] = value
    return dataclasses.replace(inputs, values=values)


def _moved(row, base: float) -> bool:
    r = row["recomputed"]
    return r is None or not math.isfinite(r) or not math.isclose(r, base, rel_tol=1e-12, abs_tol=1e-12)


def mutate(claim, key: str, candidates=None) -> tuple[bool, bool]:
    """(some perturbation of ``key`` makes the claim not reproduced, some perturbation moves its
    recomputed number or stops it from being computed)."""
    base = claims.verify_claim(claim, INPUTS)["recomputed"]
    moved = False
    for v in candidates if candidates is not None else perturbations(INPUTS.value(key)):
        row = claims.verify_claim(claim, with_value(INPUTS, key, v))
        if row["status"] == claims.NOT_REPRODUCED:
            return True, True
        moved |= _moved(row, base)
    return False, moved


@pytest.mark.parametrize("claim", CHECKED, ids=[c.claim_id for c in CHECKED])
def test_claim_is_not_reproduced_by_construction(claim):
    keys = claims.input_keys(claim.inputs)
    assert keys, f"{claim.claim_id}: a checked claim lists no inputs"
    results = {k: mutate(claim, k) for k in keys}
    assert any(broke for broke, _ in results.values()), (
        f"{claim.claim_id} is circular: it still reproduces under every perturbation of its inputs {keys}"
    )
    dead = [k for k, (_, moved) in results.items() if not moved]
    assert not dead, f"{claim.claim_id}: perturbing {dead} changes nothing; the input is listed but not read"


def _lines(locator: str):
    m = re.match(r"^(\d{3}_[0-9a-f]{16}\.txt):(\d+)-(\d+)$", str(locator))
    return (m.group(1), int(m.group(2)), int(m.group(3))) if m else None


def _same_statement(claim, row) -> bool:
    """The data row transcribes the claim's own number: same source, same number, overlapping lines
    (or, for an external source, the same locator)."""
    if row["source_id"] != claim.source_id or not math.isclose(float(row["value"]), float(claim.published_value)):
        return False
    a, b = _lines(claim.locator), _lines(row["locator"])
    if a is None or b is None:
        return row["locator"] == claim.locator
    return a[0] == b[0] and a[1] <= b[2] and b[1] <= a[2]


@pytest.mark.parametrize("claim", CHECKED, ids=[c.claim_id for c in CHECKED])
def test_published_number_is_not_an_input(claim):
    rows = INPUTS.values[INPUTS.values["key"].isin(claims.input_keys(claim.inputs))]
    own = [r["key"] for _, r in rows.iterrows() if _same_statement(claim, r)]
    assert not own, f"{claim.claim_id} reads its own published statement: {own}"


def test_a_circular_claim_is_caught():
    """A planted circular claim (the total 'recomputed' as itself) fails the mutation proof."""
    row = REGISTER[REGISTER.claim_id == "market.summary_total_13_6"].iloc[0].to_dict()
    row.update(claim_id="t.circular", reproducer="market.national_actors_as_remainder", inputs="market.spend_total",
               published_value=19.0, tolerance=0.5)
    circular = next(REGISTER.assign(**{k: [v] * len(REGISTER) for k, v in row.items()}).head(1).itertuples(index=False))
    assert claims.verify_claim(circular, INPUTS)["status"] == claims.REPRODUCED
    assert mutate(circular, "market.spend_total") == (False, False)


GENERIC = {"value", "sum", "ratio", "share_percent", "change_percent", "difference", "amount_over_share", "interpolate_from_change"}
DOMAIN = [c for c in CHECKED if c.reproducer not in GENERIC]


@pytest.mark.parametrize("claim", DOMAIN, ids=[c.claim_id for c in DOMAIN])
def test_every_key_the_claim_reads_is_listed(claim):
    """Halving or doubling a value the claim does not list leaves its recomputed number as it was."""
    listed = set(claims.input_keys(claim.inputs))
    hidden = []
    for key in INPUTS.values["key"]:
        v = INPUTS.value(key)
        if key not in listed and mutate(claim, key, (v * 0.5, v * 2.0) if v else (1.0,))[1]:
            hidden.append(key)
    assert not hidden, f"{claim.claim_id} reads {hidden}, which its inputs do not list"
