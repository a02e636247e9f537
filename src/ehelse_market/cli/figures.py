"""``ehelse-market figures``: every registered figure as PNG, SVG and CSV, without a Jupyter kernel."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("figures", help="write every registered figure as PNG + SVG + CSV of the plotted numbers")
    p.add_argument("--out", type=Path, required=True, help="output folder")
    p.add_argument("--lang", choices=("nb", "en"), default=None, help="label language (default: the scenario's, nb)")
    p.add_argument("--scenario", type=Path, default=None, help="scenario YAML file (default: scenarios/baseline.yaml)")
    p.add_argument("--only", nargs="+", metavar="FIGURE_ID", help="only these figure ids (e.g. 000-figur-8)")
    p.add_argument("--list", action="store_true", help="list the register (id, chapter, title, citation, seed locator) and exit")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ehelse_market.publishing import figures
    from ehelse_market.inputs import load_inputs
    from ehelse_market.inputs.scenario import Scenario

    scenario = Scenario.load(args.scenario) if args.scenario else Scenario.baseline()
    if args.lang:
        scenario = scenario.with_updates(lang=args.lang)
    if args.list:
        for f in figures.FIGURES.values():
            print(f"{f.id}\t{f.chapter}\t{f.title[scenario.lang]}\t{f.citation[scenario.lang]}\t{f.source}")
        return 0
    for fig_id in args.only or []:
        figures.get(fig_id)  # ParameterError naming the known ids
    inputs = load_inputs(version=scenario.data_version)
    paths = figures.write_all(args.out, inputs, scenario, ids=args.only)
    print(f"wrote {len(paths)} files ({len(paths) // 3} figures) to {args.out}")
    return 0
