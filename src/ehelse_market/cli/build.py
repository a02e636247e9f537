"""``ehelse-market build``: execute the chapter notebooks and export reviewer-ready HTML."""

from __future__ import annotations

import argparse
from pathlib import Path


def _jobs(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--jobs must be a whole number >= 1, got {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"--jobs must be a whole number >= 1, got {text!r}")
    return n


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("build", help="execute the notebooks and write HTML reports, index.html and manifest.json")
    p.add_argument("--out", type=Path, default=None,
                   help="output folder (default: reports/ in a checkout or under $EHELSE_MARKET_ROOT, ./reports for an installed package)")
    p.add_argument("--scenario", type=Path, default=None, help="scenario YAML file (default: scenarios/baseline.yaml)")
    p.add_argument("--lang", choices=("nb", "en"), default=None, help="report language (default: the scenario's, nb)")
    p.add_argument("--force", action="store_true", help="rebuild every report even if its inputs are unchanged")
    p.add_argument("--jobs", type=_jobs, default=None, help="notebooks to run at once (default: number of CPUs)")
    p.add_argument("--only", nargs="+", metavar="NOTEBOOK", help="build only these notebooks (e.g. 01_market)")
    from ehelse_market.cli import add_verbosity

    add_verbosity(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import sys

    from ehelse_market.cli.options import input_file
    from ehelse_market.inputs.scenario import Scenario
    from ehelse_market.publishing import report

    report.check_out(args.out)  # before any work: a new, empty or own folder
    if args.scenario:
        input_file(args.scenario, "scenario file")
    scenario = Scenario.load(args.scenario) if args.scenario else Scenario.baseline()
    if args.lang:
        scenario = scenario.with_updates(lang=args.lang)
    result = report.build(args.out, scenario, force=args.force, jobs=args.jobs, only=args.only, progress=None if args.verbosity < 0 else report.print_progress)
    built = sum(o.status == "built" for o in result.outcomes)
    reused = sum(o.status == "reused" for o in result.outcomes)
    for o in result.failures:
        print(f"error: {o.message}", file=sys.stderr)
    if args.verbosity > 0:
        for o in result.outcomes:
            if o.files.get("html"):
                print(f"  {result.folder / o.files['html']} ({o.status}, {o.seconds:.1f} s)")
    print(f"{result.folder}: {built} built, {reused} up to date, {len(result.failures)} failed")
    return 0 if result.ok else 1
