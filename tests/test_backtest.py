"""Backtests: every published claim in claims.csv is recomputed from the inputs and must hold.

A claim expected to reproduce must match within its tolerance; a claim marked inconsistent or
contradicted must show the discrepancy (and a stated reading must give the published number); a
claim marked not checkable is not recomputed. These fail when a published number stops
reproducing -- see test_claims.py for planted failures and test_claims_mutation.py for the proof
that no claim reproduces by construction.
"""

import pytest

from ehelse_market.analysis import claims
from ehelse_market.inputs import load_inputs

INPUTS = load_inputs()
TABLE = claims.verify_claims(INPUTS)
WANT = {
    "reproduced": claims.REPRODUCED,
    "inconsistent": claims.INCONSISTENT,
    "contradicted": claims.CONTRADICTED,
    "not_checkable": claims.NOT_CHECKABLE,
}


@pytest.mark.parametrize("claim_id", TABLE["claim_id"].tolist())
def test_claim(claim_id):
    row = TABLE[TABLE.claim_id == claim_id].iloc[0]
    expected = INPUTS.table("claims").set_index("claim_id").loc[claim_id, "expected_status"]
    assert row["status"] == WANT[expected], (
        f"{claim_id} ({row['locator']}): published {row['published']} {row['unit']}, "
        f"recomputed {row['recomputed']} -> {row['status']}: {row['explanation']}"
    )


def test_register_size_and_coverage():
    checked = TABLE[TABLE["status"] != claims.NOT_CHECKABLE]
    assert len(checked) >= 45
    assert {"market", "contracts", "ict", "workforce", "gains", "exports", "digital_use", "informants"} <= set(checked["topic"])
    assert (TABLE["status"] == claims.INCONSISTENT).sum() >= 3
    assert (TABLE["status"] == claims.CONTRADICTED).sum() >= 1
    assert claims.failing(TABLE).empty
