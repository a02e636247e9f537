"""``ehelse-market project --productivity G [G ...]``: the workforce projection as a table or a file.

``--format table`` (default) prints a wide table for reading; ``csv``, ``parquet`` and ``iamc``
write the tidy long rows (``scenario, variable, segment, unit, year, value, productivity_growth``:
the shape of the library and of ``ehelse-market sweep``) to ``--out`` or, for csv and iamc,
to standard output (see :mod:`ehelse_market.analysis.export`). The rows carry the scenario's
name: ``--name``, else ``baseline`` for the baseline's own rates, else a name saying what the
flags changed (:meth:`~ehelse_market.inputs.scenario.Scenario.named_from`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ehelse_market.cli.options import number
from ehelse_market.domain import workforce
from ehelse_market.inputs import load_inputs
from ehelse_market.inputs.scenario import Scenario

if TYPE_CHECKING:
    import pandas as pd


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "project",
        help="project demand for årsverk (fte) in health and care under productivity growth rates",
        description="D_g(t) = D_B(t) * ((1 + p_B) / (1 + g)) ** (t - t0), SSB Rapporter 2019/12 reference path D_B.",
    )
    p.add_argument("--productivity", "-g", nargs="+", type=number("float", "0.02"), required=True, metavar="G",
                   help="annual productivity growth rates as fractions (0.02 = 2 %%/yr), one path each")
    p.add_argument("--from", dest="start", type=int, default=None, metavar="YEAR", help="first year (default: base year t0)")
    p.add_argument("--to", dest="end", type=int, default=None, metavar="YEAR", help="last year (default: 2060, the end of the SSB path)")
    p.add_argument("--step", type=int, default=1, help="years between rows (default 1; the last year is always included)")
    p.add_argument("--format", choices=("table", "csv", "parquet", "iamc"), default="table",
                   help="table (for reading), or tidy rows as csv, parquet or iamc (default table)")
    p.add_argument("--out", type=Path, default=None, metavar="FILE",
                   help="file to write (replaced atomically); default standard output (csv, iamc; parquet needs --out)")
    p.add_argument("--data", dest="data_dir", type=Path, default=None, help="data root or version folder (default: bundled data/)")
    p.add_argument("--name", default=None, metavar="NAME",
                   help="scenario name the rows carry (letters, digits, '.', '_', '-'); default 'baseline' for the baseline's rates "
                        "(0 0.005 0.02), else what the flags change, e.g. baseline-productivity_growth-0.0175")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ehelse_market.errors import ParameterError

    # the rates go through the Scenario: the bounds and words of every other entry point
    base = Scenario.baseline()
    scenario = base.with_updates(productivity_growth=args.productivity).named_from(base, args.name)
    rates = scenario.productivity_growth
    inputs = load_inputs(None, args.data_dir)
    ry, _ = workforce.reference_points(inputs)
    t0 = workforce.base_year(inputs)
    start = t0 if args.start is None else args.start
    end = int(ry[-1]) if args.end is None else args.end
    if args.step < 1:
        raise ParameterError("--step", args.step, "a whole number >= 1")
    if not t0 <= start <= end <= int(ry[-1]):
        raise ParameterError("--from/--to", f"{start}..{end}", f"years with {t0} <= from <= to <= {int(ry[-1])}")
    years = list(range(start, end + 1, args.step))
    if years[-1] != end:
        years.append(end)
    df = workforce.project(inputs, rates, years).assign(scenario=scenario.name)
    # keep the order the user gave the growth rates in
    order = {g: i for i, g in enumerate(dict.fromkeys(rates))}
    df = df.assign(_o=df["productivity_growth"].map(order)).sort_values(["_o", "variable", "year"], kind="stable").drop(columns="_o")
    df = df.reset_index(drop=True).astype({"year": "int64"})
    if args.format != "table":
        write_output(df, args.format, args.out)
        return 0
    wide = df.pivot_table(index=["productivity_growth", "year"], columns="variable", values="value", sort=False).reset_index()
    wide = wide[["productivity_growth", "year", "fte_demand", "fte_vs_basis"]]
    print(f"scenario {scenario.name}; data version {inputs.version}; basis p_B = {workforce.basis_growth(inputs):g}/yr, t0 = {t0}")
    print(wide.to_string(index=False, formatters={"fte_demand": "{:,.0f}".format, "fte_vs_basis": "{:+,.0f}".format,
                                                  "productivity_growth": "{:g}".format}))
    return 0


def write_output(df: pd.DataFrame, fmt: str, out: Path | None) -> None:
    """Write the tidy projection as ``fmt`` to ``out`` (or standard output for the text formats)."""
    from ehelse_market.analysis import export
    from ehelse_market.errors import UserError

    if out is not None:
        rows = export.write(df, out, fmt)
        print(f"wrote {out}: {rows} rows ({fmt})", file=sys.stderr)
    elif fmt == "parquet":
        raise UserError("--format parquet writes a binary file: give it a name with --out FILE.parquet")
    else:
        table = export.to_iamc(df) if fmt == "iamc" else df
        table.to_csv(sys.stdout, index=False, lineterminator="\n", float_format=export.FLOAT_FORMAT)
