"""Backtests: every published claim in claims.csv is recomputed from the inputs and must hold.

A claim marked reproduced must match within its tolerance; a claim marked inconsistent must show
the discrepancy (and its stated reading must give the published number). These fail when a
published number stops reproducing -- see test_claims.py for planted failures.
"""

import pytest

from ehelse_market.analysis import claims
from ehelse_market.inputs import load_inputs

INPUTS = load_inputs()
TABLE = claims.verify_claims(INPUTS)


@pytest.mark.parametrize("claim_id", TABLE["claim_id"].tolist())
def test_claim(claim_id):
    row = TABLE[TABLE.claim_id == claim_id].iloc[0]
    expected = INPUTS.table("claims").set_index("claim_id").loc[claim_id, "expected_status"]
    want = claims.REPRODUCED if expected == "reproduced" else claims.INCONSISTENT
    assert row["status"] == want, (
        f"{claim_id} ({row['locator']}): published {row['published']} {row['unit']}, "
        f"recomputed {row['recomputed']} -> {row['status']}: {row['explanation']}"
    )


def test_register_size_and_coverage():
    assert len(TABLE) >= 30
    assert {"market", "contracts", "ict", "workforce", "gains", "exports", "digital_use", "informants"} <= set(TABLE["topic"])
    assert (TABLE["status"] == claims.INCONSISTENT).sum() >= 3
    assert claims.failing(TABLE).empty
