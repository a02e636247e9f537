"""``ehelse-market verify``: recompute every published claim and print the verification table."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ehelse_market.analysis import claims
from ehelse_market.inputs import load_inputs

if TYPE_CHECKING:
    import pandas as pd

_MARK = {
    claims.REPRODUCED: "ok",
    claims.INCONSISTENT: "src?",
    claims.CONTRADICTED: "ext?",
    claims.NOT_CHECKABLE: "n/c",
    claims.NOT_REPRODUCED: "FAIL",
    claims.UNCONFIRMED: "FAIL",
    claims.ERROR: "FAIL",
}

#: ``--format csv``: these columns first (``inputs``: the data keys read, space-separated), then the rest.
CSV_COLUMNS = ("claim", "kind", "status", "published", "recomputed", "unit", "bound", "inputs")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("verify", help="recompute every published claim from the inputs; exit 1 if any is not reproduced")
    p.add_argument("data_dir", nargs="?", type=Path, help="data root or version folder (default: bundled data/)")
    p.add_argument("--version", dest="data_version", help="data version (default: newest)")
    p.add_argument("--format", choices=("table", "csv"), default="table", help="table (default) or csv")
    p.set_defaults(func=run)


def _num(x: float | None) -> str:
    if x is None or x != x:
        return "-"
    return f"{x:,.4g}" if abs(x) < 1e5 else f"{x:,.0f}"


def format_table(table: pd.DataFrame) -> str:
    """Fixed-width text: one line per claim, then the explanations of source inconsistencies and failures."""
    lines = [f"{'':4} {'claim':44} {'kind':11} {'published':>12} {'recomputed':>12} {'unit':18} status"]
    for r in table.itertuples(index=False):
        bound = {"lower": ">=", "upper": "<="}.get(r.bound, "")
        lines.append(
            f"{_MARK.get(r.status, '?'):4} {r.claim_id:44} {r.kind:11} {bound + _num(r.published):>12} {_num(r.recomputed):>12} {r.unit:18} {r.status}"
        )
    notes = table[table["status"] != claims.REPRODUCED]
    if len(notes):
        lines.append("")
        for r in notes.itertuples(index=False):
            extra = f" [{r.explained_by} gives {_num(r.explained_value)}]" if r.explained_by else ""
            other = f" Against {r.counter_source_id} ({r.counter_locator})." if r.counter_source_id else ""
            lines.append(f"- {r.claim_id} ({r.locator}): {r.status}{extra}.{other} {r.explanation}")
    counts = table["status"].value_counts()
    shown = (claims.REPRODUCED, claims.INCONSISTENT, claims.CONTRADICTED, claims.NOT_CHECKABLE)
    summary = ", ".join(f"{counts.get(s, 0)} {s}" for s in shown)
    bad = int(table["status"].isin(claims.FAILING).sum())
    lines.append("")
    lines.append(f"{len(table)} claims: {summary}, {bad} failing")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    inputs = load_inputs(args.data_version, args.data_dir)
    table = claims.verify_claims(inputs)
    if args.format == "csv":
        out = table.rename(columns={"claim_id": "claim"})
        out = out[list(CSV_COLUMNS) + [c for c in out.columns if c not in CSV_COLUMNS]]
        out.to_csv(sys.stdout, index=False, lineterminator="\n", float_format="%.10g")
    else:
        print(f"data version {inputs.version}")
        print(format_table(table))
    return 1 if len(claims.failing(table)) else 0
